import ArgumentParser
import Engine
import Foundation
import Logging
import ZohoCRM

extension ZRules {
    /// `zrules apply plan.json`: runs exactly a saved plan.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run exactly a plan saved by `zrules plan --out`: convert the records it planned, nothing else.",
            discussion: """
                The plan is refused, and nothing is sent, when a rule file, the configuration (data centre, \
                environment, API host, version, edition, state directory) or the org changed since it was made; the \
                message says which. Records the plan did not plan to convert are left alone. A planned record whose \
                Modified_Time changed since, or that was converted or no longer matches, is skipped and reported.
                Against a production org on a terminal, apply shows the plan's summary and asks first; `--yes` \
                skips the question; without a terminal it never asks.
                Exit codes: 0 all done, 1 some records failed or need attention (or the question was declined), \
                2 could not run (the plan no longer matches, configuration, credentials), 3 a rule could not run at \
                all, 130 stopped by Ctrl-C or SIGTERM.
                """
        )

        @Argument(help: "The plan file written by `zrules plan --out`.")
        var plan: String

        @Option(help: "The org configuration file (default: ./zrules.yaml when present).")
        var config: String?

        @Option(help: "The state directory: runs, ledger, audit log (default: state_dir in zrules.yaml, or .zrules).")
        var state: String?

        @Option(help: "Start the built-in Zoho CRM emulator seeded from this fixture and use it instead of Zoho.")
        var emulator: String?

        @Flag(help: "Do not ask for confirmation against a production org.")
        var yes = false

        @Option(help: "Output format for the summary: text or json.")
        var format: OutputFormat = .text

        @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
        var logLevel: Logger.Level = .warning

        func run() async throws {
            let saved: SavedPlan
            do {
                saved = try SavedPlan.read(from: URL(fileURLWithPath: plan))
            } catch {
                Console.error("zrules apply: \(error)\n")
                throw ExitCode(ExitStatus.couldNotRun.rawValue)
            }
            var arguments = ProjectArguments()
            (arguments.paths, arguments.rules) = (saved.paths, saved.ruleNames)
            (arguments.config, arguments.state, arguments.emulator) = (config, state, emulator)
            arguments.logLevel = logLevel
            let execution = RealRun(project: arguments, command: "apply", yes: yes, saved: saved)
            try await execution.perform(format: format)
        }
    }
}

/// A run that converts (`run`, `apply`): checks a saved plan against the project, asks first against production on
/// a terminal, runs, prints the summary, exits by the table.
struct RealRun {
    /// The rules, configuration and state, as flags give them.
    var project: ProjectArguments
    /// `run` or `apply`, for messages.
    var command: String
    /// `--yes`.
    var yes: Bool
    /// `apply`'s plan; nil for `run`.
    var saved: SavedPlan?

    func perform(format: OutputFormat) async throws {
        let logger = project.makeLogger()
        let printer = ProgressPrinter()
        let interrupts = Interrupts()
        let outcome: (report: RunReport?, state: String)
        do {
            outcome = try await ZohoHTTPClient.with { http in
                try await EmulatorHost.with(fixture: project.emulator, logger: logger) { url in
                    let loaded = try Project.load(project.projectOptions(apiURL: url))
                    let planned: [String: PlannedRecords]?
                    switch try await selection(loaded, logger: logger, http: http) {
                    case .declined: return (nil, loaded.stateDirectoryPath)
                    case .everything: planned = nil
                    case .planned(let records): planned = records
                    }
                    let report = try await loaded.execute(
                        dryRun: false,
                        logger: logger,
                        httpClient: http,
                        stop: interrupts.stop,
                        planned: planned,
                        planOrgID: saved?.orgID,
                        progress: printer.handle
                    )
                    return (report, loaded.stateDirectoryPath)
                }
            }
        } catch {
            Console.error("zrules \(command): \(error)\n")
            throw ExitCode(ExitStatus.couldNotRun.rawValue)
        }
        guard let report = outcome.report else {
            Console.error("zrules \(command): not confirmed; nothing was sent\n")
            throw ExitCode(ExitStatus.attention.rawValue)
        }
        try finish(report, state: outcome.state, format: format)
    }

