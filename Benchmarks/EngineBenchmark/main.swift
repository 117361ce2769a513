// engine-benchmark: converts N generated records through the emulator, the way `zrules run` does (Project.load, then
// Project.execute with production options), and prints wall time, records per second, calls by endpoint, peak calls
// in flight, 429s, peak memory and the ratio to the API's lower bound. A benchmark, not a test.
//
//   swift run -c release engine-benchmark --records 1000 --path mass --latency 100ms --job-step 1s --edition enterprise
//   engine-benchmark --serve --records 1000 --path all ...   serves the fixture for the Python scripts
//   engine-benchmark --url http://127.0.0.1:PORT ...          runs against such a served emulator
//
// See BENCHMARKS.md ("Speed") and Benchmarks/run.sh, which runs the whole comparison.
import Foundation
import Logging
import ZohoCRM
import ZohoEmulator

/// Writes a line to standard output at once (unbuffered: the comparison reads the URL line while serving).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Prints one path's result as text or as one JSON line.
func emit(_ result: PathResult, json: Bool) {
    if json, let data = try? JSONSerialization.data(withJSONObject: result.json, options: [.sortedKeys]) {
        say(String(decoding: data, as: UTF8.self))
    } else {
        say(result.text)
    }
}

/// Starts the emulator on the generated fixture with the options' latency, job step and edition.
func withBenchmarkEmulator(
    _ options: BenchmarkOptions,
    logger: Logger,
    _ body: (URL) async throws -> Void
) async throws {
    let clock = ContinuousClock()
    let start = clock.now
    let yaml = BenchmarkFixture.yaml(records: options.records, edition: options.edition.rawValue, paths: options.paths)
    let fixture: EmulatorFixture
    do {
        fixture = try EmulatorFixture(yaml: yaml)
    } catch {
        throw BenchmarkError("the generated fixture does not load", underlying: error)
    }
    let configuration = EmulatorConfiguration(
        fixture: fixture,
        faults: FaultConfiguration(latency: options.latency),
        jobStepDuration: options.jobStep
    )
    try await withEmulator(configuration: configuration, logger: logger) { url in
        let loaded = String(format: "%.1f s", (clock.now - start).seconds)
        let message = "engine-benchmark: fixture of \(options.records) records a module loaded in \(loaded)\n"
        FileHandle.standardError.write(Data(message.utf8))
        try await body(url)
    }
}

/// Serves, or runs every path against a served or an in-process emulator.
func runBenchmark(_ options: BenchmarkOptions) async throws {
    let logger = Logger(label: "engine-benchmark", factory: { _ in SwiftLogNoOpLogHandler() })
    if options.serve {
        try await withBenchmarkEmulator(options, logger: logger) { url in
            say("listening on \(url.absoluteString)")
            // Served until the caller ends the process; bounded so a forgotten emulator stops by itself.
            try await Task.sleep(for: .seconds(options.serveSeconds))
        }
    } else if let url = options.url {
        try await ZohoHTTPClient.with { http in
            let runner = PathRunner(options: options, url: url, emulatorInProcess: false, logger: logger, http: http)
            for path in options.paths { emit(try await runner.run(path), json: options.json) }
        }
    } else {
        try await ZohoHTTPClient.with { http in
            try await withBenchmarkEmulator(options, logger: logger) { url in
                let runner = PathRunner(options: options, url: url, emulatorInProcess: true, logger: logger, http: http)
                for path in options.paths { emit(try await runner.run(path), json: options.json) }
            }
        }
    }
}

do {
    try await runBenchmark(try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("engine-benchmark: \(error)\n".utf8))
    exit(error is BenchmarkError ? 2 : 1)
}
