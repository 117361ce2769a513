import Foundation

/// Update Records and Insert Records on the org: one `data[]` item at a time, with Zoho's per-field checks.
extension OrgState {
    /// The most records one Insert or Update Records call takes.
    static let maxRecordsPerWrite = 100

    /// Applies one `data[]` item of an update; returns Zoho's success `details`.
    mutating func updateRecord(module: String, item: JSONValue, index: Int, now: Date) throws(ZohoAPIError) -> JSONValue
    {
        let path = "$.data[\(index)]"
        let fields = try Self.itemObject(item, path: path)
        guard let id = fields["id"]?.idText else { throw ZohoAPIError.mandatoryNotFound("id", "\(path).id") }
        guard var record = record(module, id) else {
            throw ZohoAPIError.invalidData(["api_name": "id", "json_path": .string("\(path).id")])
        }
        if record["Locked__s"] == .bool(true) {
            throw ZohoAPIError(.badRequest, "RECORD_LOCKED", "Record is locked", details: ["id": .string(id)])
        }
        guard let spec = metadata.module(module) else { throw ZohoAPIError.invalidModule() }
        for (key, value) in fields where key != "id" {
            guard let field = spec.field(key), !field.readOnly, key != "Tag" else { continue }
            try write(field, value, path: "\(path).\(key)", into: &record)
        }
        OrgState.computeDerived(module: module, record: &record)
        try refuseDuplicate(module: module, record: record, excluding: id, path: path)
        record["Modified_Time"] = .string(ZohoTime.dateTime(now))
        record["Modified_By"] = users[0].minified
        put(module, record, id: id)
        return Self.writeDetails(record)
    }

    /// Creates one `data[]` item of Insert Records; returns Zoho's success `details` (createRecords OAS).
    ///
    /// Mandatory fields must be present; read-only fields and unknown keys are ignored as Zoho ignores them; line
    /// items name their product by id; the record is checked against the module's unique fields.
    mutating func insertRecord(module: String, item: JSONValue, index: Int, now: Date) throws(ZohoAPIError) -> JSONValue
    {
        let path = "$.data[\(index)]"
        let fields = try Self.itemObject(item, path: path)
        guard let spec = metadata.module(module) else { throw ZohoAPIError.invalidModule() }
        for field in spec.fields where field.mandatory && !field.readOnly && fields[field.apiName].isNull {
            throw ZohoAPIError.mandatoryNotFound(field.apiName, "\(path).\(field.apiName)")
        }
        // Tags and line-item ids are taken before the last check; a refusal puts them back, so nothing changes.
        let (savedSerial, savedTags) = (serial, tags)
        do throws(ZohoAPIError) {
            return try insertChecked(module: module, spec: spec, fields: fields, path: path, now: now)
        } catch {
            (serial, tags) = (savedSerial, savedTags)
            throw error
        }
    }

    /// Insert Records' per-record work once the mandatory fields are present.
    private mutating func insertChecked(
        module: String,
        spec: ModuleSpec,
        fields: [String: JSONValue],
        path: String,
        now: Date
    ) throws(ZohoAPIError) -> JSONValue {
        var record: EmulatorRecord = [:]
        for (key, value) in fields where key != "id" {
            guard let field = spec.field(key), !field.readOnly || key == "Tag" else { continue }
            let fieldPath = "\(path).\(key)"
            if key == "Tag" {
                record["Tag"] = .array(tagObjects(module: module, names: Self.tagNames(value)))
            } else if field.dataType == "subform", Self.lineItemsKey[module] == key {
                record[key] = .array(try insertedLineItems(value, path: fieldPath))
            } else {
                try write(field, value, path: fieldPath, into: &record)
            }
        }
        if record["Owner"].isNull { record["Owner"] = users[0].ownerValue }
        let id = nextID()
        record["id"] = .string(id)
        record["Created_Time"] = .string(ZohoTime.dateTime(now))
        stampDefaults(module: module, record: &record, now: now)
        try refuseDuplicate(module: module, record: record, excluding: nil, path: path)
        put(module, record, id: id)
        return Self.writeDetails(record)
    }

    /// `{id, Created_Time, Modified_Time, Created_By, Modified_By}` of a written record.
    static func writeDetails(_ record: EmulatorRecord) -> JSONValue {
        [
            "Modified_Time": record["Modified_Time"].orNull, "Modified_By": record["Modified_By"].orNull,
            "Created_Time": record["Created_Time"].orNull, "id": record["id"].orNull,
            "Created_By": record["Created_By"].orNull,
        ]
    }

