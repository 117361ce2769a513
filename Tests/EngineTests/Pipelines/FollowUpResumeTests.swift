import Engine
import Foundation
import Synchronization
import Testing
import ZohoEmulator

/// Follow-ups (the owner after a single convert, `update`, `tag`) are finished by record id from the ledger after a
/// kill or a fault, whatever the rule selects now (issue 12, defect 2), and the audit tells every conversion the
/// ledger holds (defect 3).
struct FollowUpResumeTests {
    static let quoteA = "4876876000001000501"
    static let quoteB = "4876876000001000502"
    static let billing = "4876876000000400004"
    static let fixture = engineFixture.replacingOccurrences(
        of: "Quotes.Quote_Stage: [Accepted]",
        with: "Quotes.Quote_Stage: [Accepted, Closed Won]"
    )

    /// The shipped `accepted-quotes-to-invoices` rule's shape: the update takes a quote out of the selection.
    static let rule = """
        version: 1
        rules:
          - name: accepted-quotes-to-invoices
            when: { module: Quotes, where: { Quote_Stage: Accepted, Grand_Total: { gte: 50, lte: 200 }, Subject: { in: [Accepted quote, Second] } } }
            do:
              - convert: { to: Invoices, owner: billing@zylker.com }
              - update: { Quote_Stage: Closed Won }
              - tag: [invoiced]
        """

    static let noGrace = ExecutionOptions(
        jobPollInterval: .milliseconds(20),
        maxPollInterval: .milliseconds(100),
        reconcileGrace: .zero
    )

    /// Every invoice has the rule's owner; every quote is Closed Won and tagged; one invoice per quote.
    static func expectFinished(_ harness: EngineHarness, _ context: String) async throws {
        let invoices = try await harness.records("Invoices")
        #expect(invoices.count == 2, "\(context): \(invoices.count) invoices")
        for invoice in invoices.values {
            #expect(invoice["Owner"]["id"].stringValue == billing, "\(context): owner of \(invoice["id"])")
        }
        let quotes = try await harness.records("Quotes")
        for id in [quoteA, quoteB] {
            let quote = try #require(quotes[id])
            #expect(quote["Quote_Stage"].stringValue == "Closed Won", "\(context): stage of \(id)")
            let tags = quote["Tag"].arrayValue?.compactMap { $0["name"].stringValue } ?? []
            #expect(tags.contains("invoiced"), "\(context): tags of \(id): \(tags)")
        }
    }

    @Test func theOwnerIsSetOnInvoicesThatReconciliationFound() async throws {
        try await withEngine(fixture: Self.fixture, timedOutWrites: true) { harness in
            // Zoho creates the invoices, but the answers are lost (as after Ctrl-C or a timeout).
            try await harness.setFaults(["spec": "timeout_write=1"])
            let lost = try await harness.execute(Self.rule)
            #expect(lost.records.allSatisfy { $0.status == .unknown }, "\(lost.records)")
            try await harness.setFaults(["spec": ""])
            let settled = try await harness.execute(Self.rule, options: Self.noGrace)
            try await Self.expectFinished(harness, "after reconciliation")
            // Converted by the earlier run, found by reconciliation: counted as converted, and said so.
            #expect(settled.records.count == 2)
            #expect(
                settled.records.allSatisfy {
                    $0.status == .converted && $0.notes.contains("converted by reconciliation")
                },
                "\(settled.records)"
            )
            let summary = ReportRenderer.summary(settled, stateDirectory: ".zrules")
            #expect(summary.contains("2 of the converted were converted by an earlier run"), "\(summary)")
            let audit = try harness.store.auditEvents(AuditFilter(rule: "accepted-quotes-to-invoices"))
            for quote in [Self.quoteA, Self.quoteB] {
                #expect(audit.contains { $0.recordID == quote && $0.step == "owner" && $0.outcome == "done" })
                #expect(audit.contains { $0.recordID == quote && $0.step == "follow-ups" && $0.outcome == "done" })
            }
        }
    }

    @Test func aTagLostAfterTheUpdateIsAddedAlthoughTheQuoteLeftTheSelection() async throws {
        try await withEngine(fixture: Self.fixture) { harness in
            // The run is stopped right after the update, before the tag is sent (as a kill would).
            let run = Task {
                try await harness.execute(Self.rule) { event in
                    if case .note(_, let message) = event, message.hasPrefix("update:") {
                        withUnsafeCurrentTask { $0?.cancel() }
                    }
                }
            }
            let stopped = try await run.value
            #expect(stopped.records.count { $0.status == .converted } == 2, "\(stopped.records)")
            let quotes = try await harness.records("Quotes")
            #expect(quotes[Self.quoteA]?["Quote_Stage"].stringValue == "Closed Won")
            let tags = quotes[Self.quoteA]?["Tag"].arrayValue?.compactMap { $0["name"].stringValue } ?? []
            #expect(!tags.contains("invoiced"), "\(tags)")
            let ledger = try harness.store.entriesWithPendingFollowUps(
                rule: "accepted-quotes-to-invoices",
                targetModule: "Invoices"
            )
            #expect(ledger.map(\.pendingFollowUps) == [["tag"], ["tag"]], "\(ledger)")
            // The quotes no longer match (Closed Won); their tag is added all the same, once.
            let next = try await harness.execute(Self.rule)
            try await Self.expectFinished(harness, "after the rerun")
            #expect(next.records.count == 2)
            #expect(next.records.allSatisfy { $0.status == .skipped && !$0.followUpFailed }, "\(next.records)")
            let again = try await harness.execute(Self.rule)
            #expect(again.records.isEmpty, "\(again.records)")
        }
    }

    @Test func aConvertedOutcomeAndItsAuditEventAreOneTransaction() throws {
        let store = try StateStore.inMemory()
        let key = LedgerKey(rule: "r", sourceModule: "Quotes", sourceID: Self.quoteA, targetModule: "Invoices")
        try store.recordIntents([LedgerEntry(key: key, method: .single, runID: "run", updatedAt: Date())])
        let event = AuditEvent(
            time: Date(),
            runID: "run",
            rule: "r",
            ruleFile: "rules.yaml",
            ruleLine: 1,
            recordID: Self.quoteA,
            module: "Quotes",
            step: AuditStep.confirm.rawValue,
            outcome: AuditOutcome.converted.rawValue,
            detail: nil,
            zohoCode: nil,
            jobID: nil,
            childID: "c1",
            dryRun: false
        )
        // A refused outcome (here: the child is another record's) writes neither the row nor the event.
        let other = LedgerKey(rule: "r", sourceModule: "Quotes", sourceID: Self.quoteB, targetModule: "Invoices")
        try store.recordIntents([LedgerEntry(key: other, method: .single, runID: "run", updatedAt: Date())])
        try store.markOutcome(other, .converted(childID: "c1"))
        #expect(throws: EngineError.self) {
            try store.markOutcomes([(key, .converted(childID: "c1"))], followUps: [key: ["owner"]], audit: [event])
        }
        #expect(try store.auditEvents(AuditFilter(recordID: Self.quoteA)).isEmpty)
        try store.markOutcomes([(key, .converted(childID: "c2"))], followUps: [key: ["owner"]], audit: [event])
        #expect(try store.auditEvents(AuditFilter(recordID: Self.quoteA)).count == 1)
        let pending = try store.entriesWithPendingFollowUps(rule: "r", targetModule: "Invoices")
        #expect(pending.map(\.pendingFollowUps) == [["owner"]])
    }
}
