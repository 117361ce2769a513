import Foundation
import Hummingbird

/// Zoho Accounts' token endpoint: refresh_token and authorization_code grants.
///
/// Parameters may come as the query string (as Zoho's docs show) or as a form body (as the SDKs send them).
/// Errors are Zoho's `{"error": "..."}` bodies with HTTP 200, except the token-rate block (HTTP 400).
struct OAuthController: Sendable {
    let store: EmulatorStore

    func addRoutes(to group: RouterGroup<CRMRequestContext>) {
        group.post("token") { request, context in try await self.token(request, context: context) }
    }

    func token(_ request: Request, context: CRMRequestContext) async throws -> Response {
        let started = Date()
        var request = request
        var params = FormEncoding.decode(request.uri.query)
        let body = try await request.collectBody(upTo: 64 << 10)
        for (k, v) in FormEncoding.decode(String(buffer: body)) where params[k] == nil { params[k] = v }
        let host = request.head.authority ?? "127.0.0.1"
        let (status, json) = await store.token(params, apiDomain: "http://\(host)")
        let redacted = FormEncoding.redacted(params)
        await store.log(
            RequestLogEntry(
                method: "POST",
                path: request.uri.path,
                query: redacted,
                status: status,
                time: started,
                durationMS: Int(Date().timeIntervalSince(started) * 1000),
                inFlightAtStart: await store.inFlight
            )
        )
        return JSONResponse.make(json, status: HTTPResponse.Status(code: status))
    }
}

/// Test and demo helpers under `/__emulator/`, without authentication.
struct AdminController: Sendable {
    let store: EmulatorStore

    func addRoutes(to group: RouterGroup<CRMRequestContext>) {
        group.get("state") { _, _ in JSONResponse.make(await store.stateJSON()) }
        group.get("requests") { _, _ in
            JSONResponse.make(["requests": .array(await store.requests.map(\.json))])
        }
        group.get("faults") { _, _ in Self.faultsJSON(await store.faults) }
        group.post("faults") { request, _ in try await self.setFaults(request) }
        group.post("reset") { _, _ in
            await store.reset()
            return JSONResponse.make(["status": "success", "message": "emulator reset to its fixture"])
        }
    }

    static func faultsJSON(_ f: FaultConfiguration) -> Response {
        JSONResponse.make([
            "spec": .string(f.spec), "429": .double(f.tooManyRequests), "5xx": .double(f.serverErrors),
            "5xx_write": .double(f.writeServerErrors),
            "latency_ms": .int(Int64(f.latency.seconds * 1000)),
            "token_ttl_s": f.tokenTTL.map { .double($0.seconds) } ?? .null,
            "job": f.job.map { .string($0.rawValue) } ?? .null, "timeout_write": .double(f.timeoutWrite),
            "convert_lead": f.convertLeadScheduled ? "scheduled" : "sync",
            "seed": .int(Int64(f.seed)),
        ])
    }

    /// Accepts `{"spec": "429=0.2,..."}` (replacing all faults) or `{"429": 0.2, "latency": "200ms", ...}`
    /// (changing only the keys given).
    func setFaults(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 10)
        guard case .object(let object)? = JSONResponse.decode(Data(buffer: body)) else {
            return JSONResponse.make(["status": "error", "message": "expected a JSON object"], status: .badRequest)
        }
        switch Self.merge(object, into: await store.faults) {
        case .success(let faults):
            await store.setFaults(faults)
            return Self.faultsJSON(faults)
        case .failure(let error):
            return JSONResponse.make(
                ["status": "error", "code": .string(error.code), "message": .string(error.message)],
                status: .badRequest
            )
        }
    }

    static func merge(
        _ object: [String: JSONValue],
        into current: FaultConfiguration
    ) -> Result<FaultConfiguration, EmulatorError> {
        do throws(EmulatorError) {
            if let spec = object["spec"]?.stringValue { return .success(try FaultConfiguration(spec: spec)) }
            var faults = current
            for (key, value) in object {
                let text: String
                switch value {
                case .string(let s): text = s
                case .int(let i): text = String(i)
                case .double(let d): text = String(d)
                case .null: text = key == "job" ? "none" : "0"
                default: text = "\(value)"
                }
                if key == "token_ttl" && value.isNull {
                    faults.tokenTTL = nil
                } else {
                    try faults.set(key, text)
                }
            }
            return .success(faults)
        } catch {
            return .failure(error)
        }
    }
}