    /// What to convert: the saved plan's records (refused when its inputs changed); for `run` against production on
    /// a terminal, the records of a fresh plan once confirmed; otherwise everything the rules select.
    private func selection(
        _ loaded: Project,
        logger: Logger,
        http: ZohoHTTPClient
    ) async throws -> Selection {
        let configuration = PlanConfiguration(project: loaded)
        let ask = Confirmation.shouldAsk(
            production: configuration.isProduction,
            terminal: Confirmation.isInteractive,
            yes: yes
        )
        if let saved {
            let changes = try saved.changes(against: loaded, orgID: nil)
            guard changes.isEmpty else {
                throw EngineError(
                    .configuration,
                    operation: "check the plan",
                    message: "it no longer matches, so nothing was sent:\n"
                        + changes.map { "  - \($0)\n" }.joined() + "make a new plan with `zrules plan --out`"
                )
            }
            warnAboutUncheckable(saved)
            if ask, !Confirmation.ask(summary: Confirmation.summary(saved), target: configuration) { return .declined }
            return .planned(saved.selection)
        }
        guard ask else { return .everything }
        // Show what a plan says would happen, and then convert exactly that.
        let report = try await loaded.execute(dryRun: true, logger: logger, httpClient: http)
        let fresh = try SavedPlan(project: loaded, report: report)
        guard Confirmation.ask(summary: Confirmation.summary(fresh), target: configuration) else { return .declined }
        return .planned(fresh.selection)
    }

    /// Which records a real run converts.
    enum Selection {
        /// Whatever the rules select (`run`, no question asked).
        case everything
        /// Only a plan's planned records.
        case planned([String: PlannedRecords])
        /// The question was declined: nothing.
        case declined
    }

    private func warnAboutUncheckable(_ saved: SavedPlan) {
        if saved.orgID == nil {
            Console.error(
                "zrules apply: the plan does not name the org (it could not be read when the plan was made), so "
                    + "the org is checked through the configuration only (data centre, environment, API host)\n"
            )
        }
        let unchecked = saved.uncheckedRecords
        if unchecked > 0 {
            Console.error(
                "zrules apply: the plan has no Modified_Time for \(unchecked) planned record(s), so apply cannot "
                    + "tell whether they changed since\n"
            )
        }
    }

    private func finish(_ report: RunReport, state: String, format: OutputFormat) throws {
        Console.out(
            format == .json
                ? ReportRenderer.json(report) + "\n"
                : ReportRenderer.summary(report, stateDirectory: state)
        )
        if report.stopped {
            let left = report.notStarted
            Console.error(
                "zrules \(command): stopped before the end; everything sent was recorded, and what was not sent is "
                    + "left for the next run"
                    + (left.isEmpty ? "" : "; not started: \(left.joined(separator: ", "))") + "\n"
            )
            try ExitStatus.interrupted.exit()
        }
        if report.rules.contains(where: { $0.error != nil }) { try ExitStatus.ruleFailed.exit() }
        if report.hasFailures { try ExitStatus.attention.exit() }
    }
}

/// The question before converting in a production org.
enum Confirmation {
    /// Ask only against a production org (never the emulator or loopback), only on a terminal, and never with
    /// `--yes`.
    static func shouldAsk(production: Bool, terminal: Bool, yes: Bool) -> Bool {
        production && terminal && !yes
    }

    /// True when both standard input and standard error are terminals: someone can read the question and answer.
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    /// One line per rule: what the plan would convert and what will fail.
    static func summary(_ plan: SavedPlan) -> String {
        var out = ""
        for rule in plan.rules {
            let convert = rule.records.count { $0.decision == .planned }
            let fail = rule.records.count { $0.decision == .failed }
            out += "  \(rule.name): \(convert) would convert to \(rule.target), \(fail) will fail\n"
        }
        return out + "  total: \(plan.pendingCount) record(s) would convert; a conversion cannot be undone\n"
    }

    /// Shows `summary` on standard error and reads the answer; only `yes` goes ahead.
    static func ask(summary: String, target: PlanConfiguration) -> Bool {
        Console.error(
            "zrules: this converts records in the PRODUCTION org at \(target.apiHost) (data centre "
                + "\(target.dataCentre)):\n\(summary)Type yes to go on: "
        )
        let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "yes"
    }
}
