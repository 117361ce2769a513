public import Foundation

/// Renders plans and run summaries as text for people and JSON for tools.
public enum ReportRenderer {
    /// The dry-run, rule by rule: the header (where it read from), the rule order, then per rule its pipeline,
    /// query, records and what would happen to each (values written, fields created, merge targets, tags, owner,
    /// why a record will fail), calls, credits and scopes.
    ///
    /// - Parameter width: cut every line to this many columns (a terminal's width); nil cuts nothing.
    public static func plan(_ report: RunReport, width: Int? = nil) -> String {
        var out = "zrules plan: \(report.rules.count) rule(s), dry-run (nothing is written to the CRM)\n"
        out += header(report.target)
        if report.rules.count > 1 {
            out += "rules run in this order (rule files in order, then the rules in each as written): "
            out += report.rules.enumerated().map { "\($0.offset + 1). \($0.element.rule)" }.joined(separator: ", ")
            out += "\n"
        }
        for rule in report.rules { out += planSection(rule, clipped: width != nil) }
        let planned = report.records.count { $0.status == .planned }
        let failing = report.records.count { $0.status == .failed }
        let credits = report.rules.flatMap(\.callsToCome).reduce(0) { $0 + $1.credits }
        out +=
            "\ntotal: \(planned) record(s) would convert, \(failing) will fail, "
            + "\(report.records.count { $0.status == .skipped }) skipped; "
        out += "a run would spend about \(credits) API credit(s)\n"
        return width.map { cut(out, to: $0) } ?? out
    }

    /// Where a plan or run reads from: sandbox and production must not look the same. Empty without a target.
    public static func header(_ target: PlanTarget?) -> String {
        guard let target else { return "" }
        let org: String
        if let name = target.orgName ?? target.orgID {
            org = target.orgID.map { target.orgName == nil ? "id \($0)" : "\(name) (id \($0))" } ?? name
        } else {
            org = "could not be read (GET /org; the token needs the ZohoCRM.org.READ scope to name it here)"
        }
        let place =
            target.environment == "emulator"
            ? "emulator (\(target.dataCentre))" : "\(target.environment), data centre \(target.dataCentre)"
        return "org:          \(org)\n"
            + "environment:  \(place)\n"
            + "API:          \(target.apiHost), \(target.apiVersion), edition \(target.edition)\n"
    }

    private static func planSection(_ rule: RuleReport, clipped: Bool) -> String {
        var out = "\nrule \(rule.rule)  (\(rule.file):\(rule.line))\n"
        if let error = rule.error, rule.query.isEmpty {
            return out + "  cannot plan rule \(rule.rule) (\(rule.file):\(rule.line)): \(error)\n"
        }
        out += "  \(rule.module) → \(rule.target): \(rule.methodReason)\n"
        out += "  query: \(rule.query)\n"
        if !rule.localOnly.isEmpty {
            out += "  checked on our side only: \(rule.localOnly.joined(separator: "; "))\n"
        }
        out += "  steps:\n"
        for (index, step) in rule.steps.enumerated() { out += "    \(index + 1). \(step)\n" }
        out +=
            "  records: \(rule.count(.planned)) would convert, \(rule.count(.skipped)) skipped, "
            + "\(rule.count(.failed)) will fail"
        if rule.count(.unknown) > 0 { out += ", \(rule.count(.unknown)) awaiting confirmation" }
        if rule.excludedByRecheck > 0 {
            out += ", \(rule.excludedByRecheck) returned by the query but not matching on re-check"
        }
        out += "\n"
        let rows = rule.records.map { record in
            [record.recordID, clipped ? clip(record.name, 32) : record.name, decision(record), detail(record)]
        }
        let lines = tableLines(["ID", "NAME", "DECISION", "DETAIL"], rows, indent: "    ")
        if let heading = lines.first { out += heading }
        for (record, line) in zip(rule.records, lines.dropFirst()) {
            out += line
            for fact in facts(record) { out += "        \(fact)\n" }
        }
        if !rule.batches.isEmpty {
            let sizes = rule.batches.map(\.count)
            out += "  batches: \(rule.batches.count) (sizes \(sizes.map(String.init).joined(separator: ", ")))\n"
        }
        out += "  calls made while planning: \(callSummary(rule.callsMade))\n"
        if !rule.callsToCome.isEmpty {
            out += "  a run would add:\n"
            for call in rule.callsToCome {
                out +=
                    "    \(call.endpoint) × \(call.calls): \(call.credits) credit(s)"
                    + (call.assumedCost ? " (cost not documented by Zoho; 1 a call assumed)" : "") + "\n"
            }
        }
        out += "  OAuth scopes: \(rule.scopes.joined(separator: ","))\n"
        if let error = rule.error { out += "  stopped: rule \(rule.rule) (\(rule.file):\(rule.line)): \(error)\n" }
        return out
    }

