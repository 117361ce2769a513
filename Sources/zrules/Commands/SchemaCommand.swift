import ArgumentParser
import Foundation
import RuleKit

extension ZRules {
    /// `zrules schema`: prints the JSON Schema of rule files.
    struct Schema: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema (draft 2020-12) of rule files, for editors.",
            discussion: """
                Save it next to your rules and point yaml-language-server at it with a first line such as
                # yaml-language-server: $schema=../rules.schema.json
                """
        )

        func run() async throws {
            FileHandle.standardOutput.write(Data(RuleSchema.text.utf8))
        }
    }
}