    private static func itemObject(_ item: JSONValue, path: String) throws(ZohoAPIError) -> [String: JSONValue] {
        guard case .object(let fields) = item else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": "data", "json_path": .string(path), "expected_data_type": "jsonobject"]
            )
        }
        return fields
    }

    /// DUPLICATE_DATA, HTTP 400 inside `data[]`, naming the record a unique field clashes with.
    private func refuseDuplicate(
        module: String,
        record: EmulatorRecord,
        excluding: String?,
        path: String
    ) throws(ZohoAPIError) {
        guard let dup = duplicate(module: module, candidate: record, excluding: excluding) else { return }
        throw ZohoAPIError(
            .badRequest,
            "DUPLICATE_DATA",
            "duplicate data",
            details: duplicateDetails(
                module: module,
                field: dup.field,
                existing: dup.record,
                path: "\(path).\(dup.field)"
            )
        )
    }

    /// Line items of an inserted record: each names a live product by id (`{"id"}` or the bare id).
    private mutating func insertedLineItems(_ value: JSONValue, path: String) throws(ZohoAPIError) -> [JSONValue] {
        guard case .array(let items) = value, !items.isEmpty else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: [
                    "api_name": .string(String(path.split(separator: ".").last ?? "")), "json_path": .string(path),
                ]
            )
        }
        var rows: [JSONValue] = []
        for (i, item) in items.enumerated() {
            let productPath = "\(path)[\(i)].Product_Name"
            let product = item["Product_Name"]
            guard case .object(let row) = item else {
                throw ZohoAPIError.mandatoryNotFound("Product_Name", productPath)
            }
            guard !product.isNull else { throw ZohoAPIError.mandatoryNotFound("Product_Name", productPath) }
            guard let pid = product["id"].idText ?? product.idText, record("Products", pid) != nil else {
                throw ZohoAPIError.invalidData(["api_name": "Product_Name", "json_path": .string(productPath)])
            }
            rows.append(lineItem(row, product: lookupValue("Products", pid)))
        }
        return rows
    }

    /// Writes one body field after Zoho's type checks (INVALID_DATA with `expected_data_type` or `maximum_length`).
    private func write(
        _ field: FieldSpec,
        _ value: JSONValue,
        path: String,
        into record: inout EmulatorRecord
    ) throws(ZohoAPIError) {
        let key = field.apiName
        func typeError(_ expected: String) -> ZohoAPIError {
            ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: [
                    "api_name": .string(key), "json_path": .string(path), "expected_data_type": .string(expected),
                ]
            )
        }
        if value.isNull {
            if field.mandatory { throw ZohoAPIError.mandatoryNotFound(key, path) }
            record[key] = .null
            return
        }
        switch field.dataType {
        case "ownerlookup":
            guard let u = user(matching: value["id"].isNull ? value : value["id"]) else {
                throw typeError("jsonobject")
            }
            record[key] = u.ownerValue
        case "lookup":
            let target = field.lookupModule ?? value["module"].stringValue ?? ""
            guard let lid = value["id"].idText ?? value.idText, self.record(target, lid) != nil else {
                throw typeError("jsonobject")
            }
            record[key] = lookupValue(target, lid)
        case "boolean":
            guard value.boolValue != nil else { throw typeError("boolean") }
            record[key] = value
        case "integer", "bigint":
            guard case .int = value else { throw typeError("integer") }
            record[key] = value
        case "double", "currency", "percent":
            guard let number = value.doubleValue else { throw typeError("double") }
            record[key] = .double(number)
        case "email":
            guard let s = value.stringValue, s.contains("@") else { throw typeError("email") }
            record[key] = value
        case "date":
            guard let s = value.stringValue, ZohoTime.parseDate(s) != nil, s.count == 10 else {
                throw typeError("date")
            }
            record[key] = value
        case "subform", "multiselectpicklist":
            guard value.arrayValue != nil else { throw typeError("jsonarray") }
            record[key] = value
        default:
            guard let s = value.stringValue else { throw typeError("string") }
            if s.count > field.length {
                throw ZohoAPIError(
                    .badRequest,
                    "INVALID_DATA",
                    "invalid data",
                    details: [
                        "api_name": .string(key), "json_path": .string(path),
                        "maximum_length": .int(Int64(field.length)),
                    ]
                )
            }
            record[key] = value
        }
    }
}
