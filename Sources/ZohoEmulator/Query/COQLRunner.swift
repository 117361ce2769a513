/// The rows a COQL query selected, for the `{"data": rows, "info": {"count", "more_records"}}` envelope.
struct COQLResult: Sendable, Equatable {
    /// The page of rows: `id` plus the selected columns (or one row per group for aggregates).
    var rows: [EmulatorRecord]
    /// True when more rows match beyond `offset + limit`.
    var moreRecords: Bool
}

/// Runs a COQL `select` query against the org's records.
///
/// Limits follow the v7/v8 Limitations pages: LIMIT default 200, at most 2000 a call and `offset + limit` at most
/// 100,000; 50 select columns; 25 criteria; 10 `order by` fields; 4 `group by` fields; 5 aggregates; `in` lists of
/// 50 values (the v7 error list says 100; the Limitations page, the newer text, says 50); lookups two levels deep.
enum COQLRunner {
    /// LIMIT when the query gives none.
    static let defaultLimit = 200
    /// The largest LIMIT of one call.
    static let maxLimit = 2000
    /// How far `offset + limit` may page in all.
    static let maxReachable = 100_000
    /// Select-list size.
    static let maxColumns = 50
    /// Criteria in one `where` clause.
    static let maxCriteria = 25
    /// Values in one `in` / `not in` list.
    static let maxInValues = 50
    /// `order by` fields.
    static let maxOrderBy = 10
    /// `group by` fields.
    static let maxGroupBy = 4
    /// Aggregate functions in one query.
    static let maxAggregates = 5
    /// Lookup hops in one dotted reference (`A.B.C` is two).
    static let maxJoins = 2

    /// Parses, checks and evaluates `selectQuery`; any refusal is a `QueryError` (HTTP 400).
    static func run(_ selectQuery: String, catalog: some QueryCatalog) throws(QueryError) -> COQLResult {
        let query = try COQLParser.parse(selectQuery)
        let plan = try COQLPlan(query: query, catalog: catalog)
        return plan.execute(catalog: catalog)
    }
}

/// A field reference resolved against the metadata: the module each hop lands in and the final field's type.
private struct ResolvedPath: Sendable {
    /// The path as written.
    let path: COQLPath
    /// For each part, the module it is a field of.
    let modules: [String]
    /// The final field's Zoho `data_type`.
    let dataType: String

    var kind: FieldKind { FieldKind(dataType: dataType) }

    /// The value this path reaches from `record`, following lookups through the catalog.
    ///
    /// When the catalog has no record for a lookup's id (users, for instance, may live outside the record store),
    /// the lookup's embedded object (`{"id", "name", "email"}`) answers instead.
    func value(in record: EmulatorRecord, catalog: some QueryCatalog) -> JSONValue {
        var current: EmulatorRecord? = record
        var embedded: JSONValue = .null
        for (position, part) in path.parts.enumerated() {
            let value: JSONValue
            if let current {
                value = current.queryField(part)
            } else {
                value = embedded.objectValue?.queryField(part) ?? .null
            }
            if position == path.parts.count - 1 { return value }
            guard let id = value.lookupID else { return .null }
            current = catalog.record(module: modules[position + 1], id: id)
            embedded = value
        }
        return .null
    }
}

/// Built-in field types of the users module, used only when the catalog does not describe `users` itself.
private let userFieldTypes: [String: String] = [
    "id": "bigint", "email": "email", "full_name": "text", "first_name": "text", "last_name": "text",
    "status": "picklist", "name": "text",
]

/// Resolves one dotted path against the catalog, or throws Zoho's error for it.
private func resolvePath(
    _ path: COQLPath,
    module: String,
    catalog: some QueryCatalog
) throws(QueryError) -> ResolvedPath {
    guard path.parts.count - 1 <= COQLRunner.maxJoins else {
        throw .limitExceeded(
            by: "lookup",
            limit: COQLRunner.maxJoins,
            message: "lookup fields can be joined at most two levels deep"
        )
    }
    if let prefix = path.modulePrefix, catalog.canonicalModule(prefix) != module {
        throw .invalidColumn("!\(prefix).\(path.text)", module: module)
    }
    var modules = [module]
    var dataType = ""
    for (position, part) in path.parts.enumerated() {
        let current = modules[position]
        guard let type = fieldType(module: current, field: part, catalog: catalog) else {
            throw .invalidColumn(path.text, module: module)
        }
        dataType = type
        if position < path.parts.count - 1 {
            guard FieldKind(dataType: type).isLookup,
                let target = catalog.lookupModule(module: current, field: part)
                    ?? (FieldKind(dataType: type) == .owner ? "users" : nil)
            else {
                throw .invalidColumn(path.text, module: module)
            }
            modules.append(catalog.canonicalModule(target) ?? target)
        }
    }
    return ResolvedPath(path: path, modules: modules, dataType: dataType)
}

