import Foundation
import RuleKit
import ZohoCRM

/// Follow-up results for one record.
struct FollowUpResult: Sendable {
    var notes: [String] = []
    /// Zoho refused a follow-up, or one is still to do after a transient fault.
    var failed = false
}

/// A follow-up as the ledger's pending list names it.
enum FollowUpStep: String, Sendable, CaseIterable {
    /// The owner of the record a single convert made (the single convert has no assign_to).
    case owner
    /// The rule's `update:`.
    case update
    /// The rule's `tag:`.
    case tag

    /// In rows from a database older than the pending list: every follow-up the rule has.
    static let all = "*"
}

/// What one follow-up call did for one record.
enum FollowUpAnswer: Sendable {
    /// Done; it leaves the pending list.
    case done(String)
    /// Zoho refused it for this record; it leaves the pending list, and the record is marked for attention.
    case refused(String)
    /// Not done because of a transient fault (429, 5xx, timeout, the token): it stays pending for the next run.
    case transient(String)
}

/// The owner of single-converted records, then the rule's `update` and `tag` steps, driven by the ledger: each
/// converted record keeps a list of the follow-ups not done yet, so they are finished by record id after a kill or a
/// fault, whatever the rule selects now. Every step is idempotent, so doing one again after a crash is harmless.
struct FollowUpRunner: RuleStep {
    let context: RuleContext

    /// Finishes the pending follow-ups of this rule's converted records (of `only`, when given); `known` are source
    /// records already read this run. Results by source record id.
    func finishPending(only: Set<String>? = nil, known: [String: ZohoRecord]) async -> [String: FollowUpResult] {
        guard !dryRun else { return [:] }
        let entries: [LedgerEntry]
        do {
            entries = try store.entriesWithPendingFollowUps(
                rule: ruleName,
                targetModule: pipeline.conversion.targetModule
            )
            .filter { only?.contains($0.sourceID) ?? true }
        } catch {
            executor.logger.error("cannot read the pending follow-ups of rule \(ruleName): \(error)")
            return [:]
        }
        guard !entries.isEmpty else { return [:] }
        var pending = Dictionary(entries.map { ($0.sourceID, steps(of: $0)) }, uniquingKeysWith: { a, _ in a })
        let keys = Dictionary(entries.map { ($0.sourceID, $0.key) }, uniquingKeysWith: { a, _ in a })
        var results: [String: FollowUpResult] = [:]
        for step in FollowUpStep.allCases {
            let ids = entries.map(\.sourceID).filter { pending[$0]?.contains(step) == true }
            guard !ids.isEmpty else { continue }
            let answers: [String: FollowUpAnswer]
            switch step {
            case .owner: answers = await owners(entries.filter { ids.contains($0.sourceID) })
            case .update: answers = await updates(ids, known: known)
            case .tag: answers = await tags(ids)
            }
            for (id, answer) in answers {
                switch answer {
                case .done(let note):
                    results[id, default: .init()].notes.append(note)
                    pending[id]?.removeAll { $0 == step }
                case .refused(let note):
                    results[id, default: .init()].notes.append(note)
                    results[id, default: .init()].failed = true
                    pending[id]?.removeAll { $0 == step }
                case .transient(let note):
                    results[id, default: .init()].notes.append(note + "; the next run does it")
                    results[id, default: .init()].failed = true
                }
            }
            record(ids, pending: pending, keys: keys, results: results)
            let left = ids.count { pending[$0]?.contains(step) == true }
            executor.progress(
                .note(
                    rule: ruleName,
                    message: "\(step.rawValue): \(ids.count - left) of \(ids.count) records finished"
                        + (left > 0 ? ", \(left) left for the next run" : "")
                )
            )
        }
        return results
    }

    /// The pending list of `entry`, in the order the steps run; `*` becomes what the rule has now.
    private func steps(of entry: LedgerEntry) -> [FollowUpStep] {
        let written = entry.pendingFollowUps
        let all = written.contains(FollowUpStep.all) ? steps(method: entry.method) : []
        return FollowUpStep.allCases.filter { step in
            all.contains(step.rawValue) || written.contains(step.rawValue)
        }
    }

