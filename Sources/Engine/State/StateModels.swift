public import Foundation
import RuleKit

/// One invocation of `zrules run` (or one scheduled run of the daemon), as kept in the state database.
public struct RunRecord: Codable, Sendable, Equatable {
    /// Sortable id: UTC start time and a random suffix, e.g. `20261123T091500Z-3f9a`.
    public var id: String
    /// When the run started.
    public var startedAt: Date
    /// When the run ended; nil while it is running (or if it was killed).
    public var finishedAt: Date?
    /// True for a dry-run (`zrules plan`), which writes nothing to the CRM.
    public var dryRun: Bool
    /// Names of the rules the run covered.
    public var rules: [String]
    /// Where the run stands.
    public var status: RunStatus
    /// Record counts.
    public var summary: RunSummary

    /// A run record with every field given.
    public init(
        id: String,
        startedAt: Date,
        finishedAt: Date? = nil,
        dryRun: Bool,
        rules: [String],
        status: RunStatus = .running,
        summary: RunSummary = RunSummary()
    ) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.dryRun = dryRun
        self.rules = rules
        self.status = status
        self.summary = summary
    }

    /// A new run id for a run starting at `date`: `yyyyMMdd'T'HHmmss'Z'-xxxx`, so ids sort by start time.
    public static func makeID(startedAt date: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return makeID(startedAt: date, using: &generator)
    }

    /// A new run id drawing its suffix from `generator` (tests pass a seeded one).
    public static func makeID(startedAt date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let suffix = String(UInt16.random(in: 0...UInt16.max, using: &generator), radix: 16)
        let padded = String(repeating: "0", count: 4 - suffix.count) + suffix
        return "\(TimeFormat.compact(date))-\(padded)"
    }
}

/// Where a run stands.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    /// Started and not finished (or killed; the next run marks such runs `interrupted`).
    case running
    /// Every selected record ended converted or skipped.
    case succeeded
    /// Some records failed or are unknown.
    case partial
    /// The run could not do its work (e.g. the API was unreachable).
    case failed
    /// The process stopped before finishing (killed, crashed, or shut down mid-run).
    case interrupted
}

/// How many records a run selected and how each ended.
public struct RunSummary: Codable, Sendable, Equatable {
    /// Records the rules' queries returned.
    public var selected: Int
    /// Records converted in this run.
    public var converted: Int
    /// Records skipped, each with a reason in the audit log.
    public var skipped: Int
    /// Records Zoho refused, each with Zoho's code in the audit log.
    public var failed: Int
    /// Records whose outcome is not known yet (reconciled by the next run).
    public var unknown: Int

    /// A summary with the given counts (all zero by default).
    public init(selected: Int = 0, converted: Int = 0, skipped: Int = 0, failed: Int = 0, unknown: Int = 0) {
        self.selected = selected
        self.converted = converted
        self.skipped = skipped
        self.failed = failed
        self.unknown = unknown
    }
}

/// Identifies one ledger row: a source record converted by one rule into one target module.
public struct LedgerKey: Hashable, Sendable, CustomStringConvertible {
    /// The rule's name.
    public var rule: String
    /// The source record's module, e.g. `Quotes`.
    public var sourceModule: String
    /// The source record's Zoho id.
    public var sourceID: String
    /// The conversion's target module, e.g. `Invoices` (or `Contacts` for a lead).
    public var targetModule: String

    /// A key with every part given.
    public init(rule: String, sourceModule: String, sourceID: String, targetModule: String) {
        self.rule = rule
        self.sourceModule = sourceModule
        self.sourceID = sourceID
        self.targetModule = targetModule
    }

    /// `rule: Module/id -> Target`.
    public var description: String { "\(rule): \(sourceModule)/\(sourceID) -> \(targetModule)" }
}

/// Where a record's conversion stands in the ledger.
public enum LedgerState: String, Codable, Sendable, CaseIterable {
    /// The intent is recorded; nothing was sent yet (or the process died before it was).
    case pending
    /// The write was sent (for mass convert, the job id is known); the outcome is not confirmed yet.
    case submitted
    /// Confirmed converted; never sent again.
    case converted
    /// Zoho refused it, with its code; a later run may try again.
    case failed
    /// Sent, but the answer was lost (e.g. timed out); must be reconciled before anything is resent.
    case unknown

    /// States that a run must reconcile before sending anything new for the same key.
    public static let unfinished: [LedgerState] = [.pending, .submitted, .unknown]
}

/// One ledger row: the intent to convert a record, and what became of it.
public struct LedgerEntry: Codable, Sendable, Equatable {
    /// The rule's name.
    public var rule: String
    /// The source record's module.
    public var sourceModule: String
    /// The source record's Zoho id.
    public var sourceID: String
    /// The conversion's target module.
    public var targetModule: String
    /// Where the conversion stands.
    public var state: LedgerState
    /// The endpoint used.
    public var method: LedgerMethod
    /// The run that last changed this row.
    public var runID: String
    /// The mass-convert job id, once submitted.
    public var jobID: String?
    /// The new record's id (the invoice, sales order or contact), once converted and known.
    public var childID: String?
    /// Zoho's code for a failure.
    public var zohoCode: String?
    /// Why it failed or is unknown.
    public var message: String?
    /// When this row last changed.
    public var updatedAt: Date
    /// Follow-ups of a converted record not done yet (`owner`, `update`, `tag`, or `*` for all the rule has, from a
    /// database older than this column); each leaves the list when Zoho has done it or refused it.
    public var pendingFollowUps: [String]