private func fieldType(module: String, field: String, catalog: some QueryCatalog) -> String? {
    if let type = catalog.fieldType(module: module, field: field) { return type }
    if field == "id" { return "bigint" }
    if module.lowercased() == "users" { return userFieldTypes[field] }
    return nil
}

/// A query checked against the metadata, ready to run.
private struct COQLPlan {
    struct Column {
        let column: COQLColumn
        let resolved: ResolvedPath?
    }

    struct Order {
        let resolved: ResolvedPath
        let descending: Bool
    }

    let module: String
    let columns: [Column]
    let condition: COQLCondition
    let resolvedFields: [String: ResolvedPath]
    let groupBy: [ResolvedPath]
    let orderBy: [Order]
    let limit: Int
    let offset: Int

    init(query: COQLQuery, catalog: some QueryCatalog) throws(QueryError) {
        guard let module = catalog.canonicalModule(query.module) else {
            throw QueryError(
                code: "INVALID_QUERY",
                message: "invalid query formed",
                details: ["module": .string(query.module), "reason": "the module name given seems to be invalid"]
            )
        }
        self.module = module
        guard let condition = query.condition else { throw .syntax(clause: "where") }
        self.condition = condition

        guard query.columns.count <= COQLRunner.maxColumns else {
            throw .limitExceeded(
                by: "select",
                limit: COQLRunner.maxColumns,
                message: "the number of select columns exceeds the limit"
            )
        }
        let aggregateCount = query.columns.filter { $0.aggregate != nil }.count
        guard aggregateCount <= COQLRunner.maxAggregates else {
            throw .limitExceeded(
                by: "aggregate",
                limit: COQLRunner.maxAggregates,
                message: "the number of aggregate functions exceeds the limit"
            )
        }
        guard query.orderBy.count <= COQLRunner.maxOrderBy else {
            throw .limitExceeded(
                by: "order_by",
                limit: COQLRunner.maxOrderBy,
                message: "the number of order by fields exceeds the limit"
            )
        }
        guard query.groupBy.count <= COQLRunner.maxGroupBy else {
            throw .limitExceeded(
                by: "group_by",
                limit: COQLRunner.maxGroupBy,
                message: "the number of group by fields exceeds the limit"
            )
        }
        let comparisons = condition.comparisons
        guard comparisons.count <= COQLRunner.maxCriteria else {
            throw .limitExceeded(
                by: "where",
                limit: COQLRunner.maxCriteria,
                message: "the number of criteria exceeds the limit"
            )
        }

        var columns: [Column] = []
        for column in query.columns {
            if let alias = column.alias { try Self.checkAlias(alias) }
            var resolved: ResolvedPath?
            if let path = column.path {
                let r = try resolvePath(path, module: module, catalog: catalog)
                if let aggregate = column.aggregate { try Self.checkAggregate(aggregate, r) }
                resolved = r
            }
            columns.append(Column(column: column, resolved: resolved))
        }
        try Self.checkDuplicates(columns)
        self.columns = columns

        var resolvedFields: [String: ResolvedPath] = [:]
        for comparison in comparisons {
            let resolved = try resolvePath(comparison.path, module: module, catalog: catalog)
            try Self.check(comparison, resolved)
            resolvedFields[comparison.path.text] = resolved
        }
        self.resolvedFields = resolvedFields

        var groupBy: [ResolvedPath] = []
        for path in query.groupBy {
            groupBy.append(try resolvePath(path, module: module, catalog: catalog))
        }
        if aggregateCount > 0 || !groupBy.isEmpty {
            // Outside an aggregate, only grouped fields can be selected: a group has no single value of any other.
            let grouped = Set(groupBy.map { $0.path.text.lowercased() })
            for column in columns where column.column.aggregate == nil {
                guard let path = column.column.path, grouped.contains(path.text.lowercased()) else {
                    throw QueryError(
                        code: "INVALID_QUERY",
                        message: "invalid query formed",
                        details: [
                            "column_name": .string(column.column.key),
                            "reason": "a column outside an aggregate function must be in the group by clause",
                        ]
                    )
                }
            }
        }
        self.groupBy = groupBy
        // The Limitations page: a field named twice in ORDER BY or GROUP BY is DUPLICATE_DATA.
        try Self.checkRepeats(query.groupBy, clause: "group by")
        try Self.checkRepeats(query.orderBy.map(\.path), clause: "order by")

        var orderBy: [Order] = []
        for order in query.orderBy {
            let resolved = try resolvePath(order.path, module: module, catalog: catalog)
            guard resolved.kind != .unsupported, resolved.kind != .multiselect else {
                throw .unsupportedType(order.path.text, dataType: resolved.dataType)
            }
            orderBy.append(Order(resolved: resolved, descending: order.descending))
        }
        self.orderBy = orderBy

        let limit = query.limit ?? COQLRunner.defaultLimit
        let offset = query.offset ?? 0
        guard limit >= 1 else {
            throw QueryError(
                code: "INVALID_QUERY",
                message: "value given seems to be invalid for the column",
                details: ["clause": "limit", "reason": "the limit must be at least 1"]
            )
        }
        guard limit <= COQLRunner.maxLimit else {
            throw .limitExceeded(
                by: "limit",
                limit: COQLRunner.maxLimit,
                message: "the limit given exceeds the maximum of 2000"
            )
        }
        guard offset <= COQLRunner.maxReachable - limit else {
            throw .limitExceeded(
                by: "offset",
                limit: COQLRunner.maxReachable,
                message: "records beyond 100000 cannot be fetched (offset + limit exceeds the maximum)"
            )
        }
        self.limit = limit
        self.offset = offset
    }

