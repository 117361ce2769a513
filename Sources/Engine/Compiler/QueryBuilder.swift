import Foundation
import RuleKit
import ZohoCRM

/// Turns a rule's condition into a COQL `where` clause that selects a superset of the records the rule means.
///
/// The server-side filter only narrows the read; every record is re-checked on our side against the full
/// condition, so a comparison COQL cannot express exactly (a day against a date-time field, `starts_with` under
/// `not`, tags, lookups) is left out of the query rather than approximated. Dropping a conjunct widens the
/// selection, which is safe; an `any` with an inexpressible child is dropped whole for the same reason. Negated
/// comparisons add `or Field is null`, because our evaluation counts an empty field as "not equal".
struct QueryBuilder {
    /// Zoho data types by field API name, from the Fields API; empty when unknown.
    var fieldTypes: [String: String]
    var now: Date
    var timeZone: TimeZone

    /// COQL's cap on conditions in one WHERE clause.
    static let maximumCriteria = 25
    /// COQL's cap on values in one `in` list (the Limitations page says 50).
    static let maximumInValues = 50

    /// The WHERE clause, and which comparisons it carries.
    struct Filter: Sendable {
        /// The clause without `where`; `id is not null` when nothing could be expressed (COQL needs a WHERE).
        var clause: String
        /// Comparisons the query applies (all are re-checked on our side as well).
        var serverSide: [String]
        /// Comparisons only applied on our side.
        var localOnly: [String]
    }

    func filter(for condition: Condition?) -> Filter {
        guard let condition else {
            return Filter(clause: "id is not null", serverSide: [], localOnly: [])
        }
        var server: [String] = []
        var local: [String] = []
        var fragment = translate(condition, negated: false, server: &server, local: &local)
        if server.count > Self.maximumCriteria {
            fragment = nil
            local += server
            server = []
        }
        return Filter(clause: fragment ?? "id is not null", serverSide: server, localOnly: local)
    }

    private func translate(
        _ condition: Condition,
        negated: Bool,
        server: inout [String],
        local: inout [String]
    ) -> String? {
        switch condition {
        case .all(let children, _), .any(let children, _):
            // De Morgan: under `not`, all becomes any and any becomes all.
            let isAll: Bool
            if case .all = condition { isAll = !negated } else { isAll = negated }
            var parts: [String] = []
            var serverHere: [String] = []
            var localHere: [String] = []
            var complete = true
            for child in children {
                if let part = translate(child, negated: negated, server: &serverHere, local: &localHere) {
                    parts.append(part)
                } else {
                    complete = false
                }
            }
            if !isAll && !complete {
                // A disjunction with an inexpressible member cannot narrow anything.
                local += serverHere + localHere
                return nil
            }
            server += serverHere
            local += localHere
            return Self.join(parts, with: isAll ? "and" : "or")
        case .not(let child, _):
            return translate(child, negated: !negated, server: &server, local: &local)
        case .comparison(let comparison):
            let text = describe(comparison, negated: negated)
            if let clause = translate(comparison, negated: negated) {
                server.append(text)
                return clause
            }
            local.append(text)
            return nil
        }
    }

    /// Pairs conditions the way COQL wants them: `((a and b) and c)`.
    static func join(_ parts: [String], with keyword: String) -> String? {
        guard var result = parts.first else { return nil }
        for part in parts.dropFirst() {
            result = "(\(result) \(keyword) \(part))"
        }
        return result
    }

