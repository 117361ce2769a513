/// The operators of the Search Records API's `criteria` parameter.
enum SearchOperator: String, Sendable, CaseIterable {
    case equals
    case notEqual = "not_equal"
    case startsWith = "starts_with"
    case `in`
    case greaterThan = "greater_than"
    case greaterEqual = "greater_equal"
    case lessThan = "less_than"
    case lessEqual = "less_equal"
    case between
}

/// One `(Field:operator:value)` criterion, with its values unescaped (split on unescaped commas for `in` and
/// `between`).
struct SearchCriterion: Sendable, Equatable {
    /// The field's API name as written.
    var field: String
    /// The operator as written, lower-cased.
    var operatorName: String
    /// The values, unescaped.
    var values: [String]

    /// The operator, or nil when Zoho has no such operator.
    var op: SearchOperator? { SearchOperator(rawValue: operatorName) }
}

/// A criteria tree: criteria joined by `and`/`or` (`and` binds tighter when both appear at one level).
indirect enum SearchNode: Sendable, Equatable {
    case criterion(SearchCriterion)
    case and([SearchNode])
    case or([SearchNode])

    /// Every criterion, left to right.
    var criteria: [SearchCriterion] {
        switch self {
        case .criterion(let c): return [c]
        case .and(let nodes), .or(let nodes): return nodes.flatMap(\.criteria)
        }
    }
}

/// The `criteria` parameter of `GET /{module}/search`: `((Field:operator:value)and(Field:operator:value))`, or one
/// bare `Field:operator:value`.
///
/// Inside a value, `\(`, `\)`, `\,` and `\\` stand for the character itself (Zoho's escaping, applied before URL
/// encoding). `equals` on text, textarea, email, phone and website fields matches when the field contains the value,
/// ignoring case, as Zoho's search index does; picklists and auto-numbers compare whole values; lookups match by id
/// or by the looked-up name (owners also by email); numbers numerically; dates and date-times as dates. `not_equal`
/// is the negation of `equals`. Malformed criteria, unknown fields and operators, values of the wrong type, more
/// than 10 criteria and more than 100 `in` values are INVALID_QUERY.
struct SearchCriteria: Sendable, Equatable {
    /// The most criteria one search takes (the v7 page; a derived spec mentions 15).
    static let maxCriteria = 10
    /// The most values one `in` takes.
    static let maxInValues = 100

    /// The parsed tree.
    let root: SearchNode

    /// The number of `(Field:operator:value)` criteria.
    var criterionCount: Int { root.criteria.count }

    /// Parses the already URL-decoded `criteria` value; checks syntax, operator names and the size limits.
    init(parsing text: String) throws(QueryError) {
        var parser = SearchCriteriaParser(text: text)
        root = try parser.parse()
        let criteria = root.criteria
        if criteria.count > Self.maxCriteria {
            throw Self.malformed(
                field: criteria[Self.maxCriteria].field,
                reason: "\(criteria.count) criteria given; a search takes at most \(Self.maxCriteria)"
            )
        }
        for criterion in criteria {
            guard let op = criterion.op else {
                throw Self.badOperator(criterion, reason: "invalid operator found")
            }
            if op == .in, criterion.values.count > Self.maxInValues {
                throw QueryError(
                    code: "INVALID_QUERY",
                    message: "Only 100 values are allowed in \"IN\" criteria",
                    details: ["api_name": .string(criterion.field), "param_name": "criteria"]
                )
            }
            if op == .between, criterion.values.count != 2 {
                throw Self.badValue(criterion, expected: "two values: from,to")
            }
        }
    }

