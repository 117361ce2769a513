import Foundation
import Logging
import RuleKit
import ZohoCRM

/// One rule's pass through its pipeline: select → re-check → guard → batch → convert → confirm → follow-ups → audit.
struct RuleRun: Sendable {
    let executor: Executor
    let pipeline: Pipeline
    let runID: String
    let timeZone: TimeZone
    let directory: OrgDirectory
    let audit: AuditTrail

    var client: ZohoClient { executor.client }
    var store: StateStore { executor.store }
    var dryRun: Bool { executor.options.dryRun }
    var ruleName: String { pipeline.rule.name }

    static let massBatchSize = 50

    func execute() async -> RuleReport {
        var report = emptyReport()
        do {
            if !dryRun { try await reconcile(&report) }
            let selected = try await select()
            let matching = recheck(selected, report: &report)
            let guarded = try await guardRecords(matching, report: &report)
            let eligible = applyLimit(guarded.eligible, report: &report)
            executor.progress(.ruleStarted(rule: ruleName, total: eligible.count))
            switch pipeline.conversion {
            case .inventory(let inventory):
                try await convertInventory(eligible, inventory, report: &report)
            case .lead(let lead):
                try await convertLeads(eligible, lead, report: &report)
            }
            if !guarded.followUpBacklog.isEmpty { await finishFollowUps(guarded.followUpBacklog, report: &report) }
        } catch {
            report.error = Self.describe(error)
            audit.record("rule", "failed", detail: report.error)
        }
        executor.progress(.ruleFinished(rule: ruleName))
        return report
    }

    // MARK: - select and re-check

    private func select() async throws -> [ZohoRecord] {
        let records = try await client.coqlAll(pipeline.selectQuery)
        let pages = max(1, (records.count + 1999) / 2000)
        for _ in 0..<pages { await directory.count("POST /coql", credits: APICost.coql(limit: 2000)) }
        audit.record("select", "read", detail: "\(records.count) records: \(pipeline.selectQuery)")
        return records
    }

    private func recheck(_ records: [ZohoRecord], report: inout RuleReport) -> [ZohoRecord] {
        guard let condition = pipeline.rule.condition else { return records }
        let now = executor.now()
        var kept: [ZohoRecord] = []
        for record in records {
            if condition.evaluate({ RecordValues.value(record, $0) }, now: now, timeZone: timeZone) {
                kept.append(record)
            } else {
                report.excludedByRecheck += 1
                audit.record(
                    "recheck",
                    "excluded",
                    recordID: record.id,
                    detail: "returned by the query but does not match the rule on our side"
                )
            }
        }
        return kept
    }

    // MARK: - guard

    /// Skips records this rule already converted (ledger), or that Zoho shows converted (back-link).
    private func guardRecords(
        _ records: [ZohoRecord],
        report: inout RuleReport
    ) async throws -> (eligible: [ZohoRecord], followUpBacklog: [ZohoRecord]) {
        let ids = records.compactMap(\.id)
        let ledger = try store.ledgerEntries(
            rule: ruleName,
            targetModule: pipeline.conversion.targetModule,
            sourceIDs: ids
        )
        var children: [String: String] = [:]
        if case .inventory(let inventory) = pipeline.conversion, inventory.route.backLinkField != nil {
            children = try await existingChildren(of: ids, route: inventory.route)
        }
        var eligible: [ZohoRecord] = []
        var backlog: [ZohoRecord] = []
        for record in records {
            guard let id = record.id else { continue }
            let name = RecordValues.name(record, module: pipeline.module)
            if let entry = ledger[id], entry.state == .converted {
                skip(
                    record,
                    name: name,
                    reason: "already converted by this rule in run \(entry.runID)",
                    childID: entry.childID,
                    report: &report
                )
                if followUpsPending(id) { backlog.append(record) }
            } else if let entry = ledger[id], [.pending, .submitted, .unknown].contains(entry.state) {
                let outcome = outcome(record, name: name, status: .unknown)
                report.records.append(
                    with(outcome) {
                        $0.reason =
                            "an earlier write's result is not confirmed yet; it is checked again next run, "
                            + "never resent blindly"
                    }
                )
                audit.record("guard", "unknown", recordID: id, detail: "ledger state \(entry.state.rawValue)")
            } else if let child = children[id] {
                if let entry = ledger[id], !dryRun {
                    try store.markOutcome(entry.key, .converted(childID: child))
                }
                skip(
                    record,
                    name: name,
                    reason: "already converted: \(pipeline.conversion.targetModule) \(child) links back to it",
                    childID: child,
                    report: &report
                )
            } else {
                eligible.append(record)
            }
        }
        return (eligible, backlog)
    }