    private func translate(_ comparison: Comparison, negated: Bool) -> String? {
        let field = comparison.field
        guard Self.isPlainFieldName(field) else { return nil }
        let type = fieldTypes[field]
        // Lookups, owners, tags and multi-select values compare differently in COQL than in our evaluation.
        if let type, ["lookup", "ownerlookup", "multiselectpicklist", "multiselectlookup", "subform"].contains(type) {
            return nil
        }
        if field == "Tag" { return nil }
        let orNull = { (clause: String) in "(\(clause) or \(field) is null)" }

        switch comparison.operator {
        case .isNull:
            let wantsNull = comparison.value != .bool(false)
            return "\(field) \(wantsNull != negated ? "is null" : "is not null")"
        case .eq, .ne:
            let isEqual = (comparison.operator == .eq) != negated
            if comparison.value == .null {
                return "\(field) \(isEqual ? "is null" : "is not null")"
            }
            // COQL allows only `=` on booleans, and Zoho's booleans are never empty: negate the value instead.
            if case .bool(let flag) = comparison.value {
                guard type == nil || type == "boolean" else { return nil }
                return "\(field) = '\(isEqual ? flag : !flag)'"
            }
            guard let literal = literal(comparison.value, fieldType: type) else { return nil }
            return isEqual ? "\(field) = \(literal)" : orNull("\(field) != \(literal)")
        case .in, .notIn:
            guard case .list(let items) = comparison.value, !items.isEmpty, items.count <= Self.maximumInValues
            else { return nil }
            let literals = items.compactMap { literal($0, fieldType: type) }
            guard literals.count == items.count else { return nil }
            let list = "(\(literals.joined(separator: ", ")))"
            let isIn = (comparison.operator == .in) != negated
            return isIn ? "\(field) in \(list)" : orNull("\(field) not in \(list)")
        case .gt, .gte, .lt, .lte:
            guard let literal = literal(comparison.value, fieldType: type), isOrdered(comparison.value) else {
                return nil
            }
            let symbols: [ComparisonOperator: (String, String)] = [
                .gt: (">", "<="), .gte: (">=", "<"), .lt: ("<", ">="), .lte: ("<=", ">"),
            ]
            guard let (plain, inverse) = symbols[comparison.operator] else { return nil }
            return negated ? orNull("\(field) \(inverse) \(literal)") : "\(field) \(plain) \(literal)"
        case .between:
            guard case .list(let bounds) = comparison.value, bounds.count == 2,
                let low = literal(bounds[0], fieldType: type), let high = literal(bounds[1], fieldType: type),
                isOrdered(bounds[0]), isOrdered(bounds[1])
            else { return nil }
            return negated
                ? orNull("\(field) not between \(low) and \(high)") : "\(field) between \(low) and \(high)"
        case .startsWith, .contains:
            guard case .string(let text) = comparison.value, !text.isEmpty,
                !text.contains("%"), !text.contains("_"),
                type == nil || ["text", "textarea", "email", "phone", "website", "picklist"].contains(type ?? "")
            else { return nil }
            // COQL documents `not like` only with `%…%`.
            if negated {
                guard comparison.operator == .contains, let quoted = try? COQL.quote("%\(text)%") else { return nil }
                return orNull("\(field) not like \(quoted)")
            }
            let pattern = comparison.operator == .contains ? "%\(text)%" : "\(text)%"
            return (try? COQL.quote(pattern)).map { "\(field) like \($0)" }
        }
    }

    private func isOrdered(_ value: RuleValue) -> Bool {
        switch value {
        case .number, .date: true
        default: false
        }
    }

    /// A COQL literal for `value` compared with a field of `fieldType`, or nil when no faithful literal exists.
    private func literal(_ value: RuleValue, fieldType: String?) -> String? {
        switch value {
        case .string(let text):
            if let fieldType, ZohoFacts.numericFieldTypes.contains(fieldType) {
                return Double(text) == nil ? nil : text
            }
            return try? COQL.quote(text)
        case .number(let number):
            // A formula may return a number, and Zoho compares it as its return type.
            if let fieldType, !ZohoFacts.numericFieldTypes.contains(fieldType), fieldType != "formula" { return nil }
            return number.zohoText
        case .bool(let flag):
            if let fieldType, fieldType != "boolean" { return nil }
            return "'\(flag)'"
        case .date(let date):
            switch (date.resolve(now: now, timeZone: timeZone), fieldType) {
            case (.day(let day), "date"?), (.day(let day), nil):
                return "'\(day)'"
            case (.instant(let instant), "datetime"?), (.instant(let instant), nil):
                return "'\(ResolvedDate.instant(instant).formatted(in: timeZone))'"
            default:
                // A day against a date-time field (or the reverse) has no exact COQL literal.
                return nil
            }
        case .null, .list:
            return nil
        }
    }

    private func describe(_ comparison: Comparison, negated: Bool) -> String {
        let text = "\(comparison.field) \(comparison.operator.rawValue) \(Self.describe(comparison.value))"
        return negated ? "not (\(text))" : text
    }

    static func describe(_ value: RuleValue) -> String {
        switch value {
        case .string(let text): return "'\(text)'"
        case .number(let number): return number.zohoText
        case .bool(let flag): return String(flag)
        case .null: return "null"
        case .list(let items): return "[" + items.map(describe).joined(separator: ", ") + "]"
        case .date(.relative(let relative)): return relative.description
        case .date(.day(let day)): return day.description
        case .date(.instant(let instant)): return ResolvedDate.instant(instant).formatted(in: .gmt)
        }
    }

    /// API names are letters, digits and underscores; anything else never reaches a query.
    static func isPlainFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
            && name.unicodeScalars.allSatisfy(\.isASCII)
    }
}
