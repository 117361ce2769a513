import ArgumentParser
import Engine
import Foundation
import ZohoCRM

extension ZRules {
    /// `zrules run`: converts for real.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lint the rules, then convert the records they select, exactly once, with an audit log.",
            discussion: """
                Each record ends converted, skipped (with the reason) or failed (with Zoho's code). The ledger in the \
                state directory records every intent before it is sent, so a rerun or a restart after a crash \
                converts nothing twice. Progress goes to standard error; the summary to standard output.
                Against a real org, credentials come from ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN \
                or `zrules auth login`. Against a separately started emulator, set ZRULES_API_URL.
                Exit codes: 0 all done, 1 some records failed or need attention, 2 could not run, 3 a rule could not run at all, \
                130 stopped by Ctrl-C or SIGTERM (press it twice to quit at once).
                """
        )

        @OptionGroup var project: ProjectArguments

        @Option(help: "Output format for the summary: text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            let logger = project.makeLogger()
            let printer = ProgressPrinter()
            let interrupts = Interrupts()
            let outcome: (report: RunReport, state: String)
            do {
                outcome = try await ZohoHTTPClient.with { http in
                    try await EmulatorHost.with(fixture: project.emulator, logger: logger) { url in
                        let loaded = try Project.load(project.projectOptions(apiURL: url))
                        let report = try await loaded.execute(
                            dryRun: false,
                            logger: logger,
                            httpClient: http,
                            stop: interrupts.stop,
                            progress: printer.handle
                        )
                        return (report, loaded.stateDirectoryPath)
                    }
                }
            } catch {
                Console.error("zrules run: \(error)\n")
                throw ExitCode(2)
            }
            Console.out(
                format == .json
                    ? ReportRenderer.json(outcome.report) + "\n"
                    : ReportRenderer.summary(outcome.report, stateDirectory: outcome.state)
            )
            if outcome.report.stopped {
                let left = outcome.report.notStarted
                Console.error(
                    "zrules run: stopped before the end; everything sent was recorded, and what was not sent is "
                        + "left for the next run"
                        + (left.isEmpty ? "" : "; not started: \(left.joined(separator: ", "))") + "\n"
                )
                try ExitStatus.interrupted.exit()
            }
            if outcome.report.rules.contains(where: { $0.error != nil }) { try ExitStatus.ruleFailed.exit() }
            if outcome.report.hasFailures { try ExitStatus.attention.exit() }
        }
    }
}
