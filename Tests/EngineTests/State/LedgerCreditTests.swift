import Foundation
import Testing

@testable import Engine

/// A child record is credited to one source record at most (issue 12, defect 0), enforced by the ledger itself.
struct LedgerCreditTests {
    static func lead(_ id: String) -> LedgerKey {
        LedgerKey(rule: "convert-leads", sourceModule: "Leads", sourceID: id, targetModule: "Contacts")
    }

    @Test func aChildCreditedToOneQuoteCannotBeCreditedToAnother() throws {
        let store = try StateStore.inMemory(clock: ManualClock(start: instant(9)))
        try store.recordIntents([intent("q1"), intent("q2")])
        try store.markOutcome(key("q1"), .converted(childID: "inv-1"))
        #expect(throws: EngineError.self) { try store.markOutcome(key("q2"), .converted(childID: "inv-1")) }
        let found = try store.ledgerEntries(
            rule: "invoice-accepted-quotes",
            targetModule: "Invoices",
            sourceIDs: ["q2"]
        )
        #expect(found["q2"]?.state == .pending)
        // Confirming the same credit again is harmless.
        try store.markOutcome(key("q1"), .converted(childID: "inv-1"))
        #expect(
            try store.creditedChildren(targetModule: "Invoices", childIDs: ["inv-1", "inv-2"]) == ["inv-1": key("q1")]
        )
    }

    @Test func leadsMayBeMergedIntoOneContact() throws {
        let store = try StateStore.inMemory()
        try store.recordIntents(
            ["l1", "l2"].map { LedgerEntry(key: Self.lead($0), method: .lead, runID: "r", updatedAt: instant(0)) }
        )
        try store.markOutcome(Self.lead("l1"), .converted(childID: "contact-1"))
        try store.markOutcome(Self.lead("l2"), .converted(childID: "contact-1"))
        let found = try store.ledgerEntries(rule: "convert-leads", targetModule: "Contacts", sourceIDs: ["l1", "l2"])
        #expect(found.values.allSatisfy { $0.state == .converted && $0.childID == "contact-1" })
    }

    @Test func anOlderDatabaseCreditingOneInvoiceTwiceStillOpens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        func converted(_ key: LedgerKey, _ child: String, at seconds: Int) -> LedgerEntry {
            LedgerEntry(
                key: key,
                state: .converted,
                method: .single,
                runID: "old",
                childID: child,
                updatedAt: instant(seconds)
            )
        }
        try StateSchema.makeOlderDatabase(
            path: directory.url.appendingPathComponent(StateStore.databaseFileName).path,
            upTo: "v1 audit",
            ledger: [
                converted(key("q2"), "inv-1", at: 5), converted(key("q1"), "inv-1", at: 0),
                converted(key("q3"), "inv-1", at: 7), converted(key("q4"), "inv-4", at: 1),
                converted(Self.lead("l1"), "contact-1", at: 0), converted(Self.lead("l2"), "contact-1", at: 3),
            ]
        )
        let store = try StateStore(directory: directory.url)
        #expect(try store.appliedMigrations().contains("v2 ledger child credited once"))
        let quotes = try store.ledgerEntries(
            rule: "invoice-accepted-quotes",
            targetModule: "Invoices",
            sourceIDs: ["q1", "q2", "q3", "q4"]
        )
        // The earliest credit stands; the later ones are for a person to check, and get reconciled.
        #expect(quotes["q1"]?.state == .converted && quotes["q1"]?.childID == "inv-1")
        for later in ["q2", "q3"] {
            #expect(quotes[later]?.state == .unknown)
            #expect(quotes[later]?.childID == nil)
            #expect(quotes[later]?.message?.contains("inv-1") == true)
        }
        #expect(quotes["q4"]?.state == .converted && quotes["q4"]?.childID == "inv-4")
        let leads = try store.ledgerEntries(rule: "convert-leads", targetModule: "Contacts", sourceIDs: ["l1", "l2"])
        #expect(leads.values.allSatisfy { $0.state == .converted && $0.childID == "contact-1" })
        #expect(try store.unfinishedEntries(rule: nil).map(\.sourceID).sorted() == ["q2", "q3"])
    }
}
