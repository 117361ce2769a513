import ArgumentParser
import Foundation
import ZohoCRM

/// The one table of exit codes for every command (the README's "CLI reference" repeats it).
enum ExitStatus: Int32, CaseIterable {
    /// Done: clean lint, everything planned or converted.
    case success = 0
    /// Something needs a person: lint findings, records that failed or whose outcome is unknown.
    case attention = 1
    /// Could not start: a bad flag or value, configuration, credentials, lint errors before plan or run, state.
    case couldNotRun = 2
    /// A rule could not run at all (token endpoint unreachable, a query Zoho refused); no record failed for it.
    case ruleFailed = 3
    /// Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it); the summary says what is pending.
    case interrupted = 130

    /// The argument parser's error as this table's code: usage errors (argument-parser's 64) are "could not run".
    static func code(for error: any Error, command: any ParsableCommand.Type) -> Int32 {
        if let error = error as? ZohoError {
            return error.code == .configuration || error.code == .credentials
                ? couldNotRun.rawValue : attention.rawValue
        }
        let parsed = command.exitCode(for: error)
        if parsed == .validationFailure { return couldNotRun.rawValue }
        return parsed.rawValue
    }

    /// What to print for `error`: the library's own sentence for its errors, argument-parser's message otherwise.
    static func message(for error: any Error, command: any ParsableCommand.Type) -> String {
        if let error = error as? ZohoError { return "Error: \(error.message)" }
        return command.fullMessage(for: error)
    }

    /// Throws the exit for this status (nothing for success).
    func exit() throws {
        if self != .success { throw ExitCode(rawValue) }
    }
}
