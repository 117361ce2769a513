import Foundation
import Testing

/// `zrules daemon` starts, reports its schedules, and stops cleanly on SIGTERM.
struct DaemonProcessTests {
    @Test func stopsCleanlyOnSIGTERM() async throws {
        let folder = try temporaryFolder()
        let rules = folder.appendingPathComponent("rules.yaml")
        try """
        version: 1
        rules:
          - name: nightly-orders
            schedule: "0 3 * * *"
            timezone: Europe/Berlin
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do:
              - convert: { to: Sales_Orders }
        """.write(to: rules, atomically: true, encoding: .utf8)
        let daemon = try ZRulesProcess.start([
            "daemon", rules.path, "--emulator", "examples/org.yaml", "--state",
            folder.appendingPathComponent("state").path,
        ])
        var scheduled = false
        for _ in 0..<300 where !scheduled {
            try await Task.sleep(for: .milliseconds(50))
            scheduled = daemon.stderr().contains("scheduled nightly-orders: 0 3 * * * (Europe/Berlin)")
        }
        #expect(scheduled, "\(daemon.stderr())")
        kill(daemon.process.processIdentifier, SIGTERM)
        for _ in 0..<200 where daemon.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        if daemon.process.isRunning {
            daemon.process.terminate()
            Issue.record("the daemon did not stop within 10 s of SIGTERM")
        }
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationReason == .exit)
        #expect(daemon.process.terminationStatus == 0, "\(daemon.stderr())")
    }

    @Test func refusesRulesWithoutSchedules() throws {
        let folder = try temporaryFolder()
        let rules = folder.appendingPathComponent("rules.yaml")
        try """
        version: 1
        rules:
          - name: on-demand-orders
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do:
              - convert: { to: Sales_Orders }
        """.write(to: rules, atomically: true, encoding: .utf8)
        let result = try ZRulesProcess.run([
            "daemon", rules.path, "--emulator", "examples/org.yaml", "--state",
            folder.appendingPathComponent("state").path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no rule has a schedule"))
    }
}
