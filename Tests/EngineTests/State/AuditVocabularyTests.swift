import Engine
import Foundation
import Testing

/// docs/STATE.md lists exactly the audit steps and outcomes the engine writes.
struct AuditVocabularyTests {
    /// The rows of the "Steps and outcomes written" table: step → outcomes.
    static func documented() throws -> [String: Set<String>] {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/STATE.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "### Steps and outcomes written").last)
        var rows: [String: Set<String>] = [:]
        for line in section.split(separator: "\n").prefix(while: { !$0.hasPrefix("## ") })
        where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let ticked = { (cell: String) in
                Set(
                    cell.split(separator: ",").map {
                        $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["`"])
                    }
                )
            }
            rows[cells[0].trimmingCharacters(in: ["`"])] = ticked(cells[1])
        }
        return rows
    }

    @Test func stateDocsListEveryStepAndOutcome() throws {
        let rows = try Self.documented()
        #expect(Set(rows.keys) == Set(AuditStep.allCases.map(\.rawValue)))
        #expect(rows.values.reduce(Set<String>()) { $0.union($1) } == Set(AuditOutcome.allCases.map(\.rawValue)))
    }

    @Test func rawValuesAreTheOnesOlderDatabasesHold() {
        #expect(AuditStep.leadOptions.rawValue == "lead-options")
        #expect(AuditStep.followUps.rawValue == "follow-ups")
        #expect(AuditOutcome.notConverted.rawValue == "not converted")
        #expect(LedgerMethod.allCases.map(\.rawValue) == ["mass", "single", "lead", "lead-mass"])
    }
}