    /// Writes what is still pending for `ids`, with the buffered audit events, in one transaction.
    private func record(
        _ ids: [String],
        pending: [String: [FollowUpStep]],
        keys: [String: LedgerKey],
        results: [String: FollowUpResult]
    ) {
        var remaining: [LedgerKey: [String]] = [:]
        for id in ids {
            guard let key = keys[id] else { continue }
            let left = pending[id] ?? []
            remaining[key] = left.map(\.rawValue)
            if left.isEmpty, results[id]?.failed != true { audit.record(.followUps, .done, recordID: id) }
        }
        do {
            try audit.commit { events throws(EngineError) in
                try store.setPendingFollowUps(remaining, audit: events)
            }
        } catch {
            executor.logger.error("cannot record the follow-ups of rule \(ruleName): \(error)")
        }
    }

    // MARK: - the steps

    /// Sets the owner on the records single converts made, 100 a call.
    private func owners(_ entries: [LedgerEntry]) async -> [String: FollowUpAnswer] {
        guard case .inventory(let inventory) = pipeline.conversion, let owner = inventory.owner else {
            return Dictionary(entries.map { ($0.sourceID, .done("no owner to set")) }, uniquingKeysWith: { a, _ in a })
        }
        let ownerID: String
        do {
            ownerID = try await directory.userID(for: owner)
        } catch {
            let answer = Self.answer(to: error, step: .owner)
            return Dictionary(entries.map { ($0.sourceID, answer) }, uniquingKeysWith: { a, _ in a })
        }
        var answers: [String: FollowUpAnswer] = [:]
        let module = inventory.route.target
        for entry in entries where entry.childID == nil {
            answers[entry.sourceID] = .refused("owner not set: the \(module) record's id is not known")
        }
        for chunk in entries.filter({ $0.childID != nil }).chunked(into: 100) {
            let pairs = chunk.compactMap { entry in entry.childID.map { (source: entry.sourceID, written: $0) } }
            let records = pairs.map { ZohoRecord(id: $0.written, fields: ["Owner": ["id": .string(ownerID)]]) }
            answers.merge(
                await send(pairs, step: .owner) { try await client.updateRecords(module: module, records: records) },
                uniquingKeysWith: { a, _ in a }
            )
        }
        return answers
    }

    /// The rule's `update:` steps, rendered against each source record (read again when this run has not).
    private func updates(_ ids: [String], known: [String: ZohoRecord]) async -> [String: FollowUpAnswer] {
        let assignments = pipeline.followUps.flatMap { step -> [FieldAssignment] in
            if case .update(let assignments) = step { return assignments }
            return []
        }
        let needsSource = assignments.contains { if case .template = $0.value { true } else { false } }
        var answers: [String: FollowUpAnswer] = [:]
        var sources = known
        if needsSource {
            let missing = ids.filter { known[$0] == nil }
            let read = await concurrentMap(missing, width: client.configuration.concurrencyLimit) { id in
                do {
                    return (
                        id,
                        Result<ZohoRecord?, any Error>.success(
                            try await client.getRecord(module: pipeline.module, id: id)
                        )
                    )
                } catch {
                    return (id, Result<ZohoRecord?, any Error>.failure(error))
                }
            }
            for (id, result) in read {
                switch result {
                case .success(let record?): sources[id] = record
                case .success(nil): answers[id] = .refused("update not sent: the record is no longer in Zoho")
                case .failure(let error): answers[id] = Self.answer(to: error, step: .update)
                }
            }
        }
        let now = executor.now()
        var updates: [ZohoRecord] = []
        for id in ids where answers[id] == nil {
            do {
                let source = sources[id] ?? ZohoRecord(id: id)
                updates.append(ZohoRecord(id: id, fields: try fields(assignments, source: source, now: now)))
            } catch {
                answers[id] = .refused("update not sent: \(Self.describe(error))")
                audit.record(.update, .failed, recordID: id, detail: Self.describe(error))
            }
        }
        for chunk in updates.chunked(into: 100) {
            let pairs = chunk.compactMap(\.id).map { (source: $0, written: $0) }
            answers.merge(
                await send(pairs, step: .update) {
                    try await client.updateRecords(module: pipeline.module, records: chunk)
                },
                uniquingKeysWith: { a, _ in a }
            )
        }
        return answers
    }

