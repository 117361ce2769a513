import Foundation
import GRDB

/// The state database's schema, as named migrations.
///
/// A migration that has shipped is never edited: a database already migrated would not see the change. Schema
/// changes are new migrations appended at the end.
enum StateSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 runs") { db in
            try db.create(table: RunRow.databaseTableName) { table in
                table.primaryKey("id", .text)
                table.column("startedAt", .datetime).notNull()
                table.column("finishedAt", .datetime)
                table.column("dryRun", .boolean).notNull()
                table.column("rules", .text).notNull()  // JSON array of rule names
                table.column("status", .text).notNull()
                    .check(sql: "status IN ('running','succeeded','partial','failed','interrupted')")
                table.column("selected", .integer).notNull().defaults(to: 0)
                table.column("converted", .integer).notNull().defaults(to: 0)
                table.column("skipped", .integer).notNull().defaults(to: 0)
                table.column("failed", .integer).notNull().defaults(to: 0)
                table.column("unknown", .integer).notNull().defaults(to: 0)
            }
            try db.create(index: "run_on_startedAt", on: RunRow.databaseTableName, columns: ["startedAt"])
        }
        migrator.registerMigration("v1 ledger") { db in
            try db.create(table: LedgerRow.databaseTableName) { table in
                table.column("rule", .text).notNull()
                table.column("sourceModule", .text).notNull()
                table.column("sourceID", .text).notNull()
                table.column("targetModule", .text).notNull()
                table.primaryKey(["rule", "sourceModule", "sourceID", "targetModule"])
                table.column("state", .text).notNull()
                    .check(sql: "state IN ('pending','submitted','converted','failed','unknown')")
                table.column("method", .text).notNull()
                table.column("runID", .text).notNull()
                table.column("jobID", .text)
                table.column("childID", .text)
                table.column("zohoCode", .text)
                table.column("message", .text)
                table.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "ledger_on_state", on: LedgerRow.databaseTableName, columns: ["state"])
            try db.create(
                index: "ledger_on_rule_target_source",
                on: LedgerRow.databaseTableName,
                columns: ["rule", "targetModule", "sourceID"]
            )
        }
        migrator.registerMigration("v1 audit") { db in
            try db.create(table: AuditRow.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("time", .datetime).notNull()
                table.column("runID", .text).notNull()
                table.column("rule", .text).notNull()
                table.column("ruleFile", .text).notNull()
                table.column("ruleLine", .integer).notNull()
                table.column("recordID", .text)
                table.column("module", .text)
                table.column("step", .text).notNull()
                table.column("outcome", .text).notNull()
                table.column("detail", .text)
                table.column("zohoCode", .text)
                table.column("jobID", .text)
                table.column("childID", .text)
                table.column("dryRun", .boolean).notNull()
            }
            for column in ["runID", "rule", "recordID", "childID", "time"] {
                try db.create(index: "audit_on_\(column)", on: AuditRow.databaseTableName, columns: [column])
            }
        }
        migrator.registerMigration("v2 ledger child credited once") { db in
            try creditEachChildOnce(db)
        }
        migrator.registerMigration("v3 ledger pending follow-ups") { db in
            try addPendingFollowUps(db)
        }
        return migrator
    }

    /// Lead conversions may merge several leads into one existing Contact, so only inventory children (a Sales
    /// Order, an Invoice, a Purchase Order: one record created by one conversion) are unique.
    static let uniqueChildCondition = "childID IS NOT NULL AND sourceModule <> 'Leads'"

    /// A child record is credited to one source record at most. Older databases may already credit one child twice
    /// (the reconciliation defect of issue 12): the earliest row keeps it; later rows lose it and become `unknown`,
    /// for a person to check, so the unique index can be built without failing the migration.
    private static func creditEachChildOnce(_ db: Database) throws {
        let table = LedgerRow.databaseTableName
        try db.execute(
            sql: """
                UPDATE \(table)
                SET state = 'unknown',
                    message = 'credited with ' || targetModule || ' ' || childID
                        || ', which another record was credited with first; check by hand',
                    childID = NULL
                WHERE \(uniqueChildCondition)
                  AND EXISTS (
                    SELECT 1 FROM \(table) AS earlier
                    WHERE earlier.targetModule = \(table).targetModule
                      AND earlier.childID = \(table).childID
                      AND earlier.sourceModule <> 'Leads'
                      AND (earlier.updatedAt < \(table).updatedAt
                        OR (earlier.updatedAt = \(table).updatedAt AND earlier.rowid < \(table).rowid))
                  )
                """
        )
        try db.execute(
            sql: """
                CREATE UNIQUE INDEX ledger_child_credited_once ON \(table)(targetModule, childID)
                WHERE \(uniqueChildCondition)
                """
        )
    }

    /// Follow-ups used to be resumed only for records the rule still selected, found by a missing `follow-ups done`
    /// audit event. Converted rows with a child and no such event get `*` (every follow-up the rule has when it next
    /// runs), so their follow-ups are finished by record id, whatever the rule selects now.
    private static func addPendingFollowUps(_ db: Database) throws {
        let table = LedgerRow.databaseTableName
        try db.alter(table: table) { table in table.add(column: "followUps", .text) }
        try db.execute(
            sql: """
                UPDATE \(table) SET followUps = '*'
                WHERE state = 'converted' AND childID IS NOT NULL
                  AND NOT EXISTS (
                    SELECT 1 FROM \(AuditRow.databaseTableName) AS audit
                    WHERE audit.rule = \(table).rule AND audit.recordID = \(table).sourceID
                      AND audit.step = 'follow-ups' AND audit.outcome = 'done' AND NOT audit.dryRun
                  )
                """
        )
    }

    /// Builds the database an older zrules left at `path`: migrated only up to `migration`, holding `ledger` rows
    /// as written then, with no check of today's, and `audit` events. For upgrade tests.
    static func makeOlderDatabase(
        path: String,
        upTo migration: String,
        ledger: [LedgerEntry],
        audit: [AuditEvent] = []
    ) throws {
        let queue = try DatabaseQueue(path: path)
        try migrator.migrate(queue, upTo: migration)
        try queue.write { db in
            for entry in ledger {
                // Only the columns every version has: the older schema may lack the later ones.
                let row = LedgerRow(entry)
                try db.execute(
                    sql: """
                        INSERT INTO \(LedgerRow.databaseTableName)
                        (rule, sourceModule, sourceID, targetModule, state, method, runID, jobID, childID, zohoCode,
                         message, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        row.rule, row.sourceModule, row.sourceID, row.targetModule, row.state, row.method, row.runID,
                        row.jobID, row.childID, row.zohoCode, row.message, row.updatedAt,
                    ]
                )
            }
            for event in audit {
                var row = AuditRow(event)
                try row.insert(db)
            }
        }
    }
}

/// A row of `run`; the public `RunRecord` nests its summary, the table keeps one column per count.
struct RunRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "run"

    var id: String
    var startedAt: Date
    var finishedAt: Date?
    var dryRun: Bool
    var rules: String
    var status: String
    var selected: Int
    var converted: Int
    var skipped: Int
    var failed: Int
    var unknown: Int

    init(_ run: RunRecord) throws {
        id = run.id
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        dryRun = run.dryRun
        rules = String(decoding: try JSONEncoder().encode(run.rules), as: UTF8.self)
        status = run.status.rawValue
        selected = run.summary.selected
        converted = run.summary.converted
        skipped = run.summary.skipped
        failed = run.summary.failed
        unknown = run.summary.unknown
    }

    func record() throws -> RunRecord {
        RunRecord(
            id: id,
            startedAt: startedAt,
            finishedAt: finishedAt,
            dryRun: dryRun,
            rules: try JSONDecoder().decode([String].self, from: Data(rules.utf8)),
            status: RunStatus(rawValue: status) ?? .interrupted,
            summary: RunSummary(
                selected: selected,
                converted: converted,
                skipped: skipped,
                failed: failed,
                unknown: unknown
            )
        )
    }
}

/// A row of `ledger`, field for field a `LedgerEntry`.
struct LedgerRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "ledger"

    var rule: String
    var sourceModule: String
    var sourceID: String
    var targetModule: String
    var state: String
    var method: String
    var runID: String
    var jobID: String?
    var childID: String?
    var zohoCode: String?
    var message: String?
    var updatedAt: Date
    /// Comma-separated pending follow-ups; NULL when none (and in rows written before the v3 migration).
    var followUps: String?

    init(_ entry: LedgerEntry) {
        rule = entry.rule
        sourceModule = entry.sourceModule
        sourceID = entry.sourceID
        targetModule = entry.targetModule
        state = entry.state.rawValue
        method = entry.method.rawValue
        runID = entry.runID
        jobID = entry.jobID
        childID = entry.childID
        zohoCode = entry.zohoCode
        message = entry.message
        updatedAt = entry.updatedAt
        followUps = Self.followUpsText(entry.pendingFollowUps)
    }

    /// The column's text for `steps`: NULL when there are none.
    static func followUpsText(_ steps: [String]) -> String? {
        steps.isEmpty ? nil : steps.joined(separator: ",")
    }

    var entry: LedgerEntry {
        LedgerEntry(
            key: LedgerKey(rule: rule, sourceModule: sourceModule, sourceID: sourceID, targetModule: targetModule),
            // An unreadable state must be reconciled, never trusted as converted.
            state: LedgerState(rawValue: state) ?? .unknown,
            // An unreadable method is treated as an asynchronous one: reconciliation then waits out the grace period.
            method: LedgerMethod(rawValue: method) ?? .mass,
            runID: runID,
            jobID: jobID,
            childID: childID,
            zohoCode: zohoCode,
            message: message,
            updatedAt: updatedAt,
            pendingFollowUps: (followUps ?? "").split(separator: ",").map(String.init)
        )
    }

    static func find(_ key: LedgerKey, in db: Database) throws -> LedgerRow? {
        try LedgerRow.fetchOne(
            db,
            key: [
                "rule": key.rule, "sourceModule": key.sourceModule, "sourceID": key.sourceID,
                "targetModule": key.targetModule,
            ]
        )
    }
}

/// A row of `audit`, field for field an `AuditEvent`.
struct AuditRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audit"

    var id: Int64?
    var time: Date
    var runID: String
    var rule: String
    var ruleFile: String
    var ruleLine: Int
    var recordID: String?
    var module: String?
    var step: String
    var outcome: String
    var detail: String?
    var zohoCode: String?
    var jobID: String?
    var childID: String?
    var dryRun: Bool

    init(_ event: AuditEvent) {
        id = event.id
        time = event.time
        runID = event.runID
        rule = event.rule
        ruleFile = event.ruleFile
        ruleLine = event.ruleLine
        recordID = event.recordID
        module = event.module
        step = event.step
        outcome = event.outcome
        detail = event.detail
        zohoCode = event.zohoCode
        jobID = event.jobID
        childID = event.childID
        dryRun = event.dryRun
    }

    var event: AuditEvent {
        AuditEvent(
            id: id,
            time: time,
            runID: runID,
            rule: rule,
            ruleFile: ruleFile,
            ruleLine: ruleLine,
            recordID: recordID,
            module: module,
            step: step,
            outcome: outcome,
            detail: detail,
            zohoCode: zohoCode,
            jobID: jobID,
            childID: childID,
            dryRun: dryRun
        )
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
