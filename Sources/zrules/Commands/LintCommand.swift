import ArgumentParser
import Foundation
import RuleKit

extension LintFormat: ExpressibleByArgument {}

extension ZRules {
    /// `zrules lint`: checks rule files and reports every finding with `file:line:col` and a stable code.
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check rule files: syntax, keys, types, modules, conversions, cron, templates, metadata.",
            discussion: """
                PATHs are files or folders (searched recursively for *.yaml and *.yml); the default is rules/.
                Exit codes: 0 no findings, 1 findings (errors; warnings too with --strict), 2 could not run \
                (no rule files, an unreadable path, a bad metadata file).
                `zrules explain CODE` describes a check.
                """
        )

        @Argument(help: "Rule files or folders (default: rules).")
        var paths: [String] = []

        @Option(help: "Output format: text, json, sarif or github.")
        var format = "text"

        @Option(help: "An org metadata snapshot (zrules metadata pull) for field, picklist and user checks.")
        var metadata: String?

        @Flag(help: "Exit 1 on warnings too.")
        var strict = false

        func run() async throws {
            // A bad format is "could not run" (exit 2) like the other failures, not a usage error (64).
            guard let format = LintFormat(rawValue: format) else {
                FileHandle.standardError.write(
                    Data("zrules lint: --format must be text, json, sarif or github, not '\(format)'\n".utf8)
                )
                throw ExitCode(2)
            }
            let options = LintOptions(paths: paths.isEmpty ? ["rules"] : paths, metadataPath: metadata)
            let result: LintResult
            do {
                result = try Linter(options).run()
            } catch {
                FileHandle.standardError.write(Data("zrules lint: \(error)\n".utf8))
                throw ExitCode(2)
            }
            FileHandle.standardOutput.write(Data(LintRenderer.render(result, format: format).utf8))
            let code = result.exitCode(strict: strict)
            if code != 0 { throw ExitCode(code) }
        }
    }
}
