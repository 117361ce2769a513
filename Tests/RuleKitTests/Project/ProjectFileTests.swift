import Foundation
import RuleKit
import Testing

struct ProjectFileTests {
    @Test func defaultsWhenEmpty() throws {
        let settings = try ProjectFile.parse("", file: "zrules.yaml")
        #expect(settings == ProjectSettings())
        #expect(settings.apiVersion == nil)
    }

    @Test func readsEverySetting() throws {
        let text = """
            data_center: EU
            environment: sandbox
            api_version: v8
            edition: professional
            state_dir: /var/lib/zrules
            timezone: Europe/Berlin
            api_url: http://127.0.0.1:8080
            credentials: { file: /etc/zrules/credentials.json }
            """
        let settings = try ProjectFile.parse(text, file: "zrules.yaml")
        #expect(settings.dataCenter == "EU")
        #expect(settings.positions["data_center"] == ProjectSettings.Position(line: 1, column: 14))
        #expect(settings.positions["credentials"]?.line == 8)
        #expect(settings.environment == "sandbox")
        #expect(settings.apiVersion == "v8")
        #expect(settings.edition == "professional")
        #expect(settings.stateDirectory == "/var/lib/zrules")
        #expect(settings.timeZone == "Europe/Berlin")
        #expect(settings.apiURL == "http://127.0.0.1:8080")
        #expect(settings.credentialsFile == "/etc/zrules/credentials.json")
    }

    struct BadCase: Sendable, CustomStringConvertible {
        let yaml: String
        let line: Int
        let column: Int
        let fragment: String
        var description: String { fragment }
    }

    @Test(arguments: [
        BadCase(yaml: "data_centre: us\n", line: 1, column: 1, fragment: "did you mean 'data_center'"),
        BadCase(yaml: "edition: [gold]\n", line: 1, column: 10, fragment: "takes a plain value"),
        BadCase(yaml: "timezone: Mars/Olympus\n", line: 1, column: 11, fragment: "unknown time zone"),
        BadCase(yaml: "credentials: vault\n", line: 1, column: 14, fragment: "'env' or a mapping"),
        BadCase(yaml: "edition: [a, b\n", line: 2, column: 1, fragment: "YAML syntax"),
        BadCase(yaml: "- us\n", line: 1, column: 1, fragment: "expected a mapping"),
    ])
    func reportsProblemsWithPositions(_ bad: BadCase) {
        #expect {
            try ProjectFile.parse(bad.yaml, file: "zrules.yaml")
        } throws: { error in
            guard let error = error as? RuleKitError, let problem = error.problems.first else { return false }
            return problem.line == bad.line && problem.column == bad.column && problem.message.contains(bad.fragment)
        }
    }

    @Test func collectsEveryProblem() {
        #expect {
            try ProjectFile.parse("edition: [gold]\ntimezone: Mars/Olympus\n", file: "zrules.yaml")
        } throws: { error in
            (error as? RuleKitError)?.problems.count == 2
        }
    }
}
