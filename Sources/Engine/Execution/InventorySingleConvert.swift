import Foundation
import RuleKit
import ZohoCRM

/// The single-record inventory convert: the route for Quote → Invoice, and the retry of what a mass-convert job
/// left (which also tells Zoho's reason). Its answer names the new record, and goes to the ledger first.
struct InventorySingleConvert: RuleStep {
    let context: RuleContext
    let targets: InventoryTargets

    var route: ConversionRoute { targets.route }

    /// Converts `record`; `afterJob` when a mass-convert job left it.
    func convert(_ record: ZohoRecord, afterJob: Bool) async -> RecordOutcome {
        if let pending = pendingIfStopped(record, method: LedgerMethod.single.rawValue) { return pending }
        let id = record.id ?? ""
        let key = ledgerKey(id)
        var result = outcome(record, name: name(of: record), status: .failed)
        result.method = LedgerMethod.single.rawValue
        do {
            try store.recordIntents([LedgerEntry(key: key, method: .single, runID: runID, updatedAt: executor.now())])
        } catch {
            result.reason = "ledger: \(error)"
            return result
        }
        audit.record(
            .convert,
            .sent,
            recordID: id,
            detail: "POST /\(route.source)/\(id)/actions/convert to \(route.target), "
                + (targets.singleConvertCarryTags.map { "carry_over_tags \($0)" } ?? "tags carried by Zoho")
        )
        // On disk before the write goes out: a killed run still shows what it sent.
        audit.flush(logger: executor.logger)
        do {
            let converted = try await client.convertInventory(
                from: route.source,
                id: id,
                to: targets.target,
                carryTags: targets.singleConvertCarryTags
            )
            interpret(converted, key: key, into: &result)
        } catch let error where Self.mayHaveHappened(error) {
            _ = stopsTheRule(error)
            let detail = "the answer was lost (\(Self.describe(error)))"
            ledger { try store.markOutcome(key, .unknown(reason: "single convert: \(detail)")) }
            audit.record(.convert, .unknown, recordID: id, detail: detail)
            result.status = .unknown
            result.reason = "the convert request was sent but \(detail); the next run checks before sending again"
        } catch let error as ZohoError where error.zohoCode == "ID_ALREADY_CONVERTED" {
            alreadyConverted(key, &result)
        } catch  where stopsTheRule(error) {
            // Zoho did not take the write (429, the connection, the token): it is not the record's failure.
            return pending(record, key: key, method: result.method, detail: Self.describe(error))
        } catch {
            let code = Self.zohoCode(error)
            ledger { try store.markOutcome(key, .failed(code: code, message: Self.describe(error))) }
            audit.record(.convert, .failed, recordID: id, detail: Self.describe(error), zohoCode: code)
            result.zohoCode = code
            result.reason = (error as? ZohoError)?.zohoMessage ?? Self.describe(error)
        }
        if afterJob, result.status == .failed {
            result.reason = "the mass-convert job did not convert it; the single convert said: \(result.reason ?? "")"
        }
        return result
    }

    /// Zoho's answer: the new record (recorded in the ledger before anything else), or its refusal.
    private func interpret(_ converted: ConversionResult, key: LedgerKey, into result: inout RecordOutcome) {
        let id = key.sourceID
        guard converted.isSuccess, let child = converted.created[route.target]?.id else {
            if converted.result.code == "ID_ALREADY_CONVERTED" { return alreadyConverted(key, &result) }
            let code = converted.result.code
            ledger { try store.markOutcome(key, .failed(code: code, message: converted.result.message)) }
            audit.record(.convert, .failed, recordID: id, detail: converted.result.message, zohoCode: code)
            result.zohoCode = code
            result.reason = converted.result.message
            return
        }
        // The answer is the only sure link between the record and its new child: nothing else happens for the
        // record until the ledger holds it.
        do {
            try recordConverted(
                [(key, child)],
                followUps: .single,
                events: [audit.event(.confirm, .converted, recordID: id, childID: child)]
            )
        } catch {
            audit.record(.confirm, .unknown, recordID: id, detail: Self.describe(error), childID: child)
            result.status = .unknown
            result.childID = child
            result.reason =
                "Zoho converted it into \(route.target) \(child), but the ledger could not record that "
                + "(\(Self.describe(error))); nothing else is done for it until a run confirms it"
            return
        }
        result.status = .converted
        result.childID = child
    }
}

extension RuleStep {
    /// A write's error that leaves its outcome unknown: a lost answer, or a transient fault the client cannot tell
    /// was before sending (a cancelled call).
    static func mayHaveHappened(_ error: any Error) -> Bool {
        if (error as? ZohoError)?.isOutcomeUnknown == true { return true }
        return TransientFault.isTransient(error) || Task.isCancelled ? !TransientFault.writeNotTaken(error) : false
    }

    /// Zoho says the record is already converted: nothing to do, and nothing to count as a failure.
    func alreadyConverted(_ key: LedgerKey, _ result: inout RecordOutcome) {
        ledger {
            try recordConverted(
                [(key, nil)],
                followUps: nil,
                events: [audit.event(.convert, .skipped, recordID: key.sourceID, zohoCode: "ID_ALREADY_CONVERTED")]
            )
        }
        result.status = .skipped
        result.zohoCode = "ID_ALREADY_CONVERTED"
        result.reason = "Zoho says it is already converted (ID_ALREADY_CONVERTED); nothing sent again"
    }
}
