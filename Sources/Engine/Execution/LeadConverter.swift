import Foundation
import RuleKit
import ZohoCRM

/// What a lead conversion needs resolved before it sends anything.
struct LeadTargets: Sendable {
    var ownerID: String?
    var moveAttachmentsTo: ZohoModuleRef?
    var carryTagModules: [ZohoModuleRef]
}

/// Converts leads: reads every lead's conversion options first, decides each by the duplicates policy, then sends
/// leads with nothing to merge through mass-convert jobs (when the action allows it) and the rest one at a time.
struct LeadConverter: RuleStep {
    let context: RuleContext
    let conversion: LeadConversion

    var action: ConvertLeadAction { conversion.action }

    /// The leads to send, by endpoint, after the decisions.
    private struct Sorted {
        var mass: [ZohoRecord] = []
        var single: [(ZohoRecord, LeadDecision)] = []
    }

    /// Converts (or, in a dry-run, plans) `leads` and adds their outcomes to `report`.
    func convert(_ leads: [ZohoRecord], report: inout RuleReport) async throws {
        let targets = try await resolveTargets(leads, report: &report)
        // Options for every lead first: a `duplicates: fail` rule stops before it writes anything.
        let decisions = await concurrentMap(leads, width: client.configuration.complexConcurrencyLimit) { lead in
            await decide(lead)
        }
        if action.duplicates == .fail { try stopOnDuplicates(leads, decisions, report: &report) }
        let done = Counter()
        let sorted = sort(leads, decisions, report: &report, done: done)
        let batches = sorted.mass.chunked(into: MassConversionJob.batchSize)
        report.batches = batches.map { $0.compactMap(\.id) } + sorted.single.map { [$0.0.id ?? ""] }
        if dryRun { return plan(sorted, batches: batches.count, total: leads.count, report: &report) }

        var outcomes: [RecordOutcome] = []
        var retry: [(ZohoRecord, LeadDecision)] = []
        if let job = try? massJob(targets) {
            for batch in batches {
                let result = await job.run(batch)
                outcomes += result.outcomes
                for _ in result.outcomes {
                    executor.progress(.advanced(rule: ruleName, done: done.increment(), total: leads.count))
                }
                retry += result.retrySingly.map { ($0, LeadDecision.create) }
            }
        } else {
            // The deal could not be rendered: each lead goes singly, which reports why it was not sent.
            retry = sorted.mass.map { ($0, LeadDecision.create) }
        }
        outcomes += await concurrentMap(sorted.single + retry, width: client.configuration.complexConcurrencyLimit) {
            pair in
            let result = await convertOne(pair.0, pair.1, targets: targets)
            executor.progress(.advanced(rule: ruleName, done: done.increment(), total: leads.count))
            return result
        }
        report.records += outcomes
    }

    /// The owner's user id and the module ids; when they cannot be resolved every lead is skipped with the reason.
    private func resolveTargets(_ leads: [ZohoRecord], report: inout RuleReport) async throws -> LeadTargets {
        do {
            var ownerID: String?
            if let owner = action.owner { ownerID = try await directory.userID(for: owner) }
            var carry: [ZohoModuleRef] = []
            for module in action.carryTags { carry.append(try await directory.module(module.value)) }
            var attachments: ZohoModuleRef?
            if let module = action.moveAttachmentsTo { attachments = try await directory.module(module.value) }
            return LeadTargets(ownerID: ownerID, moveAttachmentsTo: attachments, carryTagModules: carry)
        } catch {
            for lead in leads {
                skip(lead, name: name(of: lead), reason: "not converted: \(Self.describe(error))", report: &report)
            }
            throw error
        }
    }

    /// Reads `__conversion_options` and applies the duplicates policy.
    private func decide(_ lead: ZohoRecord) async -> LeadDecision {
        guard let id = lead.id else { return LeadDecision(action: .skip("no id"), matches: []) }
        do {
            let options = try await client.conversionOptions(leadID: id)
            return LeadDuplicateDecision.decide(options: options, policy: action.duplicates)
        } catch  where stopsTheRule(error) {
            let reason =
                "pending: its conversion options could not be read (\(Self.describe(error))); the next run sends it"
            return LeadDecision(action: .skip(reason), matches: [])
        } catch {
            let message = (error as? ZohoError)?.zohoMessage ?? Self.describe(error)
            return LeadDecision(action: .refused(code: Self.zohoCode(error), message: message), matches: [])
        }
    }

    /// `duplicates: fail`: any match stops the rule before anything is written. Zoho's own refusals stay failures.
    private func stopOnDuplicates(
        _ leads: [ZohoRecord],
        _ decisions: [LeadDecision],
        report: inout RuleReport
    ) throws(EngineError) {
        guard let first = zip(leads, decisions).first(where: { !$0.1.matches.isEmpty }) else { return }
        let message =
            "duplicates: fail — lead \(first.0.id ?? "") matches \(first.1.matches.joined(separator: "; ")); "
            + "the rule stopped before converting anything"
        for (lead, decision) in zip(leads, decisions) {
            if case .refused(let code, let refusal) = decision.action {
                report.records.append(refused(lead, code: code, message: refusal))
            } else if decision.matches.isEmpty {
                // This lead matches nothing: it is only held back by the other lead's matches.
                let reason =
                    "not converted: duplicates: fail stopped the rule because lead \(first.0.id ?? "") matches "
                    + "existing records; this lead matches none"
                skip(lead, name: name(of: lead), reason: reason, report: &report)
            } else {
                let reason =
                    "duplicates: fail — it matches \(decision.matches.joined(separator: "; ")); the rule stopped "
                    + "before converting anything"
                skip(lead, name: name(of: lead), reason: reason, report: &report)
            }
        }
        throw EngineError(.ruleStopped, operation: "convert_lead", message: message)
    }

