import ArgumentParser
import Engine
import Foundation

extension ZRules {
    /// `zrules scopes`: the least OAuth scopes the rules need.
    struct Scopes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the least OAuth scopes the rules need, for a Self Client grant code.",
            discussion: """
                The first line is the comma-separated list to paste into Zoho's API Console ("Generate Code"); then \
                each rule's own scopes. Nothing is sent to Zoho.
                """
        )

        @Argument(help: "Rule files or folders (default: rules).")
        var paths: [String] = []

        func run() async throws {
            let project: Project
            do {
                project = try Project.load(ProjectOptions(paths: paths))
            } catch {
                Console.error("zrules scopes: \(error)\n")
                throw ExitCode(2)
            }
            let scopes = project.scopes()
            var out = scopes.all.joined(separator: ",") + "\n"
            for (rule, ruleScopes) in scopes.byRule {
                out += "\n\(rule):\n" + ruleScopes.map { "  \($0)\n" }.joined()
            }
            Console.out(out)
        }
    }
}
