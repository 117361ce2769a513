import Engine
import Foundation
import Testing

/// `plan` and `run` lint the rules against the fields, picklist values and users they read, before any COQL
/// (issue 11, "Live metadata checks").
struct LiveMetadataTests {
    static let typos = """
        version: 1
        rules:
          - name: typo-field
            when: { module: Quotes, where: { Quote_Stag: Accepted } }
            do: [{ convert: { to: Sales_Orders } }]
          - name: typo-value
            when: { module: Quotes, where: { Quote_Stage: Acepted } }
            do: [{ convert: { to: Invoices } }]
        """

    @Test(arguments: [true, false])
    func aTypodFieldAndAMisspeltValueStopThePlanAtTheirLinesBeforeAnyQuery(_ dryRun: Bool) async throws {
        try await withProject(rules: Self.typos) { harness in
            let path = harness.rulesFile.path
            await #expect {
                _ = try await harness.execute(dryRun: dryRun)
            } throws: { error in
                guard let error = error as? EngineError, error.code == .lintFailed else { return false }
                let text = error.message
                return text.contains(
                    "\(path):4:38: error: Quotes has no field 'Quote_Stag'; did you mean 'Quote_Stage'?"
                )
                    && text.contains("[ZR040]")
                    && text.contains(
                        "\(path):7:51: error: 'Acepted' is not a value of Quotes.Quote_Stage; did you mean 'Accepted'?"
                    )
                    && text.contains("[ZR041]")
                    && text.contains("2 errors")
                    && text.contains("zrules lint \(path) --metadata")
            }
            let queries = try await harness.requests(endingWith: "/coql")
            #expect(queries == 0)
            // Quotes' fields were read once for both rules; no user was needed.
            let fieldReads = try await harness.requests(endingWith: "/settings/fields")
            #expect(fieldReads == 1)
            let userReads = try await harness.requests(endingWith: "/users")
            #expect(userReads == 0)
        }
    }

    @Test func anOwnerWhoIsNotAnActiveUserIsReportedWithTheClosestOne() async throws {
        let rules = """
            version: 1
            rules:
              - name: bad-owner
                when: { module: Quotes, where: { Quote_Stage: Accepted } }
                do: [{ convert: { to: Invoices, owner: biling@zylker.com } }]
            """
        try await withProject(rules: rules) { harness in
            await #expect {
                _ = try await harness.execute()
            } throws: { error in
                let text = (error as? EngineError)?.message ?? ""
                return text.contains(
                    "\(harness.rulesFile.path):5:44: error: owner 'biling@zylker.com' is not an active user"
                )
                    && text.contains("did you mean 'billing@zylker.com'?") && text.contains("[ZR043]")
            }
            let queries = try await harness.requests(endingWith: "/coql")
            #expect(queries == 0)
        }
    }

    @Test func cleanRulesReadEachModulesFieldsAndTheUsersOnceForTheWholePlan() async throws {
        let rules = """
            version: 1
            rules:
              - name: orders
                when: { module: Quotes, where: { Quote_Stage: Accepted } }
                do: [{ convert: { to: Sales_Orders, owner: billing@zylker.com } }]
              - name: invoices
                when: { module: Quotes, where: { Quote_Stage: Accepted } }
                do: [{ convert: { to: Invoices, owner: billing@zylker.com } }]
              - name: leads
                when: { module: Leads, where: { Lead_Status: Qualified } }
                do:
                  - convert_lead:
                      duplicates: skip
                      deal: { Deal_Name: "{{ Company }}", Stage: Qualification, Pipeline: Standard (Standard), Closing_Date: "{{ today + 30d }}" }
            """
        try await withProject(rules: rules) { harness in
            let report = try await harness.execute()
            #expect(report.rules.allSatisfy { $0.error == nil }, "\(report.rules.map(\.error))")
            let queries = try await harness.requests(endingWith: "/coql")
            #expect(queries > 0)
            // Quotes, Leads and Deals (the deal's fields), each once; the users once, for two rules with owners.
            let fields = try await harness.requests().filter { $0.path.hasSuffix("/settings/fields") }
            #expect(fields.count == 3, "\(fields)")
            let userReads = try await harness.requests(endingWith: "/users")
            #expect(userReads == 1)
            // The reads are counted with the rules that needed them, so the plan's calls add up to Zoho's log.
            let counted = report.rules.flatMap(\.callsMade).reduce(0) { $0 + $1.calls }
            let crm = try await harness.requests().count { $0.path.contains("/crm/") }
            #expect(counted == crm)
            let first = try #require(report.rules.first?.callsMade)
            #expect(first.contains { $0.endpoint == "GET /org" && $0.calls == 1 })
            #expect(first.contains { $0.endpoint == "GET /users" })
        }
    }
}