    /// Reports skipped and refused leads; sorts the rest by endpoint.
    private func sort(
        _ leads: [ZohoRecord],
        _ decisions: [LeadDecision],
        report: inout RuleReport,
        done: Counter
    ) -> Sorted {
        var sorted = Sorted()
        for (lead, decision) in zip(leads, decisions) {
            switch decision.action {
            case .skip(let reason):
                executor.progress(.advanced(rule: ruleName, done: done.increment(), total: leads.count))
                var skipped = outcome(lead, name: name(of: lead), status: .skipped)
                skipped.reason = reason
                skipped.notes = decision.matches
                report.records.append(skipped)
                let detail = ([reason] + decision.matches).joined(separator: "; ")
                audit.record(.leadOptions, .skipped, recordID: lead.id, detail: detail)
            case .refused(let code, let message):
                executor.progress(.advanced(rule: ruleName, done: done.increment(), total: leads.count))
                report.records.append(refused(lead, code: code, message: message))
            case .convert(let contactID, let accountID):
                audit.record(
                    .leadOptions,
                    contactID == nil && accountID == nil ? .create : .merge,
                    recordID: lead.id,
                    detail: decision.matches.isEmpty ? "no matches" : decision.matches.joined(separator: "; ")
                )
                if conversion.massEligible, contactID == nil, accountID == nil, action.duplicates != .create {
                    sorted.mass.append(lead)
                } else {
                    sorted.single.append((lead, decision))
                }
            }
        }
        return sorted
    }

    private func refused(_ lead: ZohoRecord, code: String, message: String) -> RecordOutcome {
        var failed = outcome(lead, name: name(of: lead), status: .failed)
        failed.zohoCode = code
        failed.reason = "conversion options refused: \(message)"
        audit.record(.leadOptions, .failed, recordID: lead.id, detail: message, zohoCode: code)
        return failed
    }

    private func plan(_ sorted: Sorted, batches: Int, total: Int, report: inout RuleReport) {
        let now = executor.now()
        for lead in sorted.mass {
            var planned = with(outcome(lead, name: name(of: lead), status: .planned)) {
                $0.method = LedgerMethod.leadMass.rawValue
                $0.notes = ["no matches: a new Contact (and Account from Company)"]
            }
            // Mass convert is only chosen when the deal uses no lead fields: one rendering serves all, as in a run.
            renderDeal(ZohoRecord(id: ""), now: now, into: &planned)
            report.records.append(planned)
            audit.record(.convert, .planned, recordID: lead.id, detail: "mass convert")
        }
        for (lead, decision) in sorted.single {
            var planned = with(outcome(lead, name: name(of: lead), status: .planned)) {
                $0.method = "lead-single"
                $0.notes = decision.matches + [decision.summary]
                $0.merges = decision.mergeTargets
            }
            renderDeal(lead, now: now, into: &planned)
            report.records.append(planned)
            if planned.status == .failed {
                audit.record(.convert, .failed, recordID: lead.id, detail: planned.reason)
            } else {
                audit.record(.convert, .planned, recordID: lead.id, detail: decision.summary)
            }
        }
        report.callsToCome = estimate(mass: batches, single: sorted.single.count)
    }

    /// The deal rendered for `source` into the outcome's fields; a template field that is empty fails the lead, as
    /// the run does before it sends anything.
    private func renderDeal(_ source: ZohoRecord, now: Date, into outcome: inout RecordOutcome) {
        guard let deal = action.deal else { return }
        do {
            outcome.fields = RuleRun.texts(try fields(deal, source: source, now: now))
        } catch {
            outcome.status = .failed
            outcome.reason = "not sent: \(Self.describe(error))"
        }
    }

    /// The mass-convert job for leads: confirmed through each lead's Converted__s.
    private func massJob(_ targets: LeadTargets) throws -> MassConversionJob {
        // Mass convert is only chosen when the deal uses no lead fields, so one rendering serves all.
        let deal = try action.deal.map { try fields($0, source: ZohoRecord(id: ""), now: executor.now()) }
        return MassConversionJob(
            context: context,
            method: .leadMass,
            source: "Leads",
            sentDetail: { ids in "POST /Leads/actions/mass_convert: \(ids.count) ids" },
            unknownAfterSending: "the mass-convert request timed out after sending; the next run checks Converted__s",
            lookAfterTimeout: false,
            submit: { ids in
                var request = MassConvertLeadsRequest(
                    ids: ids,
                    assignTo: targets.ownerID,
                    carryOverTags: targets.carryTagModules,
                    moveAttachmentsTo: targets.moveAttachmentsTo
                )
                request.deal = deal
                return try await client.massConvertLeads(request: request)
            },
            confirm: { ids, jobID in await confirmByConvertedFlag(ids, jobID: jobID) }
        )
    }

    private func confirmByConvertedFlag(_ ids: [String], jobID: String?) async -> [String: JobConfirmation] {
        var found: [String: JobConfirmation] = [:]
        for id in ids {
            do {
                if let converted = try await convertedLead(id), let contact = converted.contact {
                    let notes = createdNotes(contact: contact, account: converted.account, deal: converted.deal)
                    found[id] = .converted(childID: contact, notes: notes)
                } else {
                    found[id] = .notConverted
                }
            } catch {
                // The job finished but the lead could not be read: its fate is unknown, never converted twice.
                let job = jobID ?? "-"
                found[id] = .unreadable(
                    reason: "job \(job) finished but the lead could not be read back; the next run checks it",
                    ledgerReason: "job \(job) finished; the lead could not be read"
                )
            }
        }
        return found
    }
}
