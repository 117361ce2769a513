import AsyncHTTPClient
import Engine
import Foundation
import Logging
import NIOCore
import ZohoCRM

/// One path measured: what the engine reported, what the emulator saw, and the bound.
struct PathResult {
    var path: BenchPath
    var records: Int
    var selected: Int
    var converted: Int
    var skipped: Int
    var failed: Int
    var unknown: Int
    var seconds: Double
    var stats: RequestStats
    var bound: LowerBound
    /// Peak memory of this process so far; the emulator's own when it runs in this process too.
    var memoryMiB: Double
    var emulatorInProcess: Bool

    /// The share of the bound's speed reached: 1 is as fast as the API allows.
    var speedRatio: Double { seconds > 0 ? bound.seconds / seconds : 0 }

    var text: String {
        var lines = [
            "engine-benchmark: \(path.rawValue), \(records) \(path.module)",
            "  selected \(selected), converted \(converted), skipped \(skipped), failed \(failed), unknown \(unknown)",
            String(format: "  wall %.2f s, %.1f records/s", seconds, Double(converted) / max(seconds, 0.001)),
            "  calls \(stats.total), peak in flight \(stats.peakInFlight), 429s \(stats.tooManyRequests)",
        ]
        lines += stats.byEndpoint.sorted { $0.key < $1.key }.map { "    \($0.value)\t\($0.key)" }
        lines.append(
            String(
                format: "  lower bound %.2f s (%d calls, %d complex, %.1f s job time); speed ratio %.2f",
                bound.seconds,
                bound.calls,
                bound.complexCalls,
                bound.jobSeconds,
                speedRatio
            )
        )
        let whose = emulatorInProcess ? "zrules and the emulator in one process" : "zrules only"
        lines.append(String(format: "  peak memory %.1f MiB (ru_maxrss, %@)", memoryMiB, whose))
        return lines.joined(separator: "\n")
    }

    var json: [String: Any] {
        [
            "tool": "zrules", "path": path.rawValue, "records": records, "selected": selected,
            "converted": converted, "skipped": skipped, "failed": failed, "unknown": unknown, "seconds": seconds,
            "calls": stats.total, "by_endpoint": stats.byEndpoint, "peak_in_flight": stats.peakInFlight,
            "429s": stats.tooManyRequests, "bound_seconds": bound.seconds, "bound_calls": bound.calls,
            "speed_ratio": speedRatio, "peak_memory_mib": memoryMiB, "emulator_in_process": emulatorInProcess,
        ]
    }
}

/// Runs one path the way `zrules run` does: lint the rule file, load the project, execute with production options.
struct PathRunner {
    let options: BenchmarkOptions
    let url: URL
    let emulatorInProcess: Bool
    let logger: Logger
    /// The process's one HTTP client, as `zrules run` has.
    let http: ZohoHTTPClient

    func run(_ path: BenchPath) async throws -> PathResult {
        try await admin("__emulator/reset", body: "{}")
        try await admin("__emulator/faults", body: "{\"latency\": \"\(options.latency.specText)\"}")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zrules-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = directory.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data(BenchmarkFixture.rules(for: path).utf8).write(to: rules.appendingPathComponent("bench.yaml"))
        let config = directory.appendingPathComponent("zrules.yaml")
        try Data("edition: \(options.edition.rawValue)\ntimezone: UTC\n".utf8).write(to: config)
        var projectOptions = ProjectOptions(
            paths: [rules.path],
            configPath: config.path,
            stateDirectory: directory.appendingPathComponent("state").path,
            apiURL: url,
            environment: [:]
        )
        projectOptions.resetsState = true
        let project = try Project.load(projectOptions)
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await project.execute(dryRun: false, logger: logger, httpClient: http)
        let seconds = (clock.now - start).seconds
        let stats = try RequestStats(log: try await fetch("__emulator/requests"))
        let summary = report.summary
        return PathResult(
            path: path,
            records: options.records,
            selected: summary.selected,
            converted: summary.converted,
            skipped: summary.skipped,
            failed: summary.failed,
            unknown: summary.unknown,
            seconds: seconds,
            stats: stats,
            bound: LowerBound(
                path: path,
                records: options.records,
                latency: options.latency.seconds,
                jobStep: options.jobStep.seconds,
                limit: options.edition.concurrencyLimit
            ),
            memoryMiB: peakMemoryMiB(),
            emulatorInProcess: emulatorInProcess
        )
    }

    private func admin(_ path: String, body: String) async throws {
        var request = HTTPClientRequest(url: url.appendingPathComponent(path).absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code < 300 else { throw BenchmarkError("\(path) answered \(response.status.code)") }
    }

    private func fetch(_ path: String) async throws -> Data {
        let request = HTTPClientRequest(url: url.appendingPathComponent(path).absoluteString)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        return Data(buffer: try await response.body.collect(upTo: 1 << 30))
    }
}
