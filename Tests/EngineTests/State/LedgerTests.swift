import Engine
import Foundation
import Synchronization
import Testing
import ZohoCRM

struct StateLedgerTests {
    @Test func intentsArePendingAndFoundBySourceID() throws {
        let store = try StateStore.inMemory(clock: ManualClock(start: instant(9)))
        try store.recordIntents([intent("q1"), intent("q2"), intent("q3", rule: "other-rule")])
        let found = try store.ledgerEntries(
            rule: "invoice-accepted-quotes",
            targetModule: "Invoices",
            sourceIDs: ["q1", "q2", "q3", "q4"]
        )
        #expect(found.keys.sorted() == ["q1", "q2"])
        #expect(found["q1"]?.state == .pending)
        #expect(found["q1"]?.method == .single)
        #expect(found["q1"]?.key == key("q1"))
        // Another target module is another ledger row.
        #expect(
            try store.ledgerEntries(rule: "invoice-accepted-quotes", targetModule: "Sales_Orders", sourceIDs: ["q1"])
                .isEmpty
        )
    }

    @Test func lookupsLargerThanOneStatementAreChunked() throws {
        let store = try StateStore.inMemory()
        let ids = (0..<1_203).map { "q\($0)" }
        try store.recordIntents(ids.map { intent($0) })
        let found = try store.ledgerEntries(rule: "invoice-accepted-quotes", targetModule: "Invoices", sourceIDs: ids)
        #expect(found.count == 1_203)
    }

    @Test func submittedThenOutcomes() throws {
        let store = try StateStore.inMemory(clock: ManualClock(start: instant(42)))
        try store.recordIntents([intent("q1"), intent("q2"), intent("q3")])
        try store.markSubmitted([key("q1"), key("q2"), key("q3")], jobID: "job-1")
        try store.markOutcome(key("q1"), .converted(childID: "inv-1"))
        try store.markOutcome(key("q2"), .failed(code: "RECORD_LOCKED", message: "the record is locked"))
        try store.markOutcome(key("q3"), .unknown(reason: "job status timed out"))
        let found = try store.ledgerEntries(
            rule: "invoice-accepted-quotes",
            targetModule: "Invoices",
            sourceIDs: ["q1", "q2", "q3"]
        )
        #expect(found["q1"]?.state == .converted)
        #expect(found["q1"]?.childID == "inv-1")
        #expect(found["q1"]?.jobID == "job-1")
        #expect(found["q1"]?.updatedAt == instant(42))
        #expect(found["q2"]?.state == .failed)
        #expect(found["q2"]?.zohoCode == "RECORD_LOCKED")
        #expect(found["q2"]?.message == "the record is locked")
        #expect(found["q3"]?.state == .unknown)
        #expect(found["q3"]?.message == "job status timed out")
    }

    @Test(arguments: [LedgerState.converted, .submitted, .unknown])
    func noNewIntentOverARecordThatMayHaveBeenConverted(_ state: LedgerState) throws {
        let store = try StateStore.inMemory()
        try store.recordIntents([intent("q1")])
        try store.markSubmitted([key("q1")], jobID: nil)
        switch state {
        case .converted: try store.markOutcome(key("q1"), .converted(childID: nil))
        case .unknown: try store.markOutcome(key("q1"), .unknown(reason: "timeout"))
        default: break
        }
        let error = try #require(throws: EngineError.self) {
            try store.recordIntents([intent("q9"), intent("q1", run: "run-2")])
        }
        #expect(error.code == .ledgerConflict)
        #expect(error.description.contains("Quotes/q1"))
        // One transaction: the good entry beside the refused one was not recorded either.
        let found = try store.ledgerEntries(
            rule: "invoice-accepted-quotes",
            targetModule: "Invoices",
            sourceIDs: ["q1", "q9"]
        )
        #expect(found["q9"] == nil)
        #expect(found["q1"]?.state == state)
        #expect(found["q1"]?.runID == "run-1")
    }

    @Test func aFailedRecordMayBeTriedAgain() throws {
        let store = try StateStore.inMemory()
        try store.recordIntents([intent("q1")])
        try store.markOutcome(key("q1"), .failed(code: "RECORD_LOCKED", message: "locked"))
        try store.recordIntents([intent("q1", run: "run-2")])
        let entry = try #require(
            try store.ledgerEntries(rule: "invoice-accepted-quotes", targetModule: "Invoices", sourceIDs: ["q1"])["q1"]
        )
        #expect(entry.state == .pending)
        #expect(entry.runID == "run-2")
        #expect(entry.zohoCode == nil)
        #expect(entry.message == nil)
    }

    @Test func convertedIsFinal() throws {
        let store = try StateStore.inMemory()
        try store.recordIntents([intent("q1")])
        try store.markOutcome(key("q1"), .converted(childID: "inv-1"))
        #expect(throws: EngineError.self) { try store.markOutcome(key("q1"), .failed(code: "X", message: "x")) }
        #expect(throws: EngineError.self) { try store.markOutcome(key("q1"), .unknown(reason: "x")) }
        #expect(throws: EngineError.self) { try store.markSubmitted([key("q1")], jobID: "job") }
        // Confirming again is harmless and keeps the child id it already knew.
        try store.markOutcome(key("q1"), .converted(childID: nil))
        let entry = try store.ledgerEntries(
            rule: "invoice-accepted-quotes",
            targetModule: "Invoices",
            sourceIDs: ["q1"]
        )["q1"]
        #expect(entry?.childID == "inv-1")
    }

    @Test func markingWithoutAnIntentIsNotFound() throws {
        let store = try StateStore.inMemory()
        let submitted = try #require(throws: EngineError.self) { try store.markSubmitted([key("q1")], jobID: nil) }
        #expect(submitted.code == .notFound)
        let outcome = try #require(throws: EngineError.self) {
            try store.markOutcome(key("q1"), .converted(childID: nil))
        }
        #expect(outcome.code == .notFound)
    }

    @Test func unfinishedAreThePendingSubmittedAndUnknown() throws {
        let times = TickingClock(start: 0)
        let store = try StateStore.inMemory(clock: times)
        try store.recordIntents([
            intent("a1", rule: "a"), intent("a2", rule: "a"), intent("a3", rule: "a"), intent("a4", rule: "a"),
            intent("a5", rule: "a"), intent("b1", rule: "b"),
        ])
        try store.markSubmitted([key("a2", rule: "a")], jobID: "j")
        try store.markSubmitted([key("a3", rule: "a")], jobID: "j")
        try store.markOutcome(key("a3", rule: "a"), .unknown(reason: "timeout"))
        try store.markOutcome(key("a4", rule: "a"), .converted(childID: "c"))
        try store.markOutcome(key("a5", rule: "a"), .failed(code: "INVALID_DATA", message: "bad"))
        let all = try store.unfinishedEntries(rule: nil)
        #expect(all.map(\.sourceID) == ["a1", "b1", "a2", "a3"])
        #expect(all.map(\.state) == [.pending, .pending, .submitted, .unknown])
        #expect(try store.unfinishedEntries(rule: "a").map(\.sourceID) == ["a1", "a2", "a3"])
        #expect(try store.unfinishedEntries(rule: "b").map(\.sourceID) == ["b1"])
        #expect(try store.unfinishedEntries(rule: "c").isEmpty)
    }
}

