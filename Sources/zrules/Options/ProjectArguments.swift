import ArgumentParser
import Engine
import Foundation
import Logging

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Flags shared by `plan`, `run`, `daemon` and `scopes`.
struct ProjectArguments: ParsableArguments {
    @Argument(help: "Rule files or folders (default: rules).")
    var paths: [String] = []

    @Option(name: .customLong("rule"), help: "Only this rule (repeatable).")
    var rules: [String] = []

    @Option(help: "The org configuration file (default: ./zrules.yaml when present).")
    var config: String?

    @Option(help: "The state directory: runs, ledger, audit log (default: state_dir in zrules.yaml, or .zrules).")
    var state: String?

    @Option(
        help: ArgumentHelp(
            "Start the built-in Zoho CRM emulator seeded from this fixture and use it instead of Zoho.",
            discussion: "The state directory then defaults to .zrules/emulator, emptied at start, because the emulator "
                + "starts from its fixture every time."
        )
    )
    var emulator: String?

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    /// The engine's options; `apiURL` is set when an emulator is running.
    func projectOptions(apiURL: URL? = nil) -> ProjectOptions {
        var stateDirectory = state
        if emulator != nil && state == nil { stateDirectory = ".zrules/emulator" }
        var options = ProjectOptions(
            paths: paths,
            ruleNames: rules,
            configPath: config,
            stateDirectory: stateDirectory,
            apiURL: apiURL
        )
        options.resetsState = emulator != nil && state == nil
        return options
    }

    func makeLogger() -> Logger {
        var logger = Logger(label: "zrules", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = logLevel
        return logger
    }
}
