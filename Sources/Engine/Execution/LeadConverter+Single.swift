import Foundation
import RuleKit
import ZohoCRM

extension LeadConverter {
    /// One convert-lead call: into new records, or merged into the decision's Contact and Account.
    func convertOne(_ lead: ZohoRecord, _ decision: LeadDecision, targets: LeadTargets) async -> RecordOutcome {
        if let pending = pendingIfStopped(lead, method: "lead-single") { return pending }
        let id = lead.id ?? ""
        let key = ledgerKey(id)
        var result = outcome(lead, name: name(of: lead), status: .failed)
        result.method = "lead-single"
        result.notes = decision.matches
        result.merges = decision.mergeTargets
        let request: ConvertLeadRequest
        do {
            request = try await self.request(for: lead, decision, targets: targets)
            result.fields = request.deal.map(RuleRun.texts) ?? [:]
            try store.recordIntents([LedgerEntry(key: key, method: .lead, runID: runID, updatedAt: executor.now())])
        } catch  where stopsTheRule(error) {
            return pending(lead, key: nil, method: result.method, detail: Self.describe(error))
        } catch {
            result.reason = "not sent: \(Self.describe(error))"
            result.zohoCode = (error as? ZohoError)?.zohoCode
            audit.record(.convert, .failed, recordID: id, detail: result.reason)
            return result
        }
        audit.record(
            .convert,
            .sent,
            recordID: id,
            detail: "POST /Leads/\(id)/actions/convert"
                + (request.contactID.map { " Contacts \($0)" } ?? "")
                + (request.accountID.map { " Accounts \($0)" } ?? "") + (request.deal == nil ? "" : " with a Deal")
        )
        audit.flush(logger: executor.logger)
        do {
            let converted = try await client.convertLead(id: id, request: request)
            interpret(converted, key: key, into: &result)
        } catch let error as ZohoError where error.zohoCode == "ID_ALREADY_CONVERTED" {
            alreadyConverted(key, &result)
        } catch let error where Self.mayHaveHappened(error) {
            _ = stopsTheRule(error)
            ledger { try store.markOutcome(key, .unknown(reason: "convert lead timed out after sending")) }
            result.status = .unknown
            result.reason = "the convert request timed out after sending; the next run checks Converted__s first"
            audit.record(.convert, .unknown, recordID: id, detail: "timed out after sending")
        } catch  where stopsTheRule(error) {
            return pending(lead, key: key, method: result.method, detail: Self.describe(error))
        } catch {
            let code = Self.zohoCode(error)
            ledger { try store.markOutcome(key, .failed(code: code, message: Self.describe(error))) }
            result.zohoCode = code
            result.reason = (error as? ZohoError)?.zohoMessage ?? Self.describe(error)
            audit.record(.convert, .failed, recordID: id, detail: Self.describe(error), zohoCode: code)
        }
        return result
    }

    /// The convert-lead body: the merge targets, the deal rendered for this lead, its tags to carry over.
    private func request(
        for lead: ZohoRecord,
        _ decision: LeadDecision,
        targets: LeadTargets
    ) async throws -> ConvertLeadRequest {
        var contactID: String?
        var accountID: String?
        if case .convert(let contact, let account) = decision.action {
            contactID = contact
            accountID = account
        }
        var request = ConvertLeadRequest(
            overwrite: action.overwriteAccountName,
            notifyLeadOwner: action.notifyLeadOwner,
            notifyNewEntityOwner: action.notifyNewOwner,
            moveAttachmentsTo: targets.moveAttachmentsTo,
            accountID: accountID,
            contactID: contactID,
            assignTo: targets.ownerID
        )
        if let deal = action.deal { request.deal = try fields(deal, source: lead, now: executor.now()) }
        if !targets.carryTagModules.isEmpty, let id = lead.id {
            let tags = try await leadTags(id)
            if !tags.isEmpty {
                request.carryOverTags = Dictionary(
                    targets.carryTagModules.map { ($0.apiName, tags) },
                    uniquingKeysWith: { a, _ in a }
                )
            }
        }
        return request
    }

    private func interpret(_ converted: ConversionResult, key: LedgerKey, into result: inout RecordOutcome) {
        let id = key.sourceID
        if converted.isScheduled {
            // Zoho took the conversion and will do it later (202 SCHEDULED): never resent, confirmed through
            // Converted__s by a later run, which waits out the grace period for it (see Reconciler).
            let job = converted.scheduledJobID ?? "without a job id"
            ledger { try store.markOutcome(key, .unknown(reason: Self.scheduledReason + job)) }
            result.status = .unknown
            result.reason = "Zoho scheduled the conversion (job \(job)); the next run confirms it through Converted__s"
            audit.record(.convert, .unknown, recordID: id, detail: "scheduled by Zoho, job \(job)")
            return
        }
        guard converted.isSuccess, let contact = converted.contactID else {
            let code = converted.result.code
            ledger { try store.markOutcome(key, .failed(code: code, message: converted.result.message)) }
            result.zohoCode = code
            result.reason = converted.result.message
            audit.record(.convert, .failed, recordID: id, detail: converted.result.message, zohoCode: code)
            return
        }
        result.status = .converted
        result.childID = contact
        result.notes += createdNotes(contact: contact, account: converted.accountID, deal: converted.dealID)
        let event = audit.event(
            .confirm,
            .converted,
            recordID: id,
            detail: result.notes.joined(separator: "; "),
            childID: contact
        )
        ledger { try recordConverted([(key, contact)], followUps: .lead, events: [event]) }
    }

    /// The ledger message of a conversion Zoho scheduled; the Reconciler reads it to know the write is not
    /// synchronous.
    static let scheduledReason = "scheduled by Zoho as job "

    private func leadTags(_ id: String) async throws -> [String] {
        guard let lead = try await client.getRecord(module: "Leads", id: id) else { return [] }
        return lead["Tag"].arrayValue?.compactMap { $0["name"].stringValue } ?? []
    }

    func createdNotes(contact: String, account: String?, deal: String?) -> [String] {
        ["Contact \(contact)"] + (account.map { ["Account \($0)"] } ?? []) + (deal.map { ["Deal \($0)"] } ?? [])
    }

    func estimate(mass: Int, single: Int) -> [CallEstimate] {
        var calls: [CallEstimate] = []
        if mass > 0 {
            calls.append(
                CallEstimate(
                    endpoint: "POST /Leads/actions/mass_convert",
                    calls: mass,
                    credits: mass,
                    assumedCost: true
                )
            )
            calls.append(
                CallEstimate(
                    endpoint: "GET /Leads/actions/mass_convert?job_id (at least)",
                    calls: mass,
                    credits: mass,
                    assumedCost: true
                )
            )
        }
        if single > 0 {
            calls.append(
                CallEstimate(
                    endpoint: "POST /Leads/{id}/actions/convert",
                    calls: single,
                    credits: single * ZohoAPICost.convertLead,
                    assumedCost: false
                )
            )
        }
        return calls + FollowUpRunner(context: context).estimate(records: mass + single)
    }
}

extension RuleStep {
    /// The lead's Converted__s and the records it became, read back from Zoho; nil when it is not converted.
    func convertedLead(_ id: String) async throws -> (contact: String?, account: String?, deal: String?)? {
        guard let lead = try await client.getRecord(module: "Leads", id: id) else { return nil }
        guard lead["Converted__s"].boolValue == true else { return nil }
        return (
            lead["Converted_Contact"]["id"].idValue,
            lead["Converted_Account"]["id"].idValue,
            lead["Converted_Deal"]["id"].idValue
        )
    }
}