    private static func checkAlias(_ alias: COQLToken) throws(QueryError) {
        let text = alias.text
        let valid =
            !text.isEmpty && text.count <= 50
            && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
            && !(text.first?.isNumber ?? true)
            && !["select", "from", "where", "and", "or", "as", "order", "group", "by", "limit", "offset"].contains(
                text.lowercased()
            )
        guard valid else {
            throw QueryError(
                code: "INVALID_ALIAS",
                message: "invalid alias given",
                details: [
                    "alias": .string(text), "line": .int(Int64(alias.line)), "column": .int(Int64(alias.column)),
                ]
            )
        }
    }

    private static func checkDuplicates(_ columns: [Column]) throws(QueryError) {
        var aliases: Set<String> = []
        for column in columns {
            guard let alias = column.column.alias else { continue }
            guard aliases.insert(alias.text.lowercased()).inserted else {
                throw QueryError(
                    code: "DUPLICATE_ALIAS",
                    message: "duplicate alias given",
                    details: ["alias": .string(alias.text), "clause": "select"]
                )
            }
        }
        var selected: Set<String> = []
        for column in columns {
            let identity = (column.column.aggregate?.rawValue ?? "") + "(" + (column.column.path?.text ?? "*") + ")"
            guard selected.insert(identity.lowercased()).inserted else {
                throw QueryError(
                    code: "DUPLICATE_DATA",
                    message: "duplicate column given in select",
                    details: ["column_name": .string(column.column.path?.text ?? "*"), "clause": "select"]
                )
            }
        }
        // An alias may not take the key of another column: the row could not carry both.
        let plainKeys = Set(columns.filter { $0.column.alias == nil }.map { $0.column.key.lowercased() })
        for column in columns {
            if let alias = column.column.alias, plainKeys.contains(alias.text.lowercased()) || alias.text == "id" {
                throw QueryError(
                    code: "DUPLICATE_ALIAS",
                    message: "duplicate alias given",
                    details: ["alias": .string(alias.text), "clause": "select"]
                )
            }
        }
    }

    private static func checkRepeats(_ paths: [COQLPath], clause: String) throws(QueryError) {
        var seen: Set<String> = []
        for path in paths where !seen.insert(path.text.lowercased()).inserted {
            throw QueryError(
                code: "DUPLICATE_DATA",
                message: "duplicate column given in \(clause)",
                details: ["column_name": .string(path.text), "clause": .string(clause)]
            )
        }
    }

    private static func checkAggregate(_ aggregate: COQLAggregate, _ resolved: ResolvedPath) throws(QueryError) {
        let kind = resolved.kind
        switch aggregate {
        case .count:
            return
        case .sum, .avg:
            guard kind == .number else { throw .unsupportedType(resolved.path.text, dataType: resolved.dataType) }
        case .min, .max:
            guard kind == .number || kind == .date || kind == .datetime else {
                throw .unsupportedType(resolved.path.text, dataType: resolved.dataType)
            }
        }
    }

