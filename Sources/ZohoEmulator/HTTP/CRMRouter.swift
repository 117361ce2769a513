import Foundation
import Hummingbird

/// Maps a CRM path to its endpoint: Zoho's 404 INVALID_URL_PATTERN for unknown paths, 400
/// INVALID_REQUEST_METHOD for a known path with the wrong method, 400 INVALID_MODULE for unknown modules.
struct CRMRouter: Sendable {
    let store: EmulatorStore
    // Built once with the router, not per request.
    let records: RecordsController
    let metadata: MetadataController
    let conversion: ConversionController
    let query: QueryController

    init(store: EmulatorStore) {
        self.store = store
        records = RecordsController(store: store)
        metadata = MetadataController(store: store)
        conversion = ConversionController(store: store)
        query = QueryController(store: store)
    }

    func route(_ request: CRMRequest) -> Result<CRMEndpoint, ZohoAPIError> {
        do throws(ZohoAPIError) {
            return .success(try resolve(request))
        } catch {
            return .failure(error)
        }
    }

    private func resolve(_ r: CRMRequest) throws(ZohoAPIError) -> CRMEndpoint {
        let s = r.segments
        func only(_ method: HTTPRequest.Method, _ endpoint: CRMEndpoint) throws(ZohoAPIError) -> CRMEndpoint {
            guard r.method == method else { throw .invalidMethod() }
            return endpoint
        }
        switch s.count {
        case 0: throw .invalidURL()
        case 1 where s[0] == "users":
            return try only(.get, CRMEndpoint(scope: "ZohoCRM.users.READ") { try await metadata.users(r, id: nil) })
        case 2 where s[0] == "users":
            return try only(.get, CRMEndpoint(scope: "ZohoCRM.users.READ") { try await metadata.users(r, id: s[1]) })
        case 1 where s[0] == "org":
            return try only(.get, CRMEndpoint(scope: "ZohoCRM.org.READ") { try await metadata.org() })
        case 1 where s[0] == "coql":
            return try only(
                .post,
                CRMEndpoint(scope: "ZohoCRM.coql.READ", complex: true, credits: QueryController.coqlCredits(r)) {
                    try await query.coql(r)
                }
            )
        case 2 where s[0] == "settings" && s[1] == "modules":
            return try only(
                .get,
                CRMEndpoint(scope: "ZohoCRM.settings.modules.READ") { try await metadata.modules(r, name: nil) }
            )
        case 3 where s[0] == "settings" && s[1] == "modules":
            return try only(
                .get,
                CRMEndpoint(scope: "ZohoCRM.settings.modules.READ") { try await metadata.modules(r, name: s[2]) }
            )
        case 2 where s[0] == "settings" && s[1] == "fields":
            return try only(.get, CRMEndpoint(scope: "ZohoCRM.settings.fields.READ") { try await metadata.fields(r) })
        default: break
        }
        if s[0] == "settings" || s[0] == "users" { throw .invalidURL() }
        let module = try moduleName(s[0])
        if let denied = organizePermission(module) { throw denied }
        let scopeModule = module.replacingOccurrences(of: "_", with: "")
        let read = "ZohoCRM.modules.\(scopeModule).READ"
        let update = "ZohoCRM.modules.\(scopeModule).UPDATE"
        switch s.count {
        case 1:
            switch r.method {
            case .get:
                let complex = r.query["cvid"] != nil || r.query["sort_by"] != nil
                return CRMEndpoint(scope: read, complex: complex, credits: r.query["cvid"] != nil ? 3 : 1) {
                    try await records.list(r, module: module)
                }
            case .put:
                let count = (try? r.json())?["data"].arrayValue?.count ?? 1
                return CRMEndpoint(scope: update, complex: count > 10, credits: max(1, (count + 9) / 10), write: true) {
                    try await records.update(r, module: module)
                }
            case .post:
                let count = (try? r.json())?["data"].arrayValue?.count ?? 1
                let create = "ZohoCRM.modules.\(scopeModule).CREATE"
                return CRMEndpoint(scope: create, complex: count > 10, credits: max(1, (count + 9) / 10), write: true) {
                    try await records.insert(r, module: module)
                }
            default: throw .invalidMethod()
            }
        case 2 where s[1] == "search":
            return try only(.get, CRMEndpoint(scope: read, complex: true) { try await query.search(r, module: module) })
        case 2:
            switch r.method {
            case .get: return CRMEndpoint(scope: read) { try await records.get(module: module, id: s[1]) }
            case .put:
                return CRMEndpoint(scope: update, write: true) {
                    try await records.update(r, module: module, pathID: s[1])
                }
            default: throw .invalidMethod()
            }
        case 3 where s[1] == "actions" && s[2] == "add_tags":
            let count = (try? r.json())?["ids"].arrayValue?.count ?? 1
            return try only(
                .post,
                CRMEndpoint(scope: update, credits: max(1, (count + 49) / 50), write: true) {
                    try await records.addTags(r, module: module)
                }
            )
        case 3 where s[1] == "actions" && s[2] == "mass_convert":
            guard ["Quotes", "Sales_Orders", "Leads"].contains(module) else { throw .invalidModule() }
            let scope = "ZohoCRM.mass_convert.\(module == "Leads" ? "leads" : scopeModule)"
            switch r.method {
            case .post:
                return CRMEndpoint(scope: "\(scope).CREATE", write: true) {
                    module == "Leads"
                        ? try await conversion.massConvertLeads(r)
                        : try await conversion.massConvertInventory(r, module: module)
                }
            case .get:
                return CRMEndpoint(scope: "\(scope).READ") { try await conversion.jobStatus(r, module: module) }
            default: throw .invalidMethod()
            }
        case 3 where s[2] == "__conversion_options" && module == "Leads":
            return try only(.get, CRMEndpoint(scope: read) { try await conversion.conversionOptions(leadID: s[1]) })
        case 4 where s[2] == "actions" && s[3] == "convert":
            if module == "Leads" {
                return try only(
                    .post,
                    CRMEndpoint(scope: "ZohoCRM.modules.leads.CREATE", complex: true, credits: 5, write: true) {
                        try await conversion.convertLead(r, id: s[1])
                    }
                )
            }
            guard module == "Quotes" || module == "Sales_Orders" else { throw .invalidModule() }
            return try only(
                .post,
                CRMEndpoint(scope: "ZohoCRM.modules.\(scopeModule).CREATE", write: true) {
                    try await conversion.convertInventory(r, module: module, id: s[1])
                }
            )
        default:
            throw .invalidURL()
        }
    }

    /// Modules removed in Organize Modules refuse every call (the metadata is fixed, so no await is needed).
    private func organizePermission(_ module: String) -> ZohoAPIError? {
        store.configuration.fixture.disabledModules.contains(module)
            ? OrgMetadata(fixture: store.configuration.fixture).permission(module) : nil
    }

    private func moduleName(_ segment: String) throws(ZohoAPIError) -> String {
        guard let spec = StandardMetadata.moduleSpec(segment), spec.apiSupported else {
            throw .invalidModule()
        }
        return spec.apiName
    }
}
