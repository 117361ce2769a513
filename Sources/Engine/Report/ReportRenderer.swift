public import Foundation

/// Renders plans and run summaries as text for people and JSON for tools.
public enum ReportRenderer {
    /// The dry-run, rule by rule: pipeline, query, records and what would happen to each, calls, credits, scopes.
    public static func plan(_ report: RunReport) -> String {
        var out = "zrules plan: \(report.rules.count) rule(s), dry-run (nothing is written to the CRM)\n"
        for rule in report.rules {
            out += "\nrule \(rule.rule)  (\(rule.file):\(rule.line))\n"
            if let error = rule.error, rule.query.isEmpty {
                out += "  cannot plan: \(error)\n"
                continue
            }
            out += "  \(rule.module) → \(rule.target): \(rule.methodReason)\n"
            out += "  query: \(rule.query)\n"
            if !rule.localOnly.isEmpty {
                out += "  checked on our side only: \(rule.localOnly.joined(separator: "; "))\n"
            }
            out += "  steps:\n"
            for (index, step) in rule.steps.enumerated() { out += "    \(index + 1). \(step)\n" }
            let planned = rule.count(.planned)
            out +=
                "  records: \(planned) would convert, \(rule.count(.skipped)) skipped, \(rule.count(.failed)) refused"
            if rule.count(.unknown) > 0 { out += ", \(rule.count(.unknown)) awaiting confirmation" }
            if rule.excludedByRecheck > 0 {
                out += ", \(rule.excludedByRecheck) returned by the query but not matching on re-check"
            }
            out += "\n"
            out += table(
                ["ID", "NAME", "DECISION", "DETAIL"],
                rule.records.map { record in
                    [record.recordID, clip(record.name, 32), decision(record), detail(record)]
                },
                indent: "    "
            )
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
            if let error = rule.error { out += "  stopped: \(error)\n" }
        }
        let planned = report.records.count { $0.status == .planned }
        let credits = report.rules.flatMap(\.callsToCome).reduce(0) { $0 + $1.credits }
        out +=
            "\ntotal: \(planned) record(s) would convert, \(report.records.count { $0.status == .skipped }) skipped; "
        out += "a run would spend about \(credits) API credit(s)\n"
        return out
    }

    /// The end-of-run table, then every failure and unknown outcome with Zoho's code.
    public static func summary(_ report: RunReport, stateDirectory: String) -> String {
        var rows: [[String]] = []
        for rule in report.rules {
            rows.append([
                rule.rule, rule.target, String(rule.count(.converted)), String(rule.count(.skipped)),
                String(rule.count(.failed)), String(rule.count(.unknown)), rule.error == nil ? "" : "stopped",
            ])
        }
        var out = table(["RULE", "TO", "CONVERTED", "SKIPPED", "FAILED", "UNKNOWN", ""], rows, indent: "")
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
            if let error = rule.error { out += "\nrule \(rule.rule) stopped: \(error)\n" }
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
        case .failed: "refused"
        case .unknown: "wait"
        case .converted: "converted"
        }
    }

    private static func detail(_ record: RecordOutcome) -> String {
        var parts: [String] = []
        if let reason = record.reason { parts.append(reason) }
        if let code = record.zohoCode { parts.append(code) }
        parts += record.notes
        if parts.isEmpty {
            parts = record.tested.keys.sorted().map { "\($0)=\(record.tested[$0] ?? "")" }
        }
        return clip(parts.joined(separator: "; "), 100)
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
        guard !rows.isEmpty else { return "" }
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
        return line(header) + rows.map(line).joined()
    }
}