    /// The comparators each kind allows, from the COQL page's table.
    private static func allowed(_ kind: FieldKind) -> Set<COQLOperator> {
        switch kind {
        case .text, .textarea, .picklist, .multiselect, .autonumber:
            return [.equal, .notEqual, .like, .notLike, .in, .notIn, .isNull, .isNotNull]
        case .lookup, .owner:
            return [.equal, .notEqual, .in, .notIn, .isNull, .isNotNull]
        case .number, .date, .datetime:
            return [
                .equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual, .between, .notBetween, .in, .notIn,
                .isNull, .isNotNull,
            ]
        case .boolean:
            return [.equal]
        case .unsupported:
            return []
        }
    }

    private static func check(_ comparison: COQLComparison, _ resolved: ResolvedPath) throws(QueryError) {
        let kind = resolved.kind
        let column = comparison.path.text
        guard kind != .unsupported else { throw .unsupportedType(column, dataType: resolved.dataType) }
        guard allowed(kind).contains(comparison.op) else {
            throw .invalidOperator(column, dataType: resolved.dataType, operator: comparison.op.rawValue)
        }
        if comparison.op == .in || comparison.op == .notIn, comparison.values.count > COQLRunner.maxInValues {
            throw .limitExceeded(
                by: "in",
                limit: COQLRunner.maxInValues,
                message: "the number of values in the in clause exceeds the limit"
            )
        }
        if comparison.op == .notLike {
            let pattern = comparison.values.first?.text ?? ""
            guard pattern.count >= 2, pattern.hasPrefix("%"), pattern.hasSuffix("%") else {
                throw .invalidValue(
                    column,
                    dataType: resolved.dataType,
                    reason: "not like needs a value of the form '%text%'"
                )
            }
        }
        for value in comparison.values {
            guard literalFits(value, kind) else {
                throw .invalidValue(
                    column,
                    dataType: resolved.dataType,
                    reason: "the value '\(value.text)' does not fit the field type"
                )
            }
        }
    }

    private static func literalFits(_ literal: COQLLiteral, _ kind: FieldKind) -> Bool {
        switch kind {
        case .text, .textarea, .picklist, .multiselect, .autonumber:
            if case .bool = literal { return false }
            return true
        case .lookup, .owner:
            // Lookups compare by record id; a name belongs under the dotted form (`Account_Name.Account_Name`).
            return !literal.text.isEmpty && literal.text.allSatisfy { $0.isASCII && $0.isNumber }
        case .number:
            if case .bool = literal { return false }
            return QueryNumber(text: literal.text) != nil
        case .date, .datetime:
            if case .string(let s) = literal { return QueryTime(text: s) != nil }
            return false
        case .boolean:
            return Bool(literal: literal.text) != nil
        case .unsupported:
            return false
        }
    }

    // MARK: Evaluation

    func execute(catalog: some QueryCatalog) -> COQLResult {
        let matching = catalog.records(module: module).filter { evaluate(condition, $0, catalog) }
        if columns.contains(where: { $0.column.aggregate != nil }) || !groupBy.isEmpty {
            return page(aggregate(matching, catalog))
        }
        // Sort keys are read once per record: a dotted key costs a lookup through the catalog.
        let keyed = matching.map { record in
            (record: record, keys: orderBy.map { $0.resolved.value(in: record, catalog: catalog) })
        }
        var rows = keyed.sorted { a, b in
            for (position, order) in orderBy.enumerated() {
                let c = compareForOrder(a.keys[position], b.keys[position], order.resolved.kind)
                if c != 0 { return order.descending ? c > 0 : c < 0 }
            }
            return compareForOrder(a.record["id"] ?? .null, b.record["id"] ?? .null, .number) < 0
        }
        .map(\.record)
        let more = rows.count > offset + limit
        rows = Array(rows.dropFirst(offset).prefix(limit))
        let projected = rows.map { record in
            var row: EmulatorRecord = ["id": record["id"] ?? .null]
            for column in columns {
                guard let resolved = column.resolved else { continue }
                row[column.column.key] = output(resolved.value(in: record, catalog: catalog), resolved.kind)
            }
            return row
        }
        return COQLResult(rows: projected, moreRecords: more)
    }

    private func page(_ rows: [EmulatorRecord]) -> COQLResult {
        COQLResult(rows: Array(rows.dropFirst(offset).prefix(limit)), moreRecords: rows.count > offset + limit)
    }

