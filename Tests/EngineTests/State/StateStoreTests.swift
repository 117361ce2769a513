import Engine
import Foundation
import Testing

struct StateStoreTests {
    @Test func freshDatabaseGetsEveryNamedMigration() throws {
        let store = try StateStore.inMemory()
        #expect(
            try store.appliedMigrations() == [
                "v1 runs", "v1 ledger", "v1 audit", "v2 ledger child credited once", "v3 ledger pending follow-ups",
            ]
        )
        #expect(try store.runs(limit: 10).isEmpty)
        #expect(try store.unfinishedEntries(rule: nil).isEmpty)
        #expect(try store.auditEvents(AuditFilter()).isEmpty)
    }

    @Test func runsStartFinishAndListNewestFirst() throws {
        let store = try StateStore.inMemory()
        try store.startRun(RunRecord(id: "20261123T091500Z-0001", startedAt: instant(0), dryRun: false, rules: ["a"]))
        try store.startRun(
            RunRecord(id: "20261123T091600Z-0002", startedAt: instant(60), dryRun: true, rules: ["a", "b"])
        )
        let summary = RunSummary(selected: 5, converted: 3, skipped: 1, failed: 1, unknown: 0)
        try store.finishRun(id: "20261123T091500Z-0001", status: .partial, finishedAt: instant(30), summary: summary)

        let runs = try store.runs(limit: 10)
        #expect(runs.map(\.id) == ["20261123T091600Z-0002", "20261123T091500Z-0001"])
        #expect(runs[1].status == .partial)
        #expect(runs[1].finishedAt == instant(30))
        #expect(runs[1].summary == summary)
        #expect(runs[0].status == .running)
        #expect(runs[0].rules == ["a", "b"])
        #expect(runs[0].dryRun)
        #expect(try store.runs(limit: 1).map(\.id) == ["20261123T091600Z-0002"])
        #expect(try store.run(id: "20261123T091500Z-0001")?.summary.converted == 3)
        #expect(try store.run(id: "nope") == nil)
    }

    @Test func finishingAnUnknownRunIsNotFound() throws {
        let store = try StateStore.inMemory()
        let error = try #require(throws: EngineError.self) {
            try store.finishRun(id: "missing", status: .succeeded, finishedAt: instant(0), summary: RunSummary())
        }
        #expect(error.code == .notFound)
        #expect(error.operation == "finishRun")
    }

    @Test func startingTheSameRunTwiceIsRefused() throws {
        let store = try StateStore.inMemory()
        let run = RunRecord(id: "r", startedAt: instant(0), dryRun: false, rules: [])
        try store.startRun(run)
        #expect(throws: EngineError.self) { try store.startRun(run) }
    }

    @Test func runsLeftRunningAreMarkedInterrupted() throws {
        let store = try StateStore.inMemory()
        try store.startRun(RunRecord(id: "a", startedAt: instant(0), dryRun: false, rules: []))
        try store.startRun(RunRecord(id: "b", startedAt: instant(1), dryRun: false, rules: []))
        try store.finishRun(id: "b", status: .succeeded, finishedAt: instant(2), summary: RunSummary())
        #expect(try store.markInterruptedRuns(finishedAt: instant(10)) == ["a"])
        #expect(try store.run(id: "a")?.status == .interrupted)
        #expect(try store.run(id: "a")?.finishedAt == instant(10))
        #expect(try store.run(id: "b")?.status == .succeeded)
        #expect(try store.markInterruptedRuns(finishedAt: instant(11)).isEmpty)
    }

    @Test func runIDsSortByStartTime() {
        var generator = SeededGenerator(seed: 7)
        let first = RunRecord.makeID(startedAt: instant(0), using: &generator)
        let second = RunRecord.makeID(startedAt: instant(1), using: &generator)
        #expect(first.hasPrefix("20261123T091500Z-"))
        #expect(first.count == "20261123T091500Z-3f9a".count)
        #expect(second.hasPrefix("20261123T091501Z-"))
        #expect(first < second)
        #expect(RunRecord.makeID(startedAt: instant(0)).count == first.count)
    }

    @Test func reopenedFromDiskKeepsEverything() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.url.appendingPathComponent(".zrules")
        do {
            let store = try StateStore(directory: state, clock: ManualClock(start: instant(5)))
            try store.startRun(RunRecord(id: "r1", startedAt: instant(0), dryRun: false, rules: ["x"]))
            try store.recordIntents([intent("q1"), intent("q2")])
            try store.markSubmitted([key("q1")], jobID: "job-9")
            try store.markOutcome(key("q2"), .converted(childID: "inv-2"))
            try store.append([event(1, record: "q2", child: "inv-2")])
        }
        let reopened = try StateStore.open(existingDirectory: state)
        #expect(try reopened.appliedMigrations().count == 5)
        #expect(try reopened.run(id: "r1")?.rules == ["x"])
        let entries = try reopened.ledgerEntries(
            rule: "invoice-accepted-quotes",
            targetModule: "Invoices",
            sourceIDs: ["q1", "q2"]
        )
        #expect(entries["q1"]?.state == .submitted)
        #expect(entries["q1"]?.jobID == "job-9")
        #expect(entries["q1"]?.updatedAt == instant(5))
        #expect(entries["q2"]?.state == .converted)
        #expect(entries["q2"]?.childID == "inv-2")
        #expect(try reopened.auditEvents(AuditFilter()).map(\.childID) == ["inv-2"])
    }

    @Test func aReaderSeesWhatAWriterCommitsOnTheSameFile() throws {
        // The daemon writes while `zrules audit` reads the same directory.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StateStore(directory: directory.url)
        let reader = try StateStore.open(existingDirectory: directory.url)
        #expect(try reader.auditEvents(AuditFilter()).isEmpty)
        try writer.append([event(0), event(1)])
        #expect(try reader.auditEvents(AuditFilter()).count == 2)
        try writer.recordIntents([intent("q1")])
        #expect(try reader.unfinishedEntries(rule: nil).map(\.sourceID) == ["q1"])
    }

    @Test func stateDirectoryAndDatabaseArePrivate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.url.appendingPathComponent("nested/state")
        let store = try StateStore(directory: state)
        let manager = FileManager.default
        let directoryMode = try manager.attributesOfItem(atPath: state.path)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        // Parents are created with ordinary modes; only the state directory itself is private.
        let parentMode =
            try manager.attributesOfItem(atPath: state.deletingLastPathComponent().path)[.posixPermissions] as? Int
        #expect(parentMode != 0o700)
        let file = try #require(store.databaseURL)
        #expect(file.lastPathComponent == "zrules.sqlite")
        let fileMode = try manager.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
    }

    @Test func openingAMissingStateDirectoryIsAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.url.appendingPathComponent("nothing-here")
        let error = try #require(throws: EngineError.self) { try StateStore.open(existingDirectory: missing) }
        #expect(error.code == .missingDirectory)
        #expect(error.description.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        // A directory without a database (e.g. only the lock file) is "nothing has run" too.
        let empty = directory.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(throws: EngineError.self) { try StateStore.open(existingDirectory: empty) }
    }

    @Test func aFileWhereTheDirectoryShouldBeIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("state")
        try Data("x".utf8).write(to: file)
        let error = try #require(throws: EngineError.self) { try StateStore(directory: file) }
        #expect(error.code == .cannotOpen)
    }
}

/// A deterministic generator (SplitMix64) for run-id suffixes.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
