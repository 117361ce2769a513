import Engine
import Foundation
import RuleKit
import Testing

/// The selection query: a faithful superset of what the rule means, in COQL's own syntax.
struct QueryBuilderTests {
    struct Case: Sendable, CustomStringConvertible {
        let where_: String
        let query: String
        var description: String { where_ }
    }

    static let now = Date(timeIntervalSince1970: 1_795_435_200)  // 2026-11-23T12:00:00Z

    static func compile(_ whereYAML: String, types: [String: String] = [:]) throws -> Pipeline {
        let yaml = """
            version: 1
            rules:
              - name: probe
                when:
                  module: Quotes
                  where: \(whereYAML)
                do:
                  - convert: { to: Sales_Orders }
            """
        let lint = Linter.lint(text: yaml)
        let rule = try #require(lint.ruleSet.rules.first, "\(lint.diagnostics.map(\.message))")
        return try Compiler(now: now, timeZone: .gmt, fieldTypes: ["Quotes": types]).compile(rule)
    }

    @Test(arguments: [
        Case(where_: "{ Quote_Stage: Accepted }", query: "Quote_Stage = 'Accepted'"),
        Case(
            where_: "{ Quote_Stage: Accepted, Grand_Total: { gt: 0 }, Valid_Till: { gte: today } }",
            query: "((Quote_Stage = 'Accepted' and Grand_Total > 0) and Valid_Till >= '2026-11-23')"
        ),
        Case(where_: "{ Subject: \"O'Brien\" }", query: "Subject = 'O''Brien'"),
        Case(
            where_: "{ Quote_Stage: { in: [Accepted, Confirmed] } }",
            query: "Quote_Stage in ('Accepted', 'Confirmed')"
        ),
        Case(where_: "{ Quote_Stage: { ne: Draft } }", query: "(Quote_Stage != 'Draft' or Quote_Stage is null)"),
        Case(where_: "{ not: { Grand_Total: { gt: 10 } } }", query: "(Grand_Total <= 10 or Grand_Total is null)"),
        Case(where_: "{ Discount: { is_null: true } }", query: "Discount is null"),
        Case(where_: "{ Subject: { starts_with: Big } }", query: "Subject like 'Big%'"),
        Case(where_: "{ Grand_Total: { between: [10, 20] } }", query: "Grand_Total between 10 and 20"),
        Case(where_: "{ Synced: false }", query: "Synced = 'false'"),
        Case(where_: "{ not: { Synced: true } }", query: "Synced = 'false'"),
        Case(
            where_: "{ any: [{ Quote_Stage: Accepted }, { Grand_Total: { gt: 100 } }] }",
            query: "(Quote_Stage = 'Accepted' or Grand_Total > 100)"
        ),
    ])
    func translatesConditions(_ test: Case) throws {
        let pipeline = try Self.compile(test.where_)
        #expect(pipeline.selectQuery.contains("where \(test.query) order by id asc"), "\(pipeline.selectQuery)")
        #expect(pipeline.localOnly.isEmpty)
    }

    @Test func whatCOQLCannotSayIsLeftToTheRecheckAndWidensTheQuery() throws {
        // A day compared with a date-time field, and an `any` with such a member, go local; the rest stays.
        let pipeline = try Self.compile(
            "{ Quote_Stage: Accepted, Modified_Time: { gte: today-7d } }",
            types: ["Modified_Time": "datetime", "Quote_Stage": "picklist"]
        )
        #expect(pipeline.selectQuery.contains("where Quote_Stage = 'Accepted' order by"))
        #expect(pipeline.localOnly == ["Modified_Time gte today-7d"])
        let anyPipeline = try Self.compile(
            "{ any: [{ Quote_Stage: Accepted }, { Modified_Time: { gte: today } }] }",
            types: ["Modified_Time": "datetime"]
        )
        #expect(anyPipeline.selectQuery.contains("where id is not null"))
    }

    @Test func selectsTheFieldsTheRuleTestsAndNames() throws {
        let pipeline = try Self.compile(
            "{ Quote_Stage: Accepted, Grand_Total: { gt: 0 } }",
            types: ["Modified_Time": "datetime"]
        )
        #expect(
            pipeline.selectQuery.hasPrefix("select id, Subject, Quote_Stage, Grand_Total, Modified_Time from Quotes")
        )
        guard case .inventory(let inventory) = pipeline.conversion else {
            Issue.record("expected an inventory conversion")
            return
        }
        #expect(inventory.route.method == .mass)
        #expect(pipeline.scopes.contains("ZohoCRM.mass_convert.Quotes.CREATE"))
    }
}
