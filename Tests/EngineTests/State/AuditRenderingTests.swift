import Engine
import Foundation
import Testing

struct StateAuditRenderingTests {
    static let events: [AuditEvent] = [
        AuditEvent(
            id: 1,
            time: instant(0),
            runID: "20261123T091500Z-3f9a",
            rule: "invoice-accepted-quotes",
            ruleFile: "rules/quotes.yaml",
            ruleLine: 3,
            step: "select",
            outcome: "selected",
            detail: "2 records",
            dryRun: false
        ),
        AuditEvent(
            id: 2,
            time: Date(timeIntervalSince1970: instant(1).timeIntervalSince1970 + 0.25),
            runID: "20261123T091500Z-3f9a",
            rule: "invoice-accepted-quotes",
            ruleFile: "rules/quotes.yaml",
            ruleLine: 3,
            recordID: "4150868000000624001",
            module: "Quotes",
            step: "convert",
            outcome: "failed",
            detail: "{\"subject\":\"Acme, \\\"big\\\" deal\"}\nline two",
            zohoCode: "RECORD_LOCKED",
            jobID: "job-7",
            dryRun: true
        ),
    ]

    @Test func table() {
        let expected = """
            TIME                  RUN                    RULE                     AT                   RECORD               \
            STEP     OUTCOME   CODE           JOB    CHILD  DRY  DETAIL
            2026-11-23T09:15:00Z  20261123T091500Z-3f9a  invoice-accepted-quotes  rules/quotes.yaml:3  -                    \
            select   selected  -              -      -      no   2 records
            2026-11-23T09:15:01Z  20261123T091500Z-3f9a  invoice-accepted-quotes  rules/quotes.yaml:3  4150868000000624001  \
            convert  failed    RECORD_LOCKED  job-7  -      yes  {"subject":"Acme, \\"big\\" deal"} line two

            """
        #expect(renderAudit(Self.events, format: .table) == expected)
    }

    @Test func tableShortensLongDetails() {
        var long = Self.events[0]
        long.detail = String(repeating: "x", count: 100)
        let line = renderAudit([long], format: .table).split(separator: "\n")[1]
        #expect(line.hasSuffix(String(repeating: "x", count: 59) + "…"))
    }

    @Test func emptyTable() {
        #expect(renderAudit([], format: .table) == "no audit events\n")
        #expect(renderAudit([], format: .jsonl) == "")
    }

    @Test func jsonLinesOneObjectPerLine() throws {
        let expected = """
            {"id":1,"time":"2026-11-23T09:15:00.000Z","run_id":"20261123T091500Z-3f9a","rule":"invoice-accepted-quotes",\
            "rule_file":"rules/quotes.yaml","rule_line":3,"record_id":null,"module":null,"step":"select",\
            "outcome":"selected","detail":"2 records","zoho_code":null,"job_id":null,"child_id":null,"dry_run":false}
            {"id":2,"time":"2026-11-23T09:15:01.250Z","run_id":"20261123T091500Z-3f9a","rule":"invoice-accepted-quotes",\
            "rule_file":"rules/quotes.yaml","rule_line":3,"record_id":"4150868000000624001","module":"Quotes",\
            "step":"convert","outcome":"failed","detail":"{\\"subject\\":\\"Acme, \\\\\\"big\\\\\\" deal\\"}\\nline two",\
            "zoho_code":"RECORD_LOCKED","job_id":"job-7","child_id":null,"dry_run":true}

            """
        let output = renderAudit(Self.events, format: .jsonl)
        #expect(output == expected)
        // Every line parses on its own and round-trips the detail exactly.
        let lines = output.split(separator: "\n")
        #expect(lines.count == 2)
        let second = try #require(
            try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        )
        #expect(second["detail"] as? String == Self.events[1].detail)
        #expect(second["dry_run"] as? Bool == true)
    }

    @Test func jsonEscapesControlCharacters() throws {
        var odd = Self.events[0]
        odd.detail = "bell\u{07} tab\t cr\r"
        let line = renderAudit([odd], format: .jsonl)
        #expect(line.contains(#""detail":"bell\u0007 tab\t cr\r""#))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        )
        #expect(object["detail"] as? String == odd.detail)
    }

    @Test func csvQuotesCommasQuotesAndNewlines() {
        let expected =
            "id,time,run_id,rule,rule_file,rule_line,record_id,module,step,outcome,detail,zoho_code,job_id,child_id,"
            + "dry_run\r\n"
            + "1,2026-11-23T09:15:00.000Z,20261123T091500Z-3f9a,invoice-accepted-quotes,rules/quotes.yaml,3,,,select,"
            + "selected,2 records,,,,false\r\n"
            + "2,2026-11-23T09:15:01.250Z,20261123T091500Z-3f9a,invoice-accepted-quotes,rules/quotes.yaml,3,"
            + "4150868000000624001,Quotes,convert,failed,\"{\"\"subject\"\":\"\"Acme, \\\"\"big\\\"\" deal\"\"}\n"
            + "line two\",RECORD_LOCKED,job-7,,true\r\n"
        #expect(renderAudit(Self.events, format: .csv) == expected)
    }

    @Test func formatsByName() {
        #expect(AuditFormat.allCases.map(\.rawValue) == ["table", "jsonl", "csv"])
    }
}
