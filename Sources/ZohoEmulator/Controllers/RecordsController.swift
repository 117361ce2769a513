import Foundation
import Hummingbird

/// Get records, get one record, update records, add tags.
struct RecordsController: Sendable {
    let store: EmulatorStore

    /// `{module}` (get, update, insert), `{module}/{id}` (get, update) and `{module}/actions/add_tags`.
    func addRoutes(to routes: CRMRoutes) {
        let modules = routes.module()
        modules.on(
            "",
            CRMRoute(.get, cost: Self.listCost) { c in try await list(c.crm, module: c.module) },
            CRMRoute(.put, writes: true, cost: { c in Self.writeCost(c, "UPDATE") }) { c in
                try await update(c.crm, module: c.module)
            },
            CRMRoute(.post, writes: true, cost: { c in Self.writeCost(c, "CREATE") }) { c in
                try await insert(c.crm, module: c.module)
            }
        )
        modules.on(
            "{id}",
            CRMRoute(.get, cost: { c in CRMCost(scope: c.moduleScope("READ")) }) { c in
                try await get(module: c.module, id: c.parameters.require("id"))
            },
            CRMRoute(.put, writes: true, cost: { c in CRMCost(scope: c.moduleScope("UPDATE")) }) { c in
                try await update(c.crm, module: c.module, pathID: c.parameters.require("id"))
            }
        )
        modules.on(
            "actions/add_tags",
            CRMRoute(.post, writes: true, cost: Self.addTagsCost) { c in try await addTags(c.crm, module: c.module) }
        )
    }

    /// A custom view (`cvid`) costs 3 credits; a custom view or a sort makes the call a complex one.
    static func listCost(_ c: CRMRequestContext) -> CRMCost {
        let custom = c.crm.query["cvid"] != nil
        return CRMCost(
            scope: c.moduleScope("READ"),
            complex: custom || c.crm.query["sort_by"] != nil,
            credits: custom ? 3 : 1
        )
    }

    /// A credit per 10 records; more than 10 records make the call a complex one.
    static func writeCost(_ c: CRMRequestContext, _ operation: String) -> CRMCost {
        let count = (try? c.crm.json())?["data"].arrayValue?.count ?? 1
        return CRMCost(scope: c.moduleScope(operation), complex: count > 10, credits: max(1, (count + 9) / 10))
    }

    /// A credit per 50 records tagged.
    static func addTagsCost(_ c: CRMRequestContext) -> CRMCost {
        let count = (try? c.crm.json())?["ids"].arrayValue?.count ?? 1
        return CRMCost(scope: c.moduleScope("UPDATE"), credits: max(1, (count + 49) / 50))
    }

    /// `GET /{module}`: the parameters, the records they select in their order, then the page.
    func list(_ r: CRMRequest, module: String) async throws -> Response {
        try await store.read { org, now throws(ZohoAPIError) in
            let listing = try Listing(r, module: module, metadata: org.metadata, now: now)
            let rows = listing.rows(of: org.live(module), ids: r.query["ids"])
            guard listing.start < rows.count else { return JSONResponse.noContent() }
            return listing.page(of: rows, now: now)
        }
    }

    func get(module: String, id: String) async throws -> Response {
        try await store.read { org, _ throws(ZohoAPIError) in
            guard id.allSatisfy(\.isNumber) else {
                throw ZohoAPIError.invalidData(["resource_path_index": 1])
            }
            guard let record = org.record(module, id) else { return JSONResponse.noContent() }
            return JSONResponse.make(["data": [.object(OrgState.publicView(record))]])
        }
    }

