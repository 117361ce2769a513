/// Mapping Zoho's wire JSON to the public types; nothing here is public, so wire shapes stay internal.
extension ZohoClient {
    /// Checks a module API name or id before it goes into a URL path, so no value can change the path.
    func segment(_ value: String, _ what: String, _ operation: String) throws(ZohoError) -> String {
        let allowed = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D
        }
        guard !value.isEmpty, value.count <= 100, allowed else {
            throw invalidArgument(operation, "\(what) must be letters, digits, '_' or '-'")
        }
        return value
    }

    /// Records from a `{"data": [...], "info": {...}}` body; nil body (204) is an empty page.
    func recordPage(_ reply: Reply, _ operation: String) throws(ZohoError) -> RecordPage {
        guard let body = reply.body else { return .empty }
        guard let items = body["data"].arrayValue else {
            throw decodingError(operation, "no data array", status: reply.status)
        }
        var records: [ZohoRecord] = []
        records.reserveCapacity(items.count)
        for item in items {
            guard let object = item.objectValue else { throw decodingError(operation, "a data item is not an object") }
            records.append(ZohoRecord(json: object))
        }
        let info = body["info"]
        return RecordPage(
            records: records,
            moreRecords: info["more_records"].boolValue ?? false,
            nextPageToken: info["next_page_token"].stringValue,
            count: info["count"].intValue
        )
    }

    /// Per-record results from a `{"data": [{code, details, message, status}]}` envelope.
    func recordResults(_ reply: Reply, _ operation: String, ids: [String?] = []) throws(ZohoError) -> [RecordResult] {
        guard let items = reply.body?["data"].arrayValue else {
            throw decodingError(operation, "no data array of per-record results", status: reply.status)
        }
        var results: [RecordResult] = []
        for (index, item) in items.enumerated() {
            results.append(try recordResult(item, operation, fallbackID: index < ids.count ? ids[index] : nil))
        }
        return results
    }

    func recordResult(_ item: ZohoJSON, _ operation: String, fallbackID: String?) throws(ZohoError) -> RecordResult {
        guard let code = item["code"].stringValue else { throw decodingError(operation, "a result without code") }
        let status: RecordResult.Status = item["status"].stringValue?.lowercased() == "success" ? .success : .error
        let details = item["details"].objectValue ?? [:]
        return RecordResult(
            status: status,
            code: code,
            message: item["message"].stringValue ?? "",
            details: details,
            // An error's details.id can name another record (DUPLICATE_DATA's existing one): the request's id wins.
            id: status == .success ? details["id"]?.idValue ?? fallbackID : fallbackID ?? details["id"]?.idValue
        )
    }

    /// The job id of a `{"code":"SCHEDULED","details":{"job_id":..}}` answer.
    func jobID(_ reply: Reply, _ operation: String) throws(ZohoError) -> String {
        guard let body = reply.body else { throw decodingError(operation, "empty answer to a mass convert") }
        // Zoho documents a top-level object; tolerate the same object wrapped in data[] as some endpoints do.
        let object = body["data"].arrayValue?.first ?? body
        if let id = object["details"]["job_id"].idValue { return id }
        if object["status"].stringValue == "error" {
            throw ZohoError(
                code: .api,
                operation: operation.replacingOccurrences(of: "{v}", with: configuration.apiVersion.rawValue),
                message: "Zoho refused the mass convert",
                httpStatus: reply.status,
                zohoCode: object["code"].stringValue,
                zohoMessage: object["message"].stringValue,
                details: ZohoError.redact(object["details"].objectValue ?? [:]),
                attempts: 1
            )
        }
        throw decodingError(operation, "no details.job_id", status: reply.status)
    }

    func created(from details: [String: ZohoJSON]) -> [String: CreatedRecord] {
        var created: [String: CreatedRecord] = [:]
        for (module, value) in details {
            if let id = value["id"].idValue {
                created[module] = CreatedRecord(id: id, name: value["name"].stringValue)
            }
        }
        return created
    }
}
