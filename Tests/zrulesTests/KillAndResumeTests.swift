import Foundation
import Logging
import Testing
import ZohoEmulator

/// A run killed with SIGKILL in the middle of a mass-convert job, then run again, ends exactly once.
struct KillAndResumeTests {
    static let rules = """
        version: 1
        rules:
          - name: order-accepted-quotes
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do:
              - convert: { to: Sales_Orders, carry_tags: true }
        """

    @Test func aKilledRunResumesWithoutDuplicatesOrLosses() async throws {
        let fixture = try EmulatorFixture.load(
            from: ZRulesProcess.packageRoot.appendingPathComponent("examples/org.yaml")
        )
        // Slow jobs, so the kill lands while the job is scheduled or in progress.
        let configuration = EmulatorConfiguration(fixture: fixture, jobStepDuration: .seconds(1))
        let folder = try temporaryFolder()
        let rulesFile = folder.appendingPathComponent("rules.yaml")
        try Self.rules.write(to: rulesFile, atomically: true, encoding: .utf8)
        let state = folder.appendingPathComponent("state")
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

        try await withEmulator(configuration: configuration, logger: logger) { url in
            let environment = ["ZRULES_API_URL": url.absoluteString]
            let arguments = ["run", rulesFile.path, "--state", state.path]
            let first = try ZRulesProcess.start(arguments, environment: environment)
            // Wait (bounded) until the mass convert has been sent, then kill without warning.
            var sent = false
            for _ in 0..<400 where !sent {
                try await Task.sleep(for: .milliseconds(25))
                let log = try await emulatorAdmin(url, "requests")
                sent = (log["requests"].arrayValue ?? []).contains {
                    $0["method"].stringValue == "POST"
                        && ($0["path"].stringValue ?? "").hasSuffix("/actions/mass_convert")
                }
            }
            try #require(sent, "the run never sent its mass convert: \(first.stderr())")
            kill(first.process.processIdentifier, SIGKILL)
            try await first.exit()
            #expect(first.process.terminationReason == .uncaughtSignal)

            let second = try await ZRulesProcess.runAsync(arguments, environment: environment, timeout: 120)
            #expect(second.status == 0 || second.status == 1, "\(second.stderr)")

            let snapshot = try await emulatorAdmin(url, "state")
            let orders = snapshot["records"]["Sales_Orders"].arrayValue ?? []
            let quotes = (snapshot["records"]["Quotes"].arrayValue ?? []).filter {
                $0["Quote_Stage"].stringValue == "Accepted"
            }
            var children: [String: Int] = [:]
            for order in orders {
                if let parent = order["Quote_Name"]["id"].stringValue { children[parent, default: 0] += 1 }
            }
            // At most one child per quote, ever.
            #expect(children.values.allSatisfy { $0 == 1 }, "\(children)")
            // Every accepted quote Zoho would convert ended converted (the locked and unapproved ones cannot be).
            let convertible = quotes.filter {
                $0["Locked__s"].boolValue != true && ($0["$approval_state"].stringValue ?? "approved") == "approved"
            }
            for quote in convertible {
                #expect(children[quote["id"].stringValue ?? ""] == 1, "quote \(quote["id"]) has no sales order")
            }
            // The rerun reconciled before sending anything new.
            let audit = try ZRulesProcess.run(["audit", "--state", state.path, "--format", "jsonl"])
            #expect(audit.stdout.contains("reconcile"))
        }
    }
}