    /// `data[]` of a write: present, an array, not empty.
    static func dataItems(_ body: JSONValue) throws(ZohoAPIError) -> [JSONValue] {
        guard case .array(let items) = body["data"] else {
            if body["data"].isNull { throw ZohoAPIError.mandatoryNotFound("data", "$.data") }
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": "data", "json_path": "$.data", "expected_data_type": "jsonarray"]
            )
        }
        if items.isEmpty { throw ZohoAPIError.mandatoryNotFound("data", "$.data") }
        return items
    }

    static func checkWriteLimit(_ items: [JSONValue]) throws(ZohoAPIError) {
        guard items.count > OrgState.maxRecordsPerWrite else { return }
        throw ZohoAPIError(
            .badRequest,
            "LIMIT_EXCEEDED",
            "the maximum number of records allowed is 100",
            details: [
                "limit": .int(Int64(OrgState.maxRecordsPerWrite)),
                "limit_due_to": [["api_name": "data", "json_path": "$.data"]],
            ]
        )
    }

    /// `PUT /{module}` and `PUT /{module}/{id}`: per-record outcomes in `data[]`, in input order.
    func update(_ r: CRMRequest, module: String, pathID: String? = nil) async throws -> Response {
        var items = try Self.dataItems(try r.json())
        if let pathID {
            // The single-record form takes its id from the path and one record in data[].
            guard items.count == 1, case .object(var only) = items[0] else {
                throw ZohoAPIError(
                    .badRequest,
                    "LIMIT_EXCEEDED",
                    "only one record may be updated by id",
                    details: ["limit": 1, "limit_due_to": [["api_name": "data", "json_path": "$.data"]]]
                )
            }
            only["id"] = .string(pathID)
            items = [.object(only)]
        }
        try Self.checkWriteLimit(items)
        return try await store.withOrg { org, now throws(ZohoAPIError) in
            let (results, successes) = Self.eachRecord(items, message: "record updated") {
                item,
                index throws(ZohoAPIError) in
                try org.updateRecord(module: module, item: item, index: index, now: now)
            }
            return JSONResponse.make(["data": .array(results)], status: successes > 0 ? .ok : .badRequest)
        }
    }

    /// `POST /{module}` (Insert Records): up to 100 records, per-record outcomes in `data[]` in input order; 201 when
    /// all are created, 207 when some are, 400 when none. `trigger` is accepted and ignored (no workflows here).
    func insert(_ r: CRMRequest, module: String) async throws -> Response {
        let items = try Self.dataItems(try r.json())
        try Self.checkWriteLimit(items)
        return try await store.withOrg { org, now throws(ZohoAPIError) in
            let (results, successes) = Self.eachRecord(items, message: "record added") {
                item,
                index throws(ZohoAPIError) in
                try org.insertRecord(module: module, item: item, index: index, now: now)
            }
            let status: HTTPResponse.Status =
                successes == items.count ? .created : successes > 0 ? HTTPResponse.Status(code: 207) : .badRequest
            return JSONResponse.make(["data": .array(results)], status: status)
        }
    }

    /// Zoho's per-record answers of a write, in input order: SUCCESS with the write's details, or the record's own
    /// error; and how many succeeded.
    static func eachRecord(
        _ items: [JSONValue],
        message: String,
        write: (JSONValue, Int) throws(ZohoAPIError) -> JSONValue
    ) -> (results: [JSONValue], successes: Int) {
        var results: [JSONValue] = []
        var successes = 0
        for (index, item) in items.enumerated() {
            do throws(ZohoAPIError) {
                let details = try write(item, index)
                results.append([
                    "code": "SUCCESS", "details": details, "message": .string(message), "status": "success",
                ])
                successes += 1
            } catch {
                results.append(error.body)
            }
        }
        return (results, successes)
    }

    /// `POST /{module}/actions/add_tags`: the request checked whole, then each record tagged or refused.
    func addTags(_ r: CRMRequest, module: String) async throws -> Response {
        let request = try TagRequest(r)
        return try await store.withOrg { org, now throws(ZohoAPIError) in
            var results: [JSONValue] = []
            var success = 0
            var locked = 0
            for (i, idValue) in request.ids.enumerated() {
                let outcome = Self.tag(idValue.idText ?? "", at: i, with: request, module: module, org: &org, now: now)
                if outcome["status"] == "success" { success += 1 }
                if outcome["code"] == "RECORD_LOCKED" { locked += 1 }
                results.append(outcome)
            }
            return JSONResponse.make(
                [
                    "data": .array(results), "success_count": .string(String(success)),
                    "locked_count": .string(String(locked)), "wf_scheduler": false,
                ],
                status: success > 0 || results.isEmpty ? .ok : .badRequest
            )
        }
    }

    /// Tags one record; the answer for it in `data[]`.
    static func tag(
        _ id: String,
        at i: Int,
        with request: TagRequest,
        module: String,
        org: inout OrgState,
        now: Date
    ) -> JSONValue {
        guard var record = org.record(module, id) else {
            return ZohoAPIError.invalidData(["api_name": "ids", "json_path": .string("$.ids[\(i)]"), "id": .string(id)])
                .body
        }
        if record["Locked__s"] == .bool(true) {
            return ZohoAPIError(.badRequest, "RECORD_LOCKED", "Record is locked", details: ["id": .string(id)]).body
        }
        let existing = request.overwrite ? [] : OrgState.tagNames(record["Tag"])
        let objects = org.tagObjects(module: module, names: existing + request.names)
        record["Tag"] = .array(objects)
        record["Modified_Time"] = .string(ZohoTime.dateTime(now))
        org.put(module, record, id: id)
        return [
            "code": "SUCCESS", "details": ["id": .string(id), "tags": .array(objects)],
            "message": "tags updated successfully", "status": "success",
        ]
    }
}

