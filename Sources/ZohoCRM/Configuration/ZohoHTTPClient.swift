public import AsyncHTTPClient
public import Logging

/// The one HTTP client of a process: created where the process starts, passed down to every `ZohoClient` (each
/// plan, run and daemon tick), and shut down once at exit.
public final class ZohoHTTPClient: Sendable {
    /// The underlying client (no redirects, so the Authorization header never follows one to another host).
    public let http: HTTPClient

    /// A client with the timeouts of `configuration` (defaults suit every command). It is created before any
    /// org's edition is known and may serve several, so its pool is sized for the largest edition; each
    /// `ZohoClient` still keeps its own edition's limit on calls in flight.
    public init(configuration: ZohoConfiguration = ZohoConfiguration(edition: .ultimate)) {
        self.http = ZohoClient.makeHTTPClient(configuration)
    }

    /// Shuts the client down; call once, when the process is done with it.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Runs `body` with a new process-wide client, then shuts it down whether `body` threw or not.
    public static func with<T: Sendable>(_ body: (ZohoHTTPClient) async throws -> T) async throws -> T {
        let client = ZohoHTTPClient()
        let result: Result<T, any Error>
        do {
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        return try result.get()
    }
}

extension ZohoClient {
    /// A client for one org over the process's shared HTTP client (which `shutdown()` leaves running) and the
    /// process's clock.
    public convenience init(
        configuration: ZohoConfiguration,
        credentials: ZohoCredentials,
        sharing shared: ZohoHTTPClient,
        clock: any ZohoClock = ZohoSystemClock(),
        logger: Logger
    ) throws(ZohoError) {
        try self.init(
            configuration: configuration,
            credentials: credentials,
            httpClient: shared.http,
            clock: clock,
            logger: logger
        )
    }
}
