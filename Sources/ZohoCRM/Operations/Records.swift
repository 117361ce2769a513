/// Reading and writing records: Get Records, Get Record, Update Records, Add Tags.
extension ZohoClient {
    /// Zoho's sort keys for Get Records.
    public enum SortKey: String, Sendable {
        case id
        case createdTime = "Created_Time"
        case modifiedTime = "Modified_Time"
    }

    /// Whether converted or unapproved records are included (`converted=` / `approved=`).
    public enum Inclusion: String, Sendable {
        case `true`, `false`, both
    }

    /// One page of Get Records (`GET /crm/{v}/{module}`): `page` for the first 2000 records, `pageToken` beyond;
    /// `ids` (at most 100) narrows it to those records, `approved` picks approved, unapproved or both.
    public func getRecordsPage(
        module: String,
        fields: [String],
        page: Int? = nil,
        perPage: Int = 200,
        pageToken: String? = nil,
        sortBy: SortKey? = nil,
        ascending: Bool? = nil,
        converted: Inclusion? = nil,
        ids: [String]? = nil,
        approved: Inclusion? = nil
    ) async throws -> RecordPage {
        let op = "GET /crm/{v}/{module}"
        let module = try segment(module, "module", op)
        guard !fields.isEmpty, fields.count <= 50 else {
            throw invalidArgument(op, "fields must list 1 to 50 API names")
        }
        guard (1...200).contains(perPage) else { throw invalidArgument(op, "per_page must be 1 to 200") }
        if let ids, ids.isEmpty || ids.count > 100 { throw invalidArgument(op, "ids must list 1 to 100 record ids") }
        var query: [(String, String)] = [("fields", fields.joined(separator: ",")), ("per_page", String(perPage))]
        if let pageToken {
            query.append(("page_token", pageToken))
        } else {
            query.append(("page", String(page ?? 1)))
        }
        if let sortBy { query.append(("sort_by", sortBy.rawValue)) }
        if let ascending { query.append(("sort_order", ascending ? "asc" : "desc")) }
        if let converted { query.append(("converted", converted.rawValue)) }
        if let ids { query.append(("ids", ids.joined(separator: ","))) }
        if let approved { query.append(("approved", approved.rawValue)) }
        // Sorting makes Get Records one of Zoho's complex APIs.
        let reply = try await send(
            Call(template: op, method: .GET, path: "/\(module)", query: query, kind: .read, complex: sortBy != nil)
        )
        return try recordPage(reply, op)
    }

    /// Every record of a module (up to `limit`, at most 100,000): pages of 200 by number up to Zoho's 2000, then by
    /// `page_token`.
    public func getRecords(
        module: String,
        fields: [String],
        limit: Int = 100_000,
        sortBy: SortKey? = nil,
        ascending: Bool? = nil,
        converted: Inclusion? = nil
    ) async throws -> [ZohoRecord] {
        let limit = min(max(limit, 0), 100_000)
        var records: [ZohoRecord] = []
        var page = 1
        var token: String?
        // Bounded: at most 500 pages of 200 reach Zoho's 100,000 ceiling.
        while records.count < limit, page <= 500 {
            // Always full pages: `page` counts in units of `per_page`, so a smaller last page would re-read records.
            let perPage = 200
            let useToken = (page - 1) * 200 >= 2000
            if useToken && token == nil {
                // Stopping here would silently drop records; a rules runner must not.
                throw decodingError(
                    "GET /crm/{v}/{module}",
                    "Zoho reported more than 2000 records but no info.next_page_token to read them"
                )
            }
            let result = try await getRecordsPage(
                module: module,
                fields: fields,
                page: useToken ? nil : page,
                perPage: perPage,
                pageToken: useToken ? token : nil,
                sortBy: sortBy,
                ascending: ascending,
                converted: converted
            )
            records += result.records.prefix(limit - records.count)
            guard result.moreRecords, !result.records.isEmpty else { break }
            token = result.nextPageToken
            page += 1
        }
        return records
    }

    /// One record by id with every field (line items included); nil when Zoho answers 204.
    public func getRecord(module: String, id: String) async throws -> ZohoRecord? {
        let op = "GET /crm/{v}/{module}/{id}"
        let module = try segment(module, "module", op)
        let id = try segment(id, "record id", op)
        let reply = try await send(Call(template: op, method: .GET, path: "/\(module)/\(id)", kind: .read))
        return try recordPage(reply, op).records.first
    }

    /// Updates up to 100 records (`PUT /crm/{v}/{module}`); one result per record, in input order.
    ///
    /// Sent once: a timeout after sending throws `unknownOutcome`.
    public func updateRecords(module: String, records: [ZohoRecord]) async throws -> [RecordResult] {
        let op = "PUT /crm/{v}/{module}"
        let module = try segment(module, "module", op)
        guard (1...100).contains(records.count) else { throw invalidArgument(op, "update takes 1 to 100 records") }
        guard records.allSatisfy({ $0.id != nil }) else { throw invalidArgument(op, "every record needs an id") }
        let body: ZohoJSON = ["data": .array(records.map { .object($0.json) })]
        let reply = try await send(
            Call(
                template: op,
                method: .PUT,
                path: "/\(module)",
                body: body,
                kind: .write,
                complex: records.count > 10,
                recordEnvelopeOnError: true
            )
        )
        return try recordResults(reply, op, ids: records.map(\.id))
    }

    /// Adds tags (by name) to up to 500 records (`POST /crm/{v}/{module}/actions/add_tags`).
    public func addTags(
        module: String,
        ids: [String],
        tags: [String],
        overwrite: Bool = false
    ) async throws -> [RecordResult] {
        let op = "POST /crm/{v}/{module}/actions/add_tags"
        let module = try segment(module, "module", op)
        guard (1...500).contains(ids.count) else { throw invalidArgument(op, "add_tags takes 1 to 500 ids") }
        guard !tags.isEmpty, tags.allSatisfy({ !$0.isEmpty }) else { throw invalidArgument(op, "no tags given") }
        let body: ZohoJSON = [
            "tags": .array(tags.map { ["name": .string($0)] }),
            "ids": .array(ids.map(ZohoJSON.string)),
            "over_write": .bool(overwrite),
        ]
        let reply = try await send(
            Call(
                template: op,
                method: .POST,
                path: "/\(module)/actions/add_tags",
                body: body,
                kind: .write,
                recordEnvelopeOnError: true
            )
        )
        return try recordResults(reply, op, ids: ids)
    }
}
