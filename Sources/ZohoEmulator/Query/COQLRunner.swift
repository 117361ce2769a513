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
/// 100,000; 500 select columns and `in` / `not in` lists of 100 values (Kaizen #183, since v7); 25 criteria; 10
/// `order by` fields; 4 `group by` fields; 5 aggregates; lookups two levels deep.
enum COQLRunner {
    /// LIMIT when the query gives none.
    static let defaultLimit = 200
    /// The largest LIMIT of one call.
    static let maxLimit = 2000
    /// How far `offset + limit` may page in all.
    static let maxReachable = 100_000
    /// Select-list size.
    static let maxColumns = 500
    /// Criteria in one `where` clause.
    static let maxCriteria = 25
    /// Values in one `in` / `not in` list.
    static let maxInValues = 100
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
        let plan = try COQLValidationPlan(query: query, catalog: catalog)
        return COQLEvaluator(plan: plan).execute(catalog: catalog)
    }
}
