import Engine
import Foundation
import RuleKit
import Testing
import ZohoEmulator

struct InventoryPipelineTests {
    static let quotesToOrders = """
        version: 1
        rules:
          - name: order-accepted-quotes
            when:
              module: Quotes
              where:
                Quote_Stage: Accepted
                Grand_Total: { gt: 0 }
                Valid_Till: { gte: today }
            do:
              - convert:
                  to: Sales_Orders
                  carry_tags: true
                  owner: billing@zylker.com
                  related: [Calls, Tasks]
              - update: { Quote_Stage: Closed Won }
              - tag: [ordered]
        """

    @Test func quotesBecomeSalesOrdersExactlyOnce() async throws {
        try await withEngine { harness in
            let report = try await harness.execute(Self.quotesToOrders)
            let rule = try #require(report.rules.first)
            #expect(rule.error == nil)
            #expect(rule.method == "mass")
            let byID = Dictionary(uniqueKeysWithValues: rule.records.map { ($0.recordID, $0) })

            // Good records converted, each confirmed through its child's back-link.
            let orders = try await harness.records("Sales_Orders")
            for quote in ["4876876000001000501", "4876876000001000502"] {
                let outcome = try #require(byID[quote])
                #expect(outcome.status == .converted, "\(outcome)")
                let child = try #require(outcome.childID)
                #expect(orders[child]?["Quote_Name"]["id"].stringValue == quote)
                #expect(orders[child]?["Owner"]["id"].stringValue == "4876876000000400004")
                #expect(outcome.notes.contains("update: SUCCESS"))
                #expect(outcome.notes.contains("tag: SUCCESS"))
            }
            let firstChild = try #require(byID["4876876000001000501"]?.childID)
            let childTags = orders[firstChild]?["Tag"].arrayValue?.compactMap { $0["name"].stringValue } ?? []
            #expect(childTags.contains("priority"))

            // Refusals recorded with Zoho's codes, learned through the single convert.
            #expect(byID["4876876000001000503"]?.status == .failed)
            #expect(byID["4876876000001000503"]?.zohoCode != nil)
            #expect(byID["4876876000001000507"]?.status == .failed)
            #expect(byID["4876876000001000507"]?.zohoCode == "NOT_APPROVED")
            // Converted outside the rule: skipped with the child named.
            #expect(byID["4876876000001000506"]?.status == .skipped)
            #expect(byID["4876876000001000506"]?.childID == "4876876000001000601")
            // Not selected: a draft, and a deleted quote.
            #expect(byID["4876876000001000504"] == nil)
            #expect(byID["4876876000001000505"] == nil)

            // Related activities followed the conversion to the new order and its owner.
            let call = try #require(try await harness.records("Calls")["4876876000001000701"])
            #expect(call["What_Id"]["id"].stringValue == firstChild)
            #expect(call["Owner"]["id"].stringValue == "4876876000000400004")
            let task = try #require(try await harness.records("Tasks")["4876876000001000801"])
            #expect(task["What_Id"]["id"].stringValue == firstChild)

            // Follow-ups ran on the source quotes.
            let quotes = try await harness.records("Quotes")
            #expect(quotes["4876876000001000501"]?["Quote_Stage"].stringValue == "Closed Won")

            // A rerun converts nothing.
            let before = orders.count
            let rerun = try await harness.execute(Self.quotesToOrders)
            #expect(rerun.records.allSatisfy { $0.status != .converted })
            #expect(try await harness.records("Sales_Orders").count == before)
        }
    }

