import Testing

@testable import ZohoEmulator

/// Hostile and random input: every query either runs or is refused with a `QueryError`; none crashes or hangs.
@Suite("Query robustness")
struct QueryRobustnessTests {
    /// A deterministic generator, so a failure reproduces.
    struct SplitMix {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    static let coqlPieces = [
        "select", "from", "where", "Contacts", "Deals", "Last_Name", "Account_Name", ".", ",", "(", ")", "=", "!=",
        "<", ">=", "like", "not", "in", "between", "and", "or", "is", "null", "'x'", "'%a%'", "12", "-3", "true",
        "order", "by", "desc", "limit", "offset", "2001", "as", "a", "COUNT", "*", "'", "\\", "\n", ";", "Score",
        "Owner", "email", "group",
    ]

    @Test func randomCOQLNeverCrashes() {
        let catalog = QueryTestCatalog.make()
        var random = SplitMix(state: 42)
        var ran = 0
        var refused = 0
        for _ in 0..<2000 {
            let count = 1 + random.next(14)
            let pieces = (0..<count).map { _ in Self.coqlPieces[random.next(Self.coqlPieces.count)] }
            let query = "select Last_Name from Contacts where " + pieces.joined(separator: " ")
            do {
                _ = try COQLRunner.run(query, catalog: catalog)
                ran += 1
            } catch {
                refused += 1
                #expect(["SYNTAX_ERROR", "INVALID_QUERY", "LIMIT_EXCEEDED"].contains(error.code), "\(query)")
            }
        }
        #expect(ran + refused == 2000)
        #expect(refused > 0)
    }

    static let criteriaPieces = [
        "(", ")", "Last_Name", "Score", ":", "equals", "in", "between", "starts_with", "and", "or", "a", "1,2", "\\",
        "\\(", "\\,", " ", "Owner", "greater_than",
    ]

    @Test func randomCriteriaNeverCrash() {
        let catalog = QueryTestCatalog.make()
        var random = SplitMix(state: 7)
        for _ in 0..<2000 {
            let count = 1 + random.next(16)
            let text = (0..<count).map { _ in Self.criteriaPieces[random.next(Self.criteriaPieces.count)] }.joined()
            do {
                let criteria = try SearchCriteria(parsing: text)
                try criteria.validate(module: "Contacts", catalog: catalog)
                _ = catalog.records(module: "Contacts").filter {
                    criteria.matches($0, module: "Contacts", catalog: catalog)
                }
            } catch {
                #expect(error.code == "INVALID_QUERY", "\(text)")
            }
        }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let coql = "select id from Contacts where " + String(repeating: "(", count: 10_000) + "id is null"
        let error = queryError { _ = try COQLRunner.run(coql, catalog: QueryTestCatalog.make()) }
        #expect(error?.code == "SYNTAX_ERROR")
        #expect(error?.details["column"] == .int(Int64(31 + COQLParser.maxNesting)))
        let criteria = String(repeating: "(", count: 10_000) + "Last_Name:equals:a"
        let searchError = queryError { _ = try SearchCriteria(parsing: criteria) }
        #expect(searchError?.details["reason"] == "parentheses nest deeper than 32")
    }

    @Test func nestingWithinTheBoundParses() throws {
        let depth = 20
        let coql =
            "select id from Contacts where " + String(repeating: "(", count: depth) + "id is null"
            + String(repeating: ")", count: depth)
        #expect(try COQLRunner.run(coql, catalog: QueryTestCatalog.make()).rows.isEmpty)
    }
}
