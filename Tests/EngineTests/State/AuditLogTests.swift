import Engine
import Foundation
import Testing

struct StateAuditLogTests {
    /// Five events over two runs, two rules and three records; `q1`'s conversion created `inv-1`.
    static func seeded() throws -> StateStore {
        let store = try StateStore.inMemory()
        try store.append([
            event(0, run: "r1", rule: "a", step: "select", outcome: "selected"),
            event(1, run: "r1", rule: "a", record: "q1", outcome: "converted", child: "inv-1"),
            event(2, run: "r1", rule: "b", record: "q2", step: "skip", outcome: "skipped"),
            event(3, run: "r2", rule: "a", record: "q1", step: "guard", outcome: "skipped"),
            event(4, run: "r2", rule: "b", record: "q3", outcome: "failed"),
        ])
        return store
    }

    @Test func appendAssignsIncreasingIDs() throws {
        let store = try Self.seeded()
        let events = try store.auditEvents(AuditFilter())
        #expect(events.compactMap(\.id) == [1, 2, 3, 4, 5])
        #expect(events[1].recordID == "q1")
        #expect(events[1].module == "Quotes")
        #expect(events[1].ruleFile == "rules/quotes.yaml")
        #expect(events[1].ruleLine == 3)
        #expect(events[1].time == instant(1))
        try store.append([event(5)])
        #expect(try store.auditEvents(AuditFilter()).last?.id == 6)
    }

    struct FilterCase: Sendable, CustomTestStringConvertible {
        var filter: AuditFilter
        var expected: [Int64]
        var testDescription: String {
            "run=\(filter.runID ?? "*") rule=\(filter.rule ?? "*") record=\(filter.recordID ?? "*") "
                + "limit=\(filter.limit.map { String($0) } ?? "-")"
        }
    }

    static let filterCases: [FilterCase] = [
        FilterCase(filter: AuditFilter(), expected: [1, 2, 3, 4, 5]),
        FilterCase(filter: AuditFilter(runID: "r1"), expected: [1, 2, 3]),
        FilterCase(filter: AuditFilter(rule: "b"), expected: [3, 5]),
        FilterCase(filter: AuditFilter(recordID: "q1"), expected: [2, 4]),
        FilterCase(filter: AuditFilter(recordID: "inv-1"), expected: [2]),
        FilterCase(filter: AuditFilter(runID: "r2", rule: "a"), expected: [4]),
        FilterCase(filter: AuditFilter(runID: "r1", rule: "a", recordID: "q1"), expected: [2]),
        FilterCase(filter: AuditFilter(runID: "r2", recordID: "q2"), expected: []),
        FilterCase(filter: AuditFilter(limit: 2), expected: [4, 5]),
        FilterCase(filter: AuditFilter(rule: "a", limit: 2), expected: [2, 4]),
        FilterCase(filter: AuditFilter(limit: 0), expected: []),
        FilterCase(filter: AuditFilter(runID: "nope"), expected: []),
    ]

    @Test(arguments: filterCases)
    func filters(_ example: FilterCase) throws {
        let store = try Self.seeded()
        #expect(try store.auditEvents(example.filter).compactMap(\.id) == example.expected)
    }

    @Test func oldestFirstByTimeThenInsertion() throws {
        let store = try StateStore.inMemory()
        try store.append([event(10, step: "late"), event(1, step: "early"), event(10, step: "late-second")])
        #expect(try store.auditEvents(AuditFilter()).map(\.step) == ["early", "late", "late-second"])
    }
}
