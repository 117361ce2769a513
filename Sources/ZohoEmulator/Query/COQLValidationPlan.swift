/// A COQL query checked against the org's metadata and Zoho's limits: every path resolved to its field type, so
/// `COQLEvaluator` can run it without further checks.
struct COQLValidationPlan {
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
        guard let condition = query.condition else { throw .missing(clause: "where") }
        self.condition = condition
        try Self.checkCounts(query, criteria: condition.comparisons.count)
        columns = try Self.resolveColumns(query.columns, module: module, catalog: catalog)
        resolvedFields = try Self.resolveCriteria(condition.comparisons, module: module, catalog: catalog)
        groupBy = try Self.resolveGroupBy(query, columns: columns, module: module, catalog: catalog)
        // The Limitations page: a field named twice in ORDER BY or GROUP BY is DUPLICATE_DATA.
        try Self.checkRepeats(query.groupBy, clause: "group by")
        try Self.checkRepeats(query.orderBy.map(\.path), clause: "order by")
        orderBy = try Self.resolveOrderBy(query.orderBy, module: module, catalog: catalog)
        (limit, offset) = try Self.paging(query)
    }

    /// Zoho's size limits on the select list, aggregates, order by, group by and criteria.
    private static func checkCounts(_ query: COQLQuery, criteria: Int) throws(QueryError) {
        let checks: [(count: Int, limit: Int, by: String, message: String)] = [
            (query.columns.count, COQLRunner.maxColumns, "select", "the number of select columns exceeds the limit"),
            (
                query.columns.filter { $0.aggregate != nil }.count, COQLRunner.maxAggregates, "aggregate",
                "the number of aggregate functions exceeds the limit"
            ),
            (query.orderBy.count, COQLRunner.maxOrderBy, "order_by", "the number of order by fields exceeds the limit"),
            (query.groupBy.count, COQLRunner.maxGroupBy, "group_by", "the number of group by fields exceeds the limit"),
            (criteria, COQLRunner.maxCriteria, "where", "the number of criteria exceeds the limit"),
        ]
        for check in checks where check.count > check.limit {
            throw .limitExceeded(by: check.by, limit: check.limit, message: check.message)
        }
    }

    private static func resolveColumns(
        _ selected: [COQLColumn],
        module: String,
        catalog: some QueryCatalog
    ) throws(QueryError) -> [Column] {
        var columns: [Column] = []
        for column in selected {
            if let alias = column.alias { try checkAlias(alias) }
            var resolved: ResolvedPath?
            if let path = column.path {
                let r = try resolvePath(path, module: module, catalog: catalog)
                if let aggregate = column.aggregate { try checkAggregate(aggregate, r) }
                resolved = r
            }
            columns.append(Column(column: column, resolved: resolved))
        }
        try checkDuplicates(columns)
        return columns
    }

    private static func resolveCriteria(
        _ comparisons: [COQLComparison],
        module: String,
        catalog: some QueryCatalog
    ) throws(QueryError) -> [String: ResolvedPath] {
        var resolvedFields: [String: ResolvedPath] = [:]
        for comparison in comparisons {
            let resolved = try resolvePath(comparison.path, module: module, catalog: catalog)
            try check(comparison, resolved)
            resolvedFields[comparison.path.text] = resolved
        }
        return resolvedFields
    }

    private static func resolveGroupBy(
        _ query: COQLQuery,
        columns: [Column],
        module: String,
        catalog: some QueryCatalog
    ) throws(QueryError) -> [ResolvedPath] {
        var groupBy: [ResolvedPath] = []
        for path in query.groupBy {
            groupBy.append(try resolvePath(path, module: module, catalog: catalog))
        }
        guard columns.contains(where: { $0.column.aggregate != nil }) || !groupBy.isEmpty else { return groupBy }
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
        return groupBy
    }

    private static func resolveOrderBy(
        _ orders: [COQLOrder],
        module: String,
        catalog: some QueryCatalog
    ) throws(QueryError) -> [Order] {
        var orderBy: [Order] = []
        for order in orders {
            let resolved = try resolvePath(order.path, module: module, catalog: catalog)
            guard resolved.kind != .unsupported, resolved.kind != .multiselect else {
                throw .unsupportedType(order.path.text, dataType: resolved.dataType)
            }
            orderBy.append(Order(resolved: resolved, descending: order.descending))
        }
        return orderBy
    }

    /// LIMIT (default 200, 1...2000) and OFFSET (`offset + limit` at most 100,000).
    private static func paging(_ query: COQLQuery) throws(QueryError) -> (limit: Int, offset: Int) {
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
        return (limit, offset)
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
}
