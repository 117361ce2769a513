import Foundation
import HTTPTypes
import Hummingbird

/// A CRM call, parsed once: version, path segments after `/crm/{version}/`, query and body.
struct CRMRequest: Sendable {
    var method: HTTPRequest.Method
    var version: String
    var segments: [String]
    var query: [String: String]
    /// The body, read once: routing (credits by record count), the handler and its checks all use this.
    private let parsedBody: Result<JSONValue, ZohoAPIError>

    init(method: HTTPRequest.Method, version: String, segments: [String], query: [String: String], body: Data) {
        self.method = method
        self.version = version
        self.segments = segments
        self.query = query
        if body.isEmpty {
            parsedBody = .success(.null)
        } else if let value = JSONResponse.decode(body) {
            parsedBody = .success(value)
        } else {
            parsedBody = .failure(.invalidData(["api_name": .null, "json_path": "$"]))
        }
    }

    /// The body as JSON; Zoho answers a malformed body with INVALID_DATA.
    func json() throws(ZohoAPIError) -> JSONValue {
        try parsedBody.get()
    }

    /// An integer query parameter, or `value` when absent (INVALID_DATA `{param_name}` when not a number).
    func int(_ name: String, default value: Int) throws(ZohoAPIError) -> Int {
        guard let text = query[name] else { return value }
        guard let n = Int(text) else { throw ZohoAPIError.invalidParam(name) }
        return n
    }

    // MARK: - What the request asks for, shared by the controllers

    /// `converted` and `approved` filters shared by get records and search.
    func visibility() throws(ZohoAPIError) -> @Sendable (EmulatorRecord) -> Bool {
        let converted = query["converted"] ?? "false"
        let approved = query["approved"] ?? "true"
        guard ["true", "false", "both"].contains(converted) else { throw .invalidParam("converted") }
        guard ["true", "false", "both"].contains(approved) else { throw .invalidParam("approved") }
        return { record in
            let isConverted = record["Converted__s"] == .bool(true)
            let isApproved = (record["$approval_state"].stringValue ?? "approved") == "approved"
            let convertedOK = converted == "both" || (converted == "true") == isConverted
            let approvedOK = approved == "both" || (approved == "true") == isApproved
            return convertedOK && approvedOK
        }
    }

    func fieldsParam(
        module: String,
        metadata: OrgMetadata,
        required: Bool
    ) throws(ZohoAPIError)
        -> [String]?
    {
        guard let text = query["fields"], !text.isEmpty else {
            if required { throw .requiredParam("fields") }
            return nil
        }
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if names.count > 50 {
            throw ZohoAPIError(
                .badRequest,
                "LIMIT_EXCEEDED",
                "The maximum number of fields allowed is 50",
                details: ["param_name": "fields", "limit": 50]
            )
        }
        let spec = metadata.module(module)
        for n in names where spec?.field(n) == nil {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["param_name": "fields", "api_name": .string(n)]
            )
        }
        return names
    }

    func paging() throws(ZohoAPIError) -> (page: Int, perPage: Int) {
        let page = try int("page", default: 1)
        let perPage = try int("per_page", default: 200)
        guard page >= 1 else { throw .invalidParam("page") }
        guard perPage >= 1, perPage <= 200 else { throw .invalidParam("per_page") }
        return (page, perPage)
    }

    /// The body, which must be a JSON object (INVALID_DATA `expected_data_type: jsonobject` otherwise).
    func bodyObject() throws(ZohoAPIError) -> JSONValue {
        let body = try json()
        guard case .object = body else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": .null, "json_path": "$", "expected_data_type": "jsonobject"]
            )
        }
        return body
    }
}