    /// What a reviewer approves for one record, one line each: why it will fail, the values `update` writes, the
    /// fields of the record to be created, the records a lead merges into, the tags and the owner.
    static func facts(_ record: RecordOutcome) -> [String] {
        var lines: [String] = []
        if record.status == .failed {
            let code = record.zohoCode.map { " [\($0)]" } ?? ""
            lines.append("will fail: \(record.reason ?? "Zoho will refuse it")\(code)")
        }
        if !record.writes.isEmpty { lines.append("update writes: " + assignments(record.writes)) }
        if !record.fields.isEmpty { lines.append("creates with: " + assignments(record.fields)) }
        if !record.merges.isEmpty {
            lines.append("merges into: " + record.merges.map(mergeTarget).joined(separator: "; "))
        }
        if !record.tags.isEmpty { lines.append("tags: " + record.tags.joined(separator: ", ")) }
        if let owner = record.owner { lines.append("owner: \(owner)") }
        return lines
    }

    private static func assignments(_ values: [String: String]) -> String {
        values.keys.sorted().map { "\($0) = \(values[$0] ?? "")" }.joined(separator: "; ")
    }

    private static func mergeTarget(_ target: MergeTarget) -> String {
        let kind = target.module.hasSuffix("s") ? String(target.module.dropLast()) : target.module
        let email = target.email.map { " <\($0)>" } ?? ""
        return "\(kind) \(target.name)\(email) (\(target.id))"
    }

    /// Every line of `text` cut to `width` columns, the cut marked with `…`.
    static func cut(_ text: String, to width: Int) -> String {
        let width = max(width, 20)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.count <= width ? String(line) : String(line.prefix(width - 1)) + "…"
        }.joined(separator: "\n")
    }

    /// The header (where the run wrote), the end-of-run table, then every failure and unknown outcome with Zoho's
    /// code.
    public static func summary(_ report: RunReport, stateDirectory: String) -> String {
        var rows: [[String]] = []
        for rule in report.rules {
            rows.append([
                rule.rule, rule.target, String(rule.count(.converted)), String(rule.count(.skipped)),
                String(rule.count(.failed)), String(rule.count(.unknown)), rule.error == nil ? "" : "stopped",
            ])
        }
        var out = report.target == nil ? "" : header(report.target) + "\n"
        out += table(["RULE", "TO", "CONVERTED", "SKIPPED", "FAILED", "UNKNOWN", ""], rows, indent: "")
        let problems = report.rules.flatMap { rule in
            rule.records.filter { $0.status == .failed || $0.status == .unknown || $0.followUpFailed }.map {
                (rule.rule, $0)
            }
        }
        if !problems.isEmpty {
            out += "\nneeds attention:\n"
            out += table(
                ["RULE", "RECORD", "NAME", "STATUS", "CODE", "DETAIL"],
                problems.map { rule, record in
                    [
                        rule, record.recordID, clip(record.name, 28), record.status.rawValue, record.zohoCode ?? "",
                        clip(record.reason ?? record.notes.joined(separator: "; "), 80),
                    ]
                },
                indent: "  "
            )
        }
        for rule in report.rules {
            let reconciled = rule.records.count {
                $0.status == .converted && $0.notes.contains("converted by reconciliation")
            }
            if reconciled > 0 {
                out +=
                    "\nrule \(rule.rule): \(reconciled) of the converted were converted by an earlier run that stopped "
                out += "before confirming them; reconciliation found them\n"
            }
            if let error = rule.error { out += "\nrule \(rule.rule) (\(rule.file):\(rule.line)) stopped: \(error)\n" }
        }
        out += "\nrun \(report.runID): \(report.summary.converted) converted, \(report.summary.skipped) skipped, "
        out += "\(report.summary.failed) failed, \(report.summary.unknown) unknown\n"
        out += "details: zrules audit --state \(stateDirectory) --run \(report.runID)\n"
        return out
    }

    /// The report as pretty JSON with sorted keys and ISO-8601 dates.
    public static func json(_ report: RunReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(report) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func decision(_ record: RecordOutcome) -> String {
        switch record.status {
        case .planned: "convert" + (record.method.map { " (\($0))" } ?? "")
        case .skipped: "skip"
        case .failed: "will fail"
        case .unknown: "wait"
        case .converted: "converted"
        }
    }

    /// Why it was skipped or what it is waiting for; for a record that will convert or fail (its reason is on
    /// its own line), the values of the fields the rule tests.
    private static func detail(_ record: RecordOutcome) -> String {
        var parts: [String] = []
        if record.status != .failed {
            if let reason = record.reason { parts.append(reason) }
            if let code = record.zohoCode { parts.append(code) }
        }
        parts += record.notes
        if parts.isEmpty {
            parts = record.tested.keys.sorted().map { "\($0)=\(record.tested[$0] ?? "")" }
        }
        return parts.joined(separator: "; ")
    }

    private static func callSummary(_ calls: [CallEstimate]) -> String {
        guard !calls.isEmpty else { return "none" }
        let count = calls.reduce(0) { $0 + $1.calls }
        let credits = calls.reduce(0) { $0 + $1.credits }
        return "\(count) (\(credits) credit(s)): "
            + calls.map { "\($0.endpoint) × \($0.calls)" }.joined(separator: ", ")
    }

    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    static func table(_ header: [String], _ rows: [[String]], indent: String) -> String {
        tableLines(header, rows, indent: indent).joined()
    }

    /// The header line, then one line per row (each ending in a newline), columns padded; none without rows.
    static func tableLines(_ header: [String], _ rows: [[String]], indent: String) -> [String] {
        guard !rows.isEmpty else { return [] }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            var text = indent + padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }
        return [line(header)] + rows.map(line)
    }
}
