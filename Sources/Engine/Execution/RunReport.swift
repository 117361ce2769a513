public import Foundation

/// What became of one selected record.
public struct RecordOutcome: Sendable, Codable, Equatable {
    /// The record's fate.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Dry-run: would be converted.
        case planned
        /// Converted and confirmed.
        case converted
        /// Not converted, on purpose; `reason` says why.
        case skipped
        /// Zoho refused; `zohoCode` says how. In a dry-run: will be refused (locked, unapproved, an empty template
        /// field), with the reason.
        case failed
        /// A write was sent but its result could not be confirmed; it is never resent blindly.
        case unknown
    }

    /// The source record's id.
    public var recordID: String
    /// A readable name (Subject, lead name).
    public var name: String
    /// The record's fate.
    public var status: Status
    /// Why it was skipped, or Zoho's message.
    public var reason: String?
    /// Zoho's code for a failure.
    public var zohoCode: String?
    /// The record created from it.
    public var childID: String?
    /// The mass-convert job it went through.
    public var jobID: String?
    /// `mass`, `single` or `lead`.
    public var method: String?
    /// The values of the fields the rule tests, for the plan.
    public var tested: [String: String]
    /// Follow-up results and lead matches, one line each.
    public var notes: [String]
    /// True when a follow-up (update, tag) failed after the conversion.
    public var followUpFailed: Bool
    /// Plan: the values the rule's `update` writes on this record, by field API name.
    public var writes: [String: String] = [:]
    /// Plan: the tags the rule adds.
    public var tags: [String] = []
    /// Plan: the owner the rule assigns to the new record (name and email), when it assigns one.
    public var owner: String?
    /// Plan: the rendered fields of the record to be created (a deal's `Deal_Name`, …), by field API name.
    public var fields: [String: String] = [:]
    /// Plan: the existing records a lead conversion merges into.
    public var merges: [MergeTarget] = []
    /// The record's `Modified_Time` as Zoho returned it when it was selected; a saved plan compares it at apply.
    public var modifiedTime: String?
    /// Plan: the earlier rule of this run whose conversion decides this record (it is skipped, or refused as already
    /// converted, under this rule); nil otherwise.
    public var earlierRule: String?

    /// An outcome for `recordID`.
    public init(
        recordID: String,
        name: String,
        status: Status,
        reason: String? = nil,
        zohoCode: String? = nil,
        childID: String? = nil,
        jobID: String? = nil,
        method: String? = nil,
        tested: [String: String] = [:],
        notes: [String] = [],
        followUpFailed: Bool = false
    ) {
        self.recordID = recordID
        self.name = name
        self.status = status
        self.reason = reason
        self.zohoCode = zohoCode
        self.childID = childID
        self.jobID = jobID
        self.method = method
        self.tested = tested
        self.notes = notes
        self.followUpFailed = followUpFailed
    }
}

/// An existing record a lead conversion merges into, as a reviewer recognises it.
public struct MergeTarget: Sendable, Codable, Equatable {
    /// `Contacts` or `Accounts`.
    public var module: String
    /// Its id.
    public var id: String
    /// Its name (`Full_Name`, `Account_Name`).
    public var name: String
    /// Its email, when it has one.
    public var email: String?

    /// A merge target.
    public init(module: String, id: String, name: String, email: String? = nil) {
        self.module = module
        self.id = id
        self.name = name
        self.email = email
    }
}

/// Where a plan or run read from and wrote to, for its header: sandbox and production must not look the same.
public struct PlanTarget: Sendable, Codable, Equatable {
    /// The data centre (`us`, `eu`, …), or `loopback` for an emulator.
    public var dataCentre: String
    /// `production`, `sandbox`, `developer` or `emulator`.
    public var environment: String
    /// The API host, e.g. `https://www.zohoapis.eu`.
    public var apiHost: String
    /// The API version, e.g. `v8`.
    public var apiVersion: String
    /// The edition whose limits apply.
    public var edition: String
    /// The org's company name, from `GET /org`, when it could be read.
    public var orgName: String?
    /// The org's id (`zgid`/`id`), when it could be read.
    public var orgID: String?

    /// A target.
    public init(
        dataCentre: String,
        environment: String,
        apiHost: String,
        apiVersion: String,
        edition: String,
        orgName: String? = nil,
        orgID: String? = nil
    ) {
        self.dataCentre = dataCentre
        self.environment = environment
        self.apiHost = apiHost
        self.apiVersion = apiVersion
        self.edition = edition
        self.orgName = orgName
        self.orgID = orgID
    }
}

