import Foundation
import RuleKit
import Testing

/// The shared Zoho facts and small helpers that lint, the compiler and the state store all use.
@Suite struct ZohoFactsTests {
    @Test func inventoryConversionsAreZohosThreeAndOnlyQuoteToInvoiceLacksABackLink() {
        let pairs = ZohoFacts.inventoryConversions.map { "\($0.source)→\($0.target)" }
        #expect(pairs == ["Quotes→Sales_Orders", "Quotes→Invoices", "Sales_Orders→Invoices"])
        #expect(ZohoFacts.inventoryConversions.filter { $0.backLinkField == nil }.map(\.target) == ["Invoices"])
    }

    @Test func lintRefusesAPairOutsideTheList() {
        let result = Linter.lint(
            text: """
                version: 1
                rules:
                  - name: back
                    when: { module: Sales_Orders }
                    do: [{ convert: { to: Quotes } }]
                """,
            file: "rules/back.yaml"
        )
        #expect(result.diagnostics.contains { $0.message.contains("use Invoices") })
    }

    @Test func numericFieldTypesAreTheSixZohoNumberTypes() {
        #expect(ZohoFacts.numericFieldTypes == ["integer", "bigint", "double", "currency", "decimal", "percent"])
        #expect(!ZohoFacts.numericFieldTypes.contains("formula"))
    }

    @Test(arguments: [
        (0, "1970-01-01"), (-1, "1969-12-31"), (59, "1970-03-01"), (11_016, "2000-02-29"), (20_513, "2026-03-01"),
        (-719_468, "0000-03-01"),
    ])
    func civilDaysRoundTrip(days: Int, text: String) {
        let civil = Day.civil(fromDays: days)
        let shown = String(format: "%04d-%02d-%02d", civil.year, civil.month, civil.day)
        #expect(shown == text)
        if let day = Day(parsing: text) { #expect(day.daysSince1970 == days) }
    }

    @Test func addingDaysCrossesMonthsYearsAndLeapDays() throws {
        let day = try #require(Day(parsing: "2024-02-28"))
        #expect(day.adding(days: 1).description == "2024-02-29")
        #expect(day.adding(days: 2).description == "2024-03-01")
        #expect(day.adding(days: -59).description == "2023-12-31")
        #expect(day.adding(days: 366).description == "2025-02-28")
    }

    @Test func jsonQuoteKeepsEveryValueOnOneLine() {
        #expect(JSONText.quote("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONText.quote("x\ny\r\t") == #""x\ny\r\t""#)
        #expect(JSONText.quote("\u{1}\u{7F}\u{2028}\u{2029}") == #""\u0001\u007f\u2028\u2029""#)
        #expect(JSONText.quote("é€") == "\"é€\"")
    }
}
