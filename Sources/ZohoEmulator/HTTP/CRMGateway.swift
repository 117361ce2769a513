import Foundation
import HTTPTypes
import Hummingbird

/// Stands in front of every route and of Hummingbird's "not found" for paths under `/crm/`: parses the call once,
/// renders every error in Zoho's envelope, answers unknown paths with Zoho's INVALID_URL_PATTERN (after the token
/// check, as Zoho does) and writes the request log.
struct CRMGateway: RouterMiddleware {
    typealias Context = CRMRequestContext
    let store: EmulatorStore

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/crm/") else { return try await next(request, context) }
        let started = Date()
        let clockStart = ContinuousClock.now
        var request = request
        let body = try await request.collectBody(upTo: 8 << 20)
        let query = FormEncoding.decode(request.uri.query)
        let inFlightAtStart = await store.inFlight
        let method = context.unlistedMethod ?? request.method
        var context = context
        context.crm = Self.parse(path: path, method: method, query: query, body: Data(buffer: body))
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as ZohoAPIError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            response = try await unknownPath(context.crm, request: request).response(from: request, context: context)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            response = try ZohoAPIError.internalError(error, logger: context.logger)
                .response(from: request, context: context)
        }
        await store.log(
            RequestLogEntry(
                method: method.rawValue,
                path: path,
                query: FormEncoding.redacted(query),
                status: response.status.code,
                time: started,
                durationMS: Int((ContinuousClock.now - clockStart).seconds * 1000),
                inFlightAtStart: context.inFlight.admitted ?? inFlightAtStart
            )
        )
        return response
    }

    /// `/crm/{version}/{segments...}`; the version is checked by the routes (only `v7` and `v8` exist).
    static func parse(path: String, method: HTTPRequest.Method, query: [String: String], body: Data) -> CRMRequest {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return CRMRequest(
            method: method,
            version: parts.count > 1 ? parts[1] : "",
            segments: Array(parts.dropFirst(2)),
            query: query,
            body: body
        )
    }

    /// What Zoho answers for a path no route serves: the token is checked first, then the module the path
    /// names (INVALID_MODULE, or the Organize Modules refusal), and only then INVALID_URL_PATTERN.
    private func unknownPath(_ crm: CRMRequest, request: Request) async -> ZohoAPIError {
        if case .failure(let error) = await store.authenticate(request.headers[.authorization]) { return error }
        guard crm.version == "v7" || crm.version == "v8", let first = crm.segments.first else { return .invalidURL() }
        do throws(ZohoAPIError) {
            _ = try ModuleMiddleware.resolve(first, fixture: store.configuration.fixture)
        } catch {
            return error
        }
        return .invalidURL()
    }
}

/// `application/x-www-form-urlencoded` pairs, as query strings and the token endpoint's body carry them.
enum FormEncoding {
    static func decode(_ text: String?) -> [String: String] {
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

    static let secretKeys: Set<String> = ["client_secret", "refresh_token", "code", "access_token", "token"]

    /// The pairs with every secret replaced, for the request log.
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
