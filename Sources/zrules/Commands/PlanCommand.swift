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
                `--out plan.json` saves the plan (its records, decisions, each record's Modified_Time, a digest of \
                the rule files and the configuration) for `zrules apply`. `--format markdown` renders a \
                pull-request comment.
                Exit codes (Terraform's detailed style): 0 nothing to do, 2 changes pending (some record would \
                convert), 1 error (a bad flag, configuration, lint errors, a rule that could not be planned).
                """
        )

        @OptionGroup var project: ProjectArguments

        @Option(help: "Output format: text, json or markdown (a pull-request comment).")
        var format: PlanFormat = .text

        @Option(help: "Save the plan to this file, for `zrules apply`.")
        var out: String?

        @Flag(help: "On a terminal, do not cut long lines to its width (output to a file or pipe is never cut).")
        var wide = false

        func run() async throws {
            let logger = project.makeLogger()
            let report: RunReport
            do {
                report = try await ZohoHTTPClient.with { http in
                    try await EmulatorHost.with(fixture: project.emulator, logger: logger) { url in
                        let loaded = try Project.load(project.projectOptions(apiURL: url))
                        let report = try await loaded.execute(dryRun: true, logger: logger, httpClient: http)
                        if let out { try Self.save(SavedPlan(project: loaded, report: report), to: out) }
                        return report
                    }
                }
            } catch {
                Console.error("zrules plan: \(error)\n")
                throw ExitCode(ExitStatus.planError.rawValue)
            }
            switch format {
            case .text: Console.out(ReportRenderer.plan(report, width: wide ? nil : Console.outputWidth))
            case .json: Console.out(ReportRenderer.json(report) + "\n")
            case .markdown: Console.out(MarkdownRenderer.plan(report))
            }
            if report.rules.contains(where: { $0.error != nil }) { throw ExitCode(ExitStatus.planError.rawValue) }
            if report.records.contains(where: { $0.status == .planned }) {
                throw ExitCode(ExitStatus.planPending.rawValue)
            }
        }

        /// Writes the plan file, readable by its owner only: it names records of the org.
        static func save(_ plan: SavedPlan, to path: String) throws(EngineError) {
            let url = URL(fileURLWithPath: path)
            do {
                try plan.encoded().write(to: url, options: .atomic)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            } catch {
                throw EngineError(
                    .configuration,
                    operation: "write the plan \(path)",
                    message: "cannot write it",
                    underlying: error
                )
            }
            Console.error(
                "zrules plan: saved to \(path) (\(plan.pendingCount) record(s) to convert); apply it with `zrules apply \(path)`\n"
            )
        }
    }
}

/// Text for people, JSON for tools.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `plan`'s formats: text, JSON, or Markdown for a pull-request comment.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}
