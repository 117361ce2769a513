import Foundation
import RuleKit
import Testing

/// The schema editors load (the modeline in every rule file points at docs/rules.schema.json) is the one the code makes.
struct SchemaFileTests {
    @Test func committedSchemaMatchesTheCode() throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("docs/rules.schema.json"), encoding: .utf8)
        #expect(
            committed.trimmingCharacters(in: .whitespacesAndNewlines)
                == RuleSchema.text.trimmingCharacters(in: .whitespacesAndNewlines),
            "docs/rules.schema.json is stale: run `swift run zrules schema > docs/rules.schema.json`"
        )
    }
}