    /// Checks every criterion against the module's fields: known field, operator allowed for its type, values of
    /// that type. The routes call this before evaluating; `matches` assumes it passed.
    func validate(module: String, catalog: some QueryCatalog) throws(QueryError) {
        for criterion in root.criteria {
            guard let dataType = Self.fieldType(module: module, field: criterion.field, catalog: catalog) else {
                throw QueryError(
                    code: "INVALID_QUERY",
                    message: "Invalid query formed",
                    details: ["api_name": .string(criterion.field), "reason": "invalid field found"]
                )
            }
            let kind = FieldKind(dataType: dataType)
            guard let op = criterion.op, Self.allowed(kind).contains(op) else {
                throw Self.badOperator(criterion, reason: "the operator is not supported for the field's data type")
            }
            for value in criterion.values where !Self.valueFits(value, kind) {
                throw QueryError(
                    code: "INVALID_QUERY",
                    message: "Invalid query formed",
                    details: [
                        "api_name": .string(criterion.field), "expected_data_type": .string(dataType),
                        "reason": "invalid data",
                    ]
                )
            }
        }
    }

    /// True when `record` of `module` meets the criteria; a criterion on a field the module lacks never matches.
    func matches(_ record: EmulatorRecord, module: String, catalog: some QueryCatalog) -> Bool {
        evaluate(root, record, module, catalog)
    }

    // MARK: Checks

    private static func fieldType(module: String, field: String, catalog: some QueryCatalog) -> String? {
        catalog.fieldType(module: module, field: field) ?? (field == "id" ? "bigint" : nil)
    }

    /// The operators each type allows, from the Search Records page's table.
    static func allowed(_ kind: FieldKind) -> Set<SearchOperator> {
        switch kind {
        case .number, .date, .datetime:
            return [.equals, .notEqual, .greaterEqual, .greaterThan, .lessEqual, .lessThan, .between, .in]
        case .boolean: return [.equals, .notEqual]
        case .textarea: return [.equals, .notEqual, .startsWith]
        case .lookup, .owner, .picklist, .autonumber: return [.equals, .notEqual, .in]
        case .text, .multiselect: return [.equals, .notEqual, .startsWith, .in]
        case .unsupported: return []
        }
    }

    private static func valueFits(_ value: String, _ kind: FieldKind) -> Bool {
        switch kind {
        case .number: return QueryNumber(text: value) != nil
        case .date, .datetime: return QueryTime(text: value) != nil
        case .boolean: return Bool(literal: value) != nil
        default: return true
        }
    }

    static func malformed(field: String?, reason: String) -> QueryError {
        QueryError(
            code: "INVALID_QUERY",
            message: "Invalid query formed",
            details: ["api_name": .string(field ?? "criteria"), "param_name": "criteria", "reason": .string(reason)]
        )
    }

    private static func badOperator(_ criterion: SearchCriterion, reason: String) -> QueryError {
        QueryError(
            code: "INVALID_QUERY",
            message: "Invalid query formed",
            details: [
                "api_name": .string(criterion.field), "operator": .string(criterion.operatorName),
                "reason": .string(reason),
            ]
        )
    }

    private static func badValue(_ criterion: SearchCriterion, expected: String) -> QueryError {
        QueryError(
            code: "INVALID_QUERY",
            message: "Invalid query formed",
            details: [
                "api_name": .string(criterion.field), "value": .string(criterion.values.joined(separator: ",")),
                "reason": .string("invalid value: \(expected)"),
            ]
        )
    }

    // MARK: Evaluation

