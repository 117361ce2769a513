import Foundation
import HTTPTypes
import Hummingbird

/// Checks `Authorization: Zoho-oauthtoken <token>` on every `crm/{version}` route, before anything else about
/// the call (Zoho answers AUTHENTICATION_FAILURE or INVALID_TOKEN even for a wrong method or module).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = CRMRequestContext
    let store: EmulatorStore

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.caller = try await store.authenticate(request.headers[.authorization]).get()
        return try await next(request, context)
    }
}

/// Resolves the `{module}` path parameter to the module's API name, before the method is checked: INVALID_MODULE
/// for unknown or unsupported modules, NO_PERMISSION for modules removed in Organize Modules, and `otherwise` for
/// modules the path does not serve.
struct ModuleMiddleware: RouterMiddleware {
    typealias Context = CRMRequestContext
    let fixture: EmulatorFixture
    /// The modules the path serves (nil: all).
    var only: Set<String>?
    var otherwise = ZohoAPIError.invalidModule()

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.module = try Self.resolve(context.parameters.require("module"), fixture: fixture)
        if let only, !only.contains(context.module) { throw otherwise }
        return try await next(request, context)
    }

    /// The module a path segment names; `settings` and `users` are not modules, so their unknown sub-paths
    /// are INVALID_URL_PATTERN.
    static func resolve(_ segment: String, fixture: EmulatorFixture) throws(ZohoAPIError) -> String {
        if segment == "settings" || segment == "users" { throw .invalidURL() }
        guard let spec = StandardMetadata.moduleSpec(segment), spec.apiSupported else { throw .invalidModule() }
        if fixture.disabledModules.contains(spec.apiName),
            let denied = OrgMetadata(fixture: fixture).permission(spec.apiName)
        {
            throw denied
        }
        return spec.apiName
    }
}

/// What a call costs before its handler runs.
struct CRMCost: Sendable {
    /// The OAuth scope the call needs (checked against the token's scopes when the fixture's client lists any).
    var scope: String
    /// Counts against the complex-API sub-concurrency limit of 10.
    var complex = false
    /// API credits the call costs.
    var credits = 1
}

/// The limits in front of a handler, in Zoho's order: the scope, the concurrency limits (per caller, with the
/// complex-API sub-limit), then the daily credits; every answer after the charge reports the credits left once
/// half the budget is spent.
struct AdmissionMiddleware: RouterMiddleware {
    typealias Context = CRMRequestContext
    let store: EmulatorStore
    let cost: @Sendable (CRMRequestContext) -> CRMCost

    static let creditsHeader = HTTPField.Name("X-API-CREDITS-REMAINING")

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let cost = cost(context)
        guard let caller = context.caller else { throw ZohoAPIError.authenticationFailure() }
        guard caller.token.allows(cost.scope) else { throw ZohoAPIError.scopeMismatch(cost.scope) }
        guard let admitted = await store.admit(complex: cost.complex, caller: caller.key) else {
            throw ZohoAPIError.tooManyRequests("The number of concurrent requests has exceeded the limit")
        }
        context.inFlight.admitted = admitted
        do {
            let response = try await charged(cost.credits, request: request, context: context, next: next)
            await store.release(complex: cost.complex, caller: caller.key)
            return response
        } catch {
            await store.release(complex: cost.complex, caller: caller.key)
            throw error
        }
    }

    private func charged(
        _ credits: Int,
        request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let charge = await store.charge(credits)
        var headers = HTTPFields()
        if let remaining = charge.remaining, let name = Self.creditsHeader { headers[name] = String(remaining) }
        guard charge.allowed else {
            throw ZohoAPIError.tooManyRequests("You have exceeded the daily API credit limit").adding(headers)
        }
        do {
            var response = try await next(request, context)
            response.headers.append(contentsOf: headers)
            return response
        } catch let error as ZohoAPIError {
            throw error.adding(headers)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ZohoAPIError.internalError(error, logger: context.logger).adding(headers)
        }
    }
}

/// The injected faults, between the charge and the handler: latency, a random 429 or 500, and for writes the
/// timeout that still performs the write (the answer comes too late for a client with a sane timeout).
struct FaultsMiddleware: RouterMiddleware {
    typealias Context = CRMRequestContext
    let store: EmulatorStore
    /// Whether the handler writes data (only writes can time out after the fact).
    let write: Bool

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let faults = await store.faults
        if faults.latency > .zero { try await Task.sleep(for: faults.latency) }
        // Zoho's 500 INTERNAL_ERROR is an error answer: the handler never runs, so nothing is written or scheduled.
        switch await store.rollFault(write: write) {
        case .tooManyRequests: throw ZohoAPIError.tooManyRequests()
        case .serverError: throw ZohoAPIError.internalError()
        case .none: break
        }
        let outcome: Result<Response, ZohoAPIError>
        do {
            outcome = .success(try await next(request, context))
        } catch let error as ZohoAPIError {
            outcome = .failure(error)
        }
        if write, await store.rollTimeoutWrite() {
            try await Task.sleep(for: store.configuration.writeTimeoutDelay)
        }
        return try outcome.get()
    }
}
