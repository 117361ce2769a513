import Foundation
import Logging
import RuleKit
import ZohoCRM

/// One rule's pass through its pipeline: reconcile → follow-ups an earlier run left (by record id, from the ledger)
/// → select → re-check → guard → limit → convert (an `InventoryConverter` or a `LeadConverter`) → follow-ups.
struct RuleRun: RuleStep {
    let context: RuleContext

    /// Plans or runs the rule; problems that stop it are in the report's `error`, not thrown.
    func execute() async -> RuleReport {
        var report = emptyReport()
        var leftover: [String: FollowUpResult] = [:]
        var reconciled: [String: String] = [:]
        let followUps = FollowUpRunner(context: context)
        do {
            if !dryRun { reconciled = try await Reconciler(context: context).reconcile() }
            // Whatever the rule selects now: an earlier update may have taken a record out of the selection.
            leftover = await followUps.finishPending(known: [:])
            // A plan sees what the earlier rules of this run will have done (see PlanOverlay).
            let selected = dryRun ? try await withEarlierEffects(try await select()) : try await select()
            let matching = recheck(selected, report: &report)
            let planned = PlannedSelection(context: context).filter(matching, report: &report)
            let undecided = dryRun ? settleEarlierConversions(planned, report: &report) : planned
            let guarded = try await guardRecords(undecided, reconciled: reconciled, report: &report)
            let eligible = applyLimit(guarded, report: &report)
            executor.progress(.ruleStarted(rule: ruleName, total: eligible.count))
            switch pipeline.conversion {
            case .inventory(let inventory):
                try await InventoryConverter(context: context, conversion: inventory).convert(eligible, report: &report)
            case .lead(let lead):
                try await LeadConverter(context: context, conversion: lead).convert(eligible, report: &report)
            }
            await annotate(&report, selected: selected)
            if dryRun { remember(report, selected: selected) }
            if let reason = context.stop.reason {
                let pending = report.records.count { $0.reason?.hasPrefix("pending:") == true }
                report.error =
                    "stopped by a transient fault (\(reason)); \(pending) record(s) not converted stay pending, and "
                    + "the next run carries on"
            }
            let converted = Set(
                report.records.filter { $0.status == .converted && reconciled[$0.recordID] == nil }.map(\.recordID)
            )
            if !converted.isEmpty {
                let byID = Dictionary(
                    selected.compactMap { r in r.id.map { ($0, r) } },
                    uniquingKeysWith: { a, _ in a }
                )
                merge(await followUps.finishPending(only: converted, known: byID), into: &report, earlier: false)
            }
        } catch {
            report.error = Self.describe(error)
            audit.record(.rule, .failed, detail: report.error)
        }
        for (id, child) in reconciled.sorted(by: { $0.key < $1.key })
        where !report.records.contains(where: { $0.recordID == id }) {
            // Its follow-ups may have taken it out of the selection already; it is still this run's finding.
            report.records.append(
                RecordOutcome(
                    recordID: id,
                    name: id,
                    status: .converted,
                    reason: "converted by an earlier run, which stopped before confirming it; found by reconciliation",
                    childID: child,
                    notes: ["converted by reconciliation"]
                )
            )
        }
        merge(leftover, into: &report, earlier: true)
        executor.progress(.ruleFinished(rule: ruleName))
        return report
    }

    /// Notes follow-up results on the records' outcomes; a record this run did not select gets an outcome of its
    /// own, so the report accounts for every call.
    private func merge(_ results: [String: FollowUpResult], into report: inout RuleReport, earlier: Bool) {
        let heading = earlier ? ["follow-ups left by an earlier run:"] : []
        for (id, result) in results.sorted(by: { $0.key < $1.key }) {
            if let index = report.records.firstIndex(where: { $0.recordID == id }) {
                report.records[index].notes += heading + result.notes
                report.records[index].followUpFailed = report.records[index].followUpFailed || result.failed
            } else {
                report.records.append(
                    RecordOutcome(
                        recordID: id,
                        name: id,
                        status: .skipped,
                        reason: "converted by an earlier run; the follow-ups it left were done now, "
                            + "whatever the rule selects today",
                        notes: heading + result.notes,
                        followUpFailed: result.failed
                    )
                )
            }
        }
    }

    // MARK: - select and re-check

    private func select() async throws -> [ZohoRecord] {
        let records = try await client.coqlAll(pipeline.selectQuery)
        audit.record(.select, .read, detail: "\(records.count) records: \(pipeline.selectQuery)")
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
                    .recheck,
                    .excluded,
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
        reconciled: [String: String],
        report: inout RuleReport
    ) async throws -> [ZohoRecord] {
        let ids = records.compactMap(\.id)
        let ledger = try store.ledgerEntries(
            rule: ruleName,
            targetModule: pipeline.conversion.targetModule,
            sourceIDs: ids
        )
        var children: [String: String] = [:]
        if case .inventory(let inventory) = pipeline.conversion, inventory.route.backLinkField != nil {
            children = try await childrenLinkingBack(to: ids, route: inventory.route)
        }
        var eligible: [ZohoRecord] = []
        for record in records {
            guard let id = record.id else { continue }
            if let entry = ledger[id], entry.state == .converted, let child = reconciled[id] {
                // The earlier run converted it but was stopped before it could confirm it: it counts as converted.
                report.records.append(
                    with(outcome(record, name: name(of: record), status: .converted)) {
                        $0.childID = child
                        $0.method = entry.method.rawValue
                        $0.reason =
                            "converted by run \(entry.runID), which stopped before confirming it; found by "
                            + "reconciliation"
                        $0.notes = ["converted by reconciliation"]
                    }
                )
            } else if let entry = ledger[id], entry.state == .converted {
                let reason = "already converted by this rule in run \(entry.runID)"
                skip(record, name: name(of: record), reason: reason, childID: entry.childID, report: &report)
            } else if let entry = ledger[id], LedgerState.unfinished.contains(entry.state) {
                report.records.append(
                    with(outcome(record, name: name(of: record), status: .unknown)) {
                        $0.reason =
                            "an earlier write's result is not confirmed yet; it is checked again next run, "
                            + "never resent blindly"
                    }
                )
                audit.record(.guard, .unknown, recordID: id, detail: "ledger state \(entry.state.rawValue)")
            } else if let child = children[id] {
                if let entry = ledger[id], !dryRun {
                    let event = audit.event(
                        .guard,
                        .converted,
                        recordID: id,
                        detail: "found by its back-link",
                        childID: child
                    )
                    try recordConverted([(entry.key, child)], followUps: entry.method, events: [event])
                }
                let reason = "already converted: \(pipeline.conversion.targetModule) \(child) links back to it"
                skip(record, name: name(of: record), reason: reason, childID: child, report: &report)
            } else {
                eligible.append(record)
            }
        }
        return eligible
    }

    private func applyLimit(_ records: [ZohoRecord], report: inout RuleReport) -> [ZohoRecord] {
        guard let limit = pipeline.maxRecords, records.count > limit else { return records }
        for record in records.dropFirst(limit) {
            skip(
                record,
                name: name(of: record),
                reason: "limits.max_records (\(limit)) reached for this run; left for the next run",
                report: &report
            )
        }
        return Array(records.prefix(limit))
    }

    // MARK: - report

    private func emptyReport() -> RuleReport {
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
            steps: pipeline.planSteps,
            scopes: pipeline.scopes,
            records: [],
            excludedByRecheck: 0,
            batches: [],
            callsMade: [],
            callsToCome: [],
            error: nil
        )
    }
}