/// API calls of one kind: made (reads, and writes in a run) or that a run would make (dry-run).
public struct CallEstimate: Sendable, Codable, Equatable {
    /// Method and path template, e.g. `POST /crm/v7/Quotes/actions/mass_convert`.
    public var endpoint: String
    /// How many calls.
    public var calls: Int
    /// API credits they cost.
    public var credits: Int
    /// True when Zoho does not document the cost and 1 a call was assumed.
    public var assumedCost: Bool
}

/// One rule's plan or run.
public struct RuleReport: Sendable, Codable {
    /// The rule's name.
    public var rule: String
    /// Where the rule is written.
    public var file: String
    /// The rule's line.
    public var line: Int
    /// The source module.
    public var module: String
    /// The target module.
    public var target: String
    /// mass, single, or lead.
    public var method: String
    /// Why that method.
    public var methodReason: String
    /// The selection query (LIMIT/OFFSET added per page).
    public var query: String
    /// Comparisons applied by Zoho.
    public var serverSide: [String]
    /// Comparisons applied only on our side.
    public var localOnly: [String]
    /// The pipeline's steps, in order, for the plan.
    public var steps: [String]
    /// OAuth scopes the rule needs.
    public var scopes: [String]
    /// Every selected record's outcome.
    public var records: [RecordOutcome]
    /// Records Zoho returned that did not match the rule on our side.
    public var excludedByRecheck: Int
    /// The batches (record ids) a run sends, or sent.
    public var batches: [[String]]
    /// Calls made while planning or running.
    public var callsMade: [CallEstimate]
    /// Calls a run would add (dry-run only).
    public var callsToCome: [CallEstimate]
    /// Why the rule could not run, if it could not.
    public var error: String?

    /// Count of records with `status`.
    public func count(_ status: RecordOutcome.Status) -> Int {
        records.count { $0.status == status }
    }
}

/// A whole plan or run.
public struct RunReport: Sendable, Codable {
    /// The run's id in the state directory.
    public var runID: String
    /// True for `zrules plan`.
    public var dryRun: Bool
    /// When it started.
    public var startedAt: Date
    /// When it finished.
    public var finishedAt: Date
    /// Per rule.
    public var rules: [RuleReport]
    /// True when the run was asked to stop (Ctrl-C, SIGTERM) before it finished: rules not yet started are not
    /// in `rules`, and records a rule had not sent yet stay for the next run.
    public var stopped = false
    /// The rules a stop left before they started, in order; the next run carries on with them.
    public var notStarted: [String] = []
    /// Where it read from (data centre, environment, org), for the plan's header; nil when not known.
    public var target: PlanTarget?

    /// Every record outcome of every rule.
    public var records: [RecordOutcome] { rules.flatMap(\.records) }

    /// True when some record failed, some outcome is unknown, a follow-up failed, or a rule could not run.
    public var hasFailures: Bool {
        rules.contains { $0.error != nil }
            || records.contains { $0.status == .failed || $0.status == .unknown || $0.followUpFailed }
    }

    /// The state store's summary of this run.
    public var summary: RunSummary {
        RunSummary(
            selected: records.count,
            converted: records.count { $0.status == .converted },
            skipped: records.count { $0.status == .skipped },
            failed: records.count { $0.status == .failed },
            unknown: records.count { $0.status == .unknown }
        )
    }
}

/// What the executor reports while it works, for progress bars and plain progress lines.
public enum ProgressEvent: Sendable {
    /// A rule started; `total` records will be processed.
    case ruleStarted(rule: String, total: Int)
    /// `done` of the rule's records have an outcome.
    case advanced(rule: String, done: Int, total: Int)
    /// A line worth showing (a job scheduled, a reconcile).
    case note(rule: String, message: String)
    /// The rule finished.
    case ruleFinished(rule: String)
    /// Zoho accepted a mass-convert job, `jobID`, for `records` records; the run now waits for it.
    case jobSubmitted(rule: String, jobID: String, records: Int)
    /// A mass-convert job's status as Zoho last gave it (`state`: SCHEDULED, IN PROGRESS, COMPLETED, FAILED), `elapsed`
    /// since this run began waiting for it, and `converted` of `total` records converted so far.
    case jobStatus(rule: String, jobID: String, state: String, elapsed: Duration, converted: Int, total: Int)
}
