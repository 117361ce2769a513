import Foundation
import RuleKit
import Testing

/// Every check's examples are its tests: triggering ones report its code (at `↓`), the others do not.
@Suite struct CheckExampleTests {
    static let checks = CheckRegistry.all.map { CheckCase($0.description) }

    struct CheckCase: CustomTestStringConvertible, Sendable {
        var description: CheckDescription
        init(_ description: CheckDescription) { self.description = description }
        var testDescription: String { "\(description.code) \(description.name)" }
    }

    @Test(arguments: checks)
    func triggeringExamplesReport(_ check: CheckCase) throws {
        for example in check.description.triggering {
            let marked = MarkedYAML(example.yaml)
            let result = Linter.lint(text: marked.text, metadata: example.usesMetadata ? Fixtures.metadata : nil)
            let hits = result.diagnostics.filter { $0.code == check.description.code }
            #expect(!hits.isEmpty, "no \(check.description.code) for:\n\(marked.text)\ngot: \(result.diagnostics)")
            if let line = marked.line, let column = marked.column {
                #expect(
                    hits.contains { $0.location.line == line && $0.location.column == column },
                    "expected \(check.description.code) at \(line):\(column), got \(hits.map(\.location))"
                )
            }
            #expect(hits.allSatisfy { $0.severity == check.description.severity })
        }
    }

    @Test(arguments: checks)
    func nonTriggeringExamplesAreSilent(_ check: CheckCase) {
        for example in check.description.nonTriggering {
            let result = Linter.lint(text: example.yaml, metadata: example.usesMetadata ? Fixtures.metadata : nil)
            let hits = result.diagnostics.filter { $0.code == check.description.code }
            #expect(hits.isEmpty, "unexpected \(check.description.code) for:\n\(example.yaml)\n\(hits)")
        }
    }

    @Test func codesAndNamesAreUniqueAndDocumented() {
        let descriptions = CheckRegistry.all.map { $0.description }
        #expect(Set(descriptions.map(\.code)).count == descriptions.count)
        #expect(Set(descriptions.map(\.name)).count == descriptions.count)
        for description in descriptions {
            #expect(!description.summary.isEmpty && !description.rationale.isEmpty)
            #expect(!description.nonTriggering.isEmpty, "\(description.code) has no non-triggering example")
        }
    }

    @Test func theSharedValidExampleIsCleanWithAndWithoutMetadata() {
        let plain = Linter.lint(text: CheckRegistry.all[0].description.nonTriggering[0].yaml)
        #expect(plain.diagnostics.isEmpty, "\(plain.diagnostics)")
        let withMetadata = Linter.lint(
            text: CheckRegistry.all[0].description.nonTriggering[0].yaml,
            metadata: Fixtures.metadata
        )
        #expect(withMetadata.diagnostics.isEmpty, "\(withMetadata.diagnostics)")
        #expect(plain.ruleSet.rules.count == 1)
    }
}
