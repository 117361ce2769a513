import ArgumentParser
import Foundation

/// The `zrules` command: declarative Zoho CRM conversion rules, linted, planned and run.
@main
struct ZRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zrules",
        abstract: "Compile YAML rule files into Zoho CRM conversion pipelines, and lint, plan and run them.",
        discussion: """
            Rule files live in a git repository; `zrules lint` checks them in CI, `zrules plan` shows what a run \
            would do without writing to the CRM (`--out` saves it, `zrules apply` runs exactly that plan), and \
            `zrules run` converts for real with an audit log.
            Try any command against the built-in Zoho CRM emulator with `--emulator examples/org.yaml`.
            """,
        version: "0.1.0",
        subcommands: [
            Lint.self,
            Schema.self,
            Explain.self,
            Plan.self,
            Apply.self,
            Run.self,
            Config.self,
            Audit.self,
            Daemon.self,
            Emulator.self,
            Metadata.self,
            Auth.self,
            Scopes.self,
        ]
    )

    /// Parses and runs, mapping argument-parser's usage error (64) onto the table's "could not run" (2), or onto
    /// `plan`'s error (1).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = ExitStatus.code(for: error, command: self, arguments: Array(CommandLine.arguments.dropFirst()))
            let message = ExitStatus.message(for: error, command: self)
            if !message.isEmpty {
                let stream = code == 0 ? FileHandle.standardOutput : FileHandle.standardError
                stream.write(Data((message + "\n").utf8))
            }
            Foundation.exit(code)
        }
    }
}