    /// An entry with every field given; a fresh intent is `.pending`.
    public init(
        key: LedgerKey,
        state: LedgerState = .pending,
        method: LedgerMethod,
        runID: String,
        jobID: String? = nil,
        childID: String? = nil,
        zohoCode: String? = nil,
        message: String? = nil,
        updatedAt: Date,
        pendingFollowUps: [String] = []
    ) {
        self.rule = key.rule
        self.sourceModule = key.sourceModule
        self.sourceID = key.sourceID
        self.targetModule = key.targetModule
        self.state = state
        self.method = method
        self.runID = runID
        self.jobID = jobID
        self.childID = childID
        self.zohoCode = zohoCode
        self.message = message
        self.updatedAt = updatedAt
        self.pendingFollowUps = pendingFollowUps
    }

    /// The row's key.
    public var key: LedgerKey {
        LedgerKey(rule: rule, sourceModule: sourceModule, sourceID: sourceID, targetModule: targetModule)
    }
}

/// What became of a submitted conversion.
public enum LedgerOutcome: Sendable, Equatable {
    /// Confirmed converted; the child's id when known.
    case converted(childID: String?)
    /// Zoho refused it.
    case failed(code: String, message: String)
    /// The outcome could not be established (e.g. a timeout after sending).
    case unknown(reason: String)
}

/// One line of the audit log: a step of a rule's pipeline for one record (or for the whole rule).
public struct AuditEvent: Codable, Sendable, Equatable {
    /// Assigned by the database on append; increases with every event.
    public var id: Int64?
    /// When it happened.
    public var time: Date
    /// The run it belongs to.
    public var runID: String
    /// The rule's name.
    public var rule: String
    /// The rule's file, as given on the command line.
    public var ruleFile: String
    /// The rule's line in that file (1-based).
    public var ruleLine: Int
    /// The source record, when the event is about one.
    public var recordID: String?
    /// The record's module.
    public var module: String?
    /// The pipeline step, an `AuditStep`'s raw value as written (kept as text, so older databases read).
    public var step: String
    /// What happened, an `AuditOutcome`'s raw value as written.
    public var outcome: String
    /// What was sent or why, usually JSON; never secrets.
    public var detail: String?
    /// Zoho's code, for failures.
    public var zohoCode: String?
    /// The mass-convert job id.
    public var jobID: String?
    /// The new record's id.
    public var childID: String?
    /// True when the event comes from a dry-run.
    public var dryRun: Bool

    /// An event with every field given; `id` is set by `StateStore.append`.
    public init(
        id: Int64? = nil,
        time: Date,
        runID: String,
        rule: String,
        ruleFile: String,
        ruleLine: Int,
        recordID: String? = nil,
        module: String? = nil,
        step: String,
        outcome: String,
        detail: String? = nil,
        zohoCode: String? = nil,
        jobID: String? = nil,
        childID: String? = nil,
        dryRun: Bool
    ) {
        self.id = id
        self.time = time
        self.runID = runID
        self.rule = rule
        self.ruleFile = ruleFile
        self.ruleLine = ruleLine
        self.recordID = recordID
        self.module = module
        self.step = step
        self.outcome = outcome
        self.detail = detail
        self.zohoCode = zohoCode
        self.jobID = jobID
        self.childID = childID
        self.dryRun = dryRun
    }
}

/// Which audit events to read; nil fields match everything.
public struct AuditFilter: Sendable, Equatable {
    /// Only this run's events.
    public var runID: String?
    /// Only this rule's events.
    public var rule: String?
    /// Only events about this source record (or this child record).
    public var recordID: String?
    /// At most this many events: the most recent ones, still listed oldest first.
    public var limit: Int?

    /// A filter; with no arguments it matches every event.
    public init(runID: String? = nil, rule: String? = nil, recordID: String? = nil, limit: Int? = nil) {
        self.runID = runID
        self.rule = rule
        self.recordID = recordID
        self.limit = limit
    }
}

/// Timestamp spellings shared by run ids and the audit renderers (always UTC).
enum TimeFormat {
    /// `20261123T091500Z`.
    static func compact(_ date: Date) -> String {
        let parts = utcParts(date)
        return pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2) + "T" + pad(parts.hour, 2)
            + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }

    /// `2026-11-23T09:15:00Z` (table) or `2026-11-23T09:15:00.123Z` (JSON Lines, CSV).
    static func iso(_ date: Date, milliseconds: Bool) -> String {
        let parts = utcParts(date)
        var text = pad(parts.year, 4) + "-" + pad(parts.month, 2) + "-" + pad(parts.day, 2) + "T" + pad(parts.hour, 2)
        text += ":" + pad(parts.minute, 2) + ":" + pad(parts.second, 2)
        if milliseconds { text += "." + pad(parts.millisecond, 3) }
        return text + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func utcParts(
        _ date: Date
    ) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        let totalMilliseconds = Int((date.timeIntervalSince1970 * 1000).rounded())
        let milliseconds = ((totalMilliseconds % 1000) + 1000) % 1000
        let seconds = (totalMilliseconds - milliseconds) / 1000
        let secondOfDay = ((seconds % 86_400) + 86_400) % 86_400
        let days = (seconds - secondOfDay) / 86_400
        let (year, month, day) = Day.civil(fromDays: days)
        return (year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60, milliseconds)
    }
}
