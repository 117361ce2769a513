import AsyncHTTPClient
import Engine
import Foundation
import Logging
import Testing
import ZohoCRM
import ZohoEmulator

/// A rule file on disk and an emulator on loopback, planned or run through `Project` as `zrules plan`/`run` do.
struct ProjectHarness: Sendable {
    let baseURL: URL
    let rulesFile: URL
    let folder: URL
    let environment: [String: String]

    /// The project for the rule file, against the emulator, with its own state directory.
    func load() throws -> Project {
        try Project.load(
            ProjectOptions(
                paths: [rulesFile.path],
                stateDirectory: folder.appendingPathComponent("state").path,
                apiURL: baseURL,
                environment: environment
            )
        )
    }

    /// Plans (or runs) the rule file through `Project.execute`.
    func execute(dryRun: Bool = true) async throws -> RunReport {
        let project = try load()
        return try await ZohoHTTPClient.with { http in
            try await project.execute(
                dryRun: dryRun,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                httpClient: http
            )
        }
    }

    /// The emulator's request log: (method, path) pairs in order.
    func requests() async throws -> [(method: String, path: String)] {
        let request = HTTPClientRequest(url: baseURL.appendingPathComponent("__emulator/requests").absoluteString)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 32 << 20)
        let log = try JSONDecoder().decode(ZohoEmulator.JSONValue.self, from: Data(buffer: bytes))
        return (log["requests"].arrayValue ?? []).map {
            ($0["method"].stringValue ?? "", $0["path"].stringValue ?? "")
        }
    }

    /// CRM requests whose path ends with `suffix`.
    func requests(endingWith suffix: String) async throws -> Int {
        try await requests().count { $0.path.contains("/crm/") && $0.path.hasSuffix(suffix) }
    }
}

/// Writes `rules` to a file, starts an emulator seeded with `fixture`, and runs `body`.
func withProject(
    fixture: String = engineFixture,
    rules: String,
    environment: [String: String] = [:],
    _ body: (ProjectHarness) async throws -> Void
) async throws {
    let folder = temporaryDirectory()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("rules.yaml")
    try rules.write(to: file, atomically: true, encoding: .utf8)
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let configuration = EmulatorConfiguration(fixture: try EmulatorFixture(yaml: fixture))
    try await withEmulator(configuration: configuration, logger: logger) { url in
        try await body(
            ProjectHarness(
                baseURL: url,
                rulesFile: file,
                folder: folder,
                environment: environment.merging(["HOME": folder.path]) { given, _ in given }
            )
        )
    }
}
