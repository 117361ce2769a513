import Foundation
import RuleKit
import ZohoCRM

/// Follow-up results for one record.
struct FollowUpResult: Sendable {
    var notes: [String] = []
    var failed = false
}

extension RuleRun {
    /// Runs the rule's follow-ups on the converted outcomes and merges their results in.
    func runFollowUps(_ outcomes: [RecordOutcome], records: [String: ZohoRecord]) async -> [RecordOutcome] {
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

    /// `update` and `tag` on source records whose conversion is confirmed. Both are idempotent, so running them again
    /// after a crash is harmless; a `follow-ups/done` audit event marks each record finished.
    func followUps(for ids: [String], records: [String: ZohoRecord]) async -> [String: FollowUpResult] {
        guard !pipeline.followUps.isEmpty, !ids.isEmpty else { return [:] }
        var results: [String: FollowUpResult] = [:]
        let now = executor.now()
        for followUp in pipeline.followUps {
            switch followUp {
            case .update(let assignments):
                var updates: [ZohoRecord] = []
                for id in ids {
                    let source = records[id] ?? ZohoRecord(id: id)
                    do {
                        var fields: [String: ZohoJSON] = [:]
                        for assignment in assignments {
                            fields[assignment.field.value] = try json(assignment.value, source: source, now: now)
                        }
                        updates.append(ZohoRecord(id: id, fields: fields))
                    } catch {
                        results[id, default: .init()].notes.append("update not sent: \(Self.describe(error))")
                        results[id, default: .init()].failed = true
                        audit.record("update", "failed", recordID: id, detail: Self.describe(error))
                    }
                }
                for chunk in updates.chunked(into: 100) {
                    await send(chunk.compactMap(\.id), step: "update", into: &results) {
                        try await client.updateRecords(module: pipeline.module, records: chunk)
                    }
                    await directory.count("PUT /\(pipeline.module)", credits: APICost.update(records: chunk.count))
                }
            case .tag(let names):
                for chunk in ids.chunked(into: 100) {
                    await send(chunk, step: "tag", into: &results) {
                        try await client.addTags(module: pipeline.module, ids: chunk, tags: names)
                    }
                    await directory.count(
                        "POST /\(pipeline.module)/actions/add_tags",
                        credits: APICost.addTags(records: chunk.count)
                    )
                }
            }
        }
        for id in ids where results[id]?.failed != true {
            audit.record("follow-ups", "done", recordID: id)
        }
        return results
    }

    private func send(
        _ ids: [String],
        step: String,
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
                results[id, default: .init()].notes.append("\(step): \(code)")
                if !ok { results[id, default: .init()].failed = true }
                audit.record(step, ok ? "done" : "failed", recordID: id, detail: reply?.message, zohoCode: code)
            }
        } catch {
            let code = (error as? ZohoError)?.zohoCode
            for id in ids {
                results[id, default: .init()].notes.append("\(step) failed: \(code ?? Self.describe(error))")
                results[id, default: .init()].failed = true
                audit.record(step, "failed", recordID: id, detail: Self.describe(error), zohoCode: code)
            }
        }
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

    /// True when an earlier run converted `id` but did not finish its follow-ups (it crashed in between).
    func followUpsPending(_ id: String) -> Bool {
        guard !pipeline.followUps.isEmpty, !dryRun else { return false }
        let events = (try? store.auditEvents(AuditFilter(rule: ruleName, recordID: id))) ?? []
        return !events.contains { $0.step == "follow-ups" && $0.outcome == "done" && !$0.dryRun }
    }
}
