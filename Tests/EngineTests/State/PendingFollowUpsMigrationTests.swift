import Foundation
import Testing

@testable import Engine

/// The v3 migration gives converted rows of an older database their follow-ups to finish, found by the audit log as
/// the older zrules did, so they are resumed by record id (issue 12, defect 2).
struct PendingFollowUpsMigrationTests {
    @Test func convertedRowsWithoutFinishedFollowUpsGetEveryFollowUpOfTheRule() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        func converted(_ id: String, child: String?) -> LedgerEntry {
            LedgerEntry(
                key: key(id),
                state: .converted,
                method: .single,
                runID: "old",
                childID: child,
                updatedAt: instant(0)
            )
        }
        try StateSchema.makeOlderDatabase(
            path: directory.url.appendingPathComponent(StateStore.databaseFileName).path,
            upTo: "v2 ledger child credited once",
            ledger: [converted("q1", child: "inv-1"), converted("q2", child: "inv-2"), converted("q3", child: nil)],
            audit: [event(1, record: "q1", step: "follow-ups", outcome: "done")]
        )
        let store = try StateStore(directory: directory.url)
        let pending = try store.entriesWithPendingFollowUps(rule: "invoice-accepted-quotes", targetModule: "Invoices")
        // q1 finished; q3 was found converted by Zoho (no child known), and never had follow-ups run.
        #expect(pending.map(\.sourceID) == ["q2"])
        #expect(pending.first?.pendingFollowUps == [FollowUpStep.all])
        try store.setPendingFollowUps([key("q2"): []], audit: [])
        #expect(
            try store.entriesWithPendingFollowUps(rule: "invoice-accepted-quotes", targetModule: "Invoices").isEmpty
        )
    }
}
