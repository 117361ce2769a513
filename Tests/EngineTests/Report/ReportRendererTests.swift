import Foundation
import Testing

@testable import Engine

/// The plan text a reviewer approves, rendered from constructed reports (issue 11, "A plan a reviewer can approve").
struct ReportRendererTests {
    static let target = PlanTarget(
        dataCentre: "eu",
        environment: "sandbox",
        apiHost: "https://sandbox.zohoapis.eu",
        apiVersion: "v8",
        edition: "enterprise",
        orgName: "Zylker",
        orgID: "58431040"
    )

    static func rule(_ name: String, line: Int, records: [RecordOutcome], error: String? = nil) -> RuleReport {
        RuleReport(
            rule: name,
            file: "rules/quotes.yaml",
            line: line,
            module: "Quotes",
            target: "Invoices",
            method: "single",
            methodReason: "Invoices have no lookup back to Quotes, so each is converted singly",
            query: "select id from Quotes where Quote_Stage = 'Accepted'",
            serverSide: ["Quote_Stage = Accepted"],
            localOnly: [],
            steps: ["select", "convert"],
            scopes: ["ZohoCRM.coql.READ"],
            records: records,
            excludedByRecheck: 0,
            batches: [],
            callsMade: [],
            callsToCome: [],
            error: error
        )
    }

    static let longName = "Kestrel expansion for the northern region, second phase (locked for review)"

