import Foundation
import Logging
import Testing
import ZohoEmulator

@testable import zrules

/// `plan --out`, `apply`, `plan --format markdown` and plan's exit codes, through the built binary against an
/// in-process emulator (one emulator for plan and apply, as a CI job against one org would see it).
struct ApplyProcessTests {
    static let rules = """
        version: 1
        rules:
          - name: order-accepted-quotes
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do:
              - convert: { to: Sales_Orders }
        """

    @Test func planOutThenApplyConvertsThePlanAndARuleChangeIsRefused() async throws {
        try await withDemoEmulator { url, folder in
            let environment = ["ZRULES_API_URL": url.absoluteString]
            let state = folder.appendingPathComponent("state").path
            let rulesFile = folder.appendingPathComponent("rules.yaml")
            let planFile = folder.appendingPathComponent("plan.json").path
            let plan = try await ZRulesProcess.runAsync(
                ["plan", rulesFile.path, "--state", state, "--out", planFile],
                environment: environment
            )
            #expect(plan.status == 2, "changes pending: \(plan.stderr)")
            #expect(plan.stderr.contains("saved to \(planFile)"))
            let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: planFile)))
            let planned = Self.plannedIDs(saved)
            #expect(!planned.isEmpty)

            let before = try await Self.salesOrderParents(url)
            let apply = try await ZRulesProcess.runAsync(
                ["apply", planFile, "--state", state, "--yes", "--format", "json"],
                environment: environment
            )
            // Records the plan found would fail are left alone; one Zoho refuses only when sent still exits 1.
            #expect(apply.status == 0 || apply.status == 1, "\(apply.stderr)\n\(apply.stdout)")
            let report = try JSONSerialization.jsonObject(with: Data(apply.stdout.utf8)) as? [String: Any]
            let outcomes = (report?["rules"] as? [[String: Any]] ?? []).flatMap {
                ($0["records"] as? [[String: Any]]) ?? []
            }
            let converted = Set(
                outcomes.filter { $0["status"] as? String == "converted" }.compactMap { $0["recordID"] as? String }
            )
            #expect(!converted.isEmpty)
            #expect(converted.isSubset(of: planned), "only planned records are converted")
            // The emulator's own view: every sales order apply created comes from a planned quote.
            let created = try await Self.salesOrderParents(url).subtracting(before)
            #expect(created == converted, "\(created) vs \(converted)")

            try (Self.rules + "      - tag: [ordered]\n").write(to: rulesFile, atomically: true, encoding: .utf8)
            let refused = try await ZRulesProcess.runAsync(
                ["apply", planFile, "--state", state, "--yes"],
                environment: environment
            )
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("rule file \(rulesFile.path) changed since the plan was made"))
            #expect(refused.stderr.contains("nothing was sent"))
        }
    }

    @Test func planExitCodesAreTerraformsDetailedOnes() async throws {
        try await withDemoEmulator { url, folder in
            let environment = ["ZRULES_API_URL": url.absoluteString]
            let state = folder.appendingPathComponent("state").path
            let nothing = folder.appendingPathComponent("nothing.yaml")
            try Self.rules.replacingOccurrences(of: "Quote_Stage: Accepted", with: "Quote_Stage: On Hold")
                .write(to: nothing, atomically: true, encoding: .utf8)
            let idle = try await ZRulesProcess.runAsync(
                ["plan", nothing.path, "--state", state],
                environment: environment
            )
            #expect(idle.status == 0, "nothing to do: \(idle.stderr)")
            let pending = try await ZRulesProcess.runAsync(
                ["plan", folder.appendingPathComponent("rules.yaml").path, "--state", state, "--format", "markdown"],
                environment: environment
            )
            #expect(pending.status == 2, "\(pending.stderr)")
            #expect(pending.stdout.contains("| Rule | Would convert | Will fail | Skipped |"))
            #expect(pending.stdout.contains("<details><summary><code>order-accepted-quotes</code>"))
            let unknown = try await ZRulesProcess.runAsync(
                ["plan", nothing.path, "--rule", "no-such-rule", "--state", state],
                environment: environment
            )
            #expect(unknown.status == 1)
        }
        let badFlag = try ZRulesProcess.run(["plan", "--no-such-flag"])
        #expect(badFlag.status == 1)
        let badRunFlag = try ZRulesProcess.run(["run", "--no-such-flag"])
        #expect(badRunFlag.status == 2, "every other command keeps 2 for a bad flag")
    }

    @Test func aMissingOrForeignPlanFileIsCouldNotRun() throws {
        let folder = try temporaryFolder()
        let missing = try ZRulesProcess.run(["apply", folder.appendingPathComponent("none.json").path, "--yes"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read it"))
    }

    @Test(arguments: [
        (true, true, false, true), (true, false, false, false), (true, true, true, false), (false, true, false, false),
    ])
    func onlyAProductionOrgOnATerminalWithoutYesIsAsked(production: Bool, terminal: Bool, yes: Bool, asks: Bool) {
        #expect(Confirmation.shouldAsk(production: production, terminal: terminal, yes: yes) == asks)
    }

    @Test func runAndApplyAcceptYes() throws {
        let run = try #require(try ZRules.parseAsRoot(["run", "--yes"]) as? ZRules.Run)
        #expect(run.yes)
        let apply = try #require(try ZRules.parseAsRoot(["apply", "plan.json", "--yes"]) as? ZRules.Apply)
        #expect(apply.yes && apply.plan == "plan.json")
        let asking = try #require(try ZRules.parseAsRoot(["apply", "plan.json"]) as? ZRules.Apply)
        #expect(!asking.yes)
    }

    @Test func aRunWithoutATerminalNeverAsks() async throws {
        try await withDemoEmulator { url, folder in
            // The test runner's standard input is not a terminal; a prompt would wait for an answer and time out.
            let result = try await ZRulesProcess.runAsync(
                [
                    "run", folder.appendingPathComponent("rules.yaml").path, "--state",
                    folder.appendingPathComponent("s").path,
                ],
                environment: ["ZRULES_API_URL": url.absoluteString],
                timeout: 60
            )
            #expect(result.status == 1 || result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("Type yes"))
        }
    }

    static func salesOrderParents(_ url: URL) async throws -> Set<String> {
        let snapshot = try await emulatorAdmin(url, "state")
        return Set(
            (snapshot["records"]["Sales_Orders"].arrayValue ?? []).compactMap { $0["Quote_Name"]["id"].stringValue }
        )
    }

    static func plannedIDs(_ plan: Any) -> Set<String> {
        let rules = (plan as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        return Set(
            rules.flatMap { ($0["records"] as? [[String: Any]]) ?? [] }.filter {
                $0["decision"] as? String == "planned"
            }
            .compactMap { $0["id"] as? String }
        )
    }
}

/// The demo org in an emulator on loopback, and a folder holding `rules.yaml` (the test's rules).
func withDemoEmulator(_ body: (URL, URL) async throws -> Void) async throws {
    let fixture = try EmulatorFixture.load(from: ZRulesProcess.packageRoot.appendingPathComponent("examples/org.yaml"))
    let configuration = EmulatorConfiguration(fixture: fixture, jobStepDuration: .milliseconds(50))
    let folder = try temporaryFolder()
    try ApplyProcessTests.rules.write(
        to: folder.appendingPathComponent("rules.yaml"),
        atomically: true,
        encoding: .utf8
    )
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    try await withEmulator(configuration: configuration, logger: logger) { url in try await body(url, folder) }
}