    /// The rule's `tag:` steps, 100 records a call.
    private func tags(_ ids: [String]) async -> [String: FollowUpAnswer] {
        let names = pipeline.followUps.flatMap { step -> [String] in
            if case .tag(let names) = step { return names }
            return []
        }
        var answers: [String: FollowUpAnswer] = [:]
        for chunk in ids.chunked(into: 100) {
            let pairs = chunk.map { (source: $0, written: $0) }
            answers.merge(
                await send(pairs, step: .tag) {
                    try await client.addTags(module: pipeline.module, ids: chunk, tags: names)
                },
                uniquingKeysWith: { a, _ in a }
            )
        }
        return answers
    }

    /// One call for `pairs` (the source record, and the record written: the source, or the owner's child). Each
    /// answer is audited against the source record.
    private func send(
        _ pairs: [(source: String, written: String)],
        step: FollowUpStep,
        call: () async throws -> [RecordResult]
    ) async -> [String: FollowUpAnswer] {
        let auditStep: AuditStep = step == .owner ? .owner : (step == .update ? .update : .tag)
        var answers: [String: FollowUpAnswer] = [:]
        do {
            let replies = try await call()
            for (offset, pair) in pairs.enumerated() {
                // Zoho answers data[] in input order; an item may also name its record.
                let reply =
                    replies.first { ($0.id ?? $0.details["id"]?.idValue) == pair.written }
                    ?? (offset < replies.count ? replies[offset] : nil)
                let code = reply?.code ?? "NO_RESULT"
                let child = step == .owner ? pair.written : nil
                let note =
                    step == .owner
                    ? "owner of \(pipeline.conversion.targetModule) \(pair.written): \(code)"
                    : "\(step.rawValue): \(code)"
                if reply?.isSuccess == true {
                    answers[pair.source] = .done(note)
                    audit.record(auditStep, .done, recordID: pair.source, zohoCode: code, childID: child)
                } else {
                    answers[pair.source] = Self.isTransient(code: code) ? .transient(note) : .refused(note)
                    audit.record(
                        auditStep,
                        .failed,
                        recordID: pair.source,
                        detail: reply?.message,
                        zohoCode: code,
                        childID: child
                    )
                }
            }
        } catch {
            let answer = Self.answer(to: error, step: step)
            for pair in pairs {
                answers[pair.source] = answer
                let child = step == .owner ? pair.written : nil
                audit.record(
                    auditStep,
                    .failed,
                    recordID: pair.source,
                    detail: Self.describe(error),
                    zohoCode: (error as? ZohoError)?.zohoCode,
                    childID: child
                )
            }
        }
        return answers
    }

    /// A call that failed as a whole: transient unless Zoho refused what was asked.
    static func answer(to error: any Error, step: FollowUpStep) -> FollowUpAnswer {
        let reason = (error as? ZohoError)?.zohoCode ?? Self.describe(error)
        let note = "\(step.rawValue) not done: \(reason)"
        // A run being stopped is not Zoho's answer about the record, whatever error the cancelled call threw.
        return TransientFault.isTransient(error) || Task.isCancelled ? .transient(note) : .refused(note)
    }

    static func isTransient(code: String) -> Bool { TransientFault.codes.contains(code) }

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

extension RuleStep {
    /// The follow-ups a record converted through `method` needs: the owner after a single inventory convert (which
    /// has no assign_to), then the rule's `update` and `tag`.
    func steps(method: LedgerMethod) -> [String] {
        var steps: [FollowUpStep] = []
        if method == .single, case .inventory(let inventory) = pipeline.conversion, inventory.owner != nil {
            steps.append(.owner)
        }
        for followUp in pipeline.followUps {
            switch followUp {
            case .update: steps.append(.update)
            case .tag: steps.append(.tag)
            }
        }
        return FollowUpStep.allCases.filter(steps.contains).map(\.rawValue)
    }

    /// Records conversions in the ledger, each with the follow-ups it still needs (none when `followUps` is nil),
    /// and every audit event buffered so far, in one transaction: a kill cannot keep one without the other.
    func recordConverted(
        _ items: [(key: LedgerKey, childID: String?)],
        followUps method: LedgerMethod?,
        events: [AuditEvent]
    ) throws(EngineError) {
        let pending = Dictionary(
            items.map { ($0.key, method.map { steps(method: $0) } ?? []) },
            uniquingKeysWith: { a, _ in a }
        )
        try audit.commit(adding: events) { events throws(EngineError) in
            try store.markOutcomes(
                items.map { ($0.key, .converted(childID: $0.childID)) },
                followUps: pending,
                audit: events
            )
        }
    }
}
