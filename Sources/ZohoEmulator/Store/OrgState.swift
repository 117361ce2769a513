import Foundation

/// A CRM user as the emulator keeps it.
struct OrgUser: Sendable {
    var id: String
    var email: String
    var fullName: String
    var status: String
    var role: String
    var profile: String

    var firstName: String {
        let parts = fullName.split(separator: " ")
        return parts.count > 1 ? parts.dropLast().joined(separator: " ") : ""
    }
    var lastName: String { fullName.split(separator: " ").last.map(String.init) ?? fullName }

    /// The `Owner` value Zoho puts in records.
    var ownerValue: JSONValue { ["id": .string(id), "name": .string(fullName), "email": .string(email)] }
    /// The `{name,id}` form (Created_By, Modified_By).
    var minified: JSONValue { ["id": .string(id), "name": .string(fullName)] }
    /// The user's Zoho account id (zuid), derived from the CRM id as the users API shows it.
    var zuid: String { String(id.suffix(9)) }
}

/// The org's data: users and records by module, as plain values the store actor owns.
///
/// Records keep Zoho's shapes (lookups `{name,id}`, `Owner` `{name,id,email}`, `Tag` objects); `$deleted` marks
/// records deleted in the fixture, which every read skips.
struct OrgState: Sendable {
    let metadata: OrgMetadata
    var users: [OrgUser]
    /// Every module's records, deleted ones too, with their indexes; written only through ``put(_:_:id:)``.
    private(set) var tables: [String: RecordTable] = [:]
    var serial: Int64 = 1_000_000_000
    /// Tag objects by module and lowercased name.
    var tags: [String: [String: JSONValue]] = [:]
    /// Inventory conversions done, "Parent/id/Target" to the child id, so a second conversion is refused.
    var inventoryConversions: [String: String] = [:]

    /// The fixture's org; without `now`, records the fixture gives no times keep none until
    /// ``stampLoadTimes(_:)`` (so a fixture can be checked once and served later with the server's clock).
    init(fixture: EmulatorFixture, now: Date?) throws(EmulatorError) {
        let metadata = OrgMetadata(fixture: fixture)
        self.metadata = metadata
        users = fixture.users.enumerated().map { index, u in
            OrgUser(
                id: u.id ?? metadata.id(400_001 + Int64(index) * 3),
                email: u.email,
                fullName: u.fullName,
                status: u.status,
                role: u.role,
                profile: u.profile
            )
        }
        for spec in metadata.modules { tables[spec.apiName] = Self.table(for: spec.apiName, metadata: metadata) }
        let loader = FixtureLoader(file: fixture.source)
        let pending = try loader.assignIDs(fixture, into: &self)
        for item in pending {
            let record = try loader.build(item, in: &self, now: now)
            put(item.module, record, id: item.fields["id"].idString)
        }
    }

    /// An empty table for a module, indexing its lookups and the fields duplicate checks and lead matching compare.
    private static func table(for module: String, metadata: OrgMetadata) -> RecordTable {
        let fields = metadata.module(module)?.fields ?? []
        var compared = metadata.uniqueFields[module] ?? []
        if module == "Contacts" { compared += ["Email", "Full_Name"] }
        if module == "Accounts" { compared += ["Account_Name"] }
        return RecordTable(
            lookupFields: fields.filter { $0.dataType == "lookup" }.map(\.apiName),
            valueFields: Array(Set(compared)).sorted()
        )
    }

    // MARK: - Ids and users

    mutating func nextID() -> String {
        serial += 1
        return metadata.id(serial)
    }

    func user(matching value: JSONValue?) -> OrgUser? {
        let key: String?
        switch value ?? .null {
        case .string(let s): key = s
        case .int(let i): key = String(i)
        case .object(let o): key = o["id"]?.idText ?? o["email"]?.stringValue
        default: key = nil
        }
        guard let key else { return nil }
        return users.first { $0.id == key || $0.email.caseInsensitiveCompare(key) == .orderedSame }
    }

    func user(id: String) -> OrgUser? { users.first { $0.id == id } }