    /// A lookup selected bare comes back as `{"id"}` only; everything else as stored.
    private func output(_ value: JSONValue, _ kind: FieldKind) -> JSONValue {
        guard kind.isLookup else { return value }
        guard let id = value.lookupID else { return .null }
        return ["id": .string(id)]
    }

    private func aggregate(_ records: [EmulatorRecord], _ catalog: some QueryCatalog) -> [EmulatorRecord] {
        var groups: [[JSONValue]: [EmulatorRecord]] = [:]
        var order: [[JSONValue]] = []
        for record in records {
            let key = groupBy.map { output($0.value(in: record, catalog: catalog), $0.kind) }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(record)
        }
        if groupBy.isEmpty && order.isEmpty {
            order = [[]]
            groups[[]] = []
        }
        var rows: [EmulatorRecord] = []
        for key in order {
            let members = groups[key] ?? []
            var row: EmulatorRecord = [:]
            for column in columns {
                if let aggregate = column.column.aggregate {
                    row[column.column.key] = compute(aggregate, column.resolved, members, catalog)
                } else if let resolved = column.resolved,
                    let position = groupBy.firstIndex(where: {
                        $0.path.text.lowercased() == resolved.path.text.lowercased()
                    })
                {
                    row[column.column.key] = key[position]
                }
            }
            rows.append(row)
        }
        if !orderBy.isEmpty {
            rows.sort { a, b in
                for order in orderBy {
                    let key = columns.first { $0.resolved?.path.text == order.resolved.path.text }?.column.key
                    let c = compareForOrder(a[key ?? ""] ?? .null, b[key ?? ""] ?? .null, order.resolved.kind)
                    if c != 0 { return order.descending ? c > 0 : c < 0 }
                }
                return false
            }
        }
        return rows
    }

    private func compute(
        _ aggregate: COQLAggregate,
        _ resolved: ResolvedPath?,
        _ members: [EmulatorRecord],
        _ catalog: some QueryCatalog
    ) -> JSONValue {
        guard let resolved else { return .int(Int64(members.count)) }
        let values = members.map { resolved.value(in: $0, catalog: catalog) }.filter { !$0.isEmptyFieldValue }
        switch aggregate {
        case .count:
            return .int(Int64(values.count))
        case .sum, .avg:
            let numbers = values.compactMap(QueryNumber.init)
            guard !numbers.isEmpty else { return .null }
            if aggregate == .avg { return .double(numbers.map(\.double).reduce(0, +) / Double(numbers.count)) }
            if numbers.allSatisfy({ $0.integer != nil }) {
                var total: Int64 = 0
                for n in numbers {
                    let (sum, overflow) = total.addingReportingOverflow(n.integer ?? 0)
                    if overflow { return .double(numbers.map(\.double).reduce(0, +)) }
                    total = sum
                }
                return .int(total)
            }
            return .double(numbers.map(\.double).reduce(0, +))
        case .min, .max:
            let sorted = values.sorted { compareForOrder($0, $1, resolved.kind) < 0 }
            return (aggregate == .min ? sorted.first : sorted.last) ?? .null
        }
    }

    private func evaluate(_ condition: COQLCondition, _ record: EmulatorRecord, _ catalog: some QueryCatalog) -> Bool {
        switch condition {
        case .and(let l, let r): return evaluate(l, record, catalog) && evaluate(r, record, catalog)
        case .or(let l, let r): return evaluate(l, record, catalog) || evaluate(r, record, catalog)
        case .comparison(let comparison):
            guard let resolved = resolvedFields[comparison.path.text] else { return false }
            return matches(comparison, resolved.value(in: record, catalog: catalog), resolved.kind)
        }
    }

    /// SQL semantics: an empty field matches only `is null` (and never `!=`, `not in`, `not like`).
    private func matches(_ comparison: COQLComparison, _ value: JSONValue, _ kind: FieldKind) -> Bool {
        switch comparison.op {
        case .isNull: return value.isEmptyFieldValue
        case .isNotNull: return !value.isEmptyFieldValue
        default: break
        }
        guard !value.isEmptyFieldValue else { return false }
        let literals = comparison.values
        switch comparison.op {
        case .equal: return equals(value, literals[0], kind)
        case .notEqual: return !equals(value, literals[0], kind)
        case .in: return literals.contains { equals(value, $0, kind) }
        case .notIn: return !literals.contains { equals(value, $0, kind) }
        case .like: return like(value, literals[0].text, kind)
        case .notLike: return !like(value, literals[0].text, kind)
        case .greater: return order(value, literals[0], kind).map { $0 > 0 } ?? false
        case .greaterOrEqual: return order(value, literals[0], kind).map { $0 >= 0 } ?? false
        case .less: return order(value, literals[0], kind).map { $0 < 0 } ?? false
        case .lessOrEqual: return order(value, literals[0], kind).map { $0 <= 0 } ?? false
        case .between, .notBetween:
            guard let low = order(value, literals[0], kind), let high = order(value, literals[1], kind) else {
                return false
            }
            let inside = low >= 0 && high <= 0
            return comparison.op == .between ? inside : !inside
        case .isNull, .isNotNull: return false
        }
    }

