import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

@testable import ZohoEmulator

/// A minimal live client: the tests talk HTTP to a real listening emulator.
struct LiveClient: Sendable {
    let base: URL
    var token = ""
    var http: HTTPClient = .shared

    func send(
        _ method: HTTPMethod,
        _ path: String,
        body: String? = nil,
        // Generous: on a loaded 2-core CI machine twelve 700 ms calls can queue well past five seconds.
        timeout: TimeAmount = .seconds(30)
    ) async throws
        -> (status: Int, json: JSONValue, headers: HTTPHeaders)
    {
        var request = HTTPClientRequest(url: base.absoluteString + path)
        request.method = method
        if !token.isEmpty { request.headers.add(name: "Authorization", value: "Zoho-oauthtoken \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 4 << 20)
        let data = Data(bytes.readableBytesView)
        let json = data.isEmpty ? JSONValue.null : (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
        return (Int(response.status.code), json, response.headers)
    }

    func authorized() async throws -> LiveClient {
        let reply = try await send(
            .POST,
            "/oauth/v2/token?grant_type=refresh_token&client_id=c&client_secret=s&refresh_token=r"
        )
        var copy = self
        copy.token = try #require(reply.json["access_token"].stringValue)
        #expect(reply.json["api_domain"].stringValue == base.absoluteString)
        return copy
    }
}

@Suite struct LimitsAndFaultsTests {
    static let freeEdition = testFixtureYAML.replacingOccurrences(of: "edition: professional", with: "edition: free")

    @Test func liveServerOnAFreePort() async throws {
        let configuration = try emulatorConfiguration()
        let url = try await withEmulator(configuration: configuration, logger: Logger(label: "test")) { base in
            #expect(base.host == "127.0.0.1")
            #expect((base.port ?? 0) > 0)
            let client = try await LiveClient(base: base).authorized()
            let users = try await client.send(.GET, "/crm/v8/users?type=ActiveUsers")
            #expect(users.status == 200)
            #expect(users.headers["Content-Type"].first?.hasPrefix("application/json") == true)
            return base
        }
        // The server is gone once withEmulator returns.
        await #expect(throws: (any Error).self) {
            _ = try await LiveClient(base: url).send(.GET, "/__emulator/state", timeout: .milliseconds(500))
        }
    }

    @Test func concurrencyBeyondTheEditionGets429() async throws {
        let configuration = try emulatorConfiguration(
            yaml: Self.freeEdition,
            clock: ManualClock(),
            faults: FaultConfiguration(latency: .milliseconds(700))
        )
        try await withEmulator(configuration: configuration, logger: Logger(label: "test")) { base in
            let client = try await LiveClient(base: base).authorized()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await client.send(.GET, "/crm/v8/users").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // Free edition: 5 in flight, the rest refused while they are.
            // Normally 5 and 3; a request delayed past the others' latency on a busy machine may still get in.
            #expect(statuses.filter { $0 == 200 }.count >= 5, "\(statuses)")
            #expect(statuses.filter { $0 == 429 }.count >= 1, "\(statuses)")
            let log = try await client.send(.GET, "/__emulator/requests")
            let admitted = log.json["requests"].arrayValue?.filter {
                $0["status"] == 200 && $0["path"] == "/crm/v8/users"
            }
            let inFlight = admitted?.compactMap { $0["in_flight"].doubleValue } ?? []
            // Never more than five at once: each admitted call found at most four others in flight.
            #expect(inFlight.max() == 4, "\(inFlight)")
        }
    }

    @Test func complexAPIsHaveTheirOwnLimitOfTen() async throws {
        let ultimate = testFixtureYAML.replacingOccurrences(of: "edition: professional", with: "edition: ultimate")
        let configuration = try emulatorConfiguration(
            yaml: ultimate,
            faults: FaultConfiguration(latency: .milliseconds(700))
        )
        // The shared client opens at most 8 connections per host; this test needs 12 at once.
        var settings = HTTPClient.Configuration()
        settings.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        do {
            try await Self.runComplexQueries(configuration, http: http)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    static func runComplexQueries(_ configuration: EmulatorConfiguration, http: HTTPClient) async throws {
        try await withEmulator(configuration: configuration, logger: Logger(label: "test")) { base in
            let client = try await LiveClient(base: base, http: http).authorized()
            let query = #"{"select_query":"select Last_Name from Leads where Last_Name is not null"}"#
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 { group.addTask { try await client.send(.POST, "/crm/v8/coql", body: query).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 429 }.count >= 1, "\(statuses)")
            #expect(statuses.filter { $0 == 200 }.count >= 10, "\(statuses)")
        }
    }

    @Test func creditsAreCountedAndReported() async throws {
        try await withSession(try emulatorConfiguration(budget: 12)) { s in
            let first = try await s.call(.get, "/users")
            #expect(first.headers[values: .init("X-API-CREDITS-REMAINING")!].isEmpty)
            // COQL with LIMIT 2000 costs 3 (1 + 3 = 4 used).
            _ = try await s.call(
                .post,
                "/coql",
                ["select_query": "select Last_Name from Leads where Last_Name is not null limit 2000"]
            )
            // Convert lead costs 5 (9 used, past half: the header appears).
            let converted = try await s.call(.post, "/Leads/4876876000001000402/actions/convert", ["data": [[:]]])
            #expect(converted.status == 200)
            #expect(converted.headers[.init("X-API-CREDITS-REMAINING")!] == "3")
            for expected in ["2", "1", "0"] {
                let reply = try await s.call(.get, "/users")
                #expect(reply.headers[.init("X-API-CREDITS-REMAINING")!] == expected)
            }
            let exhausted = try await s.call(.get, "/users")
            #expect(exhausted.status == 429)
            #expect(exhausted.json["code"] == "TOO_MANY_REQUESTS")
        }
    }

    static func statuses(seed: UInt64) async throws -> [Int] {
        let faults = FaultConfiguration(tooManyRequests: 0.3, serverErrors: 0.3, seed: seed)
        let box = StatusBox()
        try await withSession(try emulatorConfiguration(faults: faults)) { s in
            for _ in 0..<30 { await box.add(try await s.call(.get, "/users").status) }
        }
        return await box.values
    }

    actor StatusBox {
        var values: [Int] = []
        func add(_ v: Int) { values.append(v) }
    }

    @Test func faultsAreDeterministicUnderASeed() async throws {
        let a = try await Self.statuses(seed: 42)
        let b = try await Self.statuses(seed: 42)
        let c = try await Self.statuses(seed: 43)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a) == [200, 429, 500])
    }

    @Test func faultsCanBeChangedAtRuntime() async throws {
        try await withSession { s in
            let set = try await s.raw(.post, "/__emulator/faults", body: #"{"spec":"5xx=1,seed=3"}"#)
            #expect(set.json["5xx"] == 1)
            let failed = try await s.call(.get, "/users")
            #expect(failed.status == 500)
            #expect(failed.json["code"] == "INTERNAL_ERROR")
            _ = try await s.raw(.post, "/__emulator/faults", body: #"{"5xx": 0, "429": 1}"#)
            let limited = try await s.call(.get, "/users")
            #expect(limited.status == 429)
            let shown = try await s.raw(.get, "/__emulator/faults")
            #expect(shown.json["spec"] == "429=1.0,seed=3")
            let bad = try await s.raw(.post, "/__emulator/faults", body: #"{"spec":"teapot=1"}"#)
            #expect(bad.status == 400)
            _ = try await s.raw(.post, "/__emulator/faults", body: #"{"spec":""}"#)
            #expect(try await s.call(.get, "/users").status == 200)
        }
    }

    /// Zoho's 500 INTERNAL_ERROR is an error answer: the emulator gives it before the handler runs, so a write
    /// answered 500 did nothing, and a mass convert answered 500 scheduled no job (issue 12).
    @Test func aWriteAnswered500DidNothing() async throws {
        try await withSession { s in
            _ = try await s.raw(.post, "/__emulator/faults", body: #"{"spec":"5xx_write=1"}"#)
            let single = try await s.call(.post, "/Leads/4876876000001000402/actions/convert", ["data": [[:]]])
            #expect(single.status == 500 && single.json["code"] == "INTERNAL_ERROR")
            let mass = try await s.call(.post, "/Leads/actions/mass_convert", ["ids": ["4876876000001000402"]])
            #expect(mass.status == 500 && mass.json["code"] == "INTERNAL_ERROR")
            // Reads go through.
            #expect(try await s.call(.get, "/users").status == 200)
            let state = try await s.raw(.get, "/__emulator/state")
            #expect(state.json["records"]["Contacts"].arrayValue?.count == 3)
            #expect(state.json["jobs"] == [])
            #expect(try await s.raw(.get, "/__emulator/faults").json["spec"] == "5xx_write=1.0,seed=1")
        }
    }

    @Test func timeoutThatStillPerformsTheWrite() async throws {
        let configuration = try emulatorConfiguration(faults: FaultConfiguration(timeoutWrite: 1))
        try await withEmulator(configuration: configuration, logger: Logger(label: "test")) { base in
            let client = try await LiveClient(base: base).authorized()
            let body = #"{"data":[{"id":"4876876000001000502","Quote_Stage":"Closed Won"}]}"#
            await #expect(throws: (any Error).self) {
                _ = try await client.send(.PUT, "/crm/v8/Quotes", body: body, timeout: .milliseconds(100))
            }
            let state = try await client.send(.GET, "/__emulator/state")
            let quote = state.json["records"]["Quotes"].arrayValue?.first { $0["id"] == "4876876000001000502" }
            #expect(quote?["Quote_Stage"] == "Closed Won")
            // Reads are not delayed.
            let read = try await client.send(.GET, "/crm/v8/users", timeout: .milliseconds(250))
            #expect(read.status == 200)
        }
    }

    @Test func resetRestoresTheFixture() async throws {
        try await withSession { s in
            _ = try await s.call(.post, "/Leads/4876876000001000402/actions/convert", ["data": [[:]]])
            let before = try await s.raw(.get, "/__emulator/state")
            #expect(before.json["records"]["Contacts"].arrayValue?.count == 4)
            let reset = try await s.raw(.post, "/__emulator/reset")
            #expect(reset.status == 200)
            let after = try await s.raw(.get, "/__emulator/state")
            #expect(after.json["records"]["Contacts"].arrayValue?.count == 3)
            #expect(after.json["jobs"] == [])
            #expect(try await s.raw(.get, "/__emulator/requests").json["requests"] == [])
            // Tokens survive a reset.
            #expect(try await s.call(.get, "/users").status == 200)
        }
    }
}
