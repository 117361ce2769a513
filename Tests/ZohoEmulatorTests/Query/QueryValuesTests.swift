import Testing

@testable import ZohoEmulator

@Suite("Query values")
struct QueryValuesTests {
    @Test(
        arguments: [
            ("1970-01-01", 0, nil),
            ("2000-02-29", 11_016, nil),
            ("2026-11-23", 20_780, nil),
            ("1969-12-31", -1, nil),
            ("1970-01-01T00:00:00Z", 0, 0),
            ("1970-01-01T05:30:00+05:30", 0, 0),
            ("1970-01-01T00:00:00-01:00", 0, 3600),
            ("1970-01-02 00:00:01+0000", 1, 86_401),
            ("2026-03-15T18:45:00.250-05:00", 20_527, 1_773_618_300),
            ("2026-03-15T18:45", 20_527, 1_773_600_300),
        ] as [(String, Int, Int64?)]
    )
    func timesParse(_ text: String, _ day: Int, _ instant: Int64?) throws {
        let time = try #require(QueryTime(text: text))
        #expect(time.day == day)
        #expect(time.instant == instant)
    }

    @Test(arguments: [
        "", "2026", "2026-13-01", "2026-02-29", "1900-02-29", "2026-04-31", "26-01-01", "2026-01-01T",
        "2026-01-01T24:00",
        "2026-01-01T10:60", "2026-01-01T10:00:00+15:00", "2026-01-01T10:00:00Q", "2026-01-01T10:00:00.Z", "12/04/1980",
    ])
    func malformedTimesAreRejected(_ text: String) {
        #expect(QueryTime(text: text) == nil)
    }

    @Test(
        arguments: [
            ("12", 12, 12.0),
            ("-3", -3, -3.0),
            ("5725767000000400001", 5_725_767_000_000_400_001, 5.725767e18),
            (" 7 ", 7, 7.0),
        ] as [(String, Int64, Double)]
    )
    func integersStayExact(_ text: String, _ integer: Int64, _ approximate: Double) throws {
        let number = try #require(QueryNumber(text: text))
        #expect(number.integer == integer)
        #expect(abs(number.double - approximate) <= abs(approximate) * 1e-6)
    }

    @Test func nineteenDigitIdsCompareExactly() throws {
        // As doubles these two ids are the same number; as integers they are neighbours.
        let a = try #require(QueryNumber(text: "5725767000000400001"))
        let b = try #require(QueryNumber(text: "5725767000000400002"))
        #expect(a.double == b.double)
        #expect(a < b)
        #expect(a != b)
    }

    @Test(arguments: ["", "abc", "0x10", "nan", "inf", "1,5", "1e400"])
    func nonNumbersAreRejected(_ text: String) {
        #expect(QueryNumber(text: text) == nil)
    }

    @Test func decimalsCompareAsDoubles() throws {
        let a = try #require(QueryNumber(text: "2.5"))
        let b = try #require(QueryNumber(.int(2)))
        #expect(b < a)
        #expect(QueryNumber(.double(2.0)) == b)
        #expect(QueryNumber(.bool(true)) == nil)
    }

    @Test(
        arguments: [
            (JSONValue.null, true), ("", true), ([], true), (" ", false), (0, false), (false, false), ([:], false),
        ] as [(JSONValue, Bool)]
    )
    func emptyFieldValues(_ value: JSONValue, _ empty: Bool) {
        #expect(value.isEmptyFieldValue == empty)
    }

    @Test func lookupIdsComeFromObjectsOrBareIds() {
        #expect(JSONValue(dictionaryLiteral: ("id", "12"), ("name", "Zylker")).lookupID == "12")
        #expect(JSONValue.string("34").lookupID == "34")
        #expect(JSONValue.int(56).lookupID == "56")
        #expect(JSONValue.string("").lookupID == nil)
        #expect(JSONValue.null.lookupID == nil)
    }

    @Test func multiselectValuesFromArraysOrSemicolonText() {
        #expect(JSONValue.array(["English", "German"]).multiselectValues == ["English", "German"])
        #expect(JSONValue.string("English; German").multiselectValues == ["English", "German"])
    }

    @Test func recordFieldsResolveIgnoringCaseOnlyWhenTheExactKeyIsMissing() {
        let record: EmulatorRecord = ["Last_Name": "Boyle", "last_name": "other"]
        #expect(record.queryField("Last_Name") == "Boyle")
        #expect(record.queryField("last_name") == "other")
        #expect((["Email": "a@b.c"] as EmulatorRecord).queryField("EMAIL") == "a@b.c")
        #expect((["Email": "a@b.c"] as EmulatorRecord).queryField("Phone") == .null)
    }
}
