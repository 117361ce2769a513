/// A CRM record: its id and its fields by API name, as Zoho returned them or as they should be written.
public struct ZohoRecord: Sendable, Hashable {
    /// The 19-digit record id as a string; nil for a record not yet created.
    public var id: String?
    /// Field values by API name, without `id`.
    public var fields: [String: ZohoJSON]

    /// A record with an id and fields; an `id` key in `fields` is ignored in favour of `id`.
    public init(id: String?, fields: [String: ZohoJSON] = [:]) {
        self.id = id
        var fields = fields
        fields.removeValue(forKey: "id")
        self.fields = fields
    }

    /// A record from a JSON object as Zoho sends it, with `id` among the keys.
    public init(json: [String: ZohoJSON]) {
        self.init(id: json["id"]?.idValue, fields: json)
    }

    /// The value of a field, `.null` when absent.
    public subscript(field: String) -> ZohoJSON {
        get { fields[field] ?? .null }
        set { fields[field] = newValue }
    }

    /// The record as a JSON object with `id` among the keys, for request bodies.
    public var json: [String: ZohoJSON] {
        var object = fields
        if let id { object["id"] = .string(id) }
        return object
    }
}

/// A reference to a module by API name and module id (the Modules API `id`), as conversions need it.
public struct ZohoModuleRef: Sendable, Hashable {
    /// The module's API name, e.g. `Sales_Orders`.
    public var apiName: String
    /// The module's id from the Modules API; Zoho requires it in conversion bodies.
    public var id: String?

    /// A reference with an API name and, usually, the module id.
    public init(apiName: String, id: String?) {
        self.apiName = apiName
        self.id = id
    }

    var json: ZohoJSON {
        var object: [String: ZohoJSON] = ["api_name": .string(apiName)]
        if let id { object["id"] = .string(id) }
        return .object(object)
    }
}

/// One item of Zoho's per-record `data[]` envelope: the outcome for one record, success or error.
///
/// These are values, not thrown errors: one failed record does not fail the call.
public struct RecordResult: Sendable, Hashable {
    /// Zoho's per-item status.
    public enum Status: String, Sendable, Hashable {
        case success
        case error
    }

    /// `success` or `error`.
    public var status: Status
    /// Zoho's code, e.g. `SUCCESS`, `DUPLICATE_DATA`, `INVALID_DATA`.
    public var code: String
    /// Zoho's message; may quote field names.
    public var message: String
    /// Zoho's details object (may hold record values such as a duplicate's owner: keep it out of logs).
    public var details: [String: ZohoJSON]
    /// The record id this result is about (from `details.id` or the request), when known.
    public var id: String?

    /// A result built from its parts.
    public init(status: Status, code: String, message: String, details: [String: ZohoJSON] = [:], id: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.id = id
    }

    /// True when Zoho reported success for this record.
    public var isSuccess: Bool { status == .success }

    /// The existing record a `DUPLICATE_DATA` result collides with (`details.duplicate_record`), when Zoho names one.
    public var duplicateRecord: DuplicateRecord? {
        guard let duplicate = details["duplicate_record"]?.objectValue, let id = duplicate["id"]?.idValue else {
            return nil
        }
        return DuplicateRecord(
            id: id,
            moduleAPIName: duplicate["module"]?["api_name"].stringValue,
            ownerID: duplicate["Owner"]?["id"].idValue,
            fieldAPIName: details["api_name"]?.stringValue
        )
    }
}

/// The record Zoho found with the same unique value, from a `DUPLICATE_DATA` result.
public struct DuplicateRecord: Sendable, Hashable {
    /// The existing record's id.
    public var id: String
    /// Its module (`details.duplicate_record.module.api_name`); Zoho omits it on record create.
    public var moduleAPIName: String?
    /// Its owner's user id.
    public var ownerID: String?
    /// The unique field that collided (`details.api_name`).
    public var fieldAPIName: String?

    /// A duplicate built from its parts.
    public init(id: String, moduleAPIName: String?, ownerID: String?, fieldAPIName: String?) {
        self.id = id
        self.moduleAPIName = moduleAPIName
        self.ownerID = ownerID
        self.fieldAPIName = fieldAPIName
    }
}

/// A page of records with Zoho's paging info.
public struct RecordPage: Sendable, Hashable {
    /// The records on this page (empty for 204 No Content).
    public var records: [ZohoRecord]
    /// Zoho's `info.more_records`.
    public var moreRecords: Bool
    /// Zoho's `info.next_page_token` (Get Records), for reading beyond 2000 records.
    public var nextPageToken: String?
    /// Zoho's `info.count` when present, else the number of records.
    public var count: Int

    /// A page built from its parts.
    public init(records: [ZohoRecord], moreRecords: Bool, nextPageToken: String? = nil, count: Int? = nil) {
        self.records = records
        self.moreRecords = moreRecords
        self.nextPageToken = nextPageToken
        self.count = count ?? records.count
    }

    /// The empty page Zoho means by 204 No Content.
    public static let empty = RecordPage(records: [], moreRecords: false)
}
