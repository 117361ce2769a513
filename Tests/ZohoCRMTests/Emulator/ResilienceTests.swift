import Foundation
import Testing
import ZohoCRM
import ZohoEmulator

/// Tokens, retries, timeouts and limits against the emulator's faults; the request log is the witness.
struct ResilienceTests {
    static let fixture = """
        records:
          Leads:
            - { id: "1234567000000300001", Last_Name: Boyle, Company: Zylker, Email: p.boyle@zylker.com }
            - { id: "1234567000000300002", Last_Name: Novak, Company: Nowhere, Email: novak@nowhere.example }
        """

    // MARK: - Tokens

    @Test func tokenIsSharedByConcurrentCallersAndRefreshedOnce() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<12 {
                    group.addTask { _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001") }
                }
                try await group.waitForAll()
            }
            let tokenCalls = try await h.requests().filter { $0.path == "/oauth/v2/token" }
            #expect(tokenCalls.count == 1)
            #expect(await h.client.tokens.refreshesInWindow == 1)
        }
    }

    @Test func tokenExpiringMidRunIsRefreshedOnceAndTheCallReplayed() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001")
            // The emulator's clock passes the token's hour; the client's clock does not, so the client learns of
            // the expiry from Zoho's 401 INVALID_TOKEN, mid-run.
            h.emulatorTime.advance(3700)
            let results = try await h.client.updateRecords(
                module: "Leads",
                records: [ZohoRecord(id: "1234567000000300002", fields: ["Lead_Status": "Contacted"])]
            )
            #expect(results.first?.isSuccess == true)
            let log = try await h.requests()
            #expect(log.filter { $0.path == "/oauth/v2/token" }.count == 2)
            let puts = log.filter { $0.method == "PUT" }
            #expect(puts.map(\.status) == [401, 200])
        }
    }

    @Test func tokenNearExpiryIsRefreshedBeforeUse() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001")
            h.clock.advance(3590)
            h.emulatorTime.advance(3590)
            _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001")
            let log = try await h.requests()
            #expect(log.filter { $0.path == "/oauth/v2/token" }.count == 2)
            #expect(!log.contains { $0.status == 401 })
        }
    }

    @Test func tokenTTLFaultExpiresTokensWhileCallsRun() async throws {
        try await Harness.run(fixture: Self.fixture, faults: FaultConfiguration(tokenTTL: .seconds(120))) {
            (h: Harness) async throws in
            for _ in 0..<4 {
                _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001")
                h.emulatorTime.advance(130)
            }
            let log = try await h.requests()
            #expect(log.filter { $0.path == "/oauth/v2/token" }.count == 4)
            #expect(log.filter { $0.path.hasPrefix("/crm/") && $0.status == 200 }.count == 4)
        }
    }

    @Test func moreThanTenRefreshesInTenMinutesAreRefused() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            for _ in 0..<10 {
                let token = try await h.client.tokens.token()
                await h.client.tokens.invalidate(token)
            }
            let error = await #expect(throws: ZohoError.self) { _ = try await h.client.tokens.token() }
            #expect(error?.code == .refreshLimited)
            #expect(error?.isTransient == true)
            #expect(error?.delivery == .notSent)
            #expect(error?.message.contains("10 access-token refreshes") == true)
            #expect(try await h.requests().filter { $0.path == "/oauth/v2/token" }.count == 10)
            h.clock.advance(601)
            h.emulatorTime.advance(601)
            _ = try await h.client.tokens.token()
        }
    }

    @Test func wrongClientSecretIsAnAuthenticationErrorWithoutTheSecret() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let client = try ZohoClient(
                configuration: ZohoConfiguration(apiURL: h.baseURL),
                credentials: ZohoCredentials(
                    clientID: TestSecrets.clientID,
                    clientSecret: "WRONG-\(TestSecrets.clientSecret)",
                    refreshToken: TestSecrets.refreshToken
                ),
                httpClient: h.admin,
                logger: .init(label: "t", factory: { _ in h.logs })
            )
            let error = await #expect(throws: ZohoError.self) { _ = try await client.modules() }
            #expect(error?.code == .authentication)
            #expect(error?.zohoCode == "invalid_client")
            #expect(error?.description.contains(TestSecrets.clientSecret) == false)
        }
    }

    @Test func grantCodeExchangeReturnsARefreshTokenOnce() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let endpoint = try ZohoTokenEndpoint(
                configuration: ZohoConfiguration(apiURL: h.baseURL),
                httpClient: h.admin,
                logger: .init(label: "t", factory: { _ in h.logs })
            )
            let grant = try await endpoint.exchange(
                grantCode: TestSecrets.grantCode,
                clientID: TestSecrets.clientID,
                clientSecret: TestSecrets.clientSecret
            )
            let refresh = try #require(grant.refreshToken)
            #expect(!grant.description.contains(refresh))
            #expect(grant.accessToken.apiDomain.host == h.baseURL.host)
            // The refresh token works; the code does not work twice.
            let refreshed = try await endpoint.refresh(
                ZohoCredentials(
                    clientID: TestSecrets.clientID,
                    clientSecret: TestSecrets.clientSecret,
                    refreshToken: refresh
                )
            )
            #expect(refreshed.accessToken.expiresAt > Date(timeIntervalSince1970: 0))
            let reused = await #expect(throws: ZohoError.self) {
                _ = try await endpoint.exchange(
                    grantCode: TestSecrets.grantCode,
                    clientID: TestSecrets.clientID,
                    clientSecret: TestSecrets.clientSecret
                )
            }
            #expect(reused?.zohoCode == "invalid_code")
        }
    }

    @Test func tokenCacheOnDiskIsPrivateAndReusedByTheNextClient() async throws {
        try await withTemporaryDirectory { dir in
            try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
                let cache = dir.appendingPathComponent("state/zoho-token.json")
                let configuration = ZohoConfiguration(apiURL: h.baseURL, tokenCacheFile: cache)
                for _ in 0..<2 {
                    let client = try ZohoClient(
                        configuration: configuration,
                        credentials: TestSecrets.credentials,
                        httpClient: h.admin,
                        logger: .init(label: "t", factory: { _ in h.logs })
                    )
                    _ = try await client.getRecord(module: "Leads", id: "1234567000000300001")
                }
                #expect(try await h.requests().filter { $0.path == "/oauth/v2/token" }.count == 1)
                let mode =
                    (try FileManager.default.attributesOfItem(atPath: cache.path)[.posixPermissions] as? NSNumber)?
                    .intValue
                #expect(mode.map { $0 & 0o777 } == 0o600)
                let text = try String(contentsOf: cache, encoding: .utf8)
                #expect(!text.contains(TestSecrets.refreshToken))
                #expect(!text.contains(TestSecrets.clientSecret))
            }
        }
    }

    // MARK: - Retries

    @Test func readsRetry429StormsWithBackoffThenGiveUp() async throws {
        try await Harness.run(fixture: Self.fixture, faults: FaultConfiguration(tooManyRequests: 1)) {
            (h: Harness) async throws in
            let error = await #expect(throws: ZohoError.self) { _ = try await h.client.modules() }
            #expect(error?.code == .rateLimited)
            #expect(error?.zohoCode == "TOO_MANY_REQUESTS")
            #expect(error?.httpStatus == 429)
            #expect(error?.attempts == 5)
            #expect(try await h.crmRequests().count == 5)
            // Exponential with ±20 % jitter: 0.5, 1, 2, 4 s nominal.
            let sleeps = h.clock.slept.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
            #expect(sleeps.count == 4)
            for (slept, nominal) in zip(sleeps, [0.5, 1.0, 2.0, 4.0]) {
                #expect(slept >= nominal * 0.8 && slept <= nominal * 1.2)
            }
            #expect(h.logText.filter { $0.contains("retrying Zoho call") }.count == 4)
        }
    }

    @Test func readsRecoverFromIntermittent429sAnd5xx() async throws {
        try await Harness.run(
            fixture: Self.fixture,
            faults: FaultConfiguration(tooManyRequests: 0.3, serverErrors: 0.3, seed: 5)
        ) { (h: Harness) async throws in
            for _ in 0..<10 {
                let lead = try await h.client.getRecord(module: "Leads", id: "1234567000000300001")
                #expect(lead?["Last_Name"] == "Boyle")
            }
            let log = try await h.crmRequests()
            #expect(log.filter { $0.status == 200 }.count == 10)
            #expect(log.contains { $0.status == 429 })
            #expect(log.contains { $0.status == 500 })
        }
    }

    @Test func fiveHundredsExhaustRetriesForReads() async throws {
        try await Harness.run(fixture: Self.fixture, faults: FaultConfiguration(serverErrors: 1)) {
            (h: Harness) async throws in
            let error = await #expect(throws: ZohoError.self) {
                _ = try await h.client.coql("select id from Leads where id is not null")
            }
            #expect(error?.httpStatus == 500)
            #expect(error?.zohoCode == "INTERNAL_ERROR")
            #expect(error?.attempts == 5)
        }
    }

    @Test func aWriteThatDrewA5xxIsNeverResent() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            _ = try await h.client.tokens.token()
            try await h.setFaults("5xx=1")
            let error = await #expect(throws: ZohoError.self) {
                _ = try await h.client.addTags(module: "Leads", ids: ["1234567000000300001"], tags: ["x"])
            }
            #expect(error?.attempts == 1)
            #expect(error?.code == .unknownOutcome)
            #expect(try await h.crmRequests(method: "POST").count == 1)
            #expect(h.clock.slept.isEmpty)
        }
    }

    @Test func aWriteRefusedWith429IsRetriedBecauseZohoDidNothing() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            _ = try await h.client.tokens.token()
            try await h.setFaults("429=1")
            let error = await #expect(throws: ZohoError.self) {
                _ = try await h.client.addTags(module: "Leads", ids: ["1234567000000300001"], tags: ["x"])
            }
            #expect(error?.code == .rateLimited)
            #expect(error?.attempts == RetryPolicy().maxAttempts)
            let posts = try await h.crmRequests(method: "POST")
            #expect(posts.count == RetryPolicy().maxAttempts)
            #expect(posts.allSatisfy { $0.status == 429 })
        }
    }

    // MARK: - Timeouts

    @Test func readTimeoutsAreRetriedThenReported() async throws {
        try await Harness.run(
            fixture: Self.fixture,
            // Wide margins: on a loaded 2-core machine connecting alone can take a few hundred milliseconds, and a
            // deadline that passes before the request is sent is (rightly) a transport error, not a timeout.
            faults: FaultConfiguration(latency: .seconds(8)),
            retryPolicy: RetryPolicy(maxAttempts: 2),
            timeouts: .init(connect: .seconds(5), request: .seconds(3), token: .seconds(10))
        ) { (h: Harness) async throws in
            let error = await #expect(throws: ZohoError.self) {
                _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001")
            }
            #expect(error?.code == .timeout)
            #expect(error?.attempts == 2)
            #expect(h.clock.slept.count == 1)
        }
    }

    @Test func writeTimeoutIsAnUnknownOutcomeAndIsNotResent() async throws {
        try await Harness.run(
            fixture: Self.fixture,
            faults: FaultConfiguration(timeoutWrite: 1),
            timeouts: .init(connect: .seconds(5), request: .seconds(3), token: .seconds(10)),
            writeTimeoutDelay: .seconds(8)
        ) { (h: Harness) async throws in
            let error = await #expect(throws: ZohoError.self) {
                _ = try await h.client.updateRecords(
                    module: "Leads",
                    records: [ZohoRecord(id: "1234567000000300002", fields: ["Lead_Status": "Contacted"])]
                )
            }
            #expect(error?.code == .unknownOutcome)
            #expect(error?.isOutcomeUnknown == true)
            #expect(error?.attempts == 1)
            // The emulator logs the write once its delayed answer is written; wait for it, bounded.
            var puts: [LoggedRequest] = []
            for _ in 0..<150 {
                puts = try await h.crmRequests(method: "PUT")
                if !puts.isEmpty { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await h.crmRequests(method: "PUT").count == 1)
            // It did happen: reconciling by reading shows the new value.
            let lead = try await h.client.getRecord(module: "Leads", id: "1234567000000300002")
            #expect(lead?["Lead_Status"] == "Contacted")
        }
    }

    // MARK: - Limits

    @Test func concurrencyStaysWithinTheEditionLimit() async throws {
        try await Harness.run(
            fixture: "edition: free\n" + Self.fixture,
            faults: FaultConfiguration(latency: .milliseconds(30)),
            edition: .free,
            // A client timeout frees the client's slot while the server still works on the call, and the retry
            // can then meet a full server: under a loaded CI machine that is load, not the limiter under test.
            timeouts: .init(connect: .seconds(10), request: .seconds(60), token: .seconds(10))
        ) { (h: Harness) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask { _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001") }
                }
                try await group.waitForAll()
            }
            let log = try await h.crmRequests()
            #expect(log.count == 40)
            #expect(!log.contains { $0.status == 429 })
            #expect(log.allSatisfy { $0.inFlight < 5 })
            #expect(log.contains { $0.inFlight >= 2 })
            #expect(await h.client.peakInFlight <= 5)
        }
    }

    /// async-http-client's pool defaults to 8 connections per host; the client sizes it to the edition, so an
    /// enterprise org (20) gets more than 8 calls in flight, and never more than 20.
    @Test func theConnectionPoolLetsTheEditionsConcurrencyThrough() async throws {
        try await Harness.run(
            fixture: "edition: enterprise\n" + Self.fixture,
            faults: FaultConfiguration(latency: .milliseconds(300)),
            edition: .enterprise,
            timeouts: .init(connect: .seconds(10), request: .seconds(60), token: .seconds(10))
        ) { (h: Harness) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask { _ = try await h.client.getRecord(module: "Leads", id: "1234567000000300001") }
                }
                try await group.waitForAll()
            }
            let log = try await h.crmRequests()
            #expect(log.count == 40)
            #expect(!log.contains { $0.status == 429 })
            // `in_flight` counts the others already in flight when a call arrives.
            let peak = (log.map(\.inFlight).max() ?? 0) + 1
            #expect(peak > 8, "peak \(peak) in flight")
            #expect(peak <= 20)
            #expect(await h.client.peakInFlight > 8)
        }
    }

    @Test func complexCallsStayWithinTenEvenInLargerEditions() async throws {
        try await Harness.run(
            fixture: "edition: ultimate\n" + Self.fixture,
            faults: FaultConfiguration(latency: .milliseconds(30)),
            edition: .ultimate,
            // A client timeout frees the client's slot while the server still works on the call, and the retry
            // can then meet a full server: under a loaded CI machine that is load, not the limiter under test.
            timeouts: .init(connect: .seconds(10), request: .seconds(60), token: .seconds(10))
        ) { (h: Harness) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask { _ = try await h.client.coql("select id from Leads where id is not null") }
                }
                try await group.waitForAll()
            }
            let log = try await h.crmRequests()
            #expect(log.count == 40)
            #expect(!log.contains { $0.status == 429 })
            #expect(log.allSatisfy { $0.inFlight < 10 })
            #expect(await h.client.peakInFlight <= 10)
        }
    }

    @Test func creditsRemainingIsTracked() async throws {
        try await Harness.run(fixture: Self.fixture, dailyCreditBudget: 10) { (h: Harness) async throws in
            #expect(h.client.creditsRemaining == nil)
            for _ in 0..<4 { _ = try await h.client.modules() }
            // Zoho sends the header only once half the day's credits are spent.
            #expect(h.client.creditsRemaining == nil)
            _ = try await h.client.modules()
            let remaining = try #require(h.client.creditsRemaining)
            _ = try await h.client.modules()
            #expect(h.client.creditsRemaining == remaining - 1)
        }
    }
}
