import Foundation
import RuleKit
import Testing

@Suite struct EvaluationTests {
    let berlin = TimeZone.named("Europe/Berlin")
    // 2026-11-23T09:30:00Z = 10:30 in Berlin.
    let now = Date(timeIntervalSince1970: 1_795_426_200)

    func condition(_ yaml: String) throws -> Condition {
        let text = """
            version: 1
            rules:
              - name: probe
                when:
                  module: Quotes
                  where: \(yaml)
                do: [{ tag: [x] }]
            """
        let result = Linter.lint(text: text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        return try #require(result.ruleSet.rules.first?.condition)
    }

    func evaluate(_ yaml: String, _ record: [String: RecordValue]) throws -> Bool {
        try condition(yaml).evaluate({ record[$0] ?? .null }, now: now, timeZone: berlin)
    }

    @Test(arguments: [
        ("{ Quote_Stage: Accepted }", true),
        ("{ Quote_Stage: accepted }", false),
        ("{ Quote_Stage: { ne: Accepted } }", false),
        ("{ Quote_Stage: { in: [Draft, Accepted] } }", true),
        ("{ Quote_Stage: { not_in: [Draft, Accepted] } }", false),
        ("{ Grand_Total: { gt: 99.5 } }", true),
        ("{ Grand_Total: { gt: 100 } }", false),
        ("{ Grand_Total: { gte: 100 } }", true),
        ("{ Grand_Total: { between: [50, 100] } }", true),
        ("{ Grand_Total: { between: [101, 200] } }", false),
        ("{ Subject: { starts_with: Q- } }", true),
        ("{ Subject: { contains: Acme } }", true),
        ("{ Subject: { contains: acme } }", false),
        ("{ Tag: { contains: vip } }", true),
        ("{ Tag: vip }", true),
        ("{ Tag: { contains: vi } }", false),
        ("{ Description: { is_null: true } }", true),
        ("{ Description: { is_null: false } }", false),
        ("{ Subject: { is_null: true } }", false),
        ("{ Account_Name: Acme GmbH }", true),
        ("{ Account_Name: \"4150868000000300001\" }", true),
        ("{ Valid_Till: { gte: today } }", true),
        ("{ Valid_Till: { gt: today+7d } }", false),
        ("{ Valid_Till: { lte: 2026-11-30 } }", true),
        ("{ Valid_Till: { lt: 2026-11-30 } }", false),
        ("{ Created_Time: { gte: now-2h } }", true),
        ("{ Created_Time: { gte: now-1h } }", false),
        ("{ Created_Time: { eq: today } }", true),
        ("{ Email_Opt_Out: false }", true),
        ("{ any: [{ Quote_Stage: Draft }, { Grand_Total: { lt: 0 } }] }", false),
        ("{ any: [{ Quote_Stage: Draft }, { Grand_Total: 100 }] }", true),
        ("{ not: { Quote_Stage: Draft } }", true),
        ("{ all: [{ Quote_Stage: Accepted }, { not: { Tag: { contains: vip } } }] }", false),
    ])
    func evaluatesAgainstARecord(_ yaml: String, _ expected: Bool) throws {
        let record: [String: RecordValue] = [
            "Quote_Stage": .string("Accepted"),
            "Grand_Total": .number(100),
            "Subject": .string("Q-1001 Acme renewal"),
            "Tag": .list(["vip", "2026"]),
            "Account_Name": .lookup(id: "4150868000000300001", name: "Acme GmbH"),
            "Valid_Till": .string("2026-11-30"),
            // 07:45Z, 1h45m before now, and the same Berlin day.
            "Created_Time": .string("2026-11-23T08:45:00+01:00"),
            "Email_Opt_Out": .bool(false),
        ]
        #expect(try evaluate(yaml, record) == expected)
    }

    @Test func numbersGivenAsTextCompareNumerically() throws {
        #expect(try evaluate("{ Grand_Total: { gt: 9 } }", ["Grand_Total": .string("10.00")]))
    }

    @Test func missingValuesSatisfyOnlyIsNullNeAndNotIn() throws {
        #expect(try !evaluate("{ Grand_Total: { gt: 0 } }", [:]))
        #expect(try !evaluate("{ Quote_Stage: Accepted }", [:]))
        #expect(try evaluate("{ Quote_Stage: { ne: Accepted } }", [:]))
        #expect(try evaluate("{ Quote_Stage: { not_in: [Accepted] } }", [:]))
        #expect(try evaluate("{ Quote_Stage: { is_null: true } }", [:]))
    }

    @Test func todayIsTheDayInTheRulesTimeZone() throws {
        // 23:30Z on the 22nd is already the 23rd in Berlin.
        let late = Date(timeIntervalSince1970: 1_795_390_200)
        let condition = try condition("{ Valid_Till: { eq: today } }")
        #expect(condition.evaluate({ _ in .string("2026-11-23") }, now: late, timeZone: berlin))
        #expect(!condition.evaluate({ _ in .string("2026-11-23") }, now: late, timeZone: TimeZone.named("UTC")))
    }
}

@Suite struct RelativeDateTests {
    let utc = TimeZone.named("UTC")
    let now = Date(timeIntervalSince1970: 1_795_426_200)  // 2026-11-23T09:30:00Z

    @Test(arguments: [
        ("today", "2026-11-23"), ("today-7d", "2026-11-16"), ("today + 30d", "2026-12-23"), ("today-1w", "2026-11-16"),
        ("now", "2026-11-23T09:30:00+00:00"), ("now-2h", "2026-11-23T07:30:00+00:00"),
        ("now+90m", "2026-11-23T11:00:00+00:00"),
    ])
    func resolves(_ text: String, _ expected: String) throws {
        let date = try RelativeDate(parsing: text)
        #expect(date.resolve(now: now, timeZone: utc).formatted(in: utc) == expected)
    }

    @Test(arguments: ["today-7x", "today-2h", "now-", "yesterday", "today+d", "now+1234567d"])
    func refuses(_ text: String) {
        #expect(throws: RuleKitError.self) { try RelativeDate(parsing: text) }
    }

    @Test(arguments: [
        ("today+9999999d", "out of range"), ("today+d", "needs a whole number"), ("now+5", "needs a unit"),
    ])
    func refusalsSayWhatIsWrong(_ text: String, _ expected: String) {
        #expect(throws: RuleKitError.self) { try RelativeDate(parsing: text) }
        do {
            _ = try RelativeDate(parsing: text)
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func daysCrossMonthsAndLeapYears() throws {
        #expect(try #require(Day(parsing: "2028-02-28")).adding(days: 1).description == "2028-02-29")
        #expect(try #require(Day(parsing: "2026-12-31")).adding(days: 1).description == "2027-01-01")
        #expect(Day(parsing: "2026-02-29") == nil)
        #expect(Day(parsing: "2026-1-01") == nil)
    }
}
