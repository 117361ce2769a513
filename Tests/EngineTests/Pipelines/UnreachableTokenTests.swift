import Engine
import Foundation
import Logging
import Testing
import ZohoCRM
import ZohoEmulator

/// A token endpoint that cannot be reached is tried once per run, and every rule says where it tried (issue 12,
/// item 7: a 5-rule plan took 80 s to fail, one token timeout a rule, and named no host).
struct UnreachableTokenTests {
    static let rules = """
        version: 1
        rules:
          - name: accepted-quotes-to-invoices
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do: [{ convert: { to: Invoices } }]
          - name: accepted-quotes-to-orders
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do: [{ convert: { to: Sales_Orders } }]
          - name: orders-to-invoices
            when: { module: Sales_Orders, where: { Status: Approved } }
            do: [{ convert: { to: Invoices } }]
        """

    /// A loopback URL nothing listens on: an emulator's, after it stopped.
    static func closedLoopbackURL() async throws -> URL {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let configuration = EmulatorConfiguration(fixture: try EmulatorFixture(yaml: engineFixture))
        var served: URL?
        try await withEmulator(configuration: configuration, logger: logger) { url in served = url }
        return try #require(served)
    }

    @Test func aThreeRulePlanTriesTheTokenEndpointOnceAndNamesHostAndPort() async throws {
        let closed = try await Self.closedLoopbackURL()
        let port = try #require(closed.port)
        try await withEngine { harness in
            var zoho = ZohoConfiguration(edition: .professional, apiURL: closed)
            // Refused connections are retried by the HTTP client until this deadline: each attempt costs it.
            zoho.timeouts.token = .seconds(2)
            let client = try ZohoClient(
                configuration: zoho,
                credentials: ZohoCredentials(clientID: "1000.TEST", clientSecret: "test-secret", refreshToken: "r"),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            )
            let started = ContinuousClock.now
            let report = try await harness.execute(Self.rules, dryRun: true, client: client)
            let elapsed = ContinuousClock.now - started
            let attempts = await client.tokens.refreshesInWindow
            try await client.shutdown()

            #expect(report.rules.count == 3)
            let expected = "the token endpoint http://127.0.0.1 (port \(port)) could not be reached: connection refused"
            for rule in report.rules {
                #expect(rule.error?.contains(expected) == true, "\(rule.rule): \(rule.error ?? "no error")")
            }
            #expect(attempts == 1, "the token endpoint is tried once for the whole plan")
            // Tried per call, the plan makes five attempts and each waits out the 2 s deadline: 10 s at least. Tried
            // once, it takes one deadline plus the plan's own work (longer on a loaded machine, never 10 s).
            #expect(elapsed < .seconds(10), "one token timeout (2 s) for the plan, not one a call: \(elapsed)")
        }
    }
}
