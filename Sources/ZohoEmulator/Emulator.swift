public import Foundation
public import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle

/// Builds the emulator: a Hummingbird application serving Zoho's OAuth and CRM endpoints for the fixture's org.
///
/// Routes: `POST /oauth/v2/token`, `/crm/v7/...` and `/crm/v8/...`, and the admin endpoints under `/__emulator/`.
public func buildEmulator(configuration: EmulatorConfiguration, logger: Logger) async throws -> some ApplicationProtocol
{
    try makeEmulatorApplication(configuration: configuration, logger: logger, onServerRunning: { _ in })
}

/// Runs an emulator on loopback for the duration of `body`, passing its base URL (`http://127.0.0.1:PORT`),
/// then shuts it down gracefully. Port 0 in the configuration picks a free port.
public func withEmulator<T: Sendable>(
    configuration: EmulatorConfiguration,
    logger: Logger,
    _ body: (URL) async throws -> T
) async throws -> T {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = try makeEmulatorApplication(configuration: configuration, logger: logger) { channel in
        continuation.yield(channel.localAddress?.port ?? 0)
        continuation.finish()
    }
    let serviceGroup = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { continuation.finish() }
            try await serviceGroup.run()
        }
        var port: Int?
        for await p in ports {
            port = p
            break
        }
        guard let port, port > 0, let url = URL(string: "http://\(configuration.host):\(port)") else {
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
            throw EmulatorError(code: "SERVER", message: "the emulator did not start on \(configuration.host)")
        }
        do {
            let result = try await body(url)
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            await serviceGroup.triggerGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}

func makeEmulatorApplication(
    configuration: EmulatorConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void
) throws -> some ApplicationProtocol {
    let store = try EmulatorStore(configuration: configuration)
    return Application(
        responder: makeEmulatorResponder(store: store),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "ZohoCRM-emulator"
        ),
        onServerRunning: onServerRunning,
        logger: logger
    )
}

/// The emulator's routes: the OAuth token endpoint, the admin endpoints and the CRM API behind its gateway.
func makeEmulatorResponder(store: EmulatorStore) -> UnlistedMethodResponder<RouterResponder<CRMRequestContext>> {
    let router = Router(context: CRMRequestContext.self)
    // First, so it also stands in front of Hummingbird's "not found".
    router.add(middleware: CRMGateway(store: store))
    OAuthController(store: store).addRoutes(to: router.group("oauth/v2"))
    AdminController(store: store).addRoutes(to: router.group("__emulator"))
    CRMRoutes.register(on: router, store: store)
    return UnlistedMethodResponder(router: router.buildResponder())
}

/// Serves the emulator until SIGINT or SIGTERM, calling `onListening` with the base URL once it accepts
/// connections (so a CLI can print the port it got).
public func serveEmulator(
    configuration: EmulatorConfiguration,
    logger: Logger,
    onListening: @escaping @Sendable (URL) async -> Void
) async throws {
    let host = configuration.host
    let app = try makeEmulatorApplication(configuration: configuration, logger: logger) { channel in
        let port = channel.localAddress?.port ?? configuration.port
        if let url = URL(string: "http://\(host):\(port)") { await onListening(url) }
    }
    try await app.runService()
}
