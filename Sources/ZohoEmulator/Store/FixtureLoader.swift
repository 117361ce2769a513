import Foundation

/// Turns a fixture's records into stored records, in two passes so lookups may point forward: ids first, then
/// owners, lookups, tags, line items and system fields.
struct FixtureLoader {
    /// A fixture record with its id assigned, waiting for the second pass.
    struct Pending {
        var module: String
        var fields: EmulatorRecord
        var line: Int?
    }

    let file: String?

    func fail(_ line: Int?, _ message: String) -> EmulatorError {
        EmulatorError(code: "FIXTURE_SCHEMA", message: message, file: file, line: line)
    }

    /// First pass: every record gets its id (given or generated) and is stored raw.
    func assignIDs(_ fixture: EmulatorFixture, into org: inout OrgState) throws(EmulatorError) -> [Pending] {
        var pending: [Pending] = []
        for spec in org.metadata.modules {
            for item in fixture.records[spec.apiName] ?? [] {
                var fields = item.fields
                let id: String
                switch fields["id"] ?? .null {
                case .string(let s) where !s.isEmpty && s.allSatisfy(\.isNumber): id = s
                case .int(let i) where i > 0: id = String(i)
                case .null: id = org.nextID()
                default: throw fail(item.line, "\(spec.apiName): id must be digits")
                }
                if org.exists(spec.apiName, id) {
                    throw fail(item.line, "\(spec.apiName): duplicate id \(id)")
                }
                fields["id"] = .string(id)
                org.put(spec.apiName, fields, id: id)
                pending.append(Pending(module: spec.apiName, fields: fields, line: item.line))
            }
        }
        return pending
    }

    /// Second pass: the stored record for one fixture record; without `now`, its default times are left for
    /// ``OrgState/stampLoadTimes(_:)``.
    func build(_ item: Pending, in org: inout OrgState, now: Date?) throws(EmulatorError) -> EmulatorRecord {
        let module = item.module
        guard let spec = org.metadata.module(module) else { return item.fields }
        let owner: OrgUser
        if item.fields["Owner"].isNull {
            owner = org.users[0]
        } else if let u = org.user(matching: item.fields["Owner"]) {
            owner = u
        } else {
            let described = OrgState.describe(item.fields["Owner"])
            throw fail(item.line, "\(module): Owner \(described) is not a fixture user (id or email)")
        }
        var record: EmulatorRecord = [:]
        for (key, value) in item.fields {
            if key.hasPrefix("$") {
                record[key] = value
                continue
            }
            guard let field = spec.field(key) else { throw fail(item.line, "\(module) has no field '\(key)'") }
            try set(field, value, module: module, line: item.line, in: &org, record: &record)
        }
        record["Owner"] = owner.ownerValue
        org.stampDefaults(module: module, record: &record, now: now)
        return record
    }

    private func set(
        _ field: FieldSpec,
        _ value: JSONValue,
        module: String,
        line: Int?,
        in org: inout OrgState,
        record: inout EmulatorRecord
    ) throws(EmulatorError) {
        let key = field.apiName
        switch field.dataType {
        case "ownerlookup":
            return
        case "lookup":
            if value.isNull {
                record[key] = .null
            } else if let resolved = org.resolveLookup(field: field, value: value) {
                record[key] = resolved.value
                if let seModule = resolved.module, field.lookupModule == nil {
                    record["$se_module"] = .string(seModule)
                }
            } else {
                throw fail(line, "\(module).\(key): no record matches \(OrgState.describe(value))")
            }
        case "subform":
            record[key] = .array(try lineItems(value, module: module, key: key, line: line, in: &org))
        default:
            record[key] = key == "Tag" ? .array(org.tagObjects(module: module, names: OrgState.tagNames(value))) : value
        }
    }

    /// Line items may name their product by id or name; totals are computed as Zoho does.
    private func lineItems(
        _ value: JSONValue,
        module: String,
        key: String,
        line: Int?,
        in org: inout OrgState
    ) throws(EmulatorError) -> [JSONValue] {
        guard case .array(let items) = value else { throw fail(line, "\(module).\(key) must be a list of line items") }
        var rows: [JSONValue] = []
        for item in items {
            guard case .object(let row) = item else {
                throw fail(line, "\(module).\(key): each line item is a mapping")
            }
            guard let product = org.resolveLookup(field: OrgState.productField, value: row["Product_Name"]) else {
                throw fail(line, "\(module).\(key): no product matches \(OrgState.describe(row["Product_Name"]))")
            }
            rows.append(org.lineItem(row, product: product.value))
        }
        return rows
    }
}

extension OrgState {
    /// The `Product_Name` lookup of a line item.
    static let productField = FieldSpec(
        apiName: "Product_Name",
        label: "Product",
        dataType: "lookup",
        lookupModule: "Products"
    )

    /// A line item with its product lookup, Zoho's computed totals and an id.
    mutating func lineItem(_ given: [String: JSONValue], product: JSONValue) -> JSONValue {
        var row = given
        row["Product_Name"] = product
        let quantity = row["Quantity"].doubleValue ?? 1
        let productRecord = stored("Products", product["id"].stringValue ?? "")
        let price = row["List_Price"].doubleValue ?? productRecord?["Unit_Price"].doubleValue ?? 0
        let discount = row["Discount"].doubleValue ?? 0
        let tax = row["Tax"].doubleValue ?? 0
        row["Quantity"] = .double(quantity)
        row["List_Price"] = .double(price)
        row["Discount"] = .double(discount)
        row["Tax"] = .double(tax)
        row["Total"] = .double(quantity * price)
        row["Net_Total"] = .double(quantity * price - discount + tax)
        if row["id"].isNull { row["id"] = .string(nextID()) }
        return .object(row)
    }

    /// System fields and Zoho's defaults for a record being created (fixture load or Insert Records): creator and
    /// times (left for ``stampLoadTimes(_:)`` without `now`), empty tags, unlocked, approved, unconverted, unset
    /// checkboxes false, derived names and totals.
    func stampDefaults(module: String, record: inout EmulatorRecord, now: Date?) {
        record["Created_By"] = users[0].minified
        record["Modified_By"] = users[0].minified
        if let now { Self.stampTimes(&record, ZohoTime.dateTime(now)) }
        if record["Tag"].isNull { record["Tag"] = [] }
        if record["Locked__s"].isNull { record["Locked__s"] = false }
        if record["$approval_state"].isNull { record["$approval_state"] = "approved" }
        if module == "Leads" && record["Converted__s"].isNull { record["Converted__s"] = false }
        // Zoho reads an unset checkbox as false, never null.
        for field in metadata.module(module)?.fields ?? [] where field.dataType == "boolean" {
            if record[field.apiName].isNull { record[field.apiName] = false }
        }
        Self.computeDerived(module: module, record: &record)
    }

    /// Created_Time (when unset) and Modified_Time (when unset, the created time) of a new record.
    static func stampTimes(_ record: inout EmulatorRecord, _ stamp: String) {
        if record["Created_Time"].isNull { record["Created_Time"] = .string(stamp) }
        if record["Modified_Time"].isNull { record["Modified_Time"] = record["Created_Time"] }
    }
}
