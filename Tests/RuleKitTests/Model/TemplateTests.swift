import Foundation
import RuleKit
import Testing

@Suite struct TemplateTests {
    let utc = TimeZone.named("UTC")
    let kolkata = TimeZone.named("Asia/Kolkata")
    let now = Date(timeIntervalSince1970: 1_795_426_200)  // 2026-11-23T09:30:00Z
    let record = ["Company": "Zylker", "Last_Name": "Smith", "Blank": "  ", "Valid_Till": "2026-12-01"]

    func render(_ source: String, timeZone: TimeZone? = nil) throws -> String {
        try Template(parsing: source).render(field: { record[$0] }, now: now, timeZone: timeZone ?? utc)
    }

    @Test(arguments: [
        ("{{ Company }} — {{ Last_Name }}", "Zylker — Smith"),
        ("{{Company|upper}}", "ZYLKER"),
        ("{{ Company | lower }}", "zylker"),
        ("{{ Blank | trim | default(\"n/a\") }}", "n/a"),
        ("{{ Missing | default(\"none\") }}", "none"),
        ("{{ today + 30d }}", "2026-12-23"),
        ("{{ today }}", "2026-11-23"),
        ("{{ now }}", "2026-11-23T09:30:00+00:00"),
        ("{{ Valid_Till | date(\"dd.MM.yyyy\") }}", "01.12.2026"),
        ("{{ now | date(\"yyyy-MM-dd HH:mm\") }}", "2026-11-23 09:30"),
        ("{{ \"literal\" | upper }}", "LITERAL"),
        ("plain text", "plain text"),
    ])
    func renders(_ source: String, _ expected: String) throws {
        #expect(try render(source) == expected)
    }

    @Test func nowRendersInTheTimeZoneWithItsOffset() throws {
        #expect(try render("{{ now }}", timeZone: kolkata) == "2026-11-23T15:00:00+05:30")
    }

    @Test func listsTheFieldsItReads() throws {
        let template = try Template(parsing: "{{ Company }} {{ today }} {{ Last_Name | upper }} {{ Company }}")
        #expect(template.fields == ["Company", "Last_Name"])
    }

    @Test(arguments: [
        ("{{ Company", 1), ("Deal {{ Company | shout }}", 19), ("{{ }}", 4), ("x }}", 3),
        ("{{ Company | default }}", 14), ("{{ today - 3h }}", 4), ("{{ Valid_Till | date(\"YYYY\") }}", 17),
    ])
    func reportsSyntaxErrorsWithTheirColumn(_ source: String, _ column: Int) {
        #expect {
            _ = try Template(parsing: source)
        } throws: { error in
            (error as? RuleKitError)?.code == .templateSyntax && (error as? RuleKitError)?.column == column
        }
    }

    @Test func aMissingFieldWithoutDefaultIsAnErrorNotAnEmptyString() {
        #expect {
            _ = try render("{{ Company }} — {{ Missing }}")
        } throws: { error in
            (error as? RuleKitError)?.code == .templateValue && "\(error)".contains("Missing")
        }
    }
}
