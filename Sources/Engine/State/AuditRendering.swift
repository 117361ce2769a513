import Foundation
import RuleKit

/// How `zrules audit` prints events.
public enum AuditFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal; details shortened to one line.
    case table
    /// One JSON object per line, every field, for `jq` and log shippers.
    case jsonl
    /// RFC 4180 CSV with a header row, every field, for spreadsheets.
    case csv
}

/// Renders audit events (already in the order to print) in the given format; the result ends with a newline
/// unless it is empty.
public func renderAudit(_ events: [AuditEvent], format: AuditFormat) -> String {
    switch format {
    case .table: AuditTable.render(events)
    case .jsonl: events.map(AuditJSONLines.line).joined()
    case .csv: AuditCSV.render(events)
    }
}

/// The field names used as JSON keys and CSV headers, in output order.
private let auditFieldNames = [
    "id", "time", "run_id", "rule", "rule_file", "rule_line", "record_id", "module", "step", "outcome", "detail",
    "zoho_code", "job_id", "child_id", "dry_run",
]

private enum AuditTable {
    static let headers = [
        "TIME", "RUN", "RULE", "AT", "RECORD", "STEP", "OUTCOME", "CODE", "JOB", "CHILD", "DRY", "DETAIL",
    ]
    static let detailWidth = 60

    static func render(_ events: [AuditEvent]) -> String {
        guard !events.isEmpty else { return "no audit events\n" }
        let rows = [headers] + events.map(cells)
        var widths = [Int](repeating: 0, count: headers.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var output = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                if index == row.count - 1 {
                    line += cell
                } else {
                    line += cell + String(repeating: " ", count: widths[index] - cell.count + 2)
                }
            }
            // A short last cell would otherwise leave the padding of the column before it.
            while line.last == " " { line.removeLast() }
            output += line + "\n"
        }
        return output
    }

    static func cells(_ event: AuditEvent) -> [String] {
        [
            TimeFormat.iso(event.time, milliseconds: false),
            event.runID,
            event.rule,
            "\(event.ruleFile):\(event.ruleLine)",
            event.recordID ?? "-",
            event.step,
            event.outcome,
            event.zohoCode ?? "-",
            event.jobID ?? "-",
            event.childID ?? "-",
            event.dryRun ? "yes" : "no",
            event.detail.map(shorten) ?? "-",
        ].map(oneLine)
    }

    /// Control characters (newlines, tabs, escapes) would break the columns or drive the terminal.
    static func oneLine(_ text: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in text {
            let isControl = character.unicodeScalars.contains { $0.properties.generalCategory == .control }
            if isControl || character == " " {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
            } else {
                result.append(character)
                lastWasSpace = false
            }
        }
        return result.isEmpty ? "-" : result
    }

    static func shorten(_ text: String) -> String {
        let flat = oneLine(text)
        return flat.count <= detailWidth ? flat : String(flat.prefix(detailWidth - 1)) + "…"
    }
}

private enum AuditJSONLines {
    static func line(_ event: AuditEvent) -> String {
        let values: [String] = [
            event.id.map { String($0) } ?? "null",
            string(TimeFormat.iso(event.time, milliseconds: true)),
            string(event.runID),
            string(event.rule),
            string(event.ruleFile),
            String(event.ruleLine),
            event.recordID.map(string) ?? "null",
            event.module.map(string) ?? "null",
            string(event.step),
            string(event.outcome),
            event.detail.map(string) ?? "null",
            event.zohoCode.map(string) ?? "null",
            event.jobID.map(string) ?? "null",
            event.childID.map(string) ?? "null",
            event.dryRun ? "true" : "false",
        ]
        let members = zip(auditFieldNames, values).map { "\"\($0)\":\($1)" }
        return "{" + members.joined(separator: ",") + "}\n"
    }

    /// A JSON string literal that keeps a line one line (RuleKit's one escaper).
    static func string(_ text: String) -> String { JSONText.quote(text) }
}

private enum AuditCSV {
    static func render(_ events: [AuditEvent]) -> String {
        var output = auditFieldNames.joined(separator: ",") + "\r\n"
        for event in events {
            let values: [String] = [
                event.id.map { String($0) } ?? "",
                TimeFormat.iso(event.time, milliseconds: true),
                event.runID,
                event.rule,
                event.ruleFile,
                String(event.ruleLine),
                event.recordID ?? "",
                event.module ?? "",
                event.step,
                event.outcome,
                event.detail ?? "",
                event.zohoCode ?? "",
                event.jobID ?? "",
                event.childID ?? "",
                event.dryRun ? "true" : "false",
            ]
            output += values.map(field).joined(separator: ",") + "\r\n"
        }
        return output
    }

    /// Quotes a field when it holds a comma, quote or line break (RFC 4180), doubling inner quotes.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
