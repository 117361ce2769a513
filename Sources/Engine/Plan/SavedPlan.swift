public import Foundation
import ZohoCRM

/// A plan saved by `zrules plan --out`, which `zrules apply` runs exactly: the records per rule and their decisions,
/// each record's `Modified_Time`, and a digest of the rule files and the configuration it was made from.
public struct SavedPlan: Sendable, Codable, Equatable {
    /// The format this build writes and reads; a plan of another format is refused, never guessed at.
    public static let currentFormat = 1

    /// The plan file's format version.
    public var format: Int
    /// When the plan was made.
    public var createdAt: Date
    /// The rule files or folders the plan was made from, as given; apply reads the same ones.
    public var paths: [String]
    /// The `--rule` selection, as given (all rules when empty).
    public var ruleNames: [String]
    /// Every rule file read, with the SHA-256 of its bytes.
    public var files: [PlannedFile]
    /// The resolved configuration the plan read from (never a secret).
    public var configuration: PlanConfiguration
    /// The org's id, when the plan could read it; nil means apply cannot check the org.
    public var orgID: String?
    /// SHA-256 over the files' digests and the configuration: one value to compare at a glance.
    public var digest: String
    /// Per rule, in the order they run.
    public var rules: [PlannedRule]

    /// Records the plan would convert, over all rules.
    public var pendingCount: Int { rules.reduce(0) { $0 + $1.records.count { $0.decision == .planned } } }

    /// A plan of the current format; `digest` is computed from `files` and `configuration`.
    public init(
        createdAt: Date,
        paths: [String],
        ruleNames: [String],
        files: [PlannedFile],
        configuration: PlanConfiguration,
        orgID: String?,
        rules: [PlannedRule]
    ) {
        self.format = Self.currentFormat
        // Whole seconds: the file keeps ISO-8601 without fractions, and a plan read back must equal the one written.
        self.createdAt = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down))
        self.paths = paths
        self.ruleNames = ruleNames
        self.files = files
        self.configuration = configuration
        self.orgID = orgID
        self.digest = Self.digest(files: files, configuration: configuration)
        self.rules = rules
    }

    /// The digest of the inputs: each file's path and hash, then the configuration's lines.
    public static func digest(files: [PlannedFile], configuration: PlanConfiguration) -> String {
        let text =
            files.map { "file \($0.path) \($0.sha256)\n" }.joined()
            + configuration.lines.map { "config \($0.key)=\($0.value)\n" }.joined()
        return SHA256.hex(text)
    }

    /// Pretty JSON with sorted keys and ISO-8601 dates, as written to disk.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Every member is a string, number, array or dictionary of them: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// Reads a plan file.
    ///
    /// - Throws: `EngineError.Code.configuration` when the file cannot be read, is not a plan, or is of another
    ///   format version.
    public static func read(from url: URL) throws(EngineError) -> SavedPlan {
        let operation = "read the plan \(url.path)"
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw EngineError(.configuration, operation: operation, message: "cannot read it", underlying: error)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        struct Header: Decodable { var format: Int? }
        let format = (try? decoder.decode(Header.self, from: data))?.format
        guard format == currentFormat else {
            throw EngineError(
                .configuration,
                operation: operation,
                message: format.map { "it is a plan of format \($0); this zrules reads format \(currentFormat)" }
                    ?? "it is not a saved plan (no format version); make one with `zrules plan --out`"
            )
        }
        do {
            return try decoder.decode(SavedPlan.self, from: data)
        } catch {
            throw EngineError(
                .configuration,
                operation: operation,
                message: "it is not a valid plan",
                underlying: error
            )
        }
    }
}

/// A rule file a plan was made from.
public struct PlannedFile: Sendable, Codable, Equatable {
    /// The path as the linter read it.
    public var path: String
    /// SHA-256 of its bytes, in hexadecimal.
    public var sha256: String

    /// A file and its digest.
    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }
}

/// The configuration a plan was read from: what decides which org and which limits, never a credential.
public struct PlanConfiguration: Sendable, Codable, Equatable {
    /// `us`, `eu`, ….
    public var dataCentre: String
    /// `production`, `sandbox` or `developer`.
    public var environment: String
    /// The API host; for a loopback emulator without its port, which changes at every start.
    public var apiHost: String
    /// `v8`, ….
    public var apiVersion: String
    /// The edition whose limits apply.
    public var edition: String
    /// The state directory (ledger and audit log).
    public var stateDirectory: String

    /// A configuration.
    public init(
        dataCentre: String,
        environment: String,
        apiHost: String,
        apiVersion: String,
        edition: String,
        stateDirectory: String
    ) {
        self.dataCentre = dataCentre
        self.environment = environment
        self.apiHost = apiHost
        self.apiVersion = apiVersion
        self.edition = edition
        self.stateDirectory = stateDirectory
    }

    /// Its values by name, in a fixed order (for the digest and for saying what changed).
    public var lines: [(key: String, value: String)] {
        [
            ("data_centre", dataCentre), ("environment", environment), ("api_host", apiHost),
            ("api_version", apiVersion), ("edition", edition), ("state_directory", stateDirectory),
        ]
    }

    /// True when it talks to a loopback emulator, which is never a production org.
    public var isLoopback: Bool {
        guard let host = URL(string: apiHost)?.host else { return false }
        return ZohoConfiguration.isLoopback(host: host)
    }
}

/// One rule of a saved plan.
public struct PlannedRule: Sendable, Codable, Equatable {
    /// The rule's name.
    public var name: String
    /// Where it is written.
    public var file: String
    /// Its line.
    public var line: Int
    /// Source and target module.
    public var module: String
    /// The target module.
    public var target: String
    /// `mass`, `single`, `lead-mass+single`, ….
    public var method: String
    /// The write endpoints a run calls, with counts (`POST /crm/v8/Quotes/actions/mass_convert × 1`).
    public var endpoints: [String]
    /// The batches of record ids a run sends.
    public var batches: [[String]]
    /// Every record the plan decided on.
    public var records: [PlannedRecord]
    /// Why the rule could not be planned, if it could not.
    public var error: String?

    /// A planned rule.
    public init(
        name: String,
        file: String,
        line: Int,
        module: String,
        target: String,
        method: String,
        endpoints: [String],
        batches: [[String]],
        records: [PlannedRecord],
        error: String?
    ) {
        self.name = name
        self.file = file
        self.line = line
        self.module = module
        self.target = target
        self.method = method
        self.endpoints = endpoints
        self.batches = batches
        self.records = records
        self.error = error
    }
}

/// One record of a saved plan and what the plan decided for it.
public struct PlannedRecord: Sendable, Codable, Equatable {
    /// The source record's id.
    public var id: String
    /// Its readable name.
    public var name: String
    /// `planned` (would convert), `skipped`, `failed` (will be refused) or `unknown`.
    public var decision: RecordOutcome.Status
    /// `mass`, `single` or `lead`, for a record that would convert.
    public var method: String?
    /// Why it is skipped or will fail.
    public var reason: String?
    /// Its `Modified_Time` when the plan read it; nil when the plan could not read it (apply then says so).
    public var modifiedTime: String?
    /// The existing records a lead conversion merges into.
    public var merges: [MergeTarget]

    /// A planned record.
    public init(
        id: String,
        name: String,
        decision: RecordOutcome.Status,
        method: String? = nil,
        reason: String? = nil,
        modifiedTime: String? = nil,
        merges: [MergeTarget] = []
    ) {
        self.id = id
        self.name = name
        self.decision = decision
        self.method = method
        self.reason = reason
        self.modifiedTime = modifiedTime
        self.merges = merges
    }
}
