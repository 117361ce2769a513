import Foundation
import Hummingbird

/// COQL and search, wrapping the query languages in `Query/`.
struct QueryController: Sendable {
    let store: EmulatorStore

    /// `POST coql` (a complex API, charged by LIMIT) and `GET {module}/search` (a complex API).
    func addRoutes(to routes: CRMRoutes) {
        routes.on(
            "coql",
            CRMRoute(
                .post,
                cost: { c in CRMCost(scope: "ZohoCRM.coql.READ", complex: true, credits: Self.coqlCredits(c.crm)) }
            ) {
                c in try await coql(c.crm)
            }
        )
        routes.module().on(
            "search",
            CRMRoute(.get, cost: { c in CRMCost(scope: c.moduleScope("READ"), complex: true) }) { c in
                try await search(c.crm, module: c.module)
            }
        )
    }

    /// COQL credits by LIMIT: 1-200 cost 1, 201-1000 cost 2, 1001-2000 cost 3 (default LIMIT 200).
    static func coqlCredits(_ r: CRMRequest) -> Int {
        guard let query = (try? r.json())?["select_query"].stringValue?.lowercased() else { return 1 }
        let tokens = query.split(whereSeparator: { $0.isWhitespace || $0 == "," })
        guard let i = tokens.lastIndex(of: "limit"), i + 1 < tokens.count, let limit = Int(tokens[i + 1]) else {
            return 1
        }
        return limit <= 200 ? 1 : limit <= 1000 ? 2 : 3
    }

    func coql(_ r: CRMRequest) async throws -> Response {
        let body = try r.bodyObject()
        guard let query = body["select_query"].stringValue, !query.isEmpty else {
            throw ZohoAPIError.mandatoryNotFound("select_query", "$.select_query")
        }
        // Evaluated inside the store, on the org itself: no module is copied, and none changes meanwhile.
        let result = try await store.read { org, _ throws(ZohoAPIError) in
            do throws(QueryError) {
                return try COQLRunner.run(query, catalog: OrgCatalog(org: org))
            } catch {
                throw ZohoAPIError(.badRequest, error.code, error.message, details: error.details)
            }
        }
        guard !result.rows.isEmpty else { return JSONResponse.noContent() }
        return JSONResponse.make([
            "data": .array(result.rows.map { .object($0) }),
            "info": ["count": .int(Int64(result.rows.count)), "more_records": .bool(result.moreRecords)],
        ])
    }

    /// `GET /{module}/search`: criteria, then email, phone, word (Zoho uses the first present).
    func search(_ r: CRMRequest, module: String) async throws -> Response {
        let visible = try r.visibility()
        let (page, perPage) = try r.paging()
        let (all, metadata) = try await store.read { org, _ in
            (org.live(module).map(OrgState.publicView), org.metadata)
        }
        let fields = try r.fieldsParam(module: module, metadata: metadata, required: false)
        guard let spec = metadata.module(module) else { throw ZohoAPIError.invalidModule() }
        let catalog = CatalogSnapshot(metadata: metadata, live: [module: all])
        let matches: (EmulatorRecord) -> Bool
        if let text = r.query["criteria"] {
            let criteria: SearchCriteria
            do {
                criteria = try SearchCriteria(parsing: text)
                // Unknown fields, operators the field's type does not take and mistyped values are 400 INVALID_QUERY.
                try criteria.validate(module: module, catalog: catalog)
            } catch {
                throw ZohoAPIError(.badRequest, error.code, error.message, details: error.details)
            }
            matches = { criteria.matches($0, module: module, catalog: catalog) }
        } else if let email = r.query["email"] {
            let emailFields = spec.fields.filter { $0.dataType == "email" }.map(\.apiName)
            matches = { record in emailFields.contains { record[$0].stringValue?.lowercased() == email.lowercased() } }
        } else if let phone = r.query["phone"] {
            let digits = phone.filter(\.isNumber)
            let phoneFields = spec.fields.filter { $0.dataType == "phone" }.map(\.apiName)
            matches = { record in
                phoneFields.contains { f in record[f].stringValue.map { $0.filter(\.isNumber) == digits } ?? false }
            }
        } else if let word = r.query["word"] {
            guard word.count >= 2 else {
                throw ZohoAPIError.invalidData(["param_name": "word"])
            }
            let textFields = spec.fields.filter {
                ["text", "email", "phone", "website", "textarea", "picklist"].contains($0.dataType)
            }
            .map(\.apiName)
            let needle = word.lowercased()
            matches = { record in textFields.contains { record[$0].stringValue?.lowercased().contains(needle) ?? false }
            }
        } else {
            throw ZohoAPIError(
                .badRequest,
                "EXPECTED_PARAM_MISSING",
                "One of the expected parameter is missing",
                details: ["param_names": ["criteria", "email", "phone", "word"]]
            )
        }
        if page * perPage > 2000 {
            throw ZohoAPIError(
                .badRequest,
                "LIMIT_REACHED",
                "Maximum response iteration limit reached",
                details: ["limit": "2000"]
            )
        }
        let hits = all.filter { visible($0) && matches($0) }.sorted {
            ($0["id"].stringValue ?? "") > ($1["id"].stringValue ?? "")
        }
        let start = (page - 1) * perPage
        guard start < hits.count else { return JSONResponse.noContent() }
        let slice = hits[start..<min(hits.count, start + perPage)].map {
            JSONValue.object(OrgState.listView($0, fields: fields))
        }
        return JSONResponse.make([
            "data": .array(slice),
            "info": [
                "per_page": .int(Int64(perPage)), "count": .int(Int64(slice.count)), "page": .int(Int64(page)),
                "sort_by": "id", "sort_order": "desc", "more_records": .bool(start + perPage < min(hits.count, 2000)),
            ],
        ])
    }
}