    private func evaluate(
        _ node: SearchNode,
        _ record: EmulatorRecord,
        _ module: String,
        _ catalog: some QueryCatalog
    ) -> Bool {
        switch node {
        case .and(let nodes): return nodes.allSatisfy { evaluate($0, record, module, catalog) }
        case .or(let nodes): return nodes.contains { evaluate($0, record, module, catalog) }
        case .criterion(let criterion):
            guard let op = criterion.op,
                let dataType = Self.fieldType(module: module, field: criterion.field, catalog: catalog)
            else { return false }
            let kind = FieldKind(dataType: dataType)
            let value = record.queryField(criterion.field)
            switch op {
            case .equals: return criterion.values.first.map { equals(value, $0, kind) } ?? false
            case .notEqual: return !(criterion.values.first.map { equals(value, $0, kind) } ?? false)
            case .in: return criterion.values.contains { equals(value, $0, kind) }
            case .startsWith:
                guard let prefix = criterion.values.first?.lowercased() else { return false }
                if kind == .multiselect {
                    return value.multiselectValues.contains { $0.lowercased().hasPrefix(prefix) }
                }
                return value.queryText?.lowercased().hasPrefix(prefix) ?? false
            case .greaterThan: return order(value, criterion.values.first, kind).map { $0 > 0 } ?? false
            case .greaterEqual: return order(value, criterion.values.first, kind).map { $0 >= 0 } ?? false
            case .lessThan: return order(value, criterion.values.first, kind).map { $0 < 0 } ?? false
            case .lessEqual: return order(value, criterion.values.first, kind).map { $0 <= 0 } ?? false
            case .between:
                guard criterion.values.count == 2, let low = order(value, criterion.values[0], kind),
                    let high = order(value, criterion.values[1], kind)
                else { return false }
                return low >= 0 && high <= 0
            }
        }
    }

    private func equals(_ value: JSONValue, _ wanted: String, _ kind: FieldKind) -> Bool {
        let needle = wanted.lowercased()
        switch kind {
        case .text, .textarea:
            // Zoho's search index matches text fields by containment ("ABC" finds "ABC Inc").
            guard let text = value.queryText else { return false }
            return text.lowercased().contains(needle)
        case .picklist, .autonumber:
            return value.queryText?.lowercased() == needle
        case .multiselect:
            return value.multiselectValues.contains { $0.lowercased() == needle }
        case .lookup, .owner:
            if value.lookupID == wanted { return true }
            if let name = value["name"].stringValue, name.lowercased() == needle { return true }
            if kind == .owner, let email = value["email"].stringValue, email.lowercased() == needle { return true }
            return false
        case .boolean:
            guard let b = value.queryBool else { return false }
            return b == Bool(literal: wanted)
        case .number, .date, .datetime:
            return order(value, wanted, kind) == 0
        case .unsupported:
            return false
        }
    }

    private func order(_ value: JSONValue, _ wanted: String?, _ kind: FieldKind) -> Int? {
        guard let wanted else { return nil }
        switch kind {
        case .number:
            guard let a = QueryNumber(value), let b = QueryNumber(text: wanted) else { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        case .date, .datetime:
            guard let a = QueryTime(value), let b = QueryTime(text: wanted) else { return nil }
            // A date-only value compares calendar days; two date-times compare instants.
            if kind == .date || b.instant == nil { return a.day < b.day ? -1 : (a.day == b.day ? 0 : 1) }
            return QueryTime.compare(a, b)
        default:
            return nil
        }
    }
}

/// A hand-written parser for criteria strings, over characters so escapes and positions stay exact.
private struct SearchCriteriaParser {
    let chars: [Character]
    var index = 0
    var depth = 0

    /// How deeply parentheses may nest; ten criteria never need more, and it keeps recursion bounded.
    static let maxNesting = 32

    init(text: String) {
        chars = Array(text)
    }

    mutating func parse() throws(QueryError) -> SearchNode {
        skipSpaces()
        guard index < chars.count else {
            throw SearchCriteria.malformed(field: nil, reason: "the criteria is empty")
        }
        // The v7 page's own samples send a single criterion bare: `criteria=Campaign_Name:equals:CRM`.
        let node = chars[index] == "(" ? try parseExpression() : .criterion(try parseCriterion())
        skipSpaces()
        guard index == chars.count else {
            throw SearchCriteria.malformed(field: nil, reason: "unexpected '\(chars[index])' at character \(index + 1)")
        }
        return node
    }

    private mutating func skipSpaces() {
        while index < chars.count, chars[index] == " " { index += 1 }
    }

