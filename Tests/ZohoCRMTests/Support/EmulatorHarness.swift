import AsyncHTTPClient
import Foundation
import InMemoryLogging
import Logging
import NIOCore
// Every file of the suite sees the shared helpers (manual clock, seeded random, temporary folders).
@_exported import TestSupport
import Testing
import ZohoCRM
import ZohoEmulator

/// Secrets the tests use; recognisable so a redaction test can search every log line and error for them.
enum TestSecrets {
    static let clientID = "1000.TESTCLIENT"
    static let clientSecret = "SECRET-cs-7f3a9b-do-not-log"
    static let refreshToken = "1000.REFRESH-rt-5c2e81-do-not-log"
    static let grantCode = "1000.GRANTCODE-gc-4d19-do-not-log"

    static var credentials: ZohoCredentials {
        ZohoCredentials(clientID: clientID, clientSecret: clientSecret, refreshToken: refreshToken)
    }

    static let clientsYAML = """
        clients:
          - client_id: "\(clientID)"
            client_secret: "\(clientSecret)"
            refresh_token: "\(refreshToken)"
            codes: ["\(grantCode)"]
        """
}

/// When the client's and the emulator's manual clocks start (2027-01-15).
let harnessStart = Date(timeIntervalSince1970: 1_800_000_000)

/// One request the emulator logged.
struct LoggedRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var status: Int
    var inFlight: Int
}

/// An emulator on loopback plus a client pointed at it, with an in-memory log and two manual clocks.
///
/// `clock` is the client's: its sleeps pass at once and move it on (`slept` lists them). `emulatorTime` is the
/// emulator's wall clock (token expiry, job progress), moved by hand unless `sharedClock` makes it the client's.
struct Harness: Sendable {
    let baseURL: URL
    let client: ZohoClient
    let clock: ManualClock
    let emulatorTime: ManualClock
    let logs: InMemoryLogHandler
    let admin: HTTPClient

    /// Runs `body` against a fresh emulator serving `fixture` (the test clients are added to it).
    static func run<T: Sendable>(
        fixture: String = "",
        faults: FaultConfiguration = FaultConfiguration(),
        edition: ZohoConfiguration.Edition = .enterprise,
        retryPolicy: RetryPolicy = RetryPolicy(),
        // Generous by default: a loaded CI machine must not turn a slow answer into a timeout the test did not ask for.
        timeouts: ZohoConfiguration.Timeouts = .init(connect: .seconds(10), request: .seconds(30), token: .seconds(10)),
        writeTimeoutDelay: Duration = .seconds(5),
        dailyCreditBudget: Int? = nil,
        seed: UInt64 = 42,
        sharedClock: Bool = false,
        _ body: (Harness) async throws -> T
    ) async throws -> T {
        let emulatorTime = ManualClock(start: harnessStart)
        let clock = ManualClock(start: harnessStart, sleeping: .advancesTime)
        let yaml = fixture + "\n" + TestSecrets.clientsYAML + "\n"
        let configuration = EmulatorConfiguration(
            fixture: try EmulatorFixture(yaml: yaml),
            faults: faults,
            dailyCreditBudget: dailyCreditBudget,
            writeTimeoutDelay: writeTimeoutDelay,
            // A shared clock lets the client's (instant) sleeps move the emulator's jobs along.
            clock: sharedClock ? clock.emulatorClock : emulatorTime.emulatorClock
        )
        var emulatorLogger = Logger(label: "emulator")
        emulatorLogger.logLevel = .critical
        return try await withEmulator(configuration: configuration, logger: emulatorLogger) { url in
            let logs = InMemoryLogHandler()
            var logger = Logger(label: "zoho-test", factory: { _ in logs })
            logger.logLevel = .trace
            let client = try ZohoClient(
                configuration: ZohoConfiguration(
                    edition: edition,
                    apiURL: url,
                    timeouts: timeouts,
                    retryPolicy: retryPolicy
                ),
                credentials: TestSecrets.credentials,
                clock: clock,
                random: SeededRandom(seed: seed),
                logger: logger
            )
            let admin = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            let harness = Harness(
                baseURL: url,
                client: client,
                clock: clock,
                emulatorTime: emulatorTime,
                logs: logs,
                admin: admin
            )
            do {
                let result = try await body(harness)
                try await client.shutdown()
                try await admin.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                try? await admin.shutdown()
                throw error
            }
        }
    }

    /// The emulator's request log.
    func requests() async throws -> [LoggedRequest] {
        let json = try await adminGET("/__emulator/requests")
        let items = try #require(json["requests"].arrayValue)
        return items.map { item in
            LoggedRequest(
                method: item["method"].stringValue ?? "",
                path: item["path"].stringValue ?? "",
                query: (item["query"].objectValue ?? [:]).compactMapValues(\.stringValue),
                status: item["status"].intValue ?? 0,
                inFlight: item["in_flight"].intValue ?? 0
            )
        }
    }

    /// Requests to CRM paths (not the token endpoint), optionally filtered.
    func crmRequests(method: String? = nil, pathSuffix: String? = nil) async throws -> [LoggedRequest] {
        try await requests().filter {
            $0.path.hasPrefix("/crm/") && (method == nil || $0.method == method)
                && (pathSuffix == nil || $0.path.hasSuffix(pathSuffix ?? ""))
        }
    }

    /// Replaces the emulator's faults, e.g. `429=1,seed=3`.
    func setFaults(_ spec: String) async throws {
        var request = HTTPClientRequest(url: baseURL.absoluteString + "/__emulator/faults")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try ZohoJSON.object(["spec": .string(spec)]).encoded()
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await admin.execute(request, timeout: .seconds(20))
        _ = try await response.body.collect(upTo: 1 << 20)
        #expect(response.status.code == 200)
    }

    func adminGET(_ path: String) async throws -> ZohoJSON {
        let response = try await admin.execute(
            HTTPClientRequest(url: baseURL.absoluteString + path),
            timeout: .seconds(20)
        )
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return try ZohoJSON(data: Data(buffer.readableBytesView))
    }

    /// Every log line the client wrote, message and metadata, as text.
    var logText: [String] {
        logs.entries.map { "\($0.level) \($0.message) \($0.metadata)" }
    }
}
