import Engine
import Foundation
import Logging
import RuleKit
import Testing
import ZohoCRM
import ZohoEmulator

/// Plan, then run against a fresh emulator seeded from the same fixture: every record gets the same decision.
struct PlanPredictsRunTests {
    /// An update that takes a quote out of a later rule's selection and brings it into another's; a locked and an
    /// unapproved quote; a quote converted twice into the same module (by back-link and by Zoho's refusal).
    static let quoteRules = """
        version: 1
        rules:
          - name: big-accepted-to-orders
            when: { module: Quotes, where: { Quote_Stage: Accepted, Grand_Total: { gt: 100 } } }
            do:
              - convert: { to: Sales_Orders }
              - update: { Quote_Stage: Confirmed }
              - tag: [ordered]
          - name: accepted-to-invoices
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do:
              - convert: { to: Invoices, owner: billing@zylker.com }
          - name: confirmed-to-invoices
            when: { module: Quotes, where: { Quote_Stage: Confirmed } }
            do:
              - convert: { to: Invoices }
          - name: ordered-again
            when: { module: Quotes, where: { Grand_Total: { gt: 0 } } }
            do:
              - convert: { to: Sales_Orders }
          - name: invoiced-again
            when: { module: Quotes, where: { Grand_Total: { gt: 150 } } }
            do:
              - convert: { to: Invoices }
        """

    /// The same lead selected by two rules; a deal template whose field is empty for some leads; a locked and an
    /// unapproved lead; merges into existing contacts and accounts.
    static let leadRules = """
        version: 1
        rules:
          - name: fresh-leads
            when: { module: Leads, where: { Company: Fresh Ltd } }
            do:
              - convert_lead: { duplicates: create }
              - update: { Description: "call {{ Phone }}" }
          - name: stones
            when: { module: Leads, where: { Last_Name: Stone } }
            do:
              - convert_lead:
                  duplicates: merge
                  owner: admin@zylker.com
                  deal:
                    Deal_Name: "{{ Last_Name }} renewal"
                    Stage: Qualification
                    Pipeline: Standard (Standard)
                    Closing_Date: "{{ today + 30d }}"
          - name: qualified-with-deal
            when: { module: Leads, where: { Lead_Status: Qualified } }
            do:
              - convert_lead:
                  duplicates: merge
                  deal:
                    Deal_Name: "{{ Last_Name }} {{ Phone }}"
                    Stage: Qualification
                    Pipeline: Standard (Standard)
                    Closing_Date: "{{ today + 30d }}"
        """

    @Test func quoteRulesInSequence() async throws {
        let (plan, run) = try await planThenRun(Self.quoteRules)
        try Self.expectAgreement(plan, run)
        let planned = Self.outcomes(plan)
        // The first rule's update took the big quote out of the Accepted rule and into the Confirmed one.
        #expect(planned["accepted-to-invoices/4876876000001000501"] == nil)
        #expect(planned["confirmed-to-invoices/4876876000001000501"]?.status == .planned)
        #expect(planned["big-accepted-to-orders/4876876000001000501"]?.writes == ["Quote_Stage": "Confirmed"])
        #expect(planned["big-accepted-to-orders/4876876000001000501"]?.tags == ["ordered"])
        #expect(planned["accepted-to-invoices/4876876000001000502"]?.owner == "Ben Kowalski <billing@zylker.com>")
        #expect(planned["accepted-to-invoices/4876876000001000502"]?.modifiedTime != nil)
        // Will fail, with Zoho's code.
        #expect(planned["accepted-to-invoices/4876876000001000503"]?.status == .failed)
        #expect(planned["accepted-to-invoices/4876876000001000503"]?.zohoCode == "RECORD_LOCKED")
        #expect(planned["accepted-to-invoices/4876876000001000507"]?.status == .failed)
        #expect(planned["accepted-to-invoices/4876876000001000507"]?.zohoCode == "NOT_APPROVED")
        // Converted by an earlier rule of the run into the same module.
        #expect(planned["ordered-again/4876876000001000501"]?.earlierRule == "big-accepted-to-orders")
        #expect(planned["invoiced-again/4876876000001000501"]?.zohoCode == "ID_ALREADY_CONVERTED")
    }

