import ArgumentParser
import Engine
import Foundation
import Logging
import RuleKit
import ServiceLifecycle
import ZohoCRM

extension ZRules {
    /// `zrules daemon`: runs rules when their schedule is due.
    struct Daemon: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run rules when their `schedule:` is due, until SIGTERM or SIGINT.",
            discussion: """
                Schedules are 5-field cron expressions in the rule's `timezone:` or zrules.yaml's. A run never starts \
                while another holds the state directory's lock (another daemon, or a manual `zrules run`); a schedule \
                that comes due during a run runs once afterwards. On SIGTERM the daemon stops waiting and lets an \
                in-flight run finish; anything still unconfirmed is reconciled by the next run.
                """
        )

        @OptionGroup var project: ProjectArguments

        func run() async throws {
            let logger = project.makeLogger()
            do {
                try await ZohoHTTPClient.with { http in
                    try await EmulatorHost.with(fixture: project.emulator, logger: logger) { url in
                        var loaded = try Project.load(project.projectOptions(apiURL: url))
                        // The emulator lives as long as the daemon: empty the state once, then keep the ledger.
                        if loaded.options.resetsState {
                            try loaded.resetState()
                            loaded.options.resetsState = false
                        }
                        try loaded.checkLint()
                        let entries = try Self.entries(loaded)
                        guard !entries.isEmpty else {
                            throw EngineError(
                                .configuration,
                                operation: "schedule",
                                message:
                                    "no rule has a schedule; add `schedule:` (a cron expression) to the rules the daemon should run"
                            )
                        }
                        for entry in entries {
                            Console.error(
                                "scheduled \(entry.ruleName): \(entry.expression) (\(entry.timeZone.identifier))\n"
                            )
                        }
                        let scheduled = loaded
                        let scheduler = Scheduler(entries: entries, clock: loaded.options.clock, logger: logger) {
                            names,
                            due in
                            await Self.runDue(names, due: due, project: scheduled, logger: logger, http: http)
                        }
                        let group = ServiceGroup(
                            configuration: .init(
                                services: [scheduler],
                                gracefulShutdownSignals: [.sigterm, .sigint],
                                logger: logger
                            )
                        )
                        try await group.run()
                    }
                }
            } catch {
                Console.error("zrules daemon: \(error)\n")
                throw ExitCode(2)
            }
        }

        static func entries(_ project: Project) throws -> [ScheduleEntry] {
            try project.rules.compactMap { rule -> ScheduleEntry? in
                guard let schedule = rule.schedule else { return nil }
                let zone = rule.timeZone.flatMap { TimeZone(identifier: $0.value) } ?? project.timeZone
                return ScheduleEntry(
                    ruleName: rule.name,
                    expression: try CronExpression(parsing: schedule.expression),
                    timeZone: zone
                )
            }
        }

        static func runDue(_ names: [String], due: Date, project: Project, logger: Logger, http: ZohoHTTPClient) async {
            var subset = project
            subset.rules = project.rules.filter { names.contains($0.name) }
            Console.error("\(ISO8601DateFormatter().string(from: due)): running \(names.joined(separator: ", "))\n")
            do {
                let report = try await subset.execute(dryRun: false, logger: logger, httpClient: http)
                Console.out(ReportRenderer.summary(report, stateDirectory: project.stateDirectoryPath))
            } catch {
                Console.error("run of \(names.joined(separator: ", ")) did not start: \(error)\n")
            }
        }
    }
}
