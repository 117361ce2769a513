import Foundation
import HTTPTypes
import Hummingbird

/// One method of a CRM path: what admission charges for it, whether it writes, and its handler.
struct CRMRoute: Sendable {
    let method: HTTPRequest.Method
    /// Writes data (the "timeout that still performs the write" fault applies).
    let writes: Bool
    let cost: @Sendable (CRMRequestContext) -> CRMCost
    let handler: @Sendable (CRMRequestContext) async throws -> Response

    /// A route whose cost depends on the call (its module, record count or query).
    init(
        _ method: HTTPRequest.Method,
        writes: Bool = false,
        cost: @escaping @Sendable (CRMRequestContext) -> CRMCost,
        handler: @escaping @Sendable (CRMRequestContext) async throws -> Response
    ) {
        self.method = method
        self.writes = writes
        self.cost = cost
        self.handler = handler
    }

    /// A one-credit call that needs `scope`.
    init(
        _ method: HTTPRequest.Method,
        scope: String,
        handler: @escaping @Sendable (CRMRequestContext) async throws -> Response
    ) {
        self.init(method, cost: { _ in CRMCost(scope: scope) }, handler: handler)
    }
}

/// Registers CRM routes on a `crm/{version}` group: each route behind admission and faults, and each path
/// answering the methods it does not serve with INVALID_REQUEST_METHOD (Hummingbird would say 404).
struct CRMRoutes {
    /// The methods every path answers.
    static let methods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options, .trace]
    /// No route serves it, so a method outside ``methods`` is dispatched as this one.
    static let standIn = HTTPRequest.Method.trace

    let group: RouterGroup<CRMRequestContext>
    let store: EmulatorStore

    /// The CRM API under `crm/v7` and `crm/v8` (the same routes), each call authenticated first.
    static func register(on router: Router<CRMRequestContext>, store: EmulatorStore) {
        // Built once, shared by both versions.
        let metadata = MetadataController(store: store)
        let records = RecordsController(store: store)
        let query = QueryController(store: store)
        let conversion = ConversionController(store: store)
        for version: RouterPath in ["crm/v7", "crm/v8"] {
            let api = router.group(version).add(middleware: AuthenticationMiddleware(store: store))
            let routes = CRMRoutes(group: api, store: store)
            metadata.addRoutes(to: routes)
            records.addRoutes(to: routes)
            query.addRoutes(to: routes)
            conversion.addRoutes(to: routes)
        }
    }

    /// Routes under `{module}`, behind the module check; `only` lists the modules the routes serve, `otherwise`
    /// is the answer for the rest.
    func module(only: Set<String>? = nil, otherwise: ZohoAPIError = .invalidModule()) -> CRMRoutes {
        let check = ModuleMiddleware(fixture: store.configuration.fixture, only: only, otherwise: otherwise)
        return CRMRoutes(group: group.group("{module}").add(middleware: check), store: store)
    }

    /// Serves `routes` at `path`, and every other method there with INVALID_REQUEST_METHOD.
    func on(_ path: RouterPath, _ routes: CRMRoute...) {
        for route in routes {
            group.group()
                .add(middleware: AdmissionMiddleware(store: store, cost: route.cost))
                .add(middleware: FaultsMiddleware(store: store, write: route.writes))
                .on(path, method: route.method) { _, context in try await route.handler(context) }
        }
        let served = Set(routes.map(\.method))
        for method in Self.methods.subtracting(served) {
            group.on(path, method: method) { _, _ -> Response in throw ZohoAPIError.invalidMethod() }
        }
    }
}

/// Every CRM path lists the methods it does not serve so that they answer INVALID_REQUEST_METHOD, but a router
/// can only list methods it knows of; any other method is routed as ``CRMRoutes/standIn``, so a known path still
/// refuses it and an unknown one is still INVALID_URL_PATTERN.
struct UnlistedMethodResponder<Router: HTTPResponder>: HTTPResponder where Router.Context == CRMRequestContext {
    let router: Router

    func respond(to request: Request, context: CRMRequestContext) async throws -> Response {
        guard !CRMRoutes.methods.contains(request.method) else {
            return try await router.respond(to: request, context: context)
        }
        var context = context
        context.unlistedMethod = request.method
        var head = request.head
        head.method = CRMRoutes.standIn
        return try await router.respond(to: Request(head: head, body: request.body), context: context)
    }
}