    static var report: RunReport {
        var invoiced = RecordOutcome(
            recordID: "5843104000001500001",
            name: "Renewal 2027",
            status: .planned,
            method: "single",
            tested: ["Quote_Stage": "Accepted"]
        )
        invoiced.writes = ["Quote_Stage": "Closed Won", "Description": "invoiced by zrules"]
        invoiced.tags = ["invoiced", "q4"]
        invoiced.owner = "Ben Kowalski <billing@zylker.com>"
        let locked = RecordOutcome(
            recordID: "5843104000001500007",
            name: longName,
            status: .failed,
            reason: "locked: Zoho will refuse it unless it is unlocked first",
            zohoCode: "RECORD_LOCKED",
            method: "single",
            tested: ["Quote_Stage": "Accepted"]
        )
        var lead = RecordOutcome(
            recordID: "5843104000001800001",
            name: "Pat Boyle (Zylker Biotech)",
            status: .planned,
            method: "lead"
        )
        lead.merges = [
            MergeTarget(
                module: "Contacts",
                id: "5843104000001300002",
                name: "Pat Boyle",
                email: "pat.boyle@zylker.com"
            ),
            MergeTarget(module: "Accounts", id: "5843104000001200001", name: "Zylker Biotech"),
        ]
        lead.fields = ["Deal_Name": "Zylker Biotech — Boyle", "Stage": "Qualification"]
        let skipped = RecordOutcome(
            recordID: "5843104000001500009",
            name: "Old order",
            status: .skipped,
            reason: "already converted by this rule in run 20261123T101547Z-8f6f"
        )
        var report = RunReport(
            runID: "20261202T220000Z-0001",
            dryRun: true,
            startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 1),
            rules: [
                rule("invoice-accepted-quotes", line: 3, records: [invoiced, locked, skipped]),
                rule("convert-qualified-leads", line: 12, records: [lead]),
            ]
        )
        report.target = target
        return report
    }

    @Test func thePlanShowsTheHeaderTheOrderAndWhatEachRecordWillGet() {
        let text = ReportRenderer.plan(Self.report)
        let expected = """
            zrules plan: 2 rule(s), dry-run (nothing is written to the CRM)
            org:          Zylker (id 58431040)
            environment:  sandbox, data centre eu
            API:          https://sandbox.zohoapis.eu, v8, edition enterprise
            rules run in this order (rule files in order, then the rules in each as written): 1. invoice-accepted-quotes, 2. convert-qualified-leads

            rule invoice-accepted-quotes  (rules/quotes.yaml:3)
              Quotes → Invoices: Invoices have no lookup back to Quotes, so each is converted singly
              query: select id from Quotes where Quote_Stage = 'Accepted'
              steps:
                1. select
                2. convert
              records: 1 would convert, 1 skipped, 1 will fail
                ID                   NAME                                                                         DECISION          DETAIL
                5843104000001500001  Renewal 2027                                                                 convert (single)  Quote_Stage=Accepted
                    update writes: Description = invoiced by zrules; Quote_Stage = Closed Won
                    tags: invoiced, q4
                    owner: Ben Kowalski <billing@zylker.com>
                5843104000001500007  \(Self.longName)  will fail         Quote_Stage=Accepted
                    will fail: locked: Zoho will refuse it unless it is unlocked first [RECORD_LOCKED]
                5843104000001500009  Old order                                                                    skip              already converted by this rule in run 20261123T101547Z-8f6f
              calls made while planning: none
              OAuth scopes: ZohoCRM.coql.READ

            rule convert-qualified-leads  (rules/quotes.yaml:12)
            """
        #expect(text.hasPrefix(expected), "\(text)")
        #expect(
            text.contains(
                """
                    5843104000001800001  Pat Boyle (Zylker Biotech)  convert (lead)
                        creates with: Deal_Name = Zylker Biotech — Boyle; Stage = Qualification
                        merges into: Contact Pat Boyle <pat.boyle@zylker.com> (5843104000001300002); Account Zylker Biotech (5843104000001200001)

                """
            ),
            "\(text)"
        )
        #expect(
            text.hasSuffix(
                "total: 2 record(s) would convert, 1 will fail, 1 skipped; a run would spend about 0 API credit(s)\n"
            )
        )
    }

    @Test func nothingIsCutWithoutAWidthAndEveryLineIsCutToAGivenOne() {
        let full = ReportRenderer.plan(Self.report)
        #expect(full.contains(Self.longName))
        #expect(full.split(separator: "\n").contains { $0.count > 160 })
        let cut = ReportRenderer.plan(Self.report, width: 80)
        let lines = cut.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        #expect(lines.contains { $0.count == 80 && $0.hasSuffix("…") })
        // The table's names are clipped on a terminal, so its decisions stay in view.
        #expect(cut.contains("5843104000001500007  Kestrel expansion for the north…  will fail"), "\(cut)")
        #expect(lines.count == full.split(separator: "\n", omittingEmptySubsequences: false).count)
    }

    @Test func anUnreadOrgAndAMissingTargetAreSaid() {
        var unread = Self.target
        unread.orgName = nil
        unread.orgID = nil
        #expect(ReportRenderer.header(unread).hasPrefix("org:          could not be read (GET /org;"))
        var report = Self.report
        report.target = nil
        #expect(
            ReportRenderer.plan(report).hasPrefix(
                "zrules plan: 2 rule(s), dry-run (nothing is written to the CRM)\nrules run"
            )
        )
        #expect(!ReportRenderer.summary(report, stateDirectory: ".zrules").hasPrefix("org:"))
    }

    @Test func aRuleThatStoppedIsNamedWithItsFileAndLine() {
        var report = Self.report
        report.rules[1].error = "Zoho refused the rule's COQL query with INVALID_QUERY (HTTP 400)"
        #expect(
            ReportRenderer.plan(report).contains(
                "  stopped: rule convert-qualified-leads (rules/quotes.yaml:12): Zoho refused the rule's COQL query"
            )
        )
        report.dryRun = false
        let summary = ReportRenderer.summary(report, stateDirectory: ".zrules")
        #expect(summary.hasPrefix("org:          Zylker (id 58431040)\nenvironment:  sandbox, data centre eu\n"))
        #expect(summary.contains("rule convert-qualified-leads (rules/quotes.yaml:12) stopped: Zoho refused"))
    }
}