/// Add Tags' request, checked before any record is touched: ids (1...500), tag names (1...25 characters each)
/// and `over_write`.
struct TagRequest {
    var ids: [JSONValue]
    var names: [String]
    var overwrite: Bool

    init(_ r: CRMRequest) throws(ZohoAPIError) {
        let body = try Self.body(r)
        guard case .array(let tags) = body["tags"], !tags.isEmpty else {
            throw ZohoAPIError.mandatoryNotFound("tags", "$.tags")
        }
        guard case .array(let ids) = body["ids"], !ids.isEmpty else {
            throw ZohoAPIError.mandatoryNotFound("ids", "$.ids")
        }
        if ids.count > 500 {
            throw ZohoAPIError(
                .badRequest,
                "LIMIT_EXCEEDED",
                "the maximum number of records allowed is 500",
                details: ["limit": 500, "limit_due_to": [["api_name": "ids", "json_path": "$.ids"]]]
            )
        }
        self.ids = ids
        names = try tags.enumerated().map { (i, tag) throws(ZohoAPIError) in try Self.name(tag, at: i) }
        overwrite = body["over_write"].boolValue ?? false
    }

    /// The JSON body, or the query parameters older clients send instead.
    private static func body(_ r: CRMRequest) throws(ZohoAPIError) -> JSONValue {
        let body = try r.json()
        guard body.isNull, let ids = r.query["ids"], let names = r.query["tag_names"] else { return body }
        return [
            "ids": .array(ids.split(separator: ",").map { .string(String($0)) }),
            "tags": .array(names.split(separator: ",").map { ["name": .string(String($0))] }),
            "over_write": .bool(r.query["over_write"] == "true"),
        ]
    }

    private static func name(_ tag: JSONValue, at i: Int) throws(ZohoAPIError) -> String {
        guard let name = tag["name"].stringValue ?? tag.stringValue, !name.isEmpty else {
            throw ZohoAPIError.mandatoryNotFound("name", "$.tags[\(i)].name")
        }
        guard name.count <= 25 else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": "name", "json_path": .string("$.tags[\(i)].name"), "maximum_length": 25]
            )
        }
        return name
    }
}

/// Get Records' parameters, checked in Zoho's order, and the page they ask for.
struct Listing {
    var fields: [String]?
    var visible: @Sendable (EmulatorRecord) -> Bool
    var perPage: Int
    var sortBy: String
    var sortOrder: String
    /// What a page token is bound to.
    var binding: PageToken.Binding
    /// The first record's offset, from `page` or `page_token`.
    var start: Int

