import Foundation
import Logging
import RuleKit
import Synchronization
import ZohoCRM

/// What an inventory conversion needs resolved before it sends anything.
struct InventoryTargets: Sendable {
    var route: ConversionRoute
    var target: ZohoModuleRef
    var ownerID: String?
    var related: [ZohoModuleRef]
    var carryTags: Bool
}

extension RuleRun {
    func convertInventory(
        _ records: [ZohoRecord],
        _ inventory: InventoryConversion,
        report: inout RuleReport
    ) async throws {
        let route = inventory.route
        let targets: InventoryTargets
        do {
            var related: [ZohoModuleRef] = []
            for name in inventory.related { related.append(try await directory.module(name)) }
            var ownerID: String?
            if let owner = inventory.owner { ownerID = try await directory.userID(for: owner) }
            targets = InventoryTargets(
                route: route,
                target: try await directory.module(route.target),
                ownerID: ownerID,
                related: related,
                carryTags: inventory.carryTags
            )
        } catch {
            for record in records {
                skip(
                    record,
                    name: RecordValues.name(record, module: pipeline.module),
                    reason: "not converted: \(Self.describe(error))",
                    report: &report
                )
            }
            throw error
        }

        let batches = route.method == .mass ? records.chunked(into: Self.massBatchSize) : records.map { [$0] }
        report.batches = batches.map { $0.compactMap(\.id) }
        if dryRun {
            for record in records {
                var planned = outcome(
                    record,
                    name: RecordValues.name(record, module: pipeline.module),
                    status: .planned
                )
                planned.method = route.method.rawValue
                if record["Locked__s"].boolValue == true {
                    planned.reason = "locked: Zoho will refuse it (RECORD_LOCKED) unless it is unlocked first"
                }
                report.records.append(planned)
                audit.record("convert", "planned", recordID: record.id, detail: "to \(route.target) by \(route.method)")
            }
            report.callsToCome = estimateInventory(records: records.count, batches: batches.count, targets: targets)
            return
        }

        var outcomes: [RecordOutcome] = []
        switch route.method {
        case .mass:
            let progress = (counter: Counter(), total: records.count)
            let results = await concurrentMap(batches, width: client.configuration.concurrencyLimit) {
                batch in
                await massConvert(batch, targets, progress: progress)
            }
            outcomes = results.flatMap(\.outcomes)
            let retry = results.flatMap(\.retrySingly)
            if !retry.isEmpty {
                executor.progress(
                    .note(rule: ruleName, message: "\(retry.count) not converted by the job; trying each singly")
                )
                outcomes += await concurrentMap(retry, width: client.configuration.concurrencyLimit) { record in
                    await singleConvert(record, targets, afterJob: true)
                }
            }
        case .single:
            let total = records.count
            let done = Counter()
            outcomes = await concurrentMap(records, width: client.configuration.concurrencyLimit) { record in
                let result = await singleConvert(record, targets, afterJob: false)
                executor.progress(.advanced(rule: ruleName, done: done.increment(), total: total))
                return result
            }
        }
        let byID = Dictionary(records.compactMap { r in r.id.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        outcomes = await runFollowUps(outcomes, records: byID)
        report.records += outcomes
    }

    /// One mass-convert call for up to 50 records, its job, and per-record confirmation through the back-link.
    private func massConvert(
        _ batch: [ZohoRecord],
        _ targets: InventoryTargets,
        progress: (counter: Counter, total: Int)
    ) async -> (outcomes: [RecordOutcome], retrySingly: [ZohoRecord]) {
        let route = targets.route
        let ids = batch.compactMap(\.id)
        let keys = ids.map { ledgerKey($0) }
        let names = Dictionary(
            batch.compactMap { r in r.id.map { ($0, RecordValues.name(r, module: pipeline.module)) } },
            uniquingKeysWith: { a, _ in a }
        )
        func result(
            _ id: String,
            _ status: RecordOutcome.Status,
            jobID: String?,
            change: (inout RecordOutcome) -> Void
        )
            -> RecordOutcome
        {
            guard let record = batch.first(where: { $0.id == id }) else {
                return RecordOutcome(recordID: id, name: id, status: status)
            }
            var made = outcome(record, name: names[id] ?? id, status: status)
            made.method = "mass"
            made.jobID = jobID
            change(&made)
            return made
        }

        do {
            try store.recordIntents(
                keys.map { LedgerEntry(key: $0, method: "mass", runID: runID, updatedAt: executor.now()) }
            )
        } catch {
            return (ids.map { result($0, .failed, jobID: nil) { $0.reason = "ledger: \(error)" } }, [])
        }
        let sent =
            "POST /\(route.source)/actions/mass_convert: \(ids.count) ids to \(route.target), carry_over_tags "
            + "\(targets.carryTags)" + (targets.ownerID.map { ", assign_to \($0)" } ?? "")
            + (targets.related.isEmpty
                ? "" : ", related_modules \(targets.related.map(\.apiName).joined(separator: ","))")
        for id in ids { audit.record("convert", "sent", recordID: id, detail: sent) }
        audit.flush(logger: executor.logger)

        let jobID: String
        do {
            jobID = try await client.massConvertInventory(
                from: route.source,
                ids: ids,
                to: targets.target,
                carryTags: targets.carryTags,
                assignTo: targets.ownerID,
                related: targets.related
            )
            await directory.count("POST /\(route.source)/actions/mass_convert", assumed: true)
        } catch let error as ZohoError where error.isOutcomeUnknown {
            await directory.count("POST /\(route.source)/actions/mass_convert", assumed: true)
            // The job may exist. Look for children a few times; what is not found stays unknown for the next run.
            let children = await lookForChildren(ids, route: route)
            var outcomes: [RecordOutcome] = []
            for (id, key) in zip(ids, keys) {
                if let child = children[id] {
                    ledger { try store.markOutcome(key, .converted(childID: child)) }
                    audit.record("confirm", "converted", recordID: id, childID: child)
                    outcomes.append(result(id, .converted, jobID: nil) { $0.childID = child })
                } else {
                    ledger { try store.markOutcome(key, .unknown(reason: "mass convert timed out after sending")) }
                    audit.record("convert", "unknown", recordID: id, detail: "the request timed out after sending")
                    outcomes.append(
                        result(id, .unknown, jobID: nil) {
                            $0.reason =
                                "the mass-convert request timed out after sending; the next run checks "
                                + "\(route.target).\(route.backLinkField ?? "") before sending again"
                        }
                    )
                }
            }
            return (outcomes, [])
        } catch {
            // Zoho refused the whole call (e.g. INVALID_DATA for one deleted id): nothing was converted.
            // Each record goes through the single convert, which gives each its own answer.
            let code = (error as? ZohoError)?.zohoCode ?? "REQUEST_FAILED"
            for (id, key) in zip(ids, keys) {
                ledger { try store.markOutcome(key, .failed(code: code, message: "mass convert refused")) }
                audit.record("convert", "refused", recordID: id, detail: Self.describe(error), zohoCode: code)
            }
            await directory.count("POST /\(route.source)/actions/mass_convert", assumed: true)
            return ([], batch)
        }

        ledger { try store.markSubmitted(keys, jobID: jobID) }
        executor.progress(.note(rule: ruleName, message: "job \(jobID) scheduled for \(ids.count) records"))
        let status: MassConvertStatus?
        do {
            status = try await waitForJob(source: route.source, jobID: jobID)
        } catch {
            status = nil
        }
        guard let status else {
            return (
                ids.map {
                    audit.record("confirm", "unknown", recordID: $0, detail: "job still running", jobID: jobID)
                    return result($0, .unknown, jobID: jobID) {
                        $0.reason = "job \(jobID) had not finished in time; the next run checks it before sending again"
                    }
                }, []
            )
        }
        audit.record(
            "confirm",
            "job \(status.state.rawValue.lowercased())",
            detail: "total \(status.totalCount), converted \(status.convertedCount), failed \(status.failedCount), "
                + "not converted \(status.notConvertedCount)",
            jobID: jobID
        )

        let children: [String: String]
        do {
            children = try await existingChildren(of: ids, route: route)
        } catch {
            return (
                ids.map { id in
                    ledger { try store.markOutcome(ledgerKey(id), .unknown(reason: "could not read back-links")) }
                    return result(id, .unknown, jobID: jobID) {
                        $0.reason = "could not confirm: \(Self.describe(error))"
                    }
                }, []
            )
        }
        var outcomes: [RecordOutcome] = []
        var retry: [ZohoRecord] = []
        for (id, key) in zip(ids, keys) {
            if let child = children[id] {
                ledger { try store.markOutcome(key, .converted(childID: child)) }
                audit.record("confirm", "converted", recordID: id, jobID: jobID, childID: child)
                outcomes.append(result(id, .converted, jobID: jobID) { $0.childID = child })
            } else {
                ledger {
                    try store.markOutcome(
                        key,
                        .failed(code: "NOT_CONVERTED", message: "job \(jobID) finished without converting it")
                    )
                }
                audit.record("confirm", "not converted", recordID: id, jobID: jobID)
                if let record = batch.first(where: { $0.id == id }) { retry.append(record) }
            }
        }
        var done = 0
        for _ in ids { done = progress.counter.increment() }
        executor.progress(.advanced(rule: ruleName, done: done, total: progress.total))
        return (outcomes, retry)
    }

    /// One single convert, which returns the new record's id; after a job, it also tells Zoho's reason.
    private func singleConvert(_ record: ZohoRecord, _ targets: InventoryTargets, afterJob: Bool) async -> RecordOutcome
    {
        let route = targets.route
        let id = record.id ?? ""
        let key = ledgerKey(id)
        var result = outcome(record, name: RecordValues.name(record, module: pipeline.module), status: .failed)
        result.method = "single"
        do {
            try store.recordIntents([LedgerEntry(key: key, method: "single", runID: runID, updatedAt: executor.now())])
        } catch {
            result.reason = "ledger: \(error)"
            return result
        }
        audit.record(
            "convert",
            "sent",
            recordID: id,
            detail:
                "POST /\(route.source)/\(id)/actions/convert to \(route.target), carry_over_tags \(targets.carryTags)"
        )
        // On disk before the write goes out: a killed run still shows what it sent.
        audit.flush(logger: executor.logger)
        do {
            let converted = try await client.convertInventory(
                from: route.source,
                id: id,
                to: targets.target,
                carryTags: targets.carryTags
            )
            await directory.count("POST /\(route.source)/{id}/actions/convert", assumed: true)
            if converted.isSuccess, let child = converted.created[route.target]?.id {
                // Zoho's answer goes to the ledger before anything else happens for this record: it is the only
                // sure link between the quote and its new record.
                do {
                    try store.markOutcome(key, .converted(childID: child))
                } catch {
                    audit.record("confirm", "unknown", recordID: id, detail: Self.describe(error), childID: child)
                    result.status = .unknown
                    result.childID = child
                    result.reason =
                        "Zoho converted it into \(route.target) \(child), but the ledger could not record that "
                        + "(\(Self.describe(error))); nothing else is done for it until a run confirms it"
                    return result
                }
                audit.record("confirm", "converted", recordID: id, childID: child)
                result.status = .converted
                result.childID = child
                if let ownerID = targets.ownerID {
                    let owner = await assignOwner(child, in: route.target, to: ownerID, source: id)
                    result.notes.append(owner.note)
                    result.followUpFailed = !owner.done
                }
            } else if converted.result.code == "ID_ALREADY_CONVERTED" {
                alreadyConverted(key, &result)
            } else {
                let code = converted.result.code
                ledger { try store.markOutcome(key, .failed(code: code, message: converted.result.message)) }
                audit.record("convert", "failed", recordID: id, detail: converted.result.message, zohoCode: code)
                result.zohoCode = code
                result.reason = converted.result.message
            }
        } catch let error as ZohoError where error.isOutcomeUnknown {
            ledger { try store.markOutcome(key, .unknown(reason: "single convert timed out after sending")) }
            audit.record("convert", "unknown", recordID: id, detail: "the request timed out after sending")
            result.status = .unknown
            result.reason = "the convert request timed out after sending; the next run checks before sending again"
        } catch let error as ZohoError where error.zohoCode == "ID_ALREADY_CONVERTED" {
            alreadyConverted(key, &result)
        } catch {
            let code = (error as? ZohoError)?.zohoCode ?? "REQUEST_FAILED"
            ledger { try store.markOutcome(key, .failed(code: code, message: Self.describe(error))) }
            audit.record("convert", "failed", recordID: id, detail: Self.describe(error), zohoCode: code)
            result.zohoCode = code
            result.reason = (error as? ZohoError)?.zohoMessage ?? Self.describe(error)
        }
        if afterJob, result.status == .failed {
            result.reason = "the mass-convert job did not convert it; the single convert said: \(result.reason ?? "")"
        }
        return result
    }

    /// The single convert has no assign_to, so the owner is set on the new record afterwards. A failure leaves the
    /// record converted but marked for attention (the run exits 1).
    private func assignOwner(
        _ childID: String,
        in module: String,
        to ownerID: String,
        source: String
    ) async -> (note: String, done: Bool) {
        do {
            let results = try await client.updateRecords(
                module: module,
                records: [ZohoRecord(id: childID, fields: ["Owner": ["id": .string(ownerID)]])]
            )
            await directory.count("PUT /\(module)", credits: APICost.update(records: 1))
            let code = results.first?.code ?? "NO_RESULT"
            let done = code == "SUCCESS"
            audit.record("owner", done ? "done" : "failed", recordID: source, zohoCode: code, childID: childID)
            return ("owner of \(module) \(childID): \(code)", done)
        } catch {
            audit.record("owner", "failed", recordID: source, detail: Self.describe(error), childID: childID)
            let code = (error as? ZohoError)?.zohoCode ?? ((error as? ZohoError)?.code.description ?? "error")
            return ("owner of \(module) \(childID) not set: \(code); set it in Zoho", false)
        }
    }

    /// Zoho says the record is already converted: nothing to do, and nothing to count as a failure.
    func alreadyConverted(_ key: LedgerKey, _ result: inout RecordOutcome) {
        ledger { try store.markOutcome(key, .converted(childID: nil)) }
        audit.record("convert", "skipped", recordID: key.sourceID, zohoCode: "ID_ALREADY_CONVERTED")
        result.status = .skipped
        result.zohoCode = "ID_ALREADY_CONVERTED"
        result.reason = "Zoho says it is already converted (ID_ALREADY_CONVERTED); nothing sent again"
    }

    /// Polls a mass-convert job with a doubling wait until it finishes, or nil when `jobPollTimeout` passes.
    func waitForJob(source: String, jobID: String, lead: Bool = false) async throws -> MassConvertStatus? {
        let deadline = executor.now().addingTimeInterval(Self.seconds(executor.options.jobPollTimeout))
        var delay = executor.options.jobPollInterval
        // Bounded by the deadline, and by a poll count in case the clock does not move.
        for _ in 0..<10_000 {
            let status =
                lead
                ? try await client.leadMassConvertStatus(jobID: jobID)
                : try await client.inventoryMassConvertStatus(from: source, jobID: jobID)
            await directory.count("GET /\(source)/actions/mass_convert?job_id", assumed: true)
            if status.state.isFinished { return status }
            if executor.now() >= deadline { return nil }
            try await executor.sleep(delay)
            delay = min(delay * 2, executor.options.maxPollInterval)
        }
        return nil
    }

    /// After a timed-out mass-convert call: a few bounded looks for children before giving up for this run.
    private func lookForChildren(_ ids: [String], route: ConversionRoute) async -> [String: String] {
        var delay = executor.options.jobPollInterval
        var found: [String: String] = [:]
        for _ in 0..<5 {
            try? await executor.sleep(delay)
            delay = min(delay * 2, executor.options.maxPollInterval)
            if let children = try? await existingChildren(of: ids, route: route) {
                found.merge(children) { a, _ in a }
            }
            if found.count == ids.count { break }
        }
        return found
    }

    private func estimateInventory(records: Int, batches: Int, targets: InventoryTargets) -> [CallEstimate] {
        guard records > 0 else { return [] }
        let route = targets.route
        var calls: [CallEstimate] = []
        switch route.method {
        case .mass:
            calls.append(
                CallEstimate(
                    endpoint: "POST /\(route.source)/actions/mass_convert",
                    calls: batches,
                    credits: batches,
                    assumedCost: true
                )
            )
            calls.append(
                CallEstimate(
                    endpoint: "GET /\(route.source)/actions/mass_convert?job_id (at least)",
                    calls: batches,
                    credits: batches,
                    assumedCost: true
                )
            )
            calls.append(
                CallEstimate(
                    endpoint: "POST /coql (confirm back-links)",
                    calls: batches,
                    credits: batches * APICost.coql(limit: 2000),
                    assumedCost: false
                )
            )
        case .single:
            calls.append(
                CallEstimate(
                    endpoint: "POST /\(route.source)/{id}/actions/convert",
                    calls: records,
                    credits: records,
                    assumedCost: true
                )
            )
            if targets.ownerID != nil {
                calls.append(
                    CallEstimate(
                        endpoint: "PUT /\(route.target) (owner)",
                        calls: records,
                        credits: records,
                        assumedCost: false
                    )
                )
            }
        }
        calls += estimateFollowUps(records: records)
        return calls
    }

    func estimateFollowUps(records: Int) -> [CallEstimate] {
        pipeline.followUps.map { followUp in
            switch followUp {
            case .update:
                let calls = (records + 99) / 100
                return CallEstimate(
                    endpoint: "PUT /\(pipeline.module)",
                    calls: calls,
                    credits: APICost.update(records: records),
                    assumedCost: false
                )
            case .tag:
                let calls = (records + 99) / 100
                return CallEstimate(
                    endpoint: "POST /\(pipeline.module)/actions/add_tags",
                    calls: calls,
                    credits: APICost.addTags(records: records),
                    assumedCost: false
                )
            }
        }
    }

    func ledgerKey(_ sourceID: String) -> LedgerKey {
        LedgerKey(
            rule: ruleName,
            sourceModule: pipeline.module,
            sourceID: sourceID,
            targetModule: pipeline.conversion.targetModule
        )
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
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
