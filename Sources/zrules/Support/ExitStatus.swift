import ArgumentParser
import Foundation
import ZohoCRM

/// The one table of exit codes for every command (the README's "Exit codes" repeats it).
///
/// `plan` follows Terraform's `-detailed-exitcode`, so CI can tell "nothing to do" from "changes pending" from
/// "broken": 0, 2 and 1. Every other command keeps 2 for "could not run", as before.
enum ExitStatus: Int32, CaseIterable {
    /// Done: clean lint, everything converted; for `plan`, nothing to do.
    case success = 0
    /// Something needs a person: lint findings, records that failed or whose outcome is unknown; for `plan`, any error.
    case attention = 1
    /// Could not start: a bad flag or value, configuration, credentials, lint errors, state, a saved plan that no
    /// longer matches; for `plan`, changes pending.
    case couldNotRun = 2
    /// A rule could not run at all (token endpoint unreachable, a query Zoho refused); no record failed for it.
    case ruleFailed = 3
    /// Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it); the summary says what is pending.
    case interrupted = 130

    /// `plan`: records would convert.
    static let planPending = couldNotRun
    /// `plan`: it could not plan (a bad flag, configuration, lint errors, a rule that could not be planned).
    static let planError = attention

    /// The error's code in this table. Usage errors (argument-parser's 64) are "could not run", or `plan`'s error
    /// (1) when `arguments` (the command line without the program) name `plan`.
    static func code(for error: any Error, command: any ParsableCommand.Type, arguments: [String] = []) -> Int32 {
        // The commands' own exits (`ExitStatus.exit()`) are already in the table.
        if let exit = error as? ExitCode { return exit.rawValue }
        if isPlan(arguments) {
            let parsed = command.exitCode(for: error)
            return parsed == .success ? success.rawValue : planError.rawValue
        }
        if let error = error as? ZohoError {
            return error.code == .configuration || error.code == .credentials
                ? couldNotRun.rawValue : attention.rawValue
        }
        let parsed = command.exitCode(for: error)
        if parsed == .validationFailure { return couldNotRun.rawValue }
        return parsed.rawValue
    }

    /// True when the subcommand is `plan` (its first word that is not an option).
    static func isPlan(_ arguments: [String]) -> Bool {
        arguments.first { !$0.hasPrefix("-") } == "plan"
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
