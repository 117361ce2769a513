public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// The typed Zoho CRM client: one HTTP client, one token provider, one limiter, shared by every caller.
///
/// Every call has a timeout. Reads (GET, COQL, search, status) are retried on 429, 5xx and timeouts with capped
/// exponential backoff and jitter. Writes are retried only on 429, which Zoho answers before doing anything; a
/// write that timed out, lost its connection after being sent or drew a 5xx fails with
/// `ZohoError.Code.unknownOutcome` and is never resent. A 401 INVALID_TOKEN
/// leads to one token refresh and one replay (Zoho refused the call before doing anything, so a replay is safe).
public final class ZohoClient: Sendable {
    /// The configuration the client was built with.
    public let configuration: ZohoConfiguration
    /// The token provider, shared by all calls of this client.
    public let tokens: AccessTokenProvider

    let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    let limiter: ConcurrencyLimiter
    let clock: any ZohoClock
    let logger: Logger
    private let random: Mutex<any RandomNumberGenerator & Sendable>
    private let credits = Mutex<Int?>(nil)

    /// A client for one org.
    ///
    /// - Parameters:
    ///   - httpClient: a shared client to use; when nil the client creates its own (redirects disabled, so the
    ///     Authorization header never follows a redirect to another host) and `shutdown()` must be called.
    ///   - clock: time source for backoff and token expiry.
    ///   - random: jitter source for backoff.
    ///   - logger: receives debug lines for retries and refreshes; never headers, bodies or secrets.
    public init(
        configuration: ZohoConfiguration,
        credentials: ZohoCredentials,
        httpClient: HTTPClient? = nil,
        clock: any ZohoClock = ZohoSystemClock(),
        random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        logger: Logger
    ) throws(ZohoError) {
        try configuration.validate()
        self.configuration = configuration
        if let httpClient {
            self.httpClient = httpClient
            self.ownsHTTPClient = false
        } else {
            self.httpClient = Self.makeHTTPClient(configuration)
            self.ownsHTTPClient = true
        }
        self.clock = clock
        self.logger = logger
        self.random = Mutex(random)
        self.limiter = ConcurrencyLimiter(
            limit: configuration.concurrencyLimit,
            complexLimit: configuration.complexConcurrencyLimit
        )
        let endpoint = try ZohoTokenEndpoint(
            configuration: configuration,
            httpClient: self.httpClient,
            clock: clock,
            logger: logger
        )
        self.tokens = AccessTokenProvider(
            endpoint: endpoint,
            credentials: credentials,
            cacheFile: configuration.tokenCacheFile,
            clock: clock,
            logger: logger
        )
    }

    /// An HTTP client suited to Zoho: no redirects, the configured timeouts, a pool as wide as the edition allows.
    public static func makeHTTPClient(_ configuration: ZohoConfiguration) -> HTTPClient {
        var http = HTTPClient.Configuration()
        http.redirectConfiguration = .disallow
        http.timeout = .init(
            connect: .init(configuration.timeouts.connect),
            read: .init(configuration.timeouts.request)
        )
        http.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost(configuration)
        )
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    /// Connections per host: async-http-client's default of 8 would cap an edition of 20 at 8 calls in flight and
    /// make the rest wait for a connection; one more than the limit leaves a token refresh (same host on an
    /// emulator) a connection of its own.
    static func connectionsPerHost(_ configuration: ZohoConfiguration) -> Int {
        max(8, configuration.concurrencyLimit + 1)
    }

    /// Shuts down the HTTP client if this client created it; call once, when done.
    public func shutdown() async throws {
        if ownsHTTPClient { try await httpClient.shutdown() }
    }

    /// Zoho's `X-API-CREDITS-REMAINING` from the latest response that carried it (Zoho sends it once half the
    /// day's credits are spent); nil before then.
    public var creditsRemaining: Int? { credits.withLock { $0 } }

    /// The most calls this client had in flight at once.
    public var peakInFlight: Int {
        get async { await limiter.peakInFlight }
    }

    // MARK: - The request pipeline

