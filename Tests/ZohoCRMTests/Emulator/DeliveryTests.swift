import AsyncHTTPClient
import Foundation
import Testing
import ZohoCRM
import ZohoEmulator

/// Whether a request reached Zoho is a typed fact on the error (`ZohoError.delivery`), and it decides what is resent.
struct DeliveryTests {
    static let fixture = """
        records:
          Leads:
            - { id: "1234567000000300001", Last_Name: Boyle, Company: Zylker }
        """

    /// A cached token whose API domain is a closed loopback port: the token is fine, the CRM host refuses.
    @Test func aWriteThatCouldNotConnectIsNotSentAndIsRetried() async throws {
        try await withTemporaryDirectory { dir in
            try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
                let cache = dir.appendingPathComponent("zoho-token.json")
                let configuration = ZohoConfiguration(
                    apiURL: h.baseURL,
                    // async-http-client keeps trying a refused connection until the connect timeout: keep it short.
                    timeouts: .init(connect: .milliseconds(300), request: .seconds(10), token: .seconds(10)),
                    retryPolicy: RetryPolicy(maxAttempts: 3),
                    tokenCacheFile: cache
                )
                let clock = ManualClock(start: harnessStart, sleeping: .advancesTime)
                let first = try ZohoClient(
                    configuration: configuration,
                    credentials: TestSecrets.credentials,
                    httpClient: h.admin,
                    clock: clock,
                    logger: .init(label: "t")
                )
                _ = try await first.getRecord(module: "Leads", id: "1234567000000300001")
                let text = try String(contentsOf: cache, encoding: .utf8)
                let dead = text.replacingOccurrences(
                    of: h.baseURL.absoluteString.trimmingCharacters(in: ["/"]),
                    with: "http://127.0.0.1:9"
                )
                #expect(dead != text)
                try Data(dead.utf8).write(to: cache)
                let second = try ZohoClient(
                    configuration: configuration,
                    credentials: TestSecrets.credentials,
                    clock: clock,
                    logger: .init(label: "t")
                )
                let error = await #expect(throws: ZohoError.self) {
                    _ = try await second.updateRecords(
                        module: "Leads",
                        records: [ZohoRecord(id: "1234567000000300001", fields: ["Lead_Status": "Contacted"])]
                    )
                }
                #expect(error?.delivery == .notSent)
                #expect(error?.code == .transport)
                #expect(error?.isOutcomeUnknown == false)
                #expect(error?.isTransient == true)
                // Never sent, so retried like a read: three attempts, two backoff sleeps.
                #expect(error?.attempts == 3)
                #expect(clock.slept.count == 2)
                #expect(try await h.crmRequests(method: "PUT").isEmpty)
                try await second.shutdown()
            }
        }
    }
}
