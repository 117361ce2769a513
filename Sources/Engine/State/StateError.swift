/// A failure of the state directory: the database, its migrations, the ledger rules or the run lock.
///
/// The description names the operation and, for a database failure, SQLite's message; it never holds statement
/// arguments, so record values and tokens stay out of logs.
public struct StateError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable for tests and exit codes.
    public enum Code: String, Sendable {
        /// The state directory does not exist (e.g. `zrules audit` before any run).
        case missingDirectory = "missing-directory"
        /// The state directory or its database could not be created or opened.
        case cannotOpen = "cannot-open"
        /// A schema migration failed.
        case migrationFailed = "migration-failed"
        /// A read or write failed.
        case databaseFailed = "database-failed"
        /// The run, or ledger entry, named in the call does not exist.
        case notFound = "not-found"
        /// The call would break the exactly-once rules of the ledger (e.g. a new intent over a converted record).
        case ledgerConflict = "ledger-conflict"
        /// Another zrules process holds the run lock.
        case locked
        /// The lock file could not be opened or locked for another reason.
        case lockFailed = "lock-failed"
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was being done, e.g. `recordIntents`.
    public let operation: String
    /// The specifics, written for the admin reading them.
    public let message: String
    /// The error that caused this one, if any.
    public let underlying: (any Error)?

    /// An error with its code, operation, message and cause.
    public init(code: Code, operation: String, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.operation = operation
        self.message = message
        self.underlying = underlying
    }

    /// `state: operation: message (cause) [code]`.
    public var description: String {
        var text = "state: \(operation): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text + " [\(code.rawValue)]"
    }
}