    @Test func dryRunSendsNoWrite() async throws {
        try await withEngine { harness in
            let report = try await harness.execute(Self.quotesToOrders, dryRun: true)
            let rule = try #require(report.rules.first)
            #expect(rule.records.count { $0.status == .planned } == 2)
            // The locked and the unapproved quote are planned as "will fail", with Zoho's code.
            #expect(
                rule.records.filter { $0.status == .failed }.compactMap(\.zohoCode).sorted() == [
                    "NOT_APPROVED", "RECORD_LOCKED",
                ]
            )
            #expect(!rule.callsToCome.isEmpty)
            #expect(rule.scopes.contains("ZohoCRM.mass_convert.Quotes.CREATE"))
            let writes = try await harness.requests().filter { request in
                request.method != "GET" && !request.path.hasSuffix("/coql") && !request.path.hasPrefix("/oauth")
            }
            #expect(writes.isEmpty, "\(writes)")
            // The ledger is untouched, so a real run still converts.
            let run = try await harness.execute(Self.quotesToOrders)
            #expect(run.records.count { $0.status == .converted } == 2)
        }
    }

    @Test func quotesToInvoicesUseTheSingleConvertAndAssignTheOwnerByID() async throws {
        let rules = """
            version: 1
            rules:
              - name: invoice-accepted-quotes
                when: { module: Quotes, where: { Quote_Stage: Accepted, Grand_Total: { gte: 100 } } }
                do:
                  - convert: { to: Invoices, carry_tags: false, owner: "4876876000000400004" }
            """
        try await withEngine { harness in
            let report = try await harness.execute(rules)
            let rule = try #require(report.rules.first)
            #expect(rule.method == "single")
            let outcome = try #require(rule.records.first { $0.recordID == "4876876000001000501" })
            #expect(outcome.status == .converted)
            let invoice = try #require(try await harness.records("Invoices")[outcome.childID ?? ""])
            #expect(invoice["Owner"]["id"].stringValue == "4876876000000400004")
            // carry_tags: false is not sent (Zoho refuses it on the single convert), and Zoho carries the tags.
            let tags = invoice["Tag"].arrayValue?.compactMap { $0["name"].stringValue } ?? []
            #expect(tags == ["priority"])
            let again = try await harness.execute(rules)
            #expect(again.records.allSatisfy { $0.status == .skipped })
        }
    }

    @Test(arguments: [
        ("Invoices", "Zoho's single convert carries the Quotes record's tags to the Invoices record anyway"),
        ("Sales_Orders", "records the job leaves go through the single convert, which carries their tags anyway"),
    ])
    func thePlanSaysZohoCarriesTheTagsAnywayOnTheSingleConvert(_ target: String, _ note: String) async throws {
        try await withEngine { harness in
            let plan = try #require(
                try await harness.execute(Self.rules(target, carry: false), dryRun: true).rules.first
            )
            #expect(plan.steps.contains { $0.contains(note) }, "\(plan.steps)")
            let carrying = try #require(
                try await harness.execute(Self.rules(target, carry: true), dryRun: true).rules.first
            )
            #expect(!carrying.steps.contains { $0.contains("anyway") }, "\(carrying.steps)")
        }
    }

    static func rules(_ target: String, carry: Bool) -> String {
        """
        version: 1
        rules:
          - name: convert-accepted-quotes
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do:
              - convert: { to: \(target), carry_tags: \(carry) }
        """
    }

    @Test func zohosAlreadyConvertedIsASkipNotAFailure() async throws {
        let first = """
            version: 1
            rules:
              - name: invoice-big-quotes
                when: { module: Quotes, where: { Quote_Stage: Accepted, Grand_Total: { gte: 100 } } }
                do:
                  - convert: { to: Invoices }
            """
        try await withEngine { harness in
            _ = try await harness.execute(first)
            // Another rule, with an empty ledger, meets the quote Zoho already converted.
            let second = first.replacingOccurrences(of: "invoice-big-quotes", with: "invoice-big-quotes-again")
            let report = try await harness.execute(second)
            let quote = try #require(report.records.first { $0.recordID == "4876876000001000501" })
            #expect(quote.status == .skipped)
            #expect(quote.zohoCode == "ID_ALREADY_CONVERTED")
            #expect(try await harness.records("Invoices").count == 1)
        }
    }

    @Test func salesOrdersBecomeInvoices() async throws {
        let rules = """
            version: 1
            rules:
              - name: invoice-approved-orders
                when: { module: Sales_Orders, where: { Status: Approved } }
                do:
                  - convert: { to: Invoices, carry_tags: true }
            """
        try await withEngine { harness in
            let report = try await harness.execute(rules)
            let outcome = try #require(report.records.first)
            #expect(report.records.count == 1)
            #expect(outcome.status == .converted)
            let invoice = try #require(try await harness.records("Invoices")[outcome.childID ?? ""])
            #expect(invoice["Sales_Order"]["id"].stringValue == "4876876000001000602")
        }
    }

    @Test func aModuleZohoDoesNotPermitFailsEachRecordWithNoPermission() async throws {
        let fixture = engineFixture.replacingOccurrences(
            of: "unique_fields:",
            with: "disabled_modules: [Sales_Orders]\nunique_fields:"
        )
        try await withEngine(fixture: fixture) { harness in
            let report = try await harness.execute(Self.quotesToOrders)
            let rule = try #require(report.rules.first)
            let attempted = rule.records.filter { $0.status != .skipped }
            #expect(!attempted.isEmpty)
            #expect(attempted.allSatisfy { $0.status == .failed && $0.zohoCode == "NO_PERMISSION" }, "\(attempted)")
            #expect(try await harness.records("Sales_Orders").count == 2)
        }
    }

    @Test func anUnknownOwnerStopsTheRuleWithEveryRecordAccountedFor() async throws {
        let rules = """
            version: 1
            rules:
              - name: order-with-missing-owner
                when: { module: Quotes, where: { Quote_Stage: Accepted } }
                do:
                  - convert: { to: Sales_Orders, owner: gone@zylker.com }
            """
        try await withEngine { harness in
            let report = try await harness.execute(rules)
            let rule = try #require(report.rules.first)
            #expect(rule.error?.contains("gone@zylker.com") == true)
            #expect(!rule.records.isEmpty)
            #expect(rule.records.allSatisfy { $0.status == .skipped && $0.reason != nil })
            #expect(report.hasFailures)
        }
    }
}

/// What `zrules scopes` lists covers every endpoint a rule calls.
struct ScopeTests {
    @Test func ownersAndTheSingleConvertsOwnerUpdateHaveTheirScopes() throws {
        let lint = Linter.lint(
            text: """
                version: 1
                rules:
                  - name: invoices-by-id
                    when: { module: Quotes, where: { Quote_Stage: Accepted } }
                    do:
                      - convert: { to: Invoices, owner: "4876876000000400004" }
                """
        )
        let rule = try #require(lint.ruleSet.rules.first)
        let pipeline = try Compiler(now: Date(), timeZone: .gmt).compile(rule)
        #expect(pipeline.scopes.contains("ZohoCRM.users.READ"))
        #expect(pipeline.scopes.contains("ZohoCRM.modules.Invoices.UPDATE"))
        #expect(pipeline.scopes.contains("ZohoCRM.modules.Quotes.CREATE"))
    }
}
