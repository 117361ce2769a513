import Foundation
import Logging
import RuleKit
import Synchronization
import ZohoCRM

/// What every part of one rule's run shares: the executor, the compiled pipeline, the run, the org directory and
/// the audit trail.
struct RuleContext: Sendable {
    let executor: Executor
    let pipeline: Pipeline
    let runID: String
    let timeZone: TimeZone
    let directory: OrgDirectory
    let audit: AuditTrail
    /// Set by the rule's first transient fault, or by Ctrl-C / SIGTERM: nothing more is sent for it this run.
    var stop: TransientStop { transientStop }
    private let transientStop: TransientStop

    init(
        executor: Executor,
        pipeline: Pipeline,
        runID: String,
        timeZone: TimeZone,
        directory: OrgDirectory,
        audit: AuditTrail
    ) {
        self.executor = executor
        self.pipeline = pipeline
        self.runID = runID
        self.timeZone = timeZone
        self.directory = directory
        self.audit = audit
        self.transientStop = TransientStop(run: executor.options.stop)
    }
}

/// A part of a rule's run (selection, a converter, a mass-convert job, follow-ups, reconciliation); the helpers
/// below read its `RuleContext`.
protocol RuleStep: Sendable {
    /// The rule's run this part belongs to.
    var context: RuleContext { get }
}

extension RuleStep {
    var executor: Executor { context.executor }
    var pipeline: Pipeline { context.pipeline }
    var runID: String { context.runID }
    var timeZone: TimeZone { context.timeZone }
    var directory: OrgDirectory { context.directory }
    var audit: AuditTrail { context.audit }
    var client: ZohoClient { executor.client }
    var store: StateStore { executor.store }
    var dryRun: Bool { executor.options.dryRun }
    var ruleName: String { pipeline.rule.name }

    /// A record's readable name (Subject, lead name) for the report.
    func name(of record: ZohoRecord) -> String { RecordValues.name(record, module: pipeline.module) }

    /// An outcome for `record`, with the values of the fields the rule tests.
    func outcome(_ record: ZohoRecord, name: String, status: RecordOutcome.Status) -> RecordOutcome {
        var tested: [String: String] = [:]
        for comparison in pipeline.rule.condition?.comparisons ?? [] {
            tested[comparison.field] = RecordValues.text(record, comparison.field) ?? "null"
        }
        var made = RecordOutcome(recordID: record.id ?? "", name: name, status: status, tested: tested)
        made.modifiedTime = RecordValues.text(record, "Modified_Time")
        return made
    }

    /// Reports `record` skipped, and audits it as a guard decision.
    func skip(
        _ record: ZohoRecord,
        name: String,
        reason: String,
        childID: String? = nil,
        report: inout RuleReport
    ) {
        var skipped = outcome(record, name: name, status: .skipped)
        skipped.reason = reason
        skipped.childID = childID
        report.records.append(skipped)
        audit.record(.guard, .skipped, recordID: record.id, detail: reason, childID: childID)
    }

    /// The ledger key of this rule's conversion of `sourceID`.
    func ledgerKey(_ sourceID: String) -> LedgerKey {
        LedgerKey(
            rule: ruleName,
            sourceModule: pipeline.module,
            sourceID: sourceID,
            targetModule: pipeline.conversion.targetModule
        )
    }

    /// Writes an outcome to the ledger. A failure is logged loudly, not thrown: the conversion already happened (or
    /// not) in Zoho, the record's outcome is still reported, and the next run's reconciliation settles the ledger.
    func ledger(_ write: () throws -> Void) {
        do {
            try write()
        } catch {
            executor.logger.error("ledger write failed for rule \(ruleName): \(error)")
        }
    }

