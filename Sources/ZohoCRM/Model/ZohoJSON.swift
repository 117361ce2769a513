public import Foundation

/// A JSON value as Zoho sends and accepts it: record fields, error details, metadata.
///
/// The client keeps record contents as data rather than as typed structs, because every org has its own fields.
public enum ZohoJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([ZohoJSON])
    case object([String: ZohoJSON])

    /// The string inside, or nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer inside (also from a whole double or a numeric string), or nil.
    public var intValue: Int? {
        switch self {
        case .int(let i): return Int(exactly: i)
        case .double(let d): return Int(exactly: d)
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    /// The boolean inside, or nil.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// A number as a double, or nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The object inside, or nil.
    public var objectValue: [String: ZohoJSON]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The array inside, or nil.
    public var arrayValue: [ZohoJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// True for `.null`.
    public var isNull: Bool { self == .null }

    /// An id as Zoho sends it: a string, or a number turned into its decimal string.
    public var idValue: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        default: return nil
        }
    }

    /// Member access on objects; `.null` for anything else or a missing key.
    public subscript(key: String) -> ZohoJSON {
        objectValue?[key] ?? .null
    }

    /// Parses JSON bytes.
    public init(data: Data) throws {
        self = try JSONDecoder().decode(ZohoJSON.self, from: data)
    }

    /// Serialises with sorted keys, so equal values give equal bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension ZohoJSON: Codable {
    /// Decodes any JSON value; integers stay integers so 19-digit ids in numeric form are not rounded.
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
        } else if let a = try? container.decode([ZohoJSON].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: ZohoJSON].self))
        }
    }

    /// Encodes the value as plain JSON.
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

extension ZohoJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer value.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A floating-point value.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// The null value.
    public init(nilLiteral: ()) { self = .null }
    /// An array value.
    public init(arrayLiteral elements: ZohoJSON...) { self = .array(elements) }
    /// An object value; a repeated key keeps the last value.
    public init(dictionaryLiteral elements: (String, ZohoJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