    /// group {(and|or) group}, with `and` binding tighter than `or`.
    private mutating func parseExpression() throws(QueryError) -> SearchNode {
        var alternatives: [[SearchNode]] = [[try parseGroup()]]
        while true {
            skipSpaces()
            guard let connective = peekConnective() else { break }
            index += connective.count
            skipSpaces()
            let next = try parseGroup()
            if connective == "and" {
                alternatives[alternatives.count - 1].append(next)
            } else {
                alternatives.append([next])
            }
        }
        let conjunctions = alternatives.map { $0.count == 1 ? $0[0] : SearchNode.and($0) }
        return conjunctions.count == 1 ? conjunctions[0] : .or(conjunctions)
    }

    private func peekConnective() -> String? {
        for word in ["and", "or"] where index + word.count <= chars.count {
            if String(chars[index..<index + word.count]).lowercased() == word { return word }
        }
        return nil
    }

    /// `(` criterion `)` or `(` expression `)`.
    private mutating func parseGroup() throws(QueryError) -> SearchNode {
        guard index < chars.count, chars[index] == "(" else {
            throw SearchCriteria.malformed(
                field: nil,
                reason: index < chars.count
                    ? "expected '(' at character \(index + 1)" : "the criteria ends where '(' was expected"
            )
        }
        guard depth < Self.maxNesting else {
            throw SearchCriteria.malformed(field: nil, reason: "parentheses nest deeper than \(Self.maxNesting)")
        }
        depth += 1
        defer { depth -= 1 }
        index += 1
        skipSpaces()
        let node: SearchNode
        if index < chars.count, chars[index] == "(" {
            node = try parseExpression()
            skipSpaces()
        } else {
            node = .criterion(try parseCriterion())
        }
        guard index < chars.count, chars[index] == ")" else {
            throw SearchCriteria.malformed(field: nil, reason: "missing ')' at character \(index + 1)")
        }
        index += 1
        return node
    }

    /// `Field:operator:value` up to (not including) the closing parenthesis.
    private mutating func parseCriterion() throws(QueryError) -> SearchCriterion {
        let fieldStart = index
        while index < chars.count, chars[index] != ":", chars[index] != ")", chars[index] != "(" { index += 1 }
        let field = String(chars[fieldStart..<index]).queryTrimmed
        guard index < chars.count, chars[index] == ":", !field.isEmpty,
            field.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" || $0 == "." })
        else {
            throw SearchCriteria.malformed(
                field: field.isEmpty ? nil : field,
                reason: "expected Field:operator:value at character \(fieldStart + 1)"
            )
        }
        index += 1
        let operatorStart = index
        while index < chars.count, chars[index] != ":", chars[index] != ")", chars[index] != "(" { index += 1 }
        let operatorName = String(chars[operatorStart..<index]).queryTrimmed.lowercased()
        guard index < chars.count, chars[index] == ":", !operatorName.isEmpty else {
            throw SearchCriteria.malformed(
                field: field,
                reason: "expected :operator:value after \(field) at character \(operatorStart + 1)"
            )
        }
        index += 1
        let splits = operatorName == "in" || operatorName == "between"
        var values: [String] = []
        var current = ""
        while index < chars.count {
            let c = chars[index]
            if c == "\\" {
                guard index + 1 < chars.count else {
                    throw SearchCriteria.malformed(
                        field: field,
                        reason: "a trailing backslash must be doubled (character \(index + 1))"
                    )
                }
                current.append(chars[index + 1])
                index += 2
                continue
            }
            if c == ")" { break }
            if c == "(" {
                throw SearchCriteria.malformed(
                    field: field,
                    reason: "'(' inside a value must be escaped as \\( (character \(index + 1))"
                )
            }
            if c == ",", splits {
                values.append(current)
                current = ""
                index += 1
                continue
            }
            current.append(c)
            index += 1
        }
        values.append(current)
        if values.contains(where: { $0.isEmpty }) {
            throw SearchCriteria.malformed(field: field, reason: "empty value for \(field)")
        }
        return SearchCriterion(field: field, operatorName: operatorName, values: values)
    }
}
