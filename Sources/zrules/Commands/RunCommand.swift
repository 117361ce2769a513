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
                Against a production org on a terminal, run first shows what a plan says would happen and asks; \
                it then converts exactly those records. `--yes` skips the question; without a terminal it never asks.
                Exit codes: 0 all done, 1 some records failed or need attention (or the question was declined), \
                2 could not run, 3 a rule could not run at all, \
                130 stopped by Ctrl-C or SIGTERM (press it twice to quit at once).
                """
        )

        @OptionGroup var project: ProjectArguments

        @Option(help: "Output format for the summary: text or json.")
        var format: OutputFormat = .text

        @Flag(help: "Do not ask for confirmation against a production org.")
        var yes = false

        func run() async throws {
            try await RealRun(project: project, command: "run", yes: yes, saved: nil).perform(format: format)
        }
    }
}