/// Hands out an instant one second later at every reading, so "oldest first" orders are checkable.
final class TickingClock: ZohoClock {
    private let next: Mutex<Int>
    init(start: Int) { next = Mutex(start) }
    func now() -> Date {
        next.withLock { value in
            value += 1
            return instant(value)
        }
    }
    func sleep(for duration: Duration) async throws {}
}

struct StateLedgerBatchTests {
    @Test func batchOutcomesAreAllOrNothing() throws {
        let store = try StateStore.inMemory()
        try store.recordIntents([intent("q1"), intent("q2")])
        try store.markSubmitted([key("q1"), key("q2")], jobID: "job-1")
        // The second key has no intent: the whole batch is refused, q1 stays submitted.
        let error = try #require(throws: EngineError.self) {
            try store.markOutcomes([(key("q1"), .converted(childID: "so-1")), (key("q9"), .converted(childID: nil))])
        }
        #expect(error.code == .notFound)
        #expect(try store.unfinishedEntries(rule: nil).map(\.state) == [.submitted, .submitted])
        try store.markOutcomes([
            (key("q1"), .converted(childID: "so-1")), (key("q2"), .failed(code: "INVALID_DATA", message: "bad")),
        ])
        let found = try store.ledgerEntries(
            rule: "invoice-accepted-quotes",
            targetModule: "Invoices",
            sourceIDs: ["q1", "q2"]
        )
        #expect(found["q1"]?.childID == "so-1")
        #expect(found["q2"]?.state == .failed)
    }
}
