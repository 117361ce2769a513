import Foundation
import RuleKit
import ZohoCRM

/// What a mass-convert job did to one record, as read back from Zoho.
enum JobConfirmation: Sendable {
    /// Zoho shows it converted into `childID`; `notes` name what was created.
    case converted(childID: String, notes: [String])
    /// No sign of a conversion: the single convert is tried next, to convert it or learn Zoho's reason.
    case notConverted
    /// Its fate could not be read: it stays unknown (`reason` for the report, `ledgerReason` for the ledger).
    case unreadable(reason: String, ledgerReason: String)
}

/// One mass-convert call for up to 50 records, shared by inventory and leads: intents in the ledger, the submit,
/// bounded polling of the job, per-record confirmation, and the records left for the single convert.
///
/// Zoho's job reports only counts, so each record is confirmed by what Zoho shows afterwards (a back-link, or
/// Converted__s): `confirm` reads it. A submit whose answer was lost is never resent; its records stay unknown for
/// the next run's reconciliation unless `lookAfterTimeout` finds them converted now.
struct MassConversionJob: RuleStep {
    /// Records per mass-convert call (Zoho's limit).
    static let batchSize = 50

    let context: RuleContext
    /// `mass` or `lead-mass`: the ledger's method and the outcomes' `method`.
    let method: LedgerMethod
    /// The module whose job-status endpoint is polled: `Quotes`, `Sales_Orders` or `Leads`.
    let source: String
    /// The `convert sent` audit detail for a call carrying `ids`.
    let sentDetail: @Sendable (_ ids: [String]) -> String
    /// Why a record stays unknown after a submit that timed out after sending.
    let unknownAfterSending: String
    /// After such a submit, look for conversions a few times (bounded) before leaving them to the next run.
    let lookAfterTimeout: Bool
    /// Sends the mass-convert call for `ids`; returns the job id.
    let submit: @Sendable (_ ids: [String]) async throws -> String
    /// Reads what became of each of `ids` (after the job with `jobID`, or after a lost submit when nil).
    let confirm: @Sendable (_ ids: [String], _ jobID: String?) async -> [String: JobConfirmation]

    /// The outcomes of a batch, and the records to try with the single convert.
    struct Result: Sendable {
        var outcomes: [RecordOutcome] = []
        var retrySingly: [ZohoRecord] = []
    }

    /// Runs the job for `batch` and confirms each record.
    func run(_ batch: [ZohoRecord]) async -> Result {
        if context.stop.reason != nil {
            return Result(outcomes: batch.compactMap { pendingIfStopped($0, method: method.rawValue) })
        }
        let ids = batch.compactMap(\.id)
        let keys = ids.map { ledgerKey($0) }
        do {
            try store.recordIntents(
                keys.map { LedgerEntry(key: $0, method: method, runID: runID, updatedAt: executor.now()) }
            )
        } catch {
            return Result(outcomes: batch.map { made($0, .failed, jobID: nil) { $0.reason = "ledger: \(error)" } })
        }
        let sent = sentDetail(ids)
        // On disk before the write goes out: a killed run still shows what it sent, and a pending intent without
        // its `convert sent` event was never sent (the next run's reconciliation releases it at once).
        audit.flush(logger: executor.logger)
        do {
            try store.append(ids.map { audit.event(.convert, .sent, recordID: $0, detail: sent) })
        } catch {
            return Result(outcomes: batch.map { made($0, .failed, jobID: nil) { $0.reason = "audit: \(error)" } })
        }
        let jobID: String
        do {
            jobID = try await submit(ids)
        } catch let error where Self.refusedWithServerError(error) {
            _ = stopsTheRule(error)
            return await serverError(batch, error)
        } catch let error where Self.mayHaveHappened(error) {
            _ = stopsTheRule(error)
            return await lostSubmit(batch)
        } catch  where stopsTheRule(error) {
            // The call was not taken (429, the connection, the token): the records wait for the next run, and never
            // go to the single convert for it.
            let detail = Self.describe(error)
            return Result(
                outcomes: batch.map {
                    pending($0, key: ledgerKey($0.id ?? ""), method: method.rawValue, detail: detail)
                }
            )
        } catch {
            return refused(batch, error)
        }
        ledger { try store.markSubmitted(keys, jobID: jobID) }
        let noun = method == .leadMass ? (job: "lead job", records: "leads") : (job: "job", records: "records")
        executor.progress(
            .note(rule: ruleName, message: "\(noun.job) \(jobID) scheduled for \(ids.count) \(noun.records)")
        )
        executor.progress(.jobSubmitted(rule: ruleName, jobID: jobID, records: ids.count))
        let poller = JobStatusPoller(context: context)
        let status: MassConvertStatus
        do {
            guard let finished = try await poller.wait(source: source, jobID: jobID, lead: method == .leadMass) else {
                return stillRunning(batch, jobID: jobID, reason: "had not finished in time")
            }
            status = finished
        } catch {
            _ = stopsTheRule(error)
            return stillRunning(batch, jobID: jobID, reason: "could not be polled (\(Self.describe(error)))")
        }
        audit.record(
            .confirm,
            status.state == .completed ? .jobCompleted : .jobFailed,
            detail: "total \(status.totalCount), converted \(status.convertedCount), failed \(status.failedCount), "
                + "not converted \(status.notConvertedCount)",
            jobID: jobID
        )
        return settle(batch, await confirm(ids, jobID), jobID: jobID)
    }

