/// Search criteria for `GET /crm/{v}/{module}/search`, rendered with Zoho's escaping.
///
/// Zoho's grammar is `((Field:operator:value)and(Field:operator:value))`. Inside a value `(`, `)`, `,` and `\`
/// are backslash-escaped; multi-value operators (`in`, `between`) join escaped values with bare commas.
/// Note that Zoho's `equals` on text fields matches like "contains": re-check results on the client.
public indirect enum SearchCriteria: Sendable, Hashable {
    /// A search operator.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equals, notEqual = "not_equal", startsWith = "starts_with", `in`, greaterThan = "greater_than"
        case greaterEqual = "greater_equal", lessThan = "less_than", lessEqual = "less_equal", between
    }

    /// `(field:operator:value[,value...])`.
    case condition(field: String, op: Operator, values: [String])
    /// All of the criteria.
    case and([SearchCriteria])
    /// Any of the criteria.
    case or([SearchCriteria])

    /// A single-value condition.
    public static func field(_ field: String, _ op: Operator, _ value: String) -> SearchCriteria {
        .condition(field: field, op: op, values: [value])
    }

    /// Zoho's limit on conditions in one criteria string.
    public static let maxConditions = 10

    /// Number of leaf conditions.
    public var conditionCount: Int {
        switch self {
        case .condition: 1
        case .and(let items), .or(let items): items.reduce(0) { $0 + $1.conditionCount }
        }
    }

    /// Escapes one value: backslash first, then the characters Zoho treats as syntax.
    public static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\", "(", ")", ",": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// The criteria string (before URL encoding), after checking fields, value counts and the 10-condition limit.
    public func rendered() throws(ZohoError) -> String {
        guard conditionCount <= Self.maxConditions else {
            throw Self.problem("Zoho accepts at most \(Self.maxConditions) conditions in one search")
        }
        return try render()
    }

    private func render() throws(ZohoError) -> String {
        switch self {
        case .condition(let field, let op, let values):
            guard !field.isEmpty, field.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
                throw Self.problem("a search field must be an API name")
            }
            switch op {
            case .between:
                guard values.count == 2 else { throw Self.problem("between takes exactly two values") }
            case .in:
                guard (1...100).contains(values.count) else { throw Self.problem("in takes 1 to 100 values") }
            default:
                guard values.count == 1 else { throw Self.problem("\(op.rawValue) takes exactly one value") }
            }
            return "(\(field):\(op.rawValue):\(values.map(Self.escape).joined(separator: ",")))"
        case .and(let items), .or(let items):
            guard !items.isEmpty else { throw Self.problem("an empty and/or group") }
            if items.count == 1 { return try items[0].render() }
            var parts: [String] = []
            for item in items { parts.append(try item.render()) }
            let joiner: String
            if case .and = self { joiner = "and" } else { joiner = "or" }
            return "(" + parts.joined(separator: joiner) + ")"
        }
    }

    private static func problem(_ message: String) -> ZohoError {
        ZohoError(code: .invalidArgument, operation: "GET /crm/{v}/{module}/search", message: message)
    }
}

extension ZohoClient {
    /// One page of Search Records; 204 (nothing matched, or the index has not caught up) gives an empty page.
    public func search(
        module: String,
        criteria: SearchCriteria,
        fields: [String] = [],
        page: Int = 1,
        perPage: Int = 200,
        converted: Inclusion? = nil
    ) async throws -> RecordPage {
        let op = "GET /crm/{v}/{module}/search"
        let module = try segment(module, "module", op)
        guard (1...200).contains(perPage), page >= 1, (page - 1) * perPage < 2000 else {
            throw invalidArgument(op, "search reaches at most 2000 records in pages of up to 200")
        }
        var query: [(String, String)] = [
            ("criteria", try criteria.rendered()), ("page", String(page)), ("per_page", String(perPage)),
        ]
        if !fields.isEmpty { query.append(("fields", fields.joined(separator: ","))) }
        if let converted { query.append(("converted", converted.rawValue)) }
        let reply = try await send(
            Call(template: op, method: .GET, path: "/\(module)/search", query: query, kind: .read, complex: true)
        )
        return try recordPage(reply, op)
    }

    /// Every match of a search, up to Zoho's 2000.
    public func searchAll(
        module: String,
        criteria: SearchCriteria,
        fields: [String] = [],
        converted: Inclusion? = nil
    ) async throws -> [ZohoRecord] {
        var records: [ZohoRecord] = []
        for page in 1...10 {
            let result = try await search(
                module: module,
                criteria: criteria,
                fields: fields,
                page: page,
                converted: converted
            )
            records += result.records
            guard result.moreRecords, !result.records.isEmpty else { break }
        }
        return records
    }
}
