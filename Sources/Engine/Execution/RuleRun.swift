import Foundation
import Logging
import RuleKit
import ZohoCRM

/// One rule's pass through its pipeline: reconcile → select → re-check → guard → limit → convert (an
/// `InventoryConverter` or a `LeadConverter`) → follow-ups left by an earlier run.
struct RuleRun: RuleStep {
    let context: RuleContext

    /// Plans or runs the rule; problems that stop it are in the report's `error`, not thrown.
    func execute() async -> RuleReport {
        var report = emptyReport()
        do {
            if !dryRun { try await Reconciler(context: context).reconcile() }
            let selected = try await select()
            let matching = recheck(selected, report: &report)
            let guarded = try await guardRecords(matching, report: &report)
            let eligible = applyLimit(guarded.eligible, report: &report)
            executor.progress(.ruleStarted(rule: ruleName, total: eligible.count))
            switch pipeline.conversion {
            case .inventory(let inventory):
                try await InventoryConverter(context: context, conversion: inventory).convert(eligible, report: &report)
            case .lead(let lead):
                try await LeadConverter(context: context, conversion: lead).convert(eligible, report: &report)
            }
            if !guarded.followUpBacklog.isEmpty {
                await FollowUpRunner(context: context).finish(guarded.followUpBacklog, report: &report)
            }
        } catch {
            report.error = Self.describe(error)
            audit.record(.rule, .failed, detail: report.error)
        }
        executor.progress(.ruleFinished(rule: ruleName))
        return report
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
            children = try await childrenLinkingBack(to: ids, route: inventory.route)
        }
        let followUps = FollowUpRunner(context: context)
        var eligible: [ZohoRecord] = []
        var backlog: [ZohoRecord] = []
        for record in records {
            guard let id = record.id else { continue }
            if let entry = ledger[id], entry.state == .converted {
                let reason = "already converted by this rule in run \(entry.runID)"
                skip(record, name: name(of: record), reason: reason, childID: entry.childID, report: &report)
                if followUps.pending(id) { backlog.append(record) }
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
                if let entry = ledger[id], !dryRun { try store.markOutcome(entry.key, .converted(childID: child)) }
                let reason = "already converted: \(pipeline.conversion.targetModule) \(child) links back to it"
                skip(record, name: name(of: record), reason: reason, childID: child, report: &report)
            } else {
                eligible.append(record)
            }
        }
        return (eligible, backlog)
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