    /// Text compares whole values ignoring case (Zoho's collation); lookups by id; numbers and times by value.
    private func equals(_ value: JSONValue, _ literal: COQLLiteral, _ kind: FieldKind) -> Bool {
        switch kind {
        case .text, .textarea, .picklist, .autonumber:
            guard let text = value.queryText else { return false }
            return text.lowercased() == literal.text.lowercased()
        case .multiselect:
            let wanted = Set(literal.text.split(separator: ";").map { String($0).queryTrimmed.lowercased() })
            return Set(value.multiselectValues.map { $0.lowercased() }) == wanted
        case .lookup, .owner:
            return value.lookupID == literal.text
        case .boolean:
            return value.queryBool == Bool(literal: literal.text)
        case .number, .date, .datetime:
            return order(value, literal, kind) == 0
        case .unsupported:
            return false
        }
    }

    /// `%` at the start, end or both; no `%` means the whole value; case-insensitive.
    private func like(_ value: JSONValue, _ pattern: String, _ kind: FieldKind) -> Bool {
        let text: String
        if kind == .multiselect {
            text = value.multiselectValues.joined(separator: ";").lowercased()
        } else {
            guard let t = value.queryText else { return false }
            text = t.lowercased()
        }
        var needle = pattern.lowercased()
        let leading = needle.hasPrefix("%")
        if leading { needle.removeFirst() }
        let trailing = needle.hasSuffix("%")
        if trailing { needle.removeLast() }
        switch (leading, trailing) {
        case (true, true): return needle.isEmpty || text.contains(needle)
        case (true, false): return text.hasSuffix(needle)
        case (false, true): return text.hasPrefix(needle)
        case (false, false): return text == needle
        }
    }

    /// -1, 0 or 1 comparing a stored value with a literal; nil when the stored value is not of the field's type.
    private func order(_ value: JSONValue, _ literal: COQLLiteral, _ kind: FieldKind) -> Int? {
        switch kind {
        case .number:
            guard let a = QueryNumber(value), let b = QueryNumber(text: literal.text) else { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        case .date, .datetime:
            guard let a = QueryTime(value), let b = QueryTime(text: literal.text) else { return nil }
            if kind == .date { return a.day < b.day ? -1 : (a.day == b.day ? 0 : 1) }
            return QueryTime.compare(a, b)
        default:
            return nil
        }
    }
}

/// Orders stored values for `order by`: empty first, then by the kind's natural order; text ignores case.
private func compareForOrder(_ a: JSONValue, _ b: JSONValue, _ kind: FieldKind) -> Int {
    switch (a.isEmptyFieldValue, b.isEmptyFieldValue) {
    case (true, true): return 0
    case (true, false): return -1
    case (false, true): return 1
    default: break
    }
    switch kind {
    case .number:
        if let x = QueryNumber(a), let y = QueryNumber(b) { return x < y ? -1 : (x == y ? 0 : 1) }
    case .date, .datetime:
        if let x = QueryTime(a), let y = QueryTime(b) { return QueryTime.compare(x, y) }
    case .boolean:
        if let x = a.queryBool, let y = b.queryBool { return x == y ? 0 : (x ? 1 : -1) }
    case .lookup, .owner:
        if let x = a.lookupID.flatMap({ QueryNumber(text: $0) }), let y = b.lookupID.flatMap({ QueryNumber(text: $0) })
        {
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    default:
        break
    }
    let x = a.queryText ?? a.lookupID ?? ""
    let y = b.queryText ?? b.lookupID ?? ""
    // Case-insensitive like Zoho's collation: `Boyle` and `boyle` tie, and ties fall back to id order.
    let lx = x.lowercased()
    let ly = y.lowercased()
    return lx < ly ? -1 : (lx == ly ? 0 : 1)
}
