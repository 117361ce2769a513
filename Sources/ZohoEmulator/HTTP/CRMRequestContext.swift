import Foundation
import Hummingbird
import Synchronization

/// The caller a valid access token names: its limiter key (user and OAuth client) and the token's scopes.
struct CRMCaller: Sendable {
    /// Concurrency is counted per user per OAuth client (Kaizen #35).
    var key: String
    var token: AccessToken
}

/// The request context of every emulator route: the parsed CRM call, and what the middleware in front of a
/// handler found out (the caller, the module named in the path).
struct CRMRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The call parsed once by ``CRMGateway`` (empty outside `/crm/`).
    var crm = CRMRequest(method: .get, version: "", segments: [], query: [:], body: Data())
    /// Set by ``AuthenticationMiddleware`` on every `crm/{version}` route.
    var caller: CRMCaller?
    /// The module's API name, set by ``ModuleMiddleware`` on `{module}` routes.
    var module = ""
    /// The method the client sent, when ``UnlistedMethodResponder`` routed the call as another.
    var unlistedMethod: HTTPRequest.Method?
    /// Lets the admission middleware tell the request log how many calls it found in flight.
    let inFlight = InFlightNote()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// `ZohoCRM.modules.<Module>.<operation>`: scopes drop the underscore (`Sales_Orders` → `SalesOrders`).
    func moduleScope(_ operation: String) -> String {
        "ZohoCRM.modules.\(module.replacingOccurrences(of: "_", with: "")).\(operation)"
    }
}

/// The caller's calls in flight when admission let this one in; written deep in the middleware stack and read by
/// the request log at its top, hence a shared box rather than a context field.
final class InFlightNote: Sendable {
    private let value = Mutex<Int?>(nil)

    var admitted: Int? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
