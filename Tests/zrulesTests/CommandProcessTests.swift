import Foundation
import Testing

/// The built binary's contract: exit codes, and results on stdout apart from progress and errors on stderr.
struct CommandProcessTests {
    @Test func theDemoRunsOnTheEmbeddedEmulator() throws {
        let state = try temporaryFolder()
        let result = try ZRulesProcess.run(["run", "rules/", "--emulator", "examples/org.yaml", "--state", state.path])
        // The demo org holds a locked and an unapproved quote and lead on purpose: some records fail, exit 1.
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("CONVERTED"))
        #expect(result.stdout.contains("RECORD_LOCKED"))
        #expect(result.stderr.contains("emulator: examples/org.yaml"))
        #expect(!result.stdout.contains("emulator:"))
        let audit = try ZRulesProcess.run(["audit", "--state", state.path, "--format", "jsonl"])
        #expect(audit.status == 0)
        #expect(audit.stdout.split(separator: "\n").count > 10)
    }

    @Test func planPrintsPureJSONAndWritesNothing() throws {
        let result = try ZRulesProcess.run([
            "plan", "rules/", "--emulator", "examples/org.yaml", "--format", "json", "--state",
            try temporaryFolder().path,
        ])
        // The demo org has records to convert: plan's "changes pending".
        #expect(result.status == 2, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["dryRun"] as? Bool == true)
        let rules = json?["rules"] as? [[String: Any]] ?? []
        #expect(!rules.isEmpty)
    }

    @Test func runRefusesRulesWithLintErrors() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("bad.yaml")
        try
            "version: 1\nrules:\n  - name: Bad Name\n    when: { module: Quotes }\n    do: [{ convert: { to: Leads } }]\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try ZRulesProcess.run([
            "run", file.path, "--emulator", "examples/org.yaml", "--state", folder.path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("zrules lint"))
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownRuleNamesAreRefused() throws {
        let result = try ZRulesProcess.run([
            "plan", "rules/", "--rule", "no-such-rule", "--emulator", "examples/org.yaml", "--state",
            try temporaryFolder().path,
        ])
        #expect(result.status == 1, "plan's error")
        #expect(result.stderr.contains("no rule named no-such-rule"))
    }

    @Test func scopesListsWhatTheExampleRulesNeed() throws {
        let result = try ZRulesProcess.run(["scopes", "rules/"])
        #expect(result.status == 0)
        let first = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains("ZohoCRM.coql.READ"))
        #expect(
            first.contains("ZohoCRM.mass_convert.SalesOrders.CREATE") || first.contains("ZohoCRM.modules.Quotes.CREATE")
        )
        #expect(!first.contains(" "))
    }

    @Test func aNonLoopbackAPIURLIsRefused() throws {
        let result = try ZRulesProcess.run(
            ["plan", "rules/", "--state", try temporaryFolder().path],
            environment: [
                "ZRULES_API_URL": "http://crm.example.com", "ZOHO_CLIENT_ID": "id",
                "ZOHO_CLIENT_SECRET": "s3cr3t-value",
                "ZOHO_REFRESH_TOKEN": "r3fr3sh-value",
            ]
        )
        #expect(result.status == 1, "plan's error")
        #expect(result.stderr.contains("loopback"))
        #expect(!result.stderr.contains("s3cr3t-value") && !result.stderr.contains("r3fr3sh-value"))
    }
}
