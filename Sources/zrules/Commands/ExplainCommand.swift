import ArgumentParser
import Foundation
import RuleKit

extension ZRules {
    /// `zrules explain CODE`: a lint check's description and examples.
    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Describe a lint check (by code such as ZR010 or name such as unknown-key); list them all without one."
        )

        @Argument(help: "A check code or name; leave out to list every check.")
        var code: String?

        func run() async throws {
            guard let code else {
                let lines = CheckRegistry.all.map { check in
                    let description = check.description
                    let name = description.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                    let severity = description.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                    return "\(description.code)  \(name)\(severity)\(description.summary)"
                }
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                return
            }
            guard let check = CheckRegistry.check(named: code) else {
                FileHandle.standardError.write(
                    Data("zrules explain: no check '\(code)'; run `zrules explain` for the list\n".utf8)
                )
                throw ExitCode(2)
            }
            FileHandle.standardOutput.write(Data(check.description.explanation.utf8))
        }
    }
}
