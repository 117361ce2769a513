internal import ZohoCRM

/// Why the engine could not plan or run: the one public error type of the Engine module.
///
/// Per-record refusals from Zoho are not errors; they are recorded outcomes. This type is for what stops a rule or
/// a run: rule files with errors, configuration, the state directory (the state store and the run lock throw it
/// too, with their own codes), or a call that could not be made. Descriptions never hold statement arguments,
/// record values or tokens.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        /// Rule files have lint errors; nothing was sent.
        public static let lintFailed = Code(name: "lint-failed")
        /// zrules.yaml, credentials or flags are wrong.
        public static let configuration = Code(name: "configuration")
        /// A rule cannot become a pipeline.
        public static let compile = Code(name: "compile")
        /// Zoho (or the network) refused a call the rule cannot do without.
        public static let api = Code(name: "api")
        /// The state directory or its database failed (a plan or run could not open or record its state).
        public static let state = Code(name: "state")
        /// The state directory does not exist (e.g. `zrules audit` before any run).
        public static let missingDirectory = Code(name: "missing-directory")
        /// The state directory or its database could not be created or opened.
        public static let cannotOpen = Code(name: "cannot-open")
        /// A schema migration of the state database failed.
        public static let migrationFailed = Code(name: "migration-failed")
        /// A read or write of the state database failed.
        public static let databaseFailed = Code(name: "database-failed")
        /// The run, or ledger entry, named in the call does not exist.
        public static let notFound = Code(name: "not-found")
        /// The call would break the exactly-once rules of the ledger (e.g. a new intent over a converted record).
        public static let ledgerConflict = Code(name: "ledger-conflict")
        /// Another zrules process holds the state directory's run lock.
        public static let locked = Code(name: "locked")
        /// The lock file could not be opened or locked for another reason.
        public static let lockFailed = Code(name: "lock-failed")
        /// A `duplicates: fail` rule met a duplicate and stopped.
        public static let ruleStopped = Code(name: "rule-stopped")
        /// The codes of the state directory: `.state` and the state store's and run lock's own.
        static let stateCodes: Set<Code> = [
            .state, .missingDirectory, .cannotOpen, .migrationFailed, .databaseFailed, .notFound, .ledgerConflict,
            .locked, .lockFailed,
        ]
        /// True for a failure of the state directory (its database, ledger rules or run lock).
        public var isState: Bool { Self.stateCodes.contains(self) }
        /// The code's stable name, e.g. `ledger-conflict`.
        public var description: String { name }
    }

    /// What kind of failure it is.
    public var code: Code
    /// What the engine was doing.
    public var operation: String
    /// What went wrong, without secrets or record values.
    public var message: String
    /// The error underneath, kept for logs and tests.
    public var underlying: (any Error)?

    /// An error of `code` during `operation`.
    public init(_ code: Code, operation: String, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.operation = operation
        self.message = message
        self.underlying = underlying
    }

    /// `operation: message`, then the cause's own message when the message does not already say it; never a
    /// Swift type dump such as `ZohoError(configuration, configuration): …`.
    public var description: String {
        var text = "\(operation): \(message)"
        if let underlying {
            let cause = Self.summary(of: underlying)
            if !message.contains(cause) { text += " (cause: \(cause))" }
        }
        return text
    }

    /// The cause's own words: a `ZohoError`'s or `EngineError`'s message, else its description.
    static func summary(of error: any Error) -> String {
        if let error = error as? ZohoError { return error.message }
        if let error = error as? EngineError { return error.message }
        return String(describing: error)
    }
}
