import Testing
import ZohoCRM

struct QueryEscapingTests {
    @Test(arguments: [
        ("Boyle", "'Boyle'"),
        ("O'Brien", "'O''Brien'"),
        (#"C:\temp"#, #"'C:\\temp'"#),
        (#"a\'b"#, #"'a\\''b'"#),
        ("''", "''''''"),
        ("", "''"),
        ("Zürich – 東京", "'Zürich – 東京'"),
    ])
    func coqlQuoteEscapesBackslashAndApostrophe(input: String, expected: String) throws {
        #expect(try COQL.quote(input) == expected)
    }

    @Test func coqlQuoteRefusesControlCharacters() {
        let error = #expect(throws: ZohoError.self) { try COQL.quote("a\nor id is not null") }
        #expect(error?.code == .invalidArgument)
    }

    @Test func coqlListQuotesEveryValue() throws {
        #expect(try COQL.list(["1", "O'Hara"]) == "('1', 'O''Hara')")
    }

    @Test(arguments: [
        ("Burns,B", #"Burns\,B"#),
        ("(a)", #"\(a\)"#),
        (#"ends\"#, #"ends\\"#),
        (#"x\,y"#, #"x\\\,y"#),
        ("plain text", "plain text"),
    ])
    func searchValuesEscapeParenthesesCommasAndBackslashes(input: String, expected: String) {
        #expect(SearchCriteria.escape(input) == expected)
    }

    @Test func criteriaRenderNestedGroupsAndMultiValueOperators() throws {
        let criteria = SearchCriteria.and([
            .field("Last_Name", .equals, "Burns,B"),
            .or([
                .condition(field: "Lead_Source", op: .in, values: ["Web", "Ads (paid)"]),
                .condition(
                    field: "Created_Time",
                    op: .between,
                    values: ["2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00"]
                ),
            ]),
        ])
        #expect(
            try criteria.rendered()
                == #"((Last_Name:equals:Burns\,B)and((Lead_Source:in:Web,Ads \(paid\))or(Created_Time:between:2026-01-01T00:00:00+00:00,2026-02-01T00:00:00+00:00)))"#
        )
    }

    @Test func criteriaRefuseMoreThanTenConditions() {
        let many = SearchCriteria.and((0..<11).map { .field("F\($0)", .equals, "x") })
        let error = #expect(throws: ZohoError.self) { try many.rendered() }
        #expect(error?.code == .invalidArgument)
        #expect((try? SearchCriteria.and((0..<10).map { .field("F\($0)", .equals, "x") }).rendered()) != nil)
    }

    @Test(arguments: [
        SearchCriteria.condition(field: "A", op: .between, values: ["1"]),
        SearchCriteria.condition(field: "A", op: .equals, values: ["1", "2"]),
        SearchCriteria.condition(field: "A:equals:x)or(B", op: .equals, values: ["1"]),
        SearchCriteria.and([]),
    ])
    func malformedCriteriaAreRefused(criteria: SearchCriteria) {
        #expect(throws: ZohoError.self) { try criteria.rendered() }
    }
}
