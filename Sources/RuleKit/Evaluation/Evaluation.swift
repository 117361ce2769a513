public import Foundation

extension Condition {
    /// Whether a record satisfies this condition; `field` returns the record's value for an API field name.
    ///
    /// Semantics: `eq` is exact and case-sensitive for text (Zoho picklists are exact); numbers compare
    /// numerically (numeric text too); dates compare as dates (`yyyy-MM-dd` or ISO-8601 date-times with offsets,
    /// a day against an instant on the instant's day in `timeZone`); a lookup equals its id or its name; a list
    /// (multi-select, tags) equals or contains a value when it has it as an element. A missing value satisfies only
    /// `is_null: true`, `ne` and `not_in`.
    public func evaluate(_ field: (String) -> RecordValue, now: Date, timeZone: TimeZone) -> Bool {
        switch self {
        case .all(let children, _):
            return children.allSatisfy { $0.evaluate(field, now: now, timeZone: timeZone) }
        case .any(let children, _):
            return children.contains { $0.evaluate(field, now: now, timeZone: timeZone) }
        case .not(let child, _):
            return !child.evaluate(field, now: now, timeZone: timeZone)
        case .comparison(let comparison):
            return comparison.evaluate(field(comparison.field), now: now, timeZone: timeZone)
        }
    }
}

extension Comparison {
    /// Whether `value` (the record's value of `field`) satisfies this comparison.
    public func evaluate(_ value: RecordValue, now: Date, timeZone: TimeZone) -> Bool {
        let matcher = ValueMatcher(now: now, timeZone: timeZone)
        switch self.operator {
        case .isNull:
            let wanted = self.value != .bool(false)
            return value.isEmpty == wanted
        case .eq:
            return matcher.equals(value, self.value)
        case .ne:
            return !matcher.equals(value, self.value)
        case .in:
            return operands.contains { matcher.equals(value, $0) }
        case .notIn:
            return !operands.contains { matcher.equals(value, $0) }
        case .gt:
            return matcher.compare(value, self.value) == .orderedDescending
        case .gte:
            return [.orderedDescending, .orderedSame].contains(matcher.compare(value, self.value))
        case .lt:
            return matcher.compare(value, self.value) == .orderedAscending
        case .lte:
            return [.orderedAscending, .orderedSame].contains(matcher.compare(value, self.value))
        case .between:
            guard operands.count == 2 else { return false }
            let low = matcher.compare(value, operands[0])
            let high = matcher.compare(value, operands[1])
            return (low == .orderedDescending || low == .orderedSame)
                && (high == .orderedAscending || high == .orderedSame)
        case .startsWith:
            guard case .string(let prefix) = self.value else { return false }
            return matcher.texts(of: value).contains { $0.hasPrefix(prefix) }
        case .contains:
            guard case .string(let part) = self.value else { return false }
            if case .list(let items) = value { return items.contains(part) }
            return matcher.texts(of: value).contains { $0.contains(part) }
        }
    }

    private var operands: [RuleValue] {
        if case .list(let items) = value { return items }
        return [value]
    }
}

/// Compares record values with rule values at one clock reading.
private struct ValueMatcher {
    var now: Date
    var timeZone: TimeZone

    func equals(_ record: RecordValue, _ operand: RuleValue) -> Bool {
        switch operand {
        case .null:
            return record.isEmpty
        case .string(let text):
            switch record {
            case .string(let value): return value == text
            case .list(let items): return items.contains(text)
            case .lookup(let id, let name): return id == text || name == text
            case .number(let number): return Double(text) == number
            case .bool(let flag): return text == String(flag)
            case .null: return false
            }
        case .number(let number):
            return numeric(record) == number
        case .bool(let flag):
            switch record {
            case .bool(let value): return value == flag
            case .string(let text): return text == String(flag)
            default: return false
            }
        case .date:
            return compare(record, operand) == .orderedSame
        case .list(let expected):
            guard case .list(let items) = record else { return false }
            let texts = expected.compactMap { item -> String? in
                if case .string(let text) = item { return text }
                return nil
            }
            return Set(items) == Set(texts) && texts.count == expected.count
        }
    }

    func compare(_ record: RecordValue, _ operand: RuleValue) -> ComparisonResult? {
        switch operand {
        case .number(let number):
            guard let value = numeric(record) else { return nil }
            return value < number ? .orderedAscending : (value == number ? .orderedSame : .orderedDescending)
        case .date(let date):
            guard case .string(let text) = record, let value = ResolvedDate(parsing: text) else { return nil }
            return value.compare(to: date.resolve(now: now, timeZone: timeZone), in: timeZone)
        default:
            return nil
        }
    }

    func numeric(_ record: RecordValue) -> Double? {
        switch record {
        case .number(let value): value
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    func texts(of record: RecordValue) -> [String] {
        switch record {
        case .string(let text): [text]
        case .list(let items): items
        case .lookup(let id, let name): [id] + (name.map { [$0] } ?? [])
        default: []
        }
    }
}
