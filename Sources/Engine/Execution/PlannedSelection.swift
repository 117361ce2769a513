import ZohoCRM

/// The records a saved plan decided on for one rule (`zrules apply`): those it would convert, and those it skipped
/// or found would fail.
public struct PlannedRecords: Sendable {
    /// The records the plan would convert, by id.
    public var planned: [String: PlannedRecord]
    /// The records the plan skipped or found would fail, by id.
    public var decided: [String: PlannedRecord]

    /// The plan's decisions for one rule.
    public init(planned: [PlannedRecord], decided: [PlannedRecord]) {
        self.planned = Dictionary(planned.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.decided = Dictionary(decided.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Narrows a rule's selection to the records a saved plan would convert, when the run applies one.
///
/// A record the plan did not plan to convert is left alone; a planned record whose `Modified_Time` changed since
/// the plan, or that the rule no longer selects (converted, deleted or changed since), is skipped. Each is reported,
/// so the admin sees why the apply did less than the plan. Without a saved plan every record passes.
struct PlannedSelection: RuleStep {
    let context: RuleContext

    /// The records of `selected` that the plan converts and that did not change since; the others are reported.
    func filter(_ selected: [ZohoRecord], report: inout RuleReport) -> [ZohoRecord] {
        guard let plans = executor.options.plannedRecords else { return selected }
        // A rule the plan does not know (or could not plan) converts nothing.
        let plan = plans[ruleName] ?? PlannedRecords(planned: [], decided: [])
        var kept: [ZohoRecord] = []
        var seen: Set<String> = []
        for record in selected {
            guard let id = record.id else { continue }
            seen.insert(id)
            if let reason = refusal(record, id: id, plan: plan) {
                skip(record, name: name(of: record), reason: reason, report: &report)
            } else {
                kept.append(record)
            }
        }
        for (id, planned) in plan.planned.sorted(by: { $0.key < $1.key }) where !seen.contains(id) {
            let reason =
                "planned, but the rule no longer selects it (converted, deleted or changed since the plan was "
                + "made); not converted"
            var outcome = RecordOutcome(recordID: id, name: planned.name, status: .skipped, reason: reason)
            outcome.modifiedTime = planned.modifiedTime
            report.records.append(outcome)
            audit.record(.guard, .skipped, recordID: id, detail: reason)
        }
        return kept
    }

    /// Why `record` must not be converted under the plan, or nil when it may.
    private func refusal(_ record: ZohoRecord, id: String, plan: PlannedRecords) -> String? {
        guard let planned = plan.planned[id] else {
            if let decided = plan.decided[id] {
                let verdict = decided.decision == .failed ? "it would fail" : "to skip it"
                return "the plan decided \(verdict)" + (decided.reason.map { " (\($0))" } ?? "") + "; left alone"
            }
            return "not in the saved plan (selected only since it was made); left alone, a new plan picks it up"
        }
        guard let then = planned.modifiedTime else { return nil }
        let now = RecordValues.text(record, "Modified_Time")
        guard now == then else {
            return "modified since the plan was made (Modified_Time \(then), now \(now ?? "unreadable")); not "
                + "converted: make a new plan"
        }
        return nil
    }
}