    @Test func leadRulesInSequence() async throws {
        let (plan, run) = try await planThenRun(Self.leadRules)
        try Self.expectAgreement(plan, run)
        let planned = Self.outcomes(plan)
        #expect(planned["fresh-leads/4876876000001000402"]?.status == .planned)
        // Its update reads an empty Phone: converted, then the update is not sent, in the plan as in the run.
        #expect(planned["fresh-leads/4876876000001000402"]?.followUpFailed == true)
        #expect(Self.outcomes(run)["fresh-leads/4876876000001000402"]?.followUpFailed == true)
        #expect(planned["qualified-with-deal/4876876000001000402"]?.earlierRule == "fresh-leads")
        #expect(planned["qualified-with-deal/4876876000001000405"]?.earlierRule == "stones")
        // Mia Stone merges into the matching contact and its account; the deal is rendered for her.
        let mia = try #require(planned["stones/4876876000001000405"])
        #expect(mia.status == .planned)
        #expect(mia.fields["Deal_Name"] == "Stone renewal")
        #expect(
            mia.merges.first
                == MergeTarget(
                    module: "Contacts",
                    id: "4876876000001000303",
                    name: "Mia Stone",
                    email: "mia@other.com"
                )
        )
        #expect(mia.owner == "Patricia Boyle <admin@zylker.com>")
        // No Phone: the deal template cannot be filled, and nothing is sent.
        #expect(planned["qualified-with-deal/4876876000001000406"]?.status == .failed)
        #expect(planned["qualified-with-deal/4876876000001000403"]?.zohoCode == "RECORD_LOCKED")
        #expect(planned["qualified-with-deal/4876876000001000404"]?.zohoCode == "NOT_APPROVED")
    }

    @Test(arguments: ["examples/org.yaml", "examples/fixtures/small.yaml"])
    func examplesAgree(fixture: String) async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let yaml = try String(contentsOf: root.appendingPathComponent(fixture), encoding: .utf8)
        let rules = try Self.exampleRules(in: root.appendingPathComponent("rules"))
        let (plan, run) = try await planThenRun(rules, fixture: yaml)
        #expect(plan.records.contains { $0.status == .planned })
        try Self.expectAgreement(plan, run)
    }

    // MARK: - support

    /// Plans `rules` on one emulator, then runs them on a fresh one seeded from the same fixture.
    private func planThenRun(_ rules: String, fixture: String = engineFixture) async throws -> (RunReport, RunReport) {
        var plan: RunReport?
        var run: RunReport?
        for dryRun in [true, false] {
            try await withEngine(fixture: fixture) { harness in
                let client = try Self.client(for: fixture, harness)
                let report: RunReport
                do {
                    report = try await harness.execute(rules, dryRun: dryRun, client: client)
                } catch {
                    try await client?.shutdown()
                    throw error
                }
                try await client?.shutdown()
                if dryRun { plan = report } else { run = report }
            }
        }
        return (try #require(plan), try #require(run))
    }

    /// A fixture with its own `clients:` list only accepts those credentials.
    private static func client(for fixture: String, _ harness: EngineHarness) throws -> ZohoClient? {
        guard fixture.contains("1000.CLIENT") else { return nil }
        var zoho = ZohoConfiguration(edition: .professional, apiURL: harness.baseURL)
        zoho.timeouts.request = .seconds(10)
        return try ZohoClient(
            configuration: zoho,
            credentials: ZohoCredentials(clientID: "1000.CLIENT", clientSecret: "s3cret", refreshToken: "1000.refresh"),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// The rule files of `folder`, in the order `zrules` reads them, as one rules file.
    static func exampleRules(in folder: URL) throws -> String {
        let files = try Linter.ruleFiles(in: [folder.path])
        var items: [String] = []
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            guard let start = lines.firstIndex(where: { $0.hasPrefix("rules:") }) else { continue }
            items += lines[(start + 1)...].map(String.init)
        }
        return "version: 1\nrules:\n" + items.joined(separator: "\n")
    }

    /// Outcomes by `rule/recordID`.
    static func outcomes(_ report: RunReport) -> [String: RecordOutcome] {
        var byKey: [String: RecordOutcome] = [:]
        for rule in report.rules {
            for record in rule.records { byKey["\(rule.rule)/\(record.recordID)"] = record }
        }
        return byKey
    }

    /// planned ↔ converted, skipped ↔ skipped, failed ↔ failed, with the same Zoho code. A record the plan skips
    /// because an earlier rule converts it may be missing from the run's rule (Zoho no longer selects a converted
    /// lead), as long as the run converted it under that earlier rule.
    static func expectAgreement(_ plan: RunReport, _ run: RunReport) throws {
        #expect(plan.rules.map(\.rule) == run.rules.map(\.rule))
        for (planRule, runRule) in zip(plan.rules, run.rules) {
            #expect(planRule.error == runRule.error, "\(planRule.rule)")
        }
        let planned = outcomes(plan)
        let ran = outcomes(run)
        for (key, predicted) in planned.sorted(by: { $0.key < $1.key }) {
            guard let actual = ran[key] else {
                let earlier = predicted.earlierRule.flatMap { ran["\($0)/\(predicted.recordID)"] }
                #expect(
                    predicted.status == .skipped && earlier?.status == .converted,
                    "\(key): planned \(predicted.status) (\(predicted.reason ?? "")), not in the run"
                )
                continue
            }
            let expected: RecordOutcome.Status = predicted.status == .planned ? .converted : predicted.status
            #expect(
                actual.status == expected,
                "\(key): planned \(predicted.status) (\(predicted.reason ?? "")), ran \(actual.status) (\(actual.reason ?? ""))"
            )
            #expect(actual.zohoCode == predicted.zohoCode, "\(key): \(actual.reason ?? "")")
        }
        for key in ran.keys.sorted() where planned[key] == nil {
            Issue.record("\(key): ran \(ran[key]?.status.rawValue ?? "") (\(ran[key]?.reason ?? "")), not planned")
        }
    }
}
