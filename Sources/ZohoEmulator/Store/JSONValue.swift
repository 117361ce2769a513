/// A JSON value as the emulator stores records and renders responses.
///
/// The emulator keeps Zoho's shapes as data rather than as wire structs, so it shares nothing with the client
/// and a bug in one cannot hide in the other.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The string inside, or nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The object inside, or nil.
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The array inside, or nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The boolean inside, or nil.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// A number as a double, for comparisons; nil when not a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// A record, user, module or job id given as a string or as a bare JSON integer, as Zoho's SDKs send it;
    /// nil for anything else (a `.double` is never an id: it has already lost digits).
    var idText: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        default: nil
        }
    }

    /// True for `.null`.
    public var isNull: Bool { self == .null }

    /// Member access on objects; `.null` for anything else or a missing key.
    public subscript(key: String) -> JSONValue {
        objectValue?[key] ?? .null
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// A stored record: API field name to value. Lookups are `{"id", "name"}` objects, `Owner` is
/// `{"id", "name", "email"}`, `Tag` is an array of `{"name", "id", "color_code"}`.
public typealias EmulatorRecord = [String: JSONValue]

/// What the query languages (COQL, search criteria) need to know about the org.
///
/// The store hands the query code a snapshot conforming to this, so parsing and evaluation stay pure and testable
/// without a server.
public protocol QueryCatalog: Sendable {
    /// The module's canonical API name for a case-insensitive name, or nil when the org has no such module.
    func canonicalModule(_ name: String) -> String?
    /// The field's Zoho `data_type` (text, textarea, email, phone, website, picklist, multiselectpicklist, lookup,
    /// ownerlookup, date, datetime, integer, bigint, double, currency, percent, boolean, autonumber, ...),
    /// or nil when the module has no such field. `id` is `bigint`.
    func fieldType(module: String, field: String) -> String?
    /// The module a lookup or ownerlookup field points to (`users` for owners).
    func lookupModule(module: String, field: String) -> String?
    /// Every live record of a module (not `$deleted`), ordered by id ascending.
    func records(module: String) -> [EmulatorRecord]
    /// One live record by id, or nil.
    func record(module: String, id: String) -> EmulatorRecord?
    /// Visits the module's live records in id order (descending when `reversed`) until `visit` returns false.
    func visitRecords(module: String, reversed: Bool, _ visit: (EmulatorRecord) -> Bool)
    /// Whether the module's id order is also COQL's numeric id order, so a page in id order may stop once full.
    func idOrderIsNumeric(module: String) -> Bool
    /// The live records holding any of `keys`, ascending by id; nil when the catalog keeps no index for them.
    func records(module: String, keys: Set<RecordKey>) -> [EmulatorRecord]?
}

/// What an index finds a record by: its id, or the id a lookup field of it points at.
public enum RecordKey: Sendable, Hashable {
    /// The record's own id.
    case id(String)
    /// A lookup field (by API name, any case) holding the parent's id.
    case lookup(field: String, parent: String)
}

extension QueryCatalog {
    /// Visits ``records(module:)`` in order; catalogs with their own storage visit it without copying.
    public func visitRecords(module: String, reversed: Bool, _ visit: (EmulatorRecord) -> Bool) {
        let all = records(module: module)
        for record in reversed ? Array(all.reversed()) : all where !visit(record) { return }
    }

    /// False: without knowing the ids, the query code sorts.
    public func idOrderIsNumeric(module: String) -> Bool { false }

    /// Nil: no index, the query code scans.
    public func records(module: String, keys: Set<RecordKey>) -> [EmulatorRecord]? { nil }
}