    /// Applies each record's confirmation: the ledger first, then the audit and the outcome.
    private func settle(_ batch: [ZohoRecord], _ found: [String: JobConfirmation], jobID: String) -> Result {
        var result = Result()
        var converted: [(key: LedgerKey, childID: String?)] = []
        var events: [AuditEvent] = []
        // Converted records go to the ledger with their audit events and pending follow-ups, in one transaction.
        defer { ledger { try recordConverted(converted, followUps: method, events: events) } }
        for record in batch {
            guard let id = record.id else { continue }
            let key = ledgerKey(id)
            switch found[id] ?? .notConverted {
            case .converted(let child, let notes):
                converted.append((key, child))
                let detail = notes.isEmpty ? nil : notes.joined(separator: "; ")
                events.append(
                    audit.event(.confirm, .converted, recordID: id, detail: detail, jobID: jobID, childID: child)
                )
                result.outcomes.append(
                    made(record, .converted, jobID: jobID) {
                        $0.childID = child
                        $0.notes = notes
                    }
                )
            case .notConverted:
                ledger {
                    try store.markOutcome(
                        key,
                        .failed(code: "NOT_CONVERTED", message: "job \(jobID) finished without converting it")
                    )
                }
                audit.record(.confirm, .notConverted, recordID: id, jobID: jobID)
                result.retrySingly.append(record)
            case .unreadable(let reason, let ledgerReason):
                ledger { try store.markOutcome(key, .unknown(reason: ledgerReason)) }
                audit.record(.confirm, .unknown, recordID: id, detail: ledgerReason, jobID: jobID)
                result.outcomes.append(made(record, .unknown, jobID: jobID) { $0.reason = reason })
            }
        }
        return result
    }

    /// The submit timed out after sending: the job may exist. What is not found converted stays unknown.
    private func lostSubmit(_ batch: [ZohoRecord], found earlier: [String: String]? = nil) async -> Result {
        let ids = batch.compactMap(\.id)
        var found = earlier ?? [:]
        if earlier == nil, lookAfterTimeout { found = await lookAgain(ids) }
        var result = Result()
        var converted: [(key: LedgerKey, childID: String?)] = []
        var events: [AuditEvent] = []
        defer { ledger { try recordConverted(converted, followUps: method, events: events) } }
        for record in batch {
            guard let id = record.id else { continue }
            let key = ledgerKey(id)
            if let child = found[id] {
                converted.append((key, child))
                events.append(audit.event(.confirm, .converted, recordID: id, childID: child))
                result.outcomes.append(made(record, .converted, jobID: nil) { $0.childID = child })
            } else {
                ledger { try store.markOutcome(key, .unknown(reason: "mass convert timed out after sending")) }
                audit.record(.convert, .unknown, recordID: id, detail: "the request timed out after sending")
                result.outcomes.append(made(record, .unknown, jobID: nil) { $0.reason = unknownAfterSending })
            }
        }
        return result
    }

    /// True when Zoho itself answered the submit with a 5xx and its error body (`INTERNAL_ERROR`), so no job id: a
    /// job Zoho schedules is answered 202 with its id. A 5xx without Zoho's body (a proxy's 502, 503 or 504) says
    /// nothing of what Zoho did, nor does a lost answer: those stay with `mayHaveHappened`.
    static func refusedWithServerError(_ error: any Error) -> Bool {
        // The client reports a write's 5xx as `unknownOutcome` (it cannot know what the endpoint does); Zoho's code
        // in the body and the HTTP status say Zoho itself answered.
        guard let error = error as? ZohoError, error.delivery == .answered, error.zohoCode != nil else { return false }
        return [.api, .unknownOutcome].contains(error.code) && (error.httpStatus ?? 0) >= 500
    }

