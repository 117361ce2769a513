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
    var records: [String: [String: EmulatorRecord]] = [:]
    var serial: Int64 = 1_000_000_000
    /// Tag objects by module and lowercased name.
    var tags: [String: [String: JSONValue]] = [:]
    /// Inventory conversions done, "Parent/id/Target" to the child id, so a second conversion is refused.
    var inventoryConversions: [String: String] = [:]

    init(fixture: EmulatorFixture, now: Date) throws(EmulatorError) {
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
        let loader = FixtureLoader(file: fixture.source)
        let pending = try loader.assignIDs(fixture, into: &self)
        for item in pending {
            let record = try loader.build(item, in: &self, now: now)
            records[item.module, default: [:]][item.fields["id"].idString] = record
        }
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
        (records[module] ?? [:]).values.filter { $0["$deleted"] != .bool(true) }
            .sorted { ($0["id"].stringValue ?? "") < ($1["id"].stringValue ?? "") }
    }

    /// A live record.
    func record(_ module: String, _ id: String) -> EmulatorRecord? {
        guard let r = records[module]?[id], r["$deleted"] != .bool(true) else { return nil }
        return r
    }

    /// Whether the id exists in the module at all, deleted or not.
    func exists(_ module: String, _ id: String) -> Bool { records[module]?[id] != nil }

    /// A module's live records with converted leads left out, as COQL, search and default reads see them, plus the
    /// org's users as the `users` module.
    func snapshot() -> CatalogSnapshot {
        var live: [String: [EmulatorRecord]] = [:]
        for spec in metadata.modules {
            live[spec.apiName] = self.live(spec.apiName).filter {
                spec.apiName != "Leads" || $0["Converted__s"] != .bool(true)
            }
            .map { Self.publicView($0) }
        }
        live["users"] = users.map { u in
            [
                "id": .string(u.id), "email": .string(u.email), "full_name": .string(u.fullName),
                "name": .string(u.fullName), "first_name": .string(u.firstName), "last_name": .string(u.lastName),
                "status": .string(u.status), "role": ["name": .string(u.role)], "profile": ["name": .string(u.profile)],
            ]
        }
        return CatalogSnapshot(metadata: metadata, live: live)
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
        guard let r = records[module]?[id] else { return ["id": .string(id), "name": .null] }
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
            if records[m]?[key] != nil { return (lookupValue(m, key), m) }
        }
        for m in modules {
            let displayField = metadata.module(m)?.displayField ?? "id"
            let match = (records[m] ?? [:]).values.first { r in
                let name = r[displayField].stringValue ?? Self.fullName(r)
                return name?.caseInsensitiveCompare(key) == .orderedSame
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
