public import Foundation
import GRDB
public import ZohoCRM

/// The state directory's database: runs, the exactly-once ledger, and the audit log.
///
/// One SQLite file, `zrules.sqlite`, in WAL mode so `zrules audit` can read while a run writes. Every method is
/// synchronous and short; each write is one transaction. All methods throw `EngineError` with one of its state codes.
public struct StateStore: Sendable {
    /// The database file's name inside the state directory.
    public static let databaseFileName = "zrules.sqlite"
    /// The state directory used when none is configured.
    public static let defaultDirectory = ".zrules"

    private let database: DatabaseQueue
    /// Stamps ledger rows (`updatedAt`); the process's one clock, so the executor and the ledger agree.
    private let clock: any ZohoClock
    /// The database file, or nil for an in-memory store.
    public let databaseURL: URL?

    /// Opens (creating them if needed) the state directory, mode 0700, and its database, then migrates it.
    public init(directory: URL, clock: any ZohoClock = ZohoSystemClock()) throws(EngineError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue {
                throw EngineError(
                    .cannotOpen,
                    operation: "open",
                    message: "\(directory.path) is a file, not a state directory"
                )
            }
        } else {
            try Self.createPrivateDirectory(directory, code: .cannotOpen, operation: "open")
        }
        let file = directory.appendingPathComponent(Self.databaseFileName)
        let isNew = !manager.fileExists(atPath: file.path)
        var configuration = Configuration()
        configuration.journalMode = .wal
        // A daemon and a manual `zrules audit` may touch the file at once; wait briefly instead of failing.
        configuration.busyMode = .timeout(5)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: file.path, configuration: configuration)
        } catch {
            throw EngineError(
                .cannotOpen,
                operation: "open",
                message: "cannot open \(file.path)",
                underlying: error
            )
        }
        if isNew {
            // The ledger and audit log describe the org's records; keep them private to the owner.
            try? manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        }
        try self.init(database: queue, url: file, clock: clock)
    }

    /// Creates `directory` (and missing parents, with default modes) and makes the directory itself 0700.
    static func createPrivateDirectory(
        _ directory: URL,
        code: EngineError.Code,
        operation: String
    ) throws(EngineError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        } catch {
            throw EngineError(
                code,
                operation: operation,
                message: "cannot create the state directory \(directory.path)",
                underlying: error
            )
        }
    }

    /// Opens the database of an existing state directory; `.missingDirectory` when there is none (nothing has run).
    public static func open(
        existingDirectory directory: URL,
        clock: any ZohoClock = ZohoSystemClock()
    ) throws(EngineError) -> StateStore {
        let file = directory.appendingPathComponent(databaseFileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            let exists = FileManager.default.fileExists(atPath: directory.path)
            throw EngineError(
                .missingDirectory,
                operation: "open",
                message: exists
                    ? "\(directory.path) holds no \(databaseFileName); nothing has run with this state directory yet"
                    : "state directory \(directory.path) does not exist; run `zrules run` first or pass --state DIR"
            )
        }
        return try StateStore(directory: directory, clock: clock)
    }

    /// A migrated database in memory, for tests and dry-runs that keep nothing.
    public static func inMemory(clock: any ZohoClock = ZohoSystemClock()) throws(EngineError) -> StateStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue()
        } catch {
            throw EngineError(.cannotOpen, operation: "open", message: "cannot open a memory database")
        }
        return try StateStore(database: queue, url: nil, clock: clock)
    }

    private init(database: DatabaseQueue, url: URL?, clock: any ZohoClock) throws(EngineError) {
        self.database = database
        self.databaseURL = url
        self.clock = clock
        do {
            try StateSchema.migrator.migrate(database)
        } catch {
            throw EngineError(
                .migrationFailed,
                operation: "migrate",
                message: "cannot bring the state database up to date",
                underlying: error
            )
        }
    }

    /// Names of the migrations applied to this database, in order.
    public func appliedMigrations() throws(EngineError) -> [String] {
        try read("appliedMigrations") { db in try StateSchema.migrator.appliedMigrations(db) }
    }

    // MARK: Runs

    /// Records a run as started.
    public func startRun(_ run: RunRecord) throws(EngineError) {
        try write("startRun") { db in
            if try RunRow.exists(db, key: run.id) {
                throw EngineError(.ledgerConflict, operation: "startRun", message: "run \(run.id) already exists")
            }
            try RunRow(run).insert(db)
        }
    }

    /// Records how a run ended.
    public func finishRun(
        id: String,
        status: RunStatus,
        finishedAt: Date,
        summary: RunSummary
    ) throws(EngineError) {
        try write("finishRun") { db in
            guard var row = try RunRow.fetchOne(db, key: id) else {
                throw EngineError(.notFound, operation: "finishRun", message: "no run with id \(id)")
            }
            var run = try row.record()
            run.status = status
            run.finishedAt = finishedAt
            run.summary = summary
            row = try RunRow(run)
            try row.update(db)
        }
    }

    /// Marks every run still `running` as `interrupted`; call it holding the `RunLock`, when no run can be live.
    /// Returns the ids it marked.
    @discardableResult
    public func markInterruptedRuns(finishedAt: Date) throws(EngineError) -> [String] {
        try write("markInterruptedRuns") { db in
            let stale = try RunRow.filter(Column("status") == RunStatus.running.rawValue).order(Column("id")).fetchAll(
                db
            )
            for var row in stale {
                row.status = RunStatus.interrupted.rawValue
                row.finishedAt = finishedAt
                try row.update(db)
            }
            return stale.map(\.id)
        }
    }

    /// The most recent runs, newest first.
    public func runs(limit: Int) throws(EngineError) -> [RunRecord] {
        try read("runs") { db in
            try RunRow.order(Column("startedAt").desc, Column("id").desc).limit(max(0, limit)).fetchAll(db)
                .map { try $0.record() }
        }
    }

    /// One run by id.
    public func run(id: String) throws(EngineError) -> RunRecord? {
        try read("run") { db in try RunRow.fetchOne(db, key: id)?.record() }
    }

    // MARK: Ledger

    /// The ledger rows of `rule` converting into `targetModule` for the given source ids, by source id.
    public func ledgerEntries(
        rule: String,
        targetModule: String,
        sourceIDs: [String]
    ) throws(EngineError) -> [String: LedgerEntry] {
        try read("ledgerEntries") { db in
            var found: [String: LedgerEntry] = [:]
            // Chunks keep each statement well under SQLite's limit on bound parameters.
            var start = 0
            while start < sourceIDs.count {
                let chunk = Array(sourceIDs[start..<min(start + 500, sourceIDs.count)])
                let rows =
                    try LedgerRow
                    .filter(Column("rule") == rule && Column("targetModule") == targetModule)
                    .filter(chunk.contains(Column("sourceID")))
                    .fetchAll(db)
                for row in rows { found[row.sourceID] = row.entry }
                start += 500
            }
            return found
        }
    }

    /// Records the intent to convert each entry (state `.pending`), all in one transaction, before anything is sent.
    ///
    /// Refuses (and records none) when any key is already `converted`, `submitted` or `unknown`: such a record
    /// must be reconciled (`markOutcome`) first, or it could be converted twice. `pending` and `failed` rows are
    /// replaced.
    public func recordIntents(_ entries: [LedgerEntry]) throws(EngineError) {
        try write("recordIntents") { db in
            var blocked: [String] = []
            for entry in entries {
                if let existing = try LedgerRow.find(entry.key, in: db),
                    let state = LedgerState(rawValue: existing.state),
                    state != .pending && state != .failed
                {
                    blocked.append("\(entry.key) is \(state.rawValue)")
                }
            }
            if !blocked.isEmpty {
                throw EngineError(
                    .ledgerConflict,
                    operation: "recordIntents",
                    message: "not recording intents over records that must not be sent again: "
                        + blocked.prefix(5).joined(separator: "; ")
                        + (blocked.count > 5 ? "; and \(blocked.count - 5) more" : "")
                )
            }
            for entry in entries {
                var pending = entry
                pending.state = .pending
                pending.jobID = nil
                pending.childID = nil
                pending.zohoCode = nil
                pending.message = nil
                pending.pendingFollowUps = []
                try LedgerRow(pending).upsert(db)
            }
        }
    }

    /// Marks `pending` entries as sent (`.submitted`), with the mass-convert job id when there is one.
    public func markSubmitted(_ keys: [LedgerKey], jobID: String?) throws(EngineError) {
        let time = clock.now()
        try write("markSubmitted") { db in
            for key in keys {
                guard var row = try LedgerRow.find(key, in: db) else {
                    throw EngineError(.notFound, operation: "markSubmitted", message: "no intent for \(key)")
                }
                guard row.state == LedgerState.pending.rawValue || row.state == LedgerState.submitted.rawValue else {
                    throw EngineError(
                        .ledgerConflict,
                        operation: "markSubmitted",
                        message: "\(key) is \(row.state), not pending; record the intent first"
                    )
                }
                row.state = LedgerState.submitted.rawValue
                row.jobID = jobID
                row.updatedAt = time
                try row.update(db)
            }
        }
    }

    /// Records what became of a conversion. `converted` is final: it cannot be turned into anything else.
    public func markOutcome(_ key: LedgerKey, _ outcome: LedgerOutcome) throws(EngineError) {
        try markOutcomes([(key, outcome)])
    }

    /// Records the outcomes of a batch (e.g. a confirmed mass-convert job) in one transaction; all or none.
    ///
    /// A row that becomes `converted` gets `followUps[key]` as its pending follow-ups (a row already converted keeps
    /// its own). `audit` is appended in the same transaction, so a kill cannot keep the outcome and lose its events.
    public func markOutcomes(
        _ outcomes: [(key: LedgerKey, outcome: LedgerOutcome)],
        followUps: [LedgerKey: [String]] = [:],
        audit: [AuditEvent] = []
    ) throws(EngineError) {
        let time = clock.now()
        try write("markOutcome") { db in
            try Self.insert(audit, in: db)
            for (key, outcome) in outcomes {
                guard var row = try LedgerRow.find(key, in: db) else {
                    throw EngineError(.notFound, operation: "markOutcome", message: "no intent for \(key)")
                }
                let wasConverted = row.state == LedgerState.converted.rawValue
                switch outcome {
                case .converted(let childID):
                    if let childID, let holder = try Self.creditHolder(of: childID, for: key, in: db) {
                        throw Self.creditConflict(childID, key: key, holder: holder)
                    }
                    if !wasConverted { row.followUps = LedgerRow.followUpsText(followUps[key] ?? []) }
                    row.state = LedgerState.converted.rawValue
                    row.childID = childID ?? row.childID
                    row.zohoCode = nil
                    row.message = nil
                case .failed(let code, let message):
                    if wasConverted { throw Self.finalConflict(key) }
                    row.state = LedgerState.failed.rawValue
                    row.zohoCode = code
                    row.message = message
                case .unknown(let reason):
                    if wasConverted { throw Self.finalConflict(key) }
                    row.state = LedgerState.unknown.rawValue
                    row.message = reason
                }
                row.updatedAt = time
                try row.update(db)
            }
        }
    }

    /// The other ledger row already credited with `childID` in `key`'s target module, if any. Leads are exempt:
    /// several leads may be merged into one existing Contact.
    private static func creditHolder(of childID: String, for key: LedgerKey, in db: Database) throws -> LedgerKey? {
        guard key.sourceModule != "Leads" else { return nil }
        let rows =
            try LedgerRow
            .filter(Column("targetModule") == key.targetModule && Column("childID") == childID)
            .filter(Column("sourceModule") != "Leads")
            .fetchAll(db)
        return rows.map(\.entry.key).first { $0 != key }
    }

    private static func creditConflict(_ childID: String, key: LedgerKey, holder: LedgerKey) -> EngineError {
        EngineError(
            .ledgerConflict,
            operation: "markOutcome",
            message: "\(key.targetModule) \(childID) is already credited to \(holder); a record is the result of one "
                + "conversion only"
        )
    }

    /// Which of `childIDs` in `targetModule` the ledger already credits to a source record (of any rule), with
    /// that record's key. Reconciliation excludes them: a child is the result of one conversion only.
    public func creditedChildren(
        targetModule: String,
        childIDs: [String]
    ) throws(EngineError) -> [String: LedgerKey] {
        try read("creditedChildren") { db in
            var found: [String: LedgerKey] = [:]
            for chunk in childIDs.chunked(into: 500) {
                let rows =
                    try LedgerRow
                    .filter(Column("targetModule") == targetModule && chunk.contains(Column("childID")))
                    .fetchAll(db)
                for row in rows { if let child = row.childID { found[child] = row.entry.key } }
            }
            return found
        }
    }

    private static func finalConflict(_ key: LedgerKey) -> EngineError {
        EngineError(
            .ledgerConflict,
            operation: "markOutcome",
            message: "\(key) is already converted; a converted record cannot fail or become unknown"
        )
    }

    /// Converted entries of `rule` into `targetModule` whose follow-ups are not all done, oldest first.
    public func entriesWithPendingFollowUps(rule: String, targetModule: String) throws(EngineError) -> [LedgerEntry] {
        try read("entriesWithPendingFollowUps") { db in
            try LedgerRow
                .filter(Column("rule") == rule && Column("targetModule") == targetModule)
                .filter(Column("state") == LedgerState.converted.rawValue && Column("followUps") != nil)
                .order(Column("updatedAt"), Column("sourceID"))
                .fetchAll(db).map(\.entry)
        }
    }

    /// Sets the pending follow-ups of converted entries (those Zoho has done or refused are gone from `remaining`)
    /// and appends `audit`, in one transaction.
    public func setPendingFollowUps(_ remaining: [LedgerKey: [String]], audit: [AuditEvent]) throws(EngineError) {
        try write("setPendingFollowUps") { db in
            try Self.insert(audit, in: db)
            for (key, steps) in remaining {
                guard var row = try LedgerRow.find(key, in: db), row.state == LedgerState.converted.rawValue else {
                    throw EngineError(
                        .notFound,
                        operation: "setPendingFollowUps",
                        message: "no converted entry for \(key)"
                    )
                }
                row.followUps = LedgerRow.followUpsText(steps)
                try row.update(db)
            }
        }
    }

    /// Entries a run must reconcile before sending anything new: `pending`, `submitted` and `unknown`, optionally
    /// of one rule, oldest first.
    public func unfinishedEntries(rule: String?) throws(EngineError) -> [LedgerEntry] {
        try read("unfinishedEntries") { db in
            var request = LedgerRow.filter(LedgerState.unfinished.map(\.rawValue).contains(Column("state")))
            if let rule { request = request.filter(Column("rule") == rule) }
            return try request.order(Column("updatedAt"), Column("rule"), Column("sourceModule"), Column("sourceID"))
                .fetchAll(db).map(\.entry)
        }
    }

    // MARK: Audit

    /// Appends events to the audit log in one transaction; ids are assigned in order.
    public func append(_ events: [AuditEvent]) throws(EngineError) {
        try write("append") { db in try Self.insert(events, in: db) }
    }

    private static func insert(_ events: [AuditEvent], in db: Database) throws {
        for event in events {
            var row = AuditRow(event)
            row.id = nil
            try row.insert(db)
        }
    }

    /// Events matching `filter`, oldest first; with a limit, the most recent `limit` of them.
    ///
    /// `recordID` matches the source record or the record the conversion created.
    public func auditEvents(_ filter: AuditFilter) throws(EngineError) -> [AuditEvent] {
        try read("auditEvents") { db in
            var request = AuditRow.all()
            if let runID = filter.runID { request = request.filter(Column("runID") == runID) }
            if let rule = filter.rule { request = request.filter(Column("rule") == rule) }
            if let recordID = filter.recordID {
                request = request.filter(Column("recordID") == recordID || Column("childID") == recordID)
            }
            request = request.order(Column("time").desc, Column("id").desc)
            if let limit = filter.limit { request = request.limit(max(0, limit)) }
            return try request.fetchAll(db).reversed().map(\.event)
        }
    }

    // MARK: Plumbing

    private func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(EngineError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw Self.wrap(error, operation)
        }
    }

    private func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(EngineError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw Self.wrap(error, operation)
        }
    }

    private static func wrap(_ error: any Error, _ operation: String) -> EngineError {
        if let error = error as? EngineError { return error }
        return EngineError(
            .databaseFailed,
            operation: operation,
            message: "the state database could not complete the request",
            underlying: error
        )
    }
}