    /// Follow-ups an earlier run did not finish (it stopped between conversion and follow-ups).
    private func finishFollowUps(_ records: [ZohoRecord], report: inout RuleReport) async {
        let ids = records.compactMap(\.id)
        let byID = Dictionary(records.compactMap { r in r.id.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        let results = await followUps(for: ids, records: byID)
        for index in report.records.indices {
            guard let result = results[report.records[index].recordID] else { continue }
            report.records[index].notes += ["follow-ups left by an earlier run:"] + result.notes
            report.records[index].followUpFailed = result.failed
        }
    }

    private func applyLimit(_ records: [ZohoRecord], report: inout RuleReport) -> [ZohoRecord] {
        guard let limit = pipeline.maxRecords, records.count > limit else { return records }
        for record in records.dropFirst(limit) {
            skip(
                record,
                name: RecordValues.name(record, module: pipeline.module),
                reason: "limits.max_records (\(limit)) reached for this run; left for the next run",
                report: &report
            )
        }
        return Array(records.prefix(limit))
    }

    /// Parent id → child id, for children that link back through the route's lookup.
    func existingChildren(of ids: [String], route: ConversionRoute) async throws -> [String: String] {
        guard let field = route.backLinkField, !ids.isEmpty else { return [:] }
        var children: [String: String] = [:]
        for chunk in ids.chunked(into: QueryBuilder.maximumInValues) {
            let list = try COQL.list(chunk)
            let query = "select id, \(field) from \(route.target) where \(field) in \(list) order by id asc"
            let rows = try await client.coqlAll(query)
            await directory.count("POST /coql", credits: APICost.coql(limit: 2000))
            for row in rows {
                if let parent = row[field]["id"].idValue ?? row[field].idValue, let child = row.id,
                    children[parent] == nil
                {
                    children[parent] = child
                }
            }
        }
        return children
    }

    // MARK: - outcomes

    func outcome(_ record: ZohoRecord, name: String, status: RecordOutcome.Status) -> RecordOutcome {
        var tested: [String: String] = [:]
        for comparison in pipeline.rule.condition?.comparisons ?? [] {
            tested[comparison.field] = RecordValues.text(record, comparison.field) ?? "null"
        }
        return RecordOutcome(recordID: record.id ?? "", name: name, status: status, tested: tested)
    }

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
        audit.record("guard", "skipped", recordID: record.id, detail: reason, childID: childID)
    }

    func emptyReport() -> RuleReport {
        let method: String
        let reason: String
        switch pipeline.conversion {
        case .inventory(let inventory):
            method = inventory.route.method.rawValue
            reason = inventory.route.methodReason
        case .lead(let lead):
            method = lead.massEligible ? "lead-mass+single" : "lead-single"
            reason = lead.methodReason
        }
        return RuleReport(
            rule: ruleName,
            file: pipeline.ruleFile,
            line: pipeline.ruleLine,
            module: pipeline.module,
            target: pipeline.conversion.targetModule,
            method: method,
            methodReason: reason,
            query: pipeline.selectQuery,
            serverSide: pipeline.serverSide,
            localOnly: pipeline.localOnly,
            steps: steps(),
            scopes: pipeline.scopes,
            records: [],
            excludedByRecheck: 0,
            batches: [],
            callsMade: [],
            callsToCome: [],
            error: nil
        )
    }

    private func steps() -> [String] {
        var steps = [
            "select: COQL on \(pipeline.module), 2000 a page, ordered by id",
            "re-check: every record against the whole condition on our side",
            "guard: skip what this rule already converted (ledger)",
        ]
        switch pipeline.conversion {
        case .inventory(let inventory):
            if let field = inventory.route.backLinkField {
                steps[2] += " or what Zoho shows converted (\(inventory.route.target).\(field))"
            }
            steps.append("convert: \(inventory.route.methodReason)")
            if inventory.route.method == .single && !inventory.related.isEmpty {
                steps.append(
                    "note: the single convert has no related_modules, so \(inventory.related.joined(separator: ", ")) "
                        + "records stay with the \(inventory.route.source) record"
                )
            }
            steps.append(
                inventory.route.method == .mass
                    ? "confirm: after the job completes, find each child through \(inventory.route.target)."
                        + "\(inventory.route.backLinkField ?? ""); records the job did not convert are tried once "
                        + "with the single convert to learn Zoho's reason"
                    : "confirm: the single convert's response names the new record"
            )
        case .lead(let lead):
            steps.append("options: __conversion_options for each lead; duplicates: \(lead.action.duplicates.rawValue)")
            steps.append("convert: \(lead.methodReason)")
            steps.append("confirm: Converted__s and Converted_Contact/Account/Deal on each lead")
        }
        for followUp in pipeline.followUps {
            switch followUp {
            case .update(let fields):
                steps.append(
                    "update: \(fields.map(\.field.value).joined(separator: ", ")) on \(pipeline.module), after the "
                        + "conversion is confirmed"
                )
            case .tag(let tags):
                steps.append(
                    "tag: \(tags.joined(separator: ", ")) on \(pipeline.module), after the conversion is confirmed"
                )
            }
        }
        steps.append("audit: every record's outcome in the state directory")
        return steps
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? EngineError { return error.message }
        if let error = error as? ZohoError { return error.description }
        if let error = error as? StateError { return error.description }
        return String(describing: error)
    }
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

extension RuleRun {
    /// Writes an outcome to the ledger. A failure is logged loudly, not thrown: the conversion already happened (or
    /// not) in Zoho, the record's outcome is still reported, and the next run's reconciliation settles the ledger.
    func ledger(_ write: () throws -> Void) {
        do {
            try write()
        } catch {
            executor.logger.error("ledger write failed for rule \(ruleName): \(error)")
        }
    }
}