    init(_ r: CRMRequest, module: String, metadata: OrgMetadata, now: Date) throws(ZohoAPIError) {
        fields = try r.fieldsParam(module: module, metadata: metadata, required: true)
        visible = try r.visibility()
        let page: Int
        (page, perPage) = try r.paging()
        sortBy = r.query["sort_by"] ?? "id"
        sortOrder = r.query["sort_order"] ?? "desc"
        guard ["id", "Created_Time", "Modified_Time"].contains(sortBy) else {
            throw ZohoAPIError.invalidParam("sort_by")
        }
        guard ["asc", "desc"].contains(sortOrder) else { throw ZohoAPIError.invalidParam("sort_order") }
        binding = PageToken.Binding(
            module: module,
            fields: (fields ?? []).sorted().joined(separator: ","),
            sortBy: sortBy,
            sortOrder: sortOrder,
            converted: r.query["converted"] ?? "false"
        )
        start = try Self.start(r, page: page, perPage: perPage, binding: binding, now: now)
    }

    private static func start(
        _ r: CRMRequest,
        page: Int,
        perPage: Int,
        binding: PageToken.Binding,
        now: Date
    ) throws(ZohoAPIError) -> Int {
        let start: Int
        if let text = r.query["page_token"] {
            // Zoho: page and page_token together are ambiguous; the token is bound to the other parameters.
            if r.query["page"] != nil {
                throw ZohoAPIError(
                    .badRequest,
                    "AMBIGUITY_DURING_PROCESSING",
                    "Ambiguity while processing the request",
                    details: ["ambiguity_due_to": ["page", "page_token"]]
                )
            }
            start = try PageToken.offset(text, binding: binding, now: now)
        } else {
            start = (page - 1) * perPage
            if page * perPage > 2000 {
                throw ZohoAPIError(
                    .badRequest,
                    "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                    "You cannot fetch more than 2000 records without a page_token",
                    details: ["limit": 2000]
                )
            }
        }
        if start + perPage > PageToken.maximumRecords {
            throw ZohoAPIError(
                .badRequest,
                "PAGINATION_LIMIT_EXCEEDED",
                "You cannot fetch more than \(PageToken.maximumRecords) records",
                details: ["limit": .int(Int64(PageToken.maximumRecords))]
            )
        }
        return start
    }

    /// The visible records (of `ids` when given) in the asked order; ties by id.
    func rows(of records: [EmulatorRecord], ids: String?) -> [EmulatorRecord] {
        var rows = records.filter(visible)
        if let ids {
            let wanted = Set(ids.split(separator: ",").map { String($0) })
            rows = rows.filter { wanted.contains($0["id"].stringValue ?? "") }
        }
        rows.sort { a, b in
            let x = a[sortBy].stringValue ?? ""
            let y = b[sortBy].stringValue ?? ""
            if x == y { return (a["id"].stringValue ?? "") < (b["id"].stringValue ?? "") }
            return x < y
        }
        if sortOrder == "desc" { rows.reverse() }
        return rows
    }

    /// The page starting at ``start`` with Zoho's `info`, page tokens included.
    func page(of rows: [EmulatorRecord], now: Date) -> Response {
        let slice = rows[start..<min(rows.count, start + perPage)].map {
            JSONValue.object(OrgState.listView($0, fields: fields))
        }
        let more = start + perPage < rows.count
        let expiry = now.addingTimeInterval(PageToken.lifetime)
        let info: JSONValue = [
            "call": false, "per_page": .int(Int64(perPage)),
            "next_page_token": more
                ? .string(PageToken.make(offset: start + perPage, binding: binding, expiry: expiry)) : .null,
            "count": .int(Int64(slice.count)),
            "sort_by": .string(sortBy), "page": .int(Int64(start / perPage + 1)),
            "previous_page_token": start > 0
                ? .string(PageToken.make(offset: max(0, start - perPage), binding: binding, expiry: expiry))
                : .null,
            "page_token_expiry": more ? .string(ZohoTime.dateTime(expiry)) : .null,
            "sort_order": .string(sortOrder), "email": false,
            "more_records": .bool(more),
        ]
        return JSONResponse.make(["data": .array(slice), "info": info])
    }
}
