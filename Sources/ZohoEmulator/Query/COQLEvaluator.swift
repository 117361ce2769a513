/// Runs a validated COQL query over the catalog's records: filter, group and aggregate or sort, page, project.
struct COQLEvaluator {
    /// The checked query.
    let plan: COQLValidationPlan

    private var module: String { plan.module }
    private var columns: [COQLValidationPlan.Column] { plan.columns }
    private var condition: COQLCondition { plan.condition }
    private var resolvedFields: [String: ResolvedPath] { plan.resolvedFields }
    private var groupBy: [ResolvedPath] { plan.groupBy }
    private var orderBy: [COQLValidationPlan.Order] { plan.orderBy }
    private var limit: Int { plan.limit }
    private var offset: Int { plan.offset }

    func execute(catalog: some QueryCatalog) -> COQLResult {
        if columns.contains(where: { $0.column.aggregate != nil }) || !groupBy.isEmpty {
            let matching = catalog.records(module: module).filter { evaluate(condition, $0, catalog) }
            return page(aggregate(matching, catalog))
        }
        if let keys = indexKeys(condition), let candidates = catalog.records(module: module, keys: keys) {
            return sortAndPage(candidates.filter { evaluate(condition, $0, catalog) }, catalog)
        }
        if let descending = idOrderDescending, catalog.idOrderIsNumeric(module: module) {
            // Already in the asked order: read only until the page and one more row are found.
            var rows: [EmulatorRecord] = []
            let wanted = offset + limit + 1
            catalog.visitRecords(module: module, reversed: descending) { record in
                if evaluate(condition, record, catalog) { rows.append(record) }
                return rows.count < wanted
            }
            return project(Array(rows.dropFirst(offset).prefix(limit)), more: rows.count > offset + limit, catalog)
        }
        return sortAndPage(catalog.records(module: module).filter { evaluate(condition, $0, catalog) }, catalog)
    }

    /// Nil unless the query asks for id order alone (no `order by`, `order by id` or `order by id desc`): then
    /// whether descending.
    private var idOrderDescending: Bool? {
        guard let order = orderBy.first else { return false }
        guard orderBy.count == 1, order.resolved.path.parts.count == 1,
            order.resolved.path.parts[0].lowercased() == "id", order.resolved.kind == .number
        else { return nil }
        return order.descending
    }

    /// The index keys a record must have to match: `id` or a lookup compared with `=` or `in` (any branch of an
    /// `or` must have some, one side of an `and` is enough); nil when only a scan can tell.
    private func indexKeys(_ condition: COQLCondition) -> Set<RecordKey>? {
        switch condition {
        case .and(let l, let r):
            switch (indexKeys(l), indexKeys(r)) {
            case (let a?, let b?): return a.count <= b.count ? a : b
            case (let a?, nil): return a
            case (nil, let b?): return b
            case (nil, nil): return nil
            }
        case .or(let l, let r):
            guard let a = indexKeys(l), let b = indexKeys(r) else { return nil }
            return a.union(b)
        case .comparison(let c):
            guard c.op == .equal || c.op == .in, c.path.parts.count == 1, let resolved = resolvedFields[c.path.text]
            else { return nil }
            let field = c.path.parts[0]
            if field.lowercased() == "id" && resolved.kind == .number {
                // Numbers compare by value: only a plain integer literal names exactly one id.
                let texts = c.values.map(\.text)
                guard texts.allSatisfy(Self.isPlainInteger) else { return nil }
                return Set(texts.map(RecordKey.id))
            }
            guard resolved.kind == .lookup else { return nil }
            return Set(c.values.map { RecordKey.lookup(field: field, parent: $0.text) })
        }
    }

    /// ASCII digits without a leading zero, within Int64.
    private static func isPlainInteger(_ text: String) -> Bool {
        let utf8 = text.utf8
        return !utf8.isEmpty && utf8.allSatisfy { $0 >= 48 && $0 <= 57 } && (utf8.first != 48 || utf8.count == 1)
            && Int64(text) != nil
    }

    private func sortAndPage(_ matching: [EmulatorRecord], _ catalog: some QueryCatalog) -> COQLResult {
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
        return project(rows, more: more, catalog)
    }

    /// The page's rows as the answer shows them: `id` and the selected columns.
    private func project(_ rows: [EmulatorRecord], more: Bool, _ catalog: some QueryCatalog) -> COQLResult {
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
