import Foundation
import Testing
import ZohoCRM
import ZohoEmulator

/// Zoho allows 10 token refreshes per refresh token in 10 minutes and blocks it after that: short-lived tokens and
/// many concurrent calls must still cost about one refresh per token lifetime.
struct TokenBudgetTests {
    static let fixture = """
        records:
          Leads:
            - { id: "1234567000000300001", Last_Name: Boyle, Company: Zylker }
        """

    /// 15 simulated minutes in 5 s steps, 6 calls at once in each: one refresh a minute, never 11 in 10 minutes,
    /// and Zoho (the emulator, on the same clock) never refuses a refresh or a token.
    @Test func aSixtySecondTokenCostsAboutOneRefreshPerLifetime() async throws {
        try await Harness.run(
            fixture: Self.fixture,
            faults: FaultConfiguration(tokenTTL: .seconds(60)),
            sharedClock: true
        ) { (h: Harness) async throws in
            let rounds = 180
            let callsPerRound = 6
            var peakInWindow = 0
            for _ in 0..<rounds {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<callsPerRound {
                        group.addTask { _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001") }
                    }
                    try await group.waitForAll()
                }
                peakInWindow = max(peakInWindow, await h.client.tokens.refreshesInWindow)
                h.clock.advance(5)
            }
            var refreshes: [LoggedRequest] = []
            var crm: [LoggedRequest] = []
            for entry in try await h.requests() {
                if entry.path == "/oauth/v2/token" { refreshes.append(entry) } else { crm.append(entry) }
            }
            // 900 s of calls with a token that lives 60 s: 15 refreshes.
            #expect((14...16).contains(refreshes.count), "\(refreshes.count) refreshes")
            #expect(refreshes.allSatisfy { $0.status == 200 })
            #expect(peakInWindow <= AccessTokenProvider.maxRefreshesPerWindow)
            #expect(crm.count == rounds * callsPerRound)
            #expect(crm.allSatisfy { $0.status == 200 })
        }
    }

    /// An hour-long token still renews a minute early, as before.
    @Test func anHourLongTokenIsRenewedAMinuteBeforeItExpires() async throws {
        try await Harness.run(fixture: Self.fixture, sharedClock: true) { (h: Harness) async throws in
            _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001")
            h.clock.advance(3530)
            _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001")
            #expect(try await h.requests().filter { $0.path == "/oauth/v2/token" }.count == 1)
            h.clock.advance(20)
            _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001")
            #expect(try await h.requests().filter { $0.path == "/oauth/v2/token" }.count == 2)
        }
    }

    /// The disk cache carries the token and the refresh times: a second client (a later rule or run) neither
    /// refreshes while the token is good nor spends refreshes the first already spent.
    @Test func theCacheFileSharesTheTokenAndTheRefreshWindow() async throws {
        try await withTemporaryDirectory { dir in
            try await Harness.run(fixture: Self.fixture, sharedClock: true) { (h: Harness) async throws in
                let configuration = ZohoConfiguration(
                    apiURL: h.baseURL,
                    tokenCacheFile: dir.appendingPathComponent("zoho-token.json")
                )
                func client() throws -> ZohoClient {
                    try ZohoClient(
                        configuration: configuration,
                        credentials: TestSecrets.credentials,
                        httpClient: h.admin,
                        clock: h.clock,
                        logger: .init(label: "t")
                    )
                }
                let first = try client()
                for _ in 0..<10 {
                    let token = try await first.tokens.token()
                    await first.tokens.invalidate(token)
                }
                let second = try client()
                _ = try await second.getRecord(module: "Leads", id: "1234567000000300001")
                #expect(await second.tokens.refreshesInWindow == 10)
                let token = try await second.tokens.token()
                await second.tokens.invalidate(token)
                let error = await #expect(throws: ZohoError.self) { _ = try await second.tokens.token() }
                #expect(error?.code == .refreshLimited)
                #expect(try await h.requests().filter { $0.path == "/oauth/v2/token" }.count == 10)
            }
        }
    }
}