    /// Parent id → child id, for children that link back through the route's lookup.
    ///
    /// One query per 50 ids, run concurrently (the client's limiter bounds them), each with LIMIT 200: a chunk
    /// expects about one child per parent, and a LIMIT of 200 or less costs 1 credit where 2000 costs 3 (issue 13).
    func childrenLinkingBack(to ids: [String], route: ConversionRoute) async throws -> [String: String] {
        guard let field = route.backLinkField, !ids.isEmpty else { return [:] }
        let queries = try ids.chunked(into: QueryBuilder.maximumInValues).map { chunk in
            "select id, \(field) from \(route.target) where \(field) in \(try COQL.list(chunk)) order by id asc"
        }
        let client = self.client
        let pages = await concurrentMap(queries, width: client.configuration.complexConcurrencyLimit) { query in
            do {
                return Result<[ZohoRecord], any Error>.success(try await client.coqlAll(query, pageSize: 200))
            } catch {
                return Result<[ZohoRecord], any Error>.failure(error)
            }
        }
        var children: [String: String] = [:]
        for page in pages {
            for row in try page.get() {
                if let parent = row[field]["id"].idValue ?? row[field].idValue, let child = row.id,
                    children[parent] == nil
                {
                    children[parent] = child
                }
            }
        }
        return children
    }

    /// A value to write: constants as Zoho types, templates rendered against the source record.
    func json(_ value: AssignedValue, source: ZohoRecord, now: Date) throws -> ZohoJSON {
        switch value {
        case .value(let constant):
            return json(constant, now: now)
        case .template(let template):
            return .string(try template.render(field: { RecordValues.text(source, $0) }, now: now, timeZone: timeZone))
        }
    }

    /// A rule constant as the Zoho type it is written as.
    func json(_ value: RuleValue, now: Date) -> ZohoJSON {
        switch value {
        case .string(let text): return .string(text)
        case .number(let number):
            return number.wholeNumber.map(ZohoJSON.int) ?? .double(number)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .list(let items): return .array(items.map { json($0, now: now) })
        case .date(let date): return .string(date.resolve(now: now, timeZone: timeZone).formatted(in: timeZone))
        }
    }

    /// The fields of `assignments` rendered against `source`.
    func fields(_ assignments: [FieldAssignment], source: ZohoRecord, now: Date) throws -> [String: ZohoJSON] {
        var fields: [String: ZohoJSON] = [:]
        for assignment in assignments {
            fields[assignment.field.value] = try json(assignment.value, source: source, now: now)
        }
        return fields
    }

    /// An error as one line for the report and the audit log.
    static func describe(_ error: any Error) -> String {
        if let error = error as? EngineError { return error.message }
        if let error = error as? ZohoError { return error.description }
        if let error = error as? StateError { return error.description }
        return String(describing: error)
    }

    /// Zoho's code for a failed call, or `fallback` when Zoho gave none.
    static func zohoCode(_ error: any Error, fallback: String = "REQUEST_FAILED") -> String {
        (error as? ZohoError)?.zohoCode ?? fallback
    }

    static func seconds(_ duration: Duration) -> TimeInterval { duration.seconds }
}

/// Runs `body` for each element with at most `width` running at once, returning results in input order.
func concurrentMap<T: Sendable, R: Sendable>(
    _ items: [T],
    width: Int,
    _ body: @escaping @Sendable (T) async -> R
) async -> [R] {
    await withTaskGroup(of: (Int, R).self) { group in
        var results: [R?] = Array(repeating: nil, count: items.count)
        var next = 0
        for _ in 0..<min(max(width, 1), items.count) {
            let index = next
            group.addTask { (index, await body(items[index])) }
            next += 1
        }
        while let (index, result) = await group.next() {
            results[index] = result
            if next < items.count {
                let index = next
                group.addTask { (index, await body(items[index])) }
                next += 1
            }
        }
        return results.compactMap { $0 }
    }
}

func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
    var copy = value
    change(&copy)
    return copy
}

extension Array {
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

/// A counter shared by concurrent tasks, for progress.
final class Counter: Sendable {
    private let value = Mutex(0)

    func increment() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
