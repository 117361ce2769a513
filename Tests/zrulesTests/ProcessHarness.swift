import AsyncHTTPClient
import Foundation
// Every file of the suite sees the shared helpers (temporary folders, seeded random) without importing them.
@_exported import TestSupport
import Testing
import ZohoEmulator

/// Runs the built `zrules` binary, the way users and CI do.
struct ZRulesProcess {
    /// The binary beside the test bundle (`swift build` and `swift test` put both in the same folder).
    static var binary: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = bundle.deletingLastPathComponent()
        // On Linux the test runner is `<build>/debug/zrulesPackageTests.xctest`; on macOS it sits inside a bundle.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("zrules").path),
            folder.pathComponents.count > 2
        {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("zrules")
    }

    /// The package root, for the example rules and fixtures.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `zrules arguments` to completion (at most `timeout`), in `directory`.
    static func run(
        _ arguments: [String],
        in directory: URL = packageRoot,
        environment: [String: String] = [:],
        timeout: TimeInterval = 120
    ) throws -> Result {
        let process = try start(arguments, in: directory, environment: environment)
        let deadline = Date().addingTimeInterval(timeout)
        while process.process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.process.isRunning {
            process.process.terminate()
            Issue.record("zrules \(arguments.joined(separator: " ")) did not finish in \(timeout)s")
        }
        process.process.waitUntilExit()
        return Result(status: process.process.terminationStatus, stdout: process.stdout(), stderr: process.stderr())
    }

    /// Runs `zrules arguments` to completion like `run`, but waits without holding a thread of Swift's cooperative
    /// pool: a test whose child process talks to an in-process emulator must use this one, or the blocked threads
    /// (two on a 2-core machine) starve the emulator and both wait forever.
    static func runAsync(
        _ arguments: [String],
        in directory: URL = packageRoot,
        environment: [String: String] = [:],
        timeout: TimeInterval = 120
    ) async throws -> Result {
        let process = try start(arguments, in: directory, environment: environment)
        try await process.exit(timeout: timeout, what: arguments.joined(separator: " "))
        return Result(status: process.process.terminationStatus, stdout: process.stdout(), stderr: process.stderr())
    }

    final class Running: Sendable {
        let process: Process
        let out: URL
        let err: URL

        init(process: Process, out: URL, err: URL) {
            self.process = process
            self.out = out
            self.err = err
        }

        func stdout() -> String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
        func stderr() -> String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }

        /// Waits for the process to exit (at most `timeout`, then it is terminated), sleeping as a task.
        func exit(timeout: TimeInterval = 120, what: String = "zrules") async throws {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning {
                process.terminate()
                Issue.record("\(what) did not finish in \(timeout)s")
                while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            }
            process.waitUntilExit()
        }
    }

    /// Starts `zrules arguments` with output captured in files (so a full pipe can never block it).
    static func start(
        _ arguments: [String],
        in directory: URL = packageRoot,
        environment: [String: String] = [:]
    ) throws -> Running {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("ZOHO_") || key.hasPrefix("ZRULES_") { env[key] = nil }
        env.merge(environment) { _, new in new }
        process.environment = env
        let folder = try temporaryFolder()
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return Running(process: process, out: out, err: err)
    }
}

/// Reads the emulator's admin endpoints.
func emulatorAdmin(_ base: URL, _ path: String) async throws -> ZohoEmulator.JSONValue {
    let request = HTTPClientRequest(url: base.appendingPathComponent("__emulator/\(path)").absoluteString)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let bytes = try await response.body.collect(upTo: 32 << 20)
    return try JSONDecoder().decode(ZohoEmulator.JSONValue.self, from: Data(buffer: bytes))
}