    /// Zoho answered the submit with its own 5xx: it scheduled no job. Before the records go back to pending (the
    /// next run sends them again, at once), one bounded look checks that nothing converted them after all; if
    /// something did, a job exists, and what it has not converted yet stays unknown, as after a lost answer.
    private func serverError(_ batch: [ZohoRecord], _ error: any Error) async -> Result {
        let ids = batch.compactMap(\.id)
        let found = await lookAgain(ids, looks: 2)
        guard found.isEmpty else { return await lostSubmit(batch, found: found) }
        let detail = "Zoho answered the mass convert with \(Self.describe(error)) and scheduled no job"
        return Result(
            outcomes: batch.map { pending($0, key: ledgerKey($0.id ?? ""), method: method.rawValue, detail: detail) }
        )
    }

    /// A few bounded looks for conversions after a lost submit, before giving up for this run.
    private func lookAgain(_ ids: [String], looks: Int = 5) async -> [String: String] {
        var delay = executor.options.jobPollInterval
        var found: [String: String] = [:]
        for _ in 0..<looks {
            try? await executor.sleep(delay)
            delay = min(delay * 2, executor.options.maxPollInterval)
            for (id, confirmation) in await confirm(ids, nil) {
                if case .converted(let child, _) = confirmation, found[id] == nil { found[id] = child }
            }
            if found.count == ids.count { break }
        }
        return found
    }

    /// Zoho refused the whole call (e.g. INVALID_DATA for one deleted id): nothing was converted. Each record goes
    /// through the single convert, which gives each its own answer.
    private func refused(_ batch: [ZohoRecord], _ error: any Error) -> Result {
        let code = Self.zohoCode(error)
        for id in batch.compactMap(\.id) {
            ledger { try store.markOutcome(ledgerKey(id), .failed(code: code, message: "mass convert refused")) }
            audit.record(.convert, .refused, recordID: id, detail: Self.describe(error), zohoCode: code)
        }
        return Result(retrySingly: batch)
    }

    /// The job had not finished within `jobPollTimeout`, or its status could not be read (`reason` says which):
    /// the next run checks it before sending anything again.
    private func stillRunning(_ batch: [ZohoRecord], jobID: String, reason: String) -> Result {
        Result(
            outcomes: batch.map { record in
                audit.record(.confirm, .unknown, recordID: record.id, detail: "job \(reason)", jobID: jobID)
                return made(record, .unknown, jobID: jobID) {
                    $0.reason = "job \(jobID) \(reason); the next run checks it before sending again"
                }
            }
        )
    }

    private func made(
        _ record: ZohoRecord,
        _ status: RecordOutcome.Status,
        jobID: String?,
        change: (inout RecordOutcome) -> Void
    ) -> RecordOutcome {
        var made = outcome(record, name: name(of: record), status: status)
        made.method = method.rawValue
        made.jobID = jobID
        change(&made)
        return made
    }
}

/// Polls a mass-convert job's status, for a job just submitted and for one an earlier run left.
struct JobStatusPoller: RuleStep {
    let context: RuleContext

    /// Polls with a doubling wait until the job finishes, or nil when `jobPollTimeout` passes.
    func wait(source: String, jobID: String, lead: Bool) async throws -> MassConvertStatus? {
        let started = executor.now()
        let deadline = started.addingTimeInterval(Self.seconds(executor.options.jobPollTimeout))
        // Once the run is asked to stop, a job already submitted is still confirmed, but only for `stopGrace`.
        var stopDeadline: Date?
        var delay = executor.options.jobPollInterval
        // Bounded by the deadline, and by a poll count in case the clock does not move.
        for _ in 0..<10_000 {
            let status =
                lead
                ? try await client.leadMassConvertStatus(jobID: jobID)
                : try await client.inventoryMassConvertStatus(from: source, jobID: jobID)
            executor.progress(
                .jobStatus(
                    rule: ruleName,
                    jobID: jobID,
                    state: status.state.rawValue,
                    elapsed: .milliseconds(Int64(executor.now().timeIntervalSince(started) * 1000)),
                    converted: status.convertedCount,
                    total: status.totalCount
                )
            )
            if status.state.isFinished { return status }
            if executor.now() >= deadline { return nil }
            if executor.options.stop?.isRequested == true {
                let bound = stopDeadline ?? executor.now().addingTimeInterval(Self.seconds(executor.options.stopGrace))
                stopDeadline = bound
                if executor.now() >= bound { return nil }
            }
            try await executor.sleep(delay)
            delay = min(delay * 2, executor.options.maxPollInterval)
        }
        return nil
    }
}
