import Foundation
import RuleKit
import ZohoCRM

/// Reading Zoho's JSON as the rule language's values.
enum RecordValues {
    /// A field of `record` as a `RecordValue` for re-checking conditions.
    static func value(_ record: ZohoRecord, _ field: String) -> RecordValue {
        if field == "id" { return record.id.map(RecordValue.string) ?? .null }
        return value(record[field])
    }

    static func value(_ json: ZohoJSON) -> RecordValue {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(Double(number))
        case .double(let number): return .number(number)
        case .string(let text): return .string(text)
        case .array(let items):
            // Multi-select picklists are strings; tags are objects with a name.
            return .list(items.compactMap { $0.stringValue ?? $0["name"].stringValue })
        case .object(let object):
            let id = object["id"]?.idValue ?? ""
            let name = object["name"]?.stringValue ?? object["full_name"]?.stringValue
            return .lookup(id: id, name: name)
        }
    }

    /// A field as text for templates and the plan's table.
    static func text(_ record: ZohoRecord, _ field: String) -> String? {
        switch value(record, field) {
        case .null: return nil
        case .bool(let flag): return String(flag)
        case .number(let number):
            return number.zohoText
        case .string(let text): return text
        case .list(let items): return items.joined(separator: ";")
        case .lookup(let id, let name): return name ?? id
        }
    }

    /// A readable name for a record of `module`.
    static func name(_ record: ZohoRecord, module: String) -> String {
        let parts = Compiler.nameFields(of: module).compactMap { text(record, $0) }.filter { !$0.isEmpty }
        if module == "Leads" {
            let person = [text(record, "First_Name"), text(record, "Last_Name")].compactMap { $0 }.joined(
                separator: " "
            )
            if let company = text(record, "Company"), !company.isEmpty { return "\(person) (\(company))" }
            return person
        }
        return parts.first ?? (record.id ?? "?")
    }
}