    // MARK: - Records

    /// Live records (not `$deleted`) of a module by id ascending.
    func live(_ module: String) -> [EmulatorRecord] {
        var out: [EmulatorRecord] = []
        tables[module]?.visit { r in
            if r["$deleted"] != .bool(true) { out.append(r) }
            return true
        }
        return out
    }

    /// A live record.
    func record(_ module: String, _ id: String) -> EmulatorRecord? {
        guard let r = tables[module]?[id], r["$deleted"] != .bool(true) else { return nil }
        return r
    }

    /// A stored record, deleted or not.
    func stored(_ module: String, _ id: String) -> EmulatorRecord? { tables[module]?[id] }

    /// Whether the id exists in the module at all, deleted or not.
    func exists(_ module: String, _ id: String) -> Bool { tables[module]?[id] != nil }

    /// Stores a new or changed record of a module; the one way records are written, so the indexes stay true.
    mutating func put(_ module: String, _ record: EmulatorRecord, id: String) {
        if tables[module] == nil { tables[module] = Self.table(for: module, metadata: metadata) }
        tables[module]?.put(record, id: id)
    }

    /// Gives every record without times the load time, once a fixture built without them is served.
    mutating func stampLoadTimes(_ now: Date) {
        let stamp = ZohoTime.dateTime(now)
        for module in tables.keys.sorted() {
            tables[module]?.update { record in Self.stampTimes(&record, stamp) }
        }
    }

    /// Stored records of `module` (deleted too) whose `field` lookup is `{id: parent}`, ascending by id.
    func children(_ module: String, field: String, parent: String) -> [EmulatorRecord] {
        guard let table = tables[module] else { return [] }
        return table.records(table.children(field: field, parent: parent)).filter {
            $0[field]["id"].stringValue == parent
        }
    }

    /// Live records of `module` that pass `test`, ascending by id, looked for among those whose `field` has `key`
    /// as its ``comparable(_:)`` value (all of them when the field is not indexed); `test` must imply that.
    func liveMatching(
        _ module: String,
        field: String,
        comparable key: String,
        where test: (EmulatorRecord) -> Bool
    ) -> [EmulatorRecord] {
        guard let table = tables[module] else { return [] }
        let ids = table.ids(field: field, comparable: key)?.sorted() ?? table.sortedIDs
        return ids.compactMap { table[$0] }.filter { $0["$deleted"] != .bool(true) && test($0) }
    }

    /// Live records of `module` whose `field` lookup is `{id: parent}`, ascending by id.
    func liveChildren(_ module: String, field: String, parent: String) -> [EmulatorRecord] {
        children(module, field: field, parent: parent).filter { $0["$deleted"] != .bool(true) }
    }

    /// Keeps `id` and the requested fields; line items only come with single-record reads (Zoho's rule).
    static func listView(_ record: EmulatorRecord, fields: [String]?) -> EmulatorRecord {
        var out = publicView(record)
        for key in ["Quoted_Items", "Ordered_Items", "Invoiced_Items"] { out[key] = nil }
        guard let fields else { return out }
        var projected: EmulatorRecord = ["id": out["id"] ?? .null]
        for f in fields { projected[f] = out[f] ?? .null }
        return projected
    }

    /// The record as the API shows it: internal markers removed.
    static func publicView(_ record: EmulatorRecord) -> EmulatorRecord {
        var r = record
        r["$deleted"] = nil
        return r
    }

    func displayName(_ module: String, _ record: EmulatorRecord) -> String {
        let field = metadata.module(module)?.displayField ?? "id"
        return record[field].stringValue ?? record["id"].stringValue ?? ""
    }

    /// `{name, id}` for a lookup to a record.
    func lookupValue(_ module: String, _ id: String) -> JSONValue {
        guard let r = tables[module]?[id] else { return ["id": .string(id), "name": .null] }
        return ["id": .string(id), "name": .string(displayName(module, r))]
    }

