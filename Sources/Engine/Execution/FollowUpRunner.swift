import Foundation
import RuleKit
import ZohoCRM

/// Follow-up results for one record.
struct FollowUpResult: Sendable {
    var notes: [String] = []
    var failed = false
}

/// The rule's `update` and `tag` steps on source records whose conversion is confirmed. Both are idempotent, so
/// running them again after a crash is harmless; a `follow-ups/done` audit event marks each record finished.
struct FollowUpRunner: RuleStep {
    let context: RuleContext

    /// Runs the follow-ups on the converted outcomes and merges their results in.
    func run(_ outcomes: [RecordOutcome], records: [String: ZohoRecord]) async -> [RecordOutcome] {
        let ids = outcomes.filter { $0.status == .converted }.map(\.recordID)
        let results = await followUps(for: ids, records: records)
        return outcomes.map { outcome in
            guard let result = results[outcome.recordID] else { return outcome }
            return with(outcome) {
                $0.notes += result.notes
                $0.followUpFailed = result.failed
            }
        }
    }

    /// Follow-ups an earlier run did not finish (it stopped between conversion and follow-ups), noted on the
    /// records' outcomes already in `report`.
    func finish(_ records: [ZohoRecord], report: inout RuleReport) async {
        let ids = records.compactMap(\.id)
        let byID = Dictionary(records.compactMap { r in r.id.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        let results = await followUps(for: ids, records: byID)
        for index in report.records.indices {
            guard let result = results[report.records[index].recordID] else { continue }
            report.records[index].notes += ["follow-ups left by an earlier run:"] + result.notes
            report.records[index].followUpFailed = result.failed
        }
    }

    /// Every follow-up for `ids`, in the rule's order; results by record id.
    func followUps(for ids: [String], records: [String: ZohoRecord]) async -> [String: FollowUpResult] {
        guard !pipeline.followUps.isEmpty, !ids.isEmpty else { return [:] }
        var results: [String: FollowUpResult] = [:]
        for followUp in pipeline.followUps {
            switch followUp {
            case .update(let assignments):
                await update(ids, assignments, records: records, into: &results)
            case .tag(let names):
                for chunk in ids.chunked(into: 100) {
                    await send(chunk, step: .tag, into: &results) {
                        try await client.addTags(module: pipeline.module, ids: chunk, tags: names)
                    }
                }
            }
        }
        for id in ids where results[id]?.failed != true {
            audit.record(.followUps, .done, recordID: id)
        }
        return results
    }

    private func update(
        _ ids: [String],
        _ assignments: [FieldAssignment],
        records: [String: ZohoRecord],
        into results: inout [String: FollowUpResult]
    ) async {
        let now = executor.now()
        var updates: [ZohoRecord] = []
        for id in ids {
            do {
                updates.append(
                    ZohoRecord(
                        id: id,
                        fields: try fields(assignments, source: records[id] ?? ZohoRecord(id: id), now: now)
                    )
                )
            } catch {
                results[id, default: .init()].notes.append("update not sent: \(Self.describe(error))")
                results[id, default: .init()].failed = true
                audit.record(.update, .failed, recordID: id, detail: Self.describe(error))
            }
        }
        for chunk in updates.chunked(into: 100) {
            await send(chunk.compactMap(\.id), step: .update, into: &results) {
                try await client.updateRecords(module: pipeline.module, records: chunk)
            }
        }
    }

    private func send(
        _ ids: [String],
        step: AuditStep,
        into results: inout [String: FollowUpResult],
        call: () async throws -> [RecordResult]
    ) async {
        do {
            let replies = try await call()
            for (offset, id) in ids.enumerated() {
                // Zoho answers data[] in input order; an item may also name its record.
                let reply =
                    replies.first { ($0.id ?? $0.details["id"]?.idValue) == id }
                    ?? (offset < replies.count ? replies[offset] : nil)
                let code = reply?.code ?? "NO_RESULT"
                let ok = reply?.isSuccess ?? false
                results[id, default: .init()].notes.append("\(step.rawValue): \(code)")
                if !ok { results[id, default: .init()].failed = true }
                audit.record(step, ok ? .done : .failed, recordID: id, detail: reply?.message, zohoCode: code)
            }
        } catch {
            let code = (error as? ZohoError)?.zohoCode
            for id in ids {
                results[id, default: .init()].notes.append("\(step.rawValue) failed: \(code ?? Self.describe(error))")
                results[id, default: .init()].failed = true
                audit.record(step, .failed, recordID: id, detail: Self.describe(error), zohoCode: code)
            }
        }
    }

    /// True when an earlier run converted `id` but did not finish its follow-ups (it crashed in between).
    func pending(_ id: String) -> Bool {
        guard !pipeline.followUps.isEmpty, !dryRun else { return false }
        let events = (try? store.auditEvents(AuditFilter(rule: ruleName, recordID: id))) ?? []
        return !events.contains {
            $0.step == AuditStep.followUps.rawValue && $0.outcome == AuditOutcome.done.rawValue && !$0.dryRun
        }
    }

    /// The follow-up calls a run would make for `records` converted records.
    func estimate(records: Int) -> [CallEstimate] {
        pipeline.followUps.map { followUp in
            let calls = (records + 99) / 100
            switch followUp {
            case .update:
                return CallEstimate(
                    endpoint: "PUT /\(pipeline.module)",
                    calls: calls,
                    credits: ZohoAPICost.update(records: records),
                    assumedCost: false
                )
            case .tag:
                return CallEstimate(
                    endpoint: "POST /\(pipeline.module)/actions/add_tags",
                    calls: calls,
                    credits: ZohoAPICost.addTags(records: records),
                    assumedCost: false
                )
            }
        }
    }
}
