import AsyncHTTPClient
import Engine
import Foundation
import Logging
import RuleKit
// Every file of the suite sees the shared helpers (manual clock, temporary folders, fixtures) without importing them.
@_exported import TestSupport
import Testing
import ZohoCRM
import ZohoEmulator

/// An emulator on loopback, a client pointed at it, and a state store: what every pipeline test needs.
struct EngineHarness: Sendable {
    let baseURL: URL
    let client: ZohoClient
    let store: StateStore
    let now: Date

    /// Runs (or plans) rules from YAML text.
    func execute(
        _ rulesYAML: String,
        dryRun: Bool = false,
        options: ExecutionOptions? = nil,
        client other: ZohoClient? = nil,
        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }
    ) async throws -> RunReport {
        let lint = Linter.lint(text: rulesYAML, file: "rules.yaml")
        let errors = lint.diagnostics.filter { $0.severity == .error }
        try #require(errors.isEmpty, "rules do not lint: \(errors.map(\.message))")
        var chosen =
            options ?? ExecutionOptions(jobPollInterval: .milliseconds(20), maxPollInterval: .milliseconds(100))
        chosen.dryRun = dryRun
        let executor = Executor(
            client: other ?? client,
            store: store,
            timeZone: TimeZone(identifier: "UTC") ?? .gmt,
            options: chosen,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            // The emulator's jobs move on real time, and the state store stamps the ledger with the machine's
            // clock: the executor reads the same one.
            clock: ZohoSystemClock(),
            progress: progress
        )
        return try await executor.execute(lint.ruleSet.rules)
    }

    /// The emulator's records of `module`, by id.
    func records(_ module: String) async throws -> [String: ZohoEmulator.JSONValue] {
        let state = try await admin("state")
        var byID: [String: ZohoEmulator.JSONValue] = [:]
        for record in state["records"][module].arrayValue ?? [] {
            if let id = record["id"].stringValue { byID[id] = record }
        }
        return byID
    }

    /// The emulator's request log: (method, path) pairs in order.
    func requests() async throws -> [(method: String, path: String)] {
        let log = try await admin("requests")
        return (log["requests"].arrayValue ?? []).map {
            ($0["method"].stringValue ?? "", $0["path"].stringValue ?? "")
        }
    }

    /// Asks the emulator for `count` access tokens with `refreshToken`, as another process sharing it would: Zoho
    /// refuses the 11th within ten minutes.
    func issueTokens(_ count: Int, refreshToken: String = "1000.refresh") async throws {
        for _ in 0..<count {
            var request = HTTPClientRequest(
                url: baseURL.appendingPathComponent("oauth/v2/token").absoluteString
                    + "?grant_type=refresh_token&client_id=1000.TEST&client_secret=test-secret"
                    + "&refresh_token=\(refreshToken)"
            )
            request.method = .POST
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
        }
    }

    /// A second client for the emulator, with its own refresh token (so its own token window).
    func makeClient(refreshToken: String) throws -> ZohoClient {
        var zoho = ZohoConfiguration(edition: .professional, apiURL: baseURL)
        zoho.timeouts.request = .seconds(10)
        return try ZohoClient(
            configuration: zoho,
            credentials: ZohoCredentials(
                clientID: "1000.TEST",
                clientSecret: "test-secret",
                refreshToken: refreshToken
            ),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// Sets faults, e.g. `["timeout_write": 1]`.
    func setFaults(_ faults: ZohoEmulator.JSONValue) async throws {
        _ = try await admin("faults", body: faults)
    }

    func admin(_ path: String, body: ZohoEmulator.JSONValue? = nil) async throws -> ZohoEmulator.JSONValue {
        var request = HTTPClientRequest(url: baseURL.appendingPathComponent("__emulator/\(path)").absoluteString)
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(try JSONEncoder().encode(body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 32 << 20)
        return try JSONDecoder().decode(ZohoEmulator.JSONValue.self, from: Data(buffer: bytes))
    }
}

/// Starts an emulator seeded with `fixture`, runs `body`, and tears everything down.
///
/// `timedOutWrites` is for tests of the `timeout_write` fault: the client then gives up after 1 s, before the
/// emulator's late answer (1.5 s). Other tests get a generous timeout, so a loaded machine does not turn a slow
/// answer into an unknown outcome.
func withEngine(
    fixture: String = engineFixture,
    stateDirectory: URL? = nil,
    timedOutWrites: Bool = false,
    _ body: (EngineHarness) async throws -> Void
) async throws {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let configuration = EmulatorConfiguration(
        fixture: try EmulatorFixture(yaml: fixture),
        jobStepDuration: .milliseconds(30),
        writeTimeoutDelay: .milliseconds(1500)
    )
    try await withEmulator(configuration: configuration, logger: logger) { url in
        var zoho = ZohoConfiguration(edition: .professional, apiURL: url)
        zoho.timeouts.request = timedOutWrites ? .seconds(1) : .seconds(10)
        let client = try ZohoClient(
            configuration: zoho,
            credentials: ZohoCredentials(
                clientID: "1000.TEST",
                clientSecret: "test-secret",
                refreshToken: "1000.refresh"
            ),
            logger: logger
        )
        let store = try stateDirectory.map { try StateStore(directory: $0) } ?? StateStore.inMemory()
        do {
            try await body(EngineHarness(baseURL: url, client: client, store: store, now: Date()))
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
