import Engine
import Foundation
import Logging
import ZohoEmulator

/// Starts the built-in emulator for `--emulator FIXTURE`, for the duration of one command.
enum EmulatorHost {
    /// Runs `body` with the emulator's base URL, or with nil when no fixture is given.
    static func with<T: Sendable>(
        fixture: String?,
        logger: Logger,
        _ body: (URL?) async throws -> T
    ) async throws -> T {
        guard let fixture else { return try await body(nil) }
        let loaded: EmulatorFixture
        do {
            loaded = try EmulatorFixture.load(from: URL(fileURLWithPath: fixture))
        } catch {
            throw EngineError(.configuration, operation: "read the emulator fixture \(fixture)", message: "\(error)")
        }
        // Fast jobs: the demo should not keep a newcomer waiting, and jobs still pass through every state.
        let configuration = EmulatorConfiguration(fixture: loaded, jobStepDuration: .milliseconds(200))
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        return try await withEmulator(configuration: configuration, logger: quiet) { url in
            Console.error("emulator: \(fixture) on \(url.absoluteString)\n")
            return try await body(url)
        }
    }
}