    /// One CRM call, described before it is sent.
    struct Call: Sendable {
        enum Kind: Sendable {
            /// Safe to repeat: retried on 429, 5xx, timeouts.
            case read
            /// Sent once; a timeout after sending is an unknown outcome.
            case write
        }

        /// The operation name with placeholders, e.g. `POST /crm/{v}/Leads/{id}/actions/convert`.
        var template: String
        var method: HTTPMethod
        /// Path below `/crm/{v}`, with real ids.
        var path: String
        var query: [(String, String)] = []
        var body: ZohoJSON?
        var kind: Kind
        /// Counts against the complex-API sub-limit of 10.
        var complex: Bool = false
        /// A 4xx whose body is a `data[]` envelope is returned, not thrown: per-record errors are values.
        var recordEnvelopeOnError: Bool = false
    }

    /// What came back: status, body (nil for 204 No Content).
    struct Reply: Sendable {
        var status: Int
        var body: ZohoJSON?
        var raw: Data
    }

    /// Sends a call through the limiter with token, timeout, retries and the INVALID_TOKEN replay.
    func send(_ call: Call) async throws -> Reply {
        let operation = call.template.replacingOccurrences(of: "{v}", with: configuration.apiVersion.rawValue)
        let bodyData: Data?
        do {
            bodyData = try call.body?.encoded()
        } catch {
            throw ZohoError(code: .invalidArgument, operation: operation, message: "request body not encodable")
        }
        let maxAttempts = configuration.retryPolicy.maxAttempts
        // `attempts` counts tries against the retry budget; `sent` counts requests sent, the INVALID_TOKEN replay
        // included, and is what errors report.
        var attempts = 0
        var sent = 0
        var replayedAfterRefresh = false
        while true {
            try Task.checkCancellation()
            attempts += 1
            sent += 1
            let token: AccessToken
            do {
                token = try await tokens.token()
            } catch var error as ZohoError {
                // Without a token the CRM call never left.
                error.delivery = .notSent
                throw error
            }
            let outcome: Outcome
            try await limiter.acquire(complex: call.complex)
            do {
                outcome = try await attempt(
                    call,
                    body: bodyData,
                    token: token,
                    operation: operation,
                    attempts: sent
                )
                await limiter.release(complex: call.complex)
            } catch {
                await limiter.release(complex: call.complex)
                throw error
            }
            switch outcome {
            case .done(let reply):
                return reply
            case .invalidToken(let error):
                // Zoho rejected the token before doing anything, so one replay is safe even for writes.
                guard !replayedAfterRefresh else { throw error }
                replayedAfterRefresh = true
                attempts -= 1
                await tokens.invalidate(token)
                logger.debug(
                    "access token rejected; refreshing and replaying once",
                    metadata: ["zoho.operation": "\(operation)"]
                )
            case .retryable(let error):
                // Reads are safe to repeat. A write only when Zoho never processed it: never sent (no connection,
                // no free pooled connection) or refused with 429 TOO_MANY_REQUESTS (concurrency or credits); a 5xx
                // or timeout on a write may have been applied and is never resent.
                let repeatable = call.kind == .read || error.code == .rateLimited || error.delivery == .notSent
                guard repeatable, attempts < maxAttempts else { throw error }
                let unit = random.withLock { rng in Double.random(in: 0..<1, using: &rng) }
                let delay = configuration.retryPolicy.delay(afterAttempt: attempts, unit: unit)
                logger.debug(
                    "retrying Zoho call",
                    metadata: [
                        "zoho.operation": "\(operation)", "zoho.attempt": "\(attempts)",
                        "zoho.status": "\(error.httpStatus.map(String.init) ?? "-")",
                        "zoho.code": "\(error.zohoCode ?? error.code.description)",
                        "zoho.delay_ms": "\(Int(delay.seconds * 1000))",
                    ]
                )
                try await clock.sleep(for: delay)
            }
        }
    }

    private enum Outcome {
        case done(Reply)
        case invalidToken(ZohoError)
        case retryable(ZohoError)
    }

