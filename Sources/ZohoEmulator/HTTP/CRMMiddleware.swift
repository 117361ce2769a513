import Foundation
import HTTPTypes
import Hummingbird

/// What the dispatcher needs to know about an endpoint before running it.
struct CRMEndpoint: Sendable {
    /// The OAuth scope the call needs (checked against the token's scopes when the fixture's client lists any).
    var scope: String
    /// Counts against the complex-API sub-concurrency limit of 10.
    var complex = false
    /// API credits the call costs.
    var credits = 1
    /// Writes data (the "timeout that still performs the write" fault applies).
    var write = false
    var run: @Sendable () async throws -> Response
}

/// Handles everything under `/crm/`: authentication, concurrency and credit limits, faults, routing, the
/// request log. Zoho's own 404 and 405-style answers replace Hummingbird's.
struct CRMMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let store: EmulatorStore
    let router: CRMRouter

    init(store: EmulatorStore) {
        self.store = store
        router = CRMRouter(store: store)
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let path = request.uri.path
        guard path.hasPrefix("/crm/") else { return try await next(request, context) }
        let started = Date()
        let clockStart = ContinuousClock.now
        var request = request
        let body = try await request.collectBody(upTo: 8 << 20)
        let query = Self.query(request.uri.query)
        var inFlight = await store.inFlight
        var creditsRemaining: Int?
        let response: Response
        do {
            let routed = route(path: path, method: request.method, query: query, body: Data(buffer: body))
            let scope = (try? routed.get())?.scope
            let caller = try await store.authorize(request.headers[.authorization], scope: scope).get()
            let endpoint = try routed.get()
            guard let admitted = await store.admit(complex: endpoint.complex, caller: caller) else {
                throw ZohoAPIError.tooManyRequests("The number of concurrent requests has exceeded the limit")
            }
            inFlight = admitted
            do {
                let result = try await run(
                    endpoint,
                    request: request,
                    context: context,
                    creditsRemaining: &creditsRemaining
                )
                await store.release(complex: endpoint.complex, caller: caller)
                response = result
            } catch {
                await store.release(complex: endpoint.complex, caller: caller)
                throw error
            }
        } catch let error as ZohoAPIError {
            response = try error.response(from: request, context: context)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("emulator handler failed", metadata: ["error": "\(type(of: error))"])
            response = try ZohoAPIError.internalError().response(from: request, context: context)
        }
        var final = response
        if let creditsRemaining, let name = Self.creditsHeader { final.headers[name] = String(creditsRemaining) }
        await store.log(
            RequestLogEntry(
                method: request.method.rawValue,
                path: path,
                query: Self.redacted(query),
                status: final.status.code,
                time: started,
                durationMS: Int((ContinuousClock.now - clockStart).seconds * 1000),
                inFlightAtStart: inFlight
            )
        )
        return final
    }

    /// The endpoint a `/crm/{version}/...` path names (Zoho's 404 for other versions).
    private func route(
        path: String,
        method: HTTPRequest.Method,
        query: [String: String],
        body: Data
    ) -> Result<CRMEndpoint, ZohoAPIError> {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let version = parts.count > 1 ? parts[1] : ""
        guard version == "v7" || version == "v8" else { return .failure(.invalidURL()) }
        let crm = CRMRequest(
            method: method,
            version: version,
            segments: Array(parts.dropFirst(2)),
            query: query,
            body: body
        )
        return router.route(crm)
    }

    /// Credits, then the injected faults, then the endpoint; a write the timeout fault picks is answered late.
    private func run(
        _ endpoint: CRMEndpoint,
        request: Request,
        context: Context,
        creditsRemaining: inout Int?
    ) async throws -> Response {
        let charged = await store.charge(endpoint.credits)
        creditsRemaining = charged.remaining
        guard charged.allowed else {
            throw ZohoAPIError.tooManyRequests("You have exceeded the daily API credit limit")
        }
        let faults = await store.faults
        if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
        switch await store.rollFault() {
        case .tooManyRequests: throw ZohoAPIError.tooManyRequests()
        case .serverError: throw ZohoAPIError.internalError()
        case .none: break
        }
        var result: Response
        do {
            result = try await endpoint.run()
        } catch let error as ZohoAPIError {
            result = try error.response(from: request, context: context)
        }
        if endpoint.write, await store.rollTimeoutWrite() {
            // The write is done; the answer comes too late for a client with a sane timeout.
            try await Task.sleep(for: store.configuration.writeTimeoutDelay)
        }
        return result
    }

    static func query(_ text: String?) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (text ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let key = kv[0].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? kv[0]
            let value =
                kv.count > 1 ? (kv[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? kv[1]) : ""
            out[key] = value
        }
        return out
    }

    static let creditsHeader = HTTPField.Name("X-API-CREDITS-REMAINING")

    static let secretKeys: Set<String> = ["client_secret", "refresh_token", "code", "access_token", "token"]

    static func redacted(_ query: [String: String]) -> [String: String] {
        var out = query
        for key in out.keys where secretKeys.contains(key.lowercased()) { out[key] = "[redacted]" }
        return out
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}