    /// Resolves a fixture lookup given as an id, a display name or `{id}`/`{name}`/`{module, ...}`.
    func resolveLookup(field: FieldSpec, value: JSONValue?) -> (value: JSONValue, module: String?)? {
        let value = value ?? .null
        var key: String?
        var modules: [String]
        switch value {
        case .string(let s): key = s
        case .int(let i): key = String(i)
        case .object(let o):
            key =
                o["id"]?.stringValue ?? o["name"]?.stringValue
                ?? o["id"].flatMap { v -> String? in
                    if case .int(let i) = v { return String(i) }
                    return nil
                }
        default: key = nil
        }
        guard let key else { return nil }
        if let m = field.lookupModule {
            modules = [m]
            if field.apiName == "Who_Id" { modules.append("Leads") }
        } else if let m = value["module"].stringValue, let spec = metadata.module(m) {
            modules = [spec.apiName]
        } else {
            modules = metadata.modules.map(\.apiName)
        }
        for m in modules {
            if tables[m]?[key] != nil { return (lookupValue(m, key), m) }
        }
        for m in modules {
            let displayField = metadata.module(m)?.displayField ?? "id"
            // In id order, so the same fixture always resolves a shared name to the same record.
            var match: EmulatorRecord?
            tables[m]?.visit { r in
                let name = r[displayField].stringValue ?? Self.fullName(r)
                if name?.caseInsensitiveCompare(key) == .orderedSame { match = r }
                return match == nil
            }
            if let match, let id = match["id"].stringValue {
                return (["id": .string(id), "name": .string(key)], m)
            }
        }
        return nil
    }

    static func fullName(_ r: EmulatorRecord) -> String? {
        let parts = [r["First_Name"].stringValue, r["Last_Name"].stringValue].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// Full names and inventory totals, as Zoho computes them.
    static func computeDerived(module: String, record: inout EmulatorRecord) {
        if module == "Leads" || module == "Contacts" {
            record["Full_Name"] = fullName(record).map(JSONValue.string) ?? .null
        }
        let itemsKey = ["Quotes": "Quoted_Items", "Sales_Orders": "Ordered_Items", "Invoices": "Invoiced_Items"][module]
        if let itemsKey, let items = record[itemsKey].arrayValue {
            let sub = items.reduce(0.0) { $0 + ($1["Net_Total"].doubleValue ?? 0) }
            if record["Sub_Total"].isNull { record["Sub_Total"] = .double(sub) }
            if record["Grand_Total"].isNull {
                let total =
                    sub - (record["Discount"].doubleValue ?? 0) + (record["Tax"].doubleValue ?? 0)
                    + (record["Adjustment"].doubleValue ?? 0)
                record["Grand_Total"] = .double(total)
            }
        }
    }

    // MARK: - Tags

    static func tagNames(_ value: JSONValue?) -> [String] {
        switch value ?? .null {
        case .string(let s): return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .array(let items): return items.compactMap { $0.stringValue ?? $0["name"].stringValue }
        default: return []
        }
    }

    static let tagColours = [
        "#57B1FD", "#879BFC", "#658BA8", "#1DB9B4", "#E7A826", "#F48435", "#F17574", "#969696", "#B88562",
        "#63C57E", "#D297EE", "#FD87BD", "#A8C026",
    ]

    /// Tag objects for names, creating the module's tags on first use.
    mutating func tagObjects(module: String, names: [String], colour: String? = nil) -> [JSONValue] {
        var result: [JSONValue] = []
        for name in names where !name.isEmpty {
            let key = name.lowercased()
            if let existing = tags[module]?[key] {
                if !result.contains(existing) { result.append(existing) }
                continue
            }
            let palette = Self.tagColours
            let tag: JSONValue = [
                "name": .string(name), "id": .string(nextID()),
                "color_code": .string(colour ?? palette[(tags[module]?.count ?? 0) % palette.count]),
            ]
            tags[module, default: [:]][key] = tag
            result.append(tag)
        }
        return result
    }

    static func describe(_ value: JSONValue?) -> String {
        switch value ?? .null {
        case .string(let s): "'\(s)'"
        case .int(let i): "\(i)"
        default: "\(value ?? .null)"
        }
    }
}