    private func attempt(
        _ call: Call,
        body: Data?,
        token: AccessToken,
        operation: String,
        attempts: Int
    ) async throws -> Outcome {
        let url = Self.url(base: token.apiDomain, version: configuration.apiVersion, path: call.path, query: call.query)
        var request = HTTPClientRequest(url: url)
        request.method = call.method
        request.headers.add(name: "Authorization", value: "Zoho-oauthtoken \(token.value)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let status: Int
        let raw: Data
        do {
            let deadline = ContinuousClock.now + configuration.timeouts.request
            let response: HTTPClientResponse
            do {
                response = try await httpClient.execute(
                    request,
                    timeout: .init(configuration.timeouts.request),
                    logger: nil
                )
            } catch {
                if !Self.failedBeforeSending(error) { call.tally() }
                throw error
            }
            call.tally()
            status = Int(response.status.code)
            if let remaining = response.headers.first(name: "X-API-CREDITS-REMAINING").flatMap(Int.init) {
                credits.withLock { $0 = remaining }
            }
            raw = try await Self.collectBody(response, upTo: 64 << 20, deadline: deadline)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return try transportFailure(error, call: call, operation: operation, attempts: attempts)
        }
        return try classify(status: status, raw: raw, call: call, operation: operation, attempts: attempts)
    }

    private func transportFailure(_ error: any Error, call: Call, operation: String, attempts: Int) throws -> Outcome {
        if Self.delivery(of: error) == .notSent {
            // Nothing reached Zoho, so even a write may go again.
            let poolWait = (error as? HTTPClientError) == .getConnectionFromPoolTimeout
            return .retryable(
                ZohoError(
                    code: .transport,
                    operation: operation,
                    message: poolWait
                        ? "no pooled connection became free in time; the request was not sent"
                        : "the connection to Zoho could not be established; the request was not sent",
                    attempts: attempts,
                    underlying: error,
                    delivery: .notSent
                )
            )
        }
        let timedOut = Self.isTimeout(error)
        if call.kind == .write {
            throw ZohoError(
                code: .unknownOutcome,
                operation: operation,
                message: timedOut
                    ? "the write timed out after it was sent; it may have happened and is not resent"
                    : "the connection failed after the write was sent; it may have happened and is not resent",
                attempts: attempts,
                underlying: error,
                delivery: .unknown
            )
        }
        return .retryable(
            ZohoError(
                code: timedOut ? .timeout : .transport,
                operation: operation,
                message: timedOut ? "no complete response within the timeout" : "the connection to Zoho failed",
                attempts: attempts,
                underlying: error,
                delivery: .unknown
            )
        )
    }

    private func classify(status: Int, raw: Data, call: Call, operation: String, attempts: Int) throws -> Outcome {
        if status == 204 || (raw.isEmpty && (200..<300).contains(status)) {
            return .done(Reply(status: status, body: nil, raw: raw))
        }
        let json = try? ZohoJSON(data: raw)
        if (200..<300).contains(status) {
            guard let json else {
                throw ZohoError(
                    code: .decoding,
                    operation: operation,
                    message: "the response body is not JSON",
                    httpStatus: status,
                    attempts: attempts
                )
            }
            return .done(Reply(status: status, body: json, raw: raw))
        }
        let zohoCode = json?["code"].stringValue
        let error = ZohoError(
            code: .api,
            operation: operation,
            message: "Zoho refused the call",
            httpStatus: status,
            zohoCode: zohoCode,
            zohoMessage: json?["message"].stringValue,
            details: ZohoError.redact(json?["details"].objectValue ?? [:]),
            attempts: attempts
        )
        switch status {
        case 401 where zohoCode == "INVALID_TOKEN":
            var e = error
            e.code = .authentication
            e.message = "Zoho rejected the access token (INVALID_TOKEN), also after a refresh"
            return .invalidToken(e)
        case 401 where zohoCode == "AUTHENTICATION_FAILURE" || zohoCode == "OAUTH_SCOPE_MISMATCH" || zohoCode == nil:
            var e = error
            e.code = .authentication
            e.message =
                zohoCode == "OAUTH_SCOPE_MISMATCH"
                ? "the token lacks a scope this call needs (see `zrules scopes`)" : "Zoho refused the credentials"
            throw e
        case 429:
            var e = error
            e.code = .rateLimited
            e.message = "Zoho's concurrency or credit limit was hit (TOO_MANY_REQUESTS)"
            return .retryable(e)
        case 500...599:
            var e = error
            if call.kind == .write {
                // Zoho gave no per-record verdict; the write may have been applied, so it is reconciled, not resent.
                e.code = .unknownOutcome
                e.message =
                    "Zoho failed with a server error after receiving the write; it may have happened and is not resent"
                throw e
            }
            if json == nil { e.code = .http }
            e.message = "Zoho failed with a server error"
            return .retryable(e)
        default:
            if call.recordEnvelopeOnError, let json, json["data"].arrayValue != nil {
                return .done(Reply(status: status, body: json, raw: raw))
            }
            if json == nil {
                var e = error
                e.code = .http
                e.message = "unexpected HTTP status without a Zoho error body"
                throw e
            }
            throw error
        }
    }

    /// Reads the whole body before `deadline`: AHC's own deadline ends when the response head arrives, so a body
    /// that stalls afterwards would otherwise hold the call open.
    static func collectBody(
        _ response: HTTPClientResponse,
        upTo limit: Int,
        deadline: ContinuousClock.Instant
    ) async throws -> Data {
        try await withThrowingTaskGroup(of: Data?.self) { group in
            group.addTask {
                let buffer = try await response.body.collect(upTo: limit)
                return Data(buffer.readableBytesView)
            }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let data = first else { throw HTTPClientError.deadlineExceeded }
            return data
        }
    }

    /// `{base}/crm/{v}{path}?{query}` with every query value percent-encoded.
    static func url(base: URL, version: ZohoConfiguration.APIVersion, path: String, query: [(String, String)]) -> String
    {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += "/crm/\(version.rawValue)" + path
        if !query.isEmpty {
            text +=
                "?" + query.map { "\(FormEncoding.encode($0.0))=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        }
        return text
    }

    static func isTimeout(_ error: any Error) -> Bool {
        guard let error = error as? HTTPClientError else { return false }
        return error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
            || error == .getConnectionFromPoolTimeout || error == .writeTimeout
    }

    /// True only when the request certainly never left: the connection could not be established.
    static func failedBeforeSending(_ error: any Error) -> Bool { delivery(of: error) == .notSent }

    /// Whether a transport failure happened before the request left, decided by the error's type, never its text.
    ///
    /// Not sent: async-http-client's connect timeout and its wait for a pooled connection, NIO's connect failure
    /// (`NIOPosix.NIOConnectionError`, named by its type because ZohoCRM does not link NIOPosix itself) and a
    /// connect-time `IOError` (refused, unreachable). Anything else may have been written.
    static func delivery(of error: any Error) -> ZohoError.Delivery {
        if let error = error as? HTTPClientError {
            return error == .connectTimeout || error == .getConnectionFromPoolTimeout ? .notSent : .unknown
        }
        if let error = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) {
            return .notSent
        }
        return String(reflecting: type(of: error)) == "NIOPosix.NIOConnectionError" ? .notSent : .unknown
    }

    // MARK: - Decoding helpers

    func decodingError(_ operation: String, _ what: String, status: Int? = nil) -> ZohoError {
        ZohoError(
            code: .decoding,
            operation: operation.replacingOccurrences(of: "{v}", with: configuration.apiVersion.rawValue),
            message: "unexpected response shape: \(what)",
            httpStatus: status
        )
    }

    func invalidArgument(_ operation: String, _ message: String) -> ZohoError {
        ZohoError(
            code: .invalidArgument,
            operation: operation.replacingOccurrences(of: "{v}", with: configuration.apiVersion.rawValue),
            message: message
        )
    }
}
