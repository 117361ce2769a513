import ArgumentParser
import Engine
import Foundation
import ZohoCRM

extension ZRules {
    /// `zrules plan`: the dry-run.
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a run would do, reading from the CRM and writing nothing to it.",
            discussion: """
                For each rule: its pipeline, the COQL query, every record it would convert or skip (and why), the \
                batches, the endpoints, the API calls and credits a run would spend, and the OAuth scopes it needs.
                Nothing is written to the CRM and the ledger is left as it is; the plan is recorded in the audit log \
                as a dry-run.
                Exit codes: 0 planned, 2 could not run (a bad flag, lint errors, configuration), 3 a rule could not be planned.
                """
        )

        @OptionGroup var project: ProjectArguments

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        @Flag(help: "On a terminal, do not cut long lines to its width (output to a file or pipe is never cut).")
        var wide = false

        func run() async throws {
            let logger = project.makeLogger()
            let report: RunReport
            do {
                report = try await ZohoHTTPClient.with { http in
                    try await EmulatorHost.with(fixture: project.emulator, logger: logger) { url in
                        let loaded = try Project.load(project.projectOptions(apiURL: url))
                        return try await loaded.execute(dryRun: true, logger: logger, httpClient: http)
                    }
                }
            } catch {
                Console.error("zrules plan: \(error)\n")
                throw ExitCode(2)
            }
            let width = wide ? nil : Console.outputWidth
            Console.out(
                format == .json ? ReportRenderer.json(report) + "\n" : ReportRenderer.plan(report, width: width)
            )
            if report.rules.contains(where: { $0.error != nil }) { try ExitStatus.ruleFailed.exit() }
        }
    }
}

/// Text for people, JSON for tools.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
