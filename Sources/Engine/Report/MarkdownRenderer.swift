import Foundation

/// Renders a plan as a GitHub pull-request comment: the header, a summary table, and each rule's records folded in
/// `<details>`, will-fail records first (they are what a reviewer must act on).
public enum MarkdownRenderer {
    /// The plan as GitHub-flavoured Markdown.
    public static func plan(_ report: RunReport) -> String {
        var out = "### zrules plan\n\n"
        if let target = report.target { out += header(target) + "\n\n" }
        let planned = report.records.count { $0.status == .planned }
        let failing = report.records.count { $0.status == .failed }
        let credits = report.rules.flatMap(\.callsToCome).reduce(0) { $0 + $1.credits }
        out +=
            "**\(planned) record(s) would convert, \(failing) will fail** across \(report.rules.count) rule(s); "
            + "a run would spend about \(credits) API credit(s). Nothing was written to the CRM.\n\n"
        out += "| Rule | Would convert | Will fail | Skipped |\n|---|---:|---:|---:|\n"
        for rule in report.rules {
            let failed = rule.error == nil ? String(rule.count(.failed)) : "\(rule.count(.failed)) (rule: cannot plan)"
            out += "| `\(cell(rule.rule))` | \(rule.count(.planned)) | \(failed) | \(rule.count(.skipped)) |\n"
        }
        for rule in report.rules { out += "\n" + details(rule) }
        return out
    }

    private static func header(_ target: PlanTarget) -> String {
        var org = target.orgName.map { "**\(cell($0))**" } ?? "an unnamed org"
        if let id = target.orgID { org += " (`\(id)`)" }
        return "> **\(target.environment)** · \(org) · data centre `\(target.dataCentre)` · `\(target.apiHost)` · "
            + "API \(target.apiVersion) · edition \(target.edition)"
    }

    private static func details(_ rule: RuleReport) -> String {
        var summary = "<code>\(html(rule.rule))</code>: \(html(rule.module)) → \(html(rule.target))"
        summary += rule.method.isEmpty ? "" : " (\(html(rule.method)))"
        summary += ", \(rule.count(.planned)) would convert, \(rule.count(.failed)) will fail"
        var out = "<details><summary>\(summary)</summary>\n\n"
        out += "`\(rule.file):\(rule.line)`"
        if !rule.methodReason.isEmpty { out += ": \(cell(rule.methodReason))" }
        out += "\n\n"
        if let error = rule.error { out += "**Cannot plan:** \(cell(error))\n\n" }
        if !rule.query.isEmpty { out += "Query: `\(rule.query.replacingOccurrences(of: "`", with: "'"))`\n\n" }
        let order: [RecordOutcome.Status] = [.failed, .unknown, .planned, .converted, .skipped]
        let records = rule.records.sorted { left, right in
            let (l, r) = (order.firstIndex(of: left.status) ?? 0, order.firstIndex(of: right.status) ?? 0)
            return l == r ? left.recordID < right.recordID : l < r
        }
        if !records.isEmpty {
            out += "| Record | Name | Decision | Detail |\n|---|---|---|---|\n"
            for record in records {
                out += "| `\(record.recordID)` | \(cell(record.name)) | \(decision(record)) | \(detail(record)) |\n"
            }
            out += "\n"
        }
        if !rule.batches.isEmpty {
            out += "Batches: \(rule.batches.map { String($0.count) }.joined(separator: ", "))\n\n"
        }
        if !rule.scopes.isEmpty { out += "OAuth scopes: `\(rule.scopes.joined(separator: ","))`\n\n" }
        return out + "</details>\n"
    }

    private static func decision(_ record: RecordOutcome) -> String {
        switch record.status {
        case .planned: "convert" + (record.method.map { " (\($0))" } ?? "")
        case .failed: "**will fail**"
        case .skipped: "skip"
        case .unknown: "wait (unconfirmed)"
        case .converted: "converted"
        }
    }

    private static func detail(_ record: RecordOutcome) -> String {
        var parts: [String] = []
        if let reason = record.reason { parts.append(reason) }
        if let code = record.zohoCode { parts.append(code) }
        for (field, value) in record.fields.sorted(by: { $0.key < $1.key }) { parts.append("\(field): \(value)") }
        for (field, value) in record.writes.sorted(by: { $0.key < $1.key }) { parts.append("set \(field) = \(value)") }
        if !record.tags.isEmpty { parts.append("tags: " + record.tags.joined(separator: ", ")) }
        if let owner = record.owner { parts.append("owner: \(owner)") }
        for merge in record.merges {
            parts.append("merge into \(merge.module) \(merge.name)" + (merge.email.map { ", \($0)" } ?? ""))
        }
        parts += record.notes
        return parts.map(cell).joined(separator: "<br>")
    }

    /// Text safe inside a table cell: no pipes or line breaks, no HTML.
    static func cell(_ text: String) -> String {
        html(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    private static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
