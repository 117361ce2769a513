import ArgumentParser
import Engine
import Foundation
import RuleKit
import ZohoCRM

extension AuditFormat: ExpressibleByArgument {}

extension ZRules {
    /// `zrules audit`: what happened, from the state directory's audit log.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the audit log: every step of every run, per record, oldest first.",
            discussion: """
                Reads the state directory: --state, else `state_dir` from ./zrules.yaml, else .zrules. \
                Filters combine (all must match); --record matches the source record or the record its \
                conversion created. --limit keeps the most recent N events, still printed oldest first.
                Exit codes: 0 printed (possibly nothing), 2 could not read the state directory.
                """
        )

        @Option(name: .customLong("state"), help: ArgumentHelp("The state directory.", valueName: "DIR"))
        var stateDirectory: String?

        @Option(name: .customLong("run"), help: ArgumentHelp("Only this run's events.", valueName: "ID"))
        var runID: String?

        @Option(help: ArgumentHelp("Only this rule's events.", valueName: "NAME"))
        var rule: String?

        @Option(
            name: .customLong("record"),
            help: ArgumentHelp("Only events about this record (source or created).", valueName: "ID")
        )
        var recordID: String?

        @Option(help: "Output format: table, jsonl or csv.")
        var format: AuditFormat = .table

        @Option(help: ArgumentHelp("At most the N most recent events.", valueName: "N"))
        var limit: Int?

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
        }

        func run() async throws {
            let events: [AuditEvent]
            do {
                let directory = try resolveStateDirectory()
                let store = try StateStore.open(existingDirectory: URL(fileURLWithPath: directory))
                events = try store.auditEvents(AuditFilter(runID: runID, rule: rule, recordID: recordID, limit: limit))
            } catch {
                FileHandle.standardError.write(Data("zrules audit: \(error)\n".utf8))
                throw ExitCode(2)
            }
            FileHandle.standardOutput.write(Data(renderAudit(events, format: format).utf8))
        }

        /// The state directory `zrules run` would use here: --state, else zrules.yaml's `state_dir`, else .zrules,
        /// in the API endpoint's own subfolder when ZRULES_API_URL points at an emulator.
        private func resolveStateDirectory() throws -> String {
            var flags = ConfigurationLayer()
            flags.stateDirectory = stateDirectory.map { ConfigurationSetting($0, from: .flag("--state")) }
            let builder = ConfigurationBuilder(
                flags: flags,
                projectFile: try ProjectSettings.load(configPath: nil).configurationLayer(
                    file: ProjectSettings.defaultPath
                )
            )
            return try builder.resolve().stateDirectory ?? StateStore.defaultDirectory
        }
    }
}
