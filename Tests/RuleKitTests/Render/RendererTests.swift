import Foundation
import RuleKit
import Testing

@Suite struct RendererTests {
    let result = Linter.lint(
        text: """
            version: 1
            rules:
              - name: a
                shedule: "0 7 * * *"
                when: { module: Quotes }
                do: [{ convert: { to: Invoices } }]
              - name: b
                when: { module: Quotes }
                do: [{ convert: { to: Invoices } }]
            """,
        file: "rules/my quotes.yaml"
    )

    @Test func textShowsPositionCodeSourceLineAndCaret() {
        let text = LintRenderer.render(result, format: .text)
        let expected = """
            rules/my quotes.yaml:4:5: error: unknown key 'shedule' in a rule; did you mean 'schedule'? \
            Allowed: name, description, schedule, timezone, when, do, limits [ZR010]
                    shedule: "0 7 * * *"
                    ^
            rules/my quotes.yaml:9:27: warning: rules 'a' and 'b' both convert Quotes to Invoices for the same \
            records; merge them or make their conditions exclusive [ZR034]
                    do: [{ convert: { to: Invoices } }]
                                          ^
            rules/my quotes.yaml:3:5: note: 'a' is here
                  - name: a
                    ^
            1 error, 1 warning in 1 file (2 rules)

            """
        #expect(text == expected)
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let data = Data(LintRenderer.render(result, format: .json).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 2)
        let first = try #require(diagnostics.first)
        #expect(first["file"] as? String == "rules/my quotes.yaml")
        #expect(first["line"] as? Int == 4)
        #expect(first["column"] as? Int == 5)
        #expect(first["severity"] as? String == "error")
        #expect(first["code"] as? String == "ZR010")
        #expect((first["message"] as? String)?.contains("did you mean 'schedule'") == true)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 1)
        #expect(summary["warnings"] as? Int == 1)
        #expect(summary["files"] as? Int == 1)
        #expect(summary["rules"] as? Int == 2)
    }

    @Test func sarifIsVersion210WithRulesAndResults() throws {
        let data = Data(LintRenderer.render(result, format: .sarif).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.count == CheckRegistry.all.count)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["ZR010", "ZR034"])
        #expect(results.map { $0["level"] as? String } == ["error", "warning"])
        let index = try #require(results.first?["ruleIndex"] as? Int)
        #expect(rules[index]["id"] as? String == "ZR010")
        let location = try #require((results.first?["locations"] as? [[String: Any]])?.first)
        let physical = try #require(location["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "rules/my%20quotes.yaml")
        #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == 4)
        #expect(results.last?["relatedLocations"] != nil)
    }

    @Test func githubAnnotationsEscapeTheirProperties() {
        let lines = LintRenderer.render(result, format: .github).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("::error file=rules/my quotes.yaml,line=4,col=5,title=ZR010::unknown key 'shedule'"))
        #expect(lines[1].hasPrefix("::warning file=rules/my quotes.yaml,line=9,col=27,title=ZR034::"))
        #expect(lines[2].hasPrefix("::notice file=rules/my quotes.yaml,line=3,col=5,title=ZR034::'a' is here"))
        let tricky = Diagnostic(
            location: FileLocation(file: "a,b:c.yaml", line: 1, column: 1),
            severity: .error,
            code: "ZR001",
            message: "100% wrong\nsecond line"
        )
        let output = LintRenderer.github(LintResult(diagnostics: [tricky], ruleSet: RuleSet(), files: [], sources: [:]))
        #expect(output == "::error file=a%2Cb%3Ac.yaml,line=1,col=1,title=ZR001::100%25 wrong%0Asecond line\n")
    }

    @Test func cleanResultsSaySoAndExitZero() {
        let clean = Linter.lint(text: Examples.valid)
        #expect(LintRenderer.render(clean, format: .text) == "no problems in 1 file (1 rule)\n")
        #expect(LintRenderer.render(clean, format: .github).isEmpty)
        #expect(clean.exitCode(strict: true) == 0)
        #expect(result.exitCode(strict: false) == 1)
    }

    @Test func warningsFailOnlyWhenStrict() {
        let warningOnly = Linter.lint(
            text: """
                version: 1
                rules:
                  - name: a
                    when: { module: Quotes }
                    do: [{ convert: { to: Invoices } }]
                  - name: b
                    when: { module: Quotes }
                    do: [{ convert: { to: Invoices } }]
                """
        )
        #expect(warningOnly.warningCount == 1 && warningOnly.errorCount == 0)
        #expect(warningOnly.exitCode(strict: false) == 0)
        #expect(warningOnly.exitCode(strict: true) == 1)
    }

    @Test func theSchemaIsDraft202012JSONCoveringEveryKey() throws {
        let data = Data(RuleSchema.text.utf8)
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let rule = try #require(definitions["rule"] as? [String: Any])
        let ruleKeys = Set((rule["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        #expect(ruleKeys == ["name", "description", "schedule", "timezone", "when", "do", "limits"])
        let operators = try #require((definitions["operators"] as? [String: Any])?["properties"] as? [String: Any])
        #expect(Set(operators.keys) == Set(ComparisonOperator.allCases.map(\.rawValue)))
        // Every internal reference resolves.
        for match in RuleSchema.text.split(separator: "\"#/$defs/").dropFirst() {
            let name = String(match.prefix { $0 != "\"" })
            #expect(definitions[name] != nil, "dangling $ref \(name)")
        }
    }

    @Test func explainShowsSummaryAndExamples() throws {
        let check = try #require(CheckRegistry.check(named: "unknown-key"))
        #expect(CheckRegistry.check(named: "zr010") != nil)
        let text = check.description.explanation
        #expect(text.hasPrefix("ZR010 unknown-key (error)"))
        #expect(text.contains("shedule"))
        #expect(CheckRegistry.check(named: "ZR999") == nil)
    }
}
