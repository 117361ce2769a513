/// Lets record fields (`EmulatorRecord` lookups return `JSONValue?`) be read like `JSONValue`: a missing key
/// reads as null.
extension Optional where Wrapped == JSONValue {
    var stringValue: String? { self?.stringValue }
    var objectValue: [String: JSONValue]? { self?.objectValue }
    var arrayValue: [JSONValue]? { self?.arrayValue }
    var boolValue: Bool? { self?.boolValue }
    var doubleValue: Double? { self?.doubleValue }
    var isNull: Bool { self?.isNull ?? true }
    /// The value, or `.null` when missing.
    var orNull: JSONValue { self ?? .null }
    /// A record id (string or integer), or empty when missing.
    var idString: String { self?.idText ?? "" }
    /// A record id (string or integer), or nil.
    var idText: String? { self?.idText }

    subscript(key: String) -> JSONValue { self?[key] ?? .null }
}
