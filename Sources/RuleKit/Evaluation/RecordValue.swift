/// One field's value in a CRM record, as the engine read it from Zoho.
public enum RecordValue: Sendable, Hashable {
    /// No value (JSON null or a missing field).
    case null
    /// A boolean field.
    case bool(Bool)
    /// A number, currency, percent or decimal field.
    case number(Double)
    /// Text, picklist, email, phone, date (`yyyy-MM-dd`) or date-time (ISO 8601) field.
    case string(String)
    /// A multi-select picklist or the `Tag` names.
    case list([String])
    /// A lookup or owner: its id and display name.
    case lookup(id: String, name: String?)

    /// True for null, empty text and empty lists, which is what `is_null: true` selects.
    public var isEmpty: Bool {
        switch self {
        case .null: true
        case .string(let text): text.isEmpty
        case .list(let items): items.isEmpty
        case .lookup(let id, _): id.isEmpty
        case .bool, .number: false
        }
    }
}
