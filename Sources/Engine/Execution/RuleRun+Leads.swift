import Foundation
import RuleKit
import ZohoCRM

/// What to do with one lead after reading its conversion options.
struct LeadDecision: Sendable {
    enum Action: Sendable {
        /// Convert; merge into these existing records when set.
        case convert(contactID: String?, accountID: String?)
        /// Do not convert; the reason is recorded.
        case skip(String)
        /// Zoho refused to offer conversion options (locked, unapproved, …): a failure with Zoho's code.
        case refused(code: String, message: String)
    }

    var action: Action
    /// The matches found, for the plan and the audit log: record ids and the fields that matched, never values.
    var matches: [String]
}

/// What a lead conversion needs resolved before it sends anything.
struct LeadTargets: Sendable {
    var ownerID: String?
    var moveAttachmentsTo: ZohoModuleRef?
    var carryTagModules: [ZohoModuleRef]
}

extension RuleRun {
    func convertLeads(_ leads: [ZohoRecord], _ conversion: LeadConversion, report: inout RuleReport) async throws {
        let action = conversion.action
        let targets: LeadTargets
        do {
            var ownerID: String?
            if let owner = action.owner { ownerID = try await directory.userID(for: owner) }
            var carry: [ZohoModuleRef] = []
            for module in action.carryTags { carry.append(try await directory.module(module.value)) }
            var attachments: ZohoModuleRef?
            if let module = action.moveAttachmentsTo { attachments = try await directory.module(module.value) }
            targets = LeadTargets(ownerID: ownerID, moveAttachmentsTo: attachments, carryTagModules: carry)
        } catch {
            for lead in leads {
                skip(
                    lead,
                    name: RecordValues.name(lead, module: "Leads"),
                    reason: "not converted: \(Self.describe(error))",
                    report: &report
                )
            }
            throw error
        }

        // Options for every lead first: a `duplicates: fail` rule stops before it writes anything.
        let decisions = await concurrentMap(leads, width: client.configuration.complexConcurrencyLimit) { lead in
            await decide(lead, policy: action.duplicates)
        }
        if action.duplicates == .fail, let first = zip(leads, decisions).first(where: { !$0.1.matches.isEmpty }) {
            let message =
                "duplicates: fail — lead \(first.0.id ?? "") matches \(first.1.matches.joined(separator: "; ")); "
                + "the rule stopped before converting anything"
            for (lead, decision) in zip(leads, decisions) {
                let name = RecordValues.name(lead, module: "Leads")
                if case .refused(let code, let refusal) = decision.action {
                    // Zoho's own refusal stays a failure with its code, whatever stopped the rule.
                    var failed = outcome(lead, name: name, status: .failed)
                    failed.zohoCode = code
                    failed.reason = "conversion options refused: \(refusal)"
                    report.records.append(failed)
                    audit.record("lead-options", "failed", recordID: lead.id, detail: refusal, zohoCode: code)
                } else {
                    skip(lead, name: name, reason: message, report: &report)
                }
            }
            throw EngineError(.ruleStopped, operation: "convert_lead", message: message)
        }

        let done = Counter()
        var toMass: [ZohoRecord] = []
        var toSingle: [(ZohoRecord, LeadDecision)] = []
        for (lead, decision) in zip(leads, decisions) {
            let name = RecordValues.name(lead, module: "Leads")
            switch decision.action {
            case .skip(let reason):
                executor.progress(.advanced(rule: ruleName, done: done.increment(), total: leads.count))
                var skipped = outcome(lead, name: name, status: .skipped)
                skipped.reason = reason
                skipped.notes = decision.matches
                report.records.append(skipped)
                audit.record(
                    "lead-options",
                    "skipped",
                    recordID: lead.id,
                    detail: ([reason] + decision.matches).joined(separator: "; ")
                )
            case .refused(let code, let message):
                executor.progress(.advanced(rule: ruleName, done: done.increment(), total: leads.count))
                var failed = outcome(lead, name: name, status: .failed)
                failed.zohoCode = code
                failed.reason = "conversion options refused: \(message)"
                report.records.append(failed)
                audit.record("lead-options", "failed", recordID: lead.id, detail: message, zohoCode: code)
            case .convert(let contactID, let accountID):
                audit.record(
                    "lead-options",
                    contactID == nil && accountID == nil ? "create" : "merge",
                    recordID: lead.id,
                    detail: decision.matches.isEmpty ? "no matches" : decision.matches.joined(separator: "; ")
                )
                if conversion.massEligible, contactID == nil, accountID == nil, action.duplicates != .create {
                    toMass.append(lead)
                } else {
                    toSingle.append((lead, decision))
                }
            }
        }

        let batches = toMass.chunked(into: Self.massBatchSize)
        report.batches = batches.map { $0.compactMap(\.id) } + toSingle.map { [$0.0.id ?? ""] }
        if dryRun {
            for lead in toMass {
                report.records.append(
                    with(outcome(lead, name: RecordValues.name(lead, module: "Leads"), status: .planned)) {
                        $0.method = "lead-mass"
                        $0.notes = ["no matches: a new Contact (and Account from Company)"]
                    }
                )
                audit.record("convert", "planned", recordID: lead.id, detail: "mass convert")
            }
            for (lead, decision) in toSingle {
                report.records.append(
                    with(outcome(lead, name: RecordValues.name(lead, module: "Leads"), status: .planned)) {
                        $0.method = "lead-single"
                        $0.notes = decision.matches + [Self.describe(decision.action)]
                    }
                )
                audit.record("convert", "planned", recordID: lead.id, detail: Self.describe(decision.action))
            }
            report.callsToCome = estimateLeads(mass: batches.count, single: toSingle.count, records: leads.count)
            return
        }

        var outcomes: [RecordOutcome] = []
        var retry: [(ZohoRecord, LeadDecision)] = []
        for batch in batches {
            let result = await massConvertLeads(batch, action: action, targets: targets)
            outcomes += result.outcomes
            for _ in result.outcomes {
                executor.progress(.advanced(rule: ruleName, done: done.increment(), total: leads.count))
            }
            retry += result.retrySingly.map {
                ($0, LeadDecision(action: .convert(contactID: nil, accountID: nil), matches: []))
            }
        }
        let singles = toSingle + retry
        outcomes += await concurrentMap(singles, width: client.configuration.complexConcurrencyLimit) { pair in
            let result = await convertLead(pair.0, pair.1, action: action, targets: targets)
            executor.progress(.advanced(rule: ruleName, done: done.increment(), total: leads.count))
            return result
        }
        let byID = Dictionary(leads.compactMap { r in r.id.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        report.records += await runFollowUps(outcomes, records: byID)
    }

    /// Reads `__conversion_options` and applies the duplicates policy.
    private func decide(_ lead: ZohoRecord, policy: DuplicatePolicy) async -> LeadDecision {
        guard let id = lead.id else { return LeadDecision(action: .skip("no id"), matches: []) }
        let options: LeadConversionOptions?
        do {
            options = try await client.conversionOptions(leadID: id)
            await directory.count("GET /Leads/{id}/__conversion_options", assumed: true)
        } catch {
            await directory.count("GET /Leads/{id}/__conversion_options", assumed: true)
            let code = (error as? ZohoError)?.zohoCode ?? "REQUEST_FAILED"
            let message = (error as? ZohoError)?.zohoMessage ?? Self.describe(error)
            return LeadDecision(action: .refused(code: code, message: message), matches: [])
        }
        let contacts = options?.contacts ?? []
        let accounts = options?.accounts ?? []
        var matches: [String] = []
        for contact in contacts {
            let fields = options?.preferenceFieldMatchedValue["Contacts"]?.map(\.fieldAPIName) ?? []
            matches.append("Contact \(contact.id ?? "?") (matched on \(fields.joined(separator: ", ")))")
        }
        for account in accounts {
            let fields = options?.preferenceFieldMatchedValue["Accounts"]?.map(\.fieldAPIName) ?? []
            matches.append("Account \(account.id ?? "?") (matched on \(fields.joined(separator: ", ")))")
        }
        if contacts.isEmpty && accounts.isEmpty {
            return LeadDecision(action: .convert(contactID: nil, accountID: nil), matches: [])
        }
        switch policy {
        case .create, .fail:
            return LeadDecision(action: .convert(contactID: nil, accountID: nil), matches: matches)
        case .skip:
            return LeadDecision(action: .skip("duplicates: skip — it matches existing records"), matches: matches)
        case .merge:
            return LeadDecision(action: mergeTarget(contacts: contacts, accounts: accounts), matches: matches)
        }
    }

    /// Merge only when the match is unambiguous: at most one Contact and one Account, and they agree.
    private func mergeTarget(contacts: [ZohoRecord], accounts: [ZohoRecord]) -> LeadDecision.Action {
        if contacts.count > 1 {
            return .skip("ambiguous: \(contacts.count) Contacts match; merge needs exactly one")
        }
        if accounts.count > 1 {
            return .skip("ambiguous: \(accounts.count) Accounts match; merge needs exactly one")
        }
        if let locked = (contacts + accounts).first(where: { $0["Locked__s"].boolValue == true }) {
            return .skip("the matching record \(locked.id ?? "") is locked; Zoho cannot merge into it")
        }
        let account = accounts.first?.id
        guard let contact = contacts.first else {
            return .convert(contactID: nil, accountID: account)
        }
        let contactsAccount = contact["Account_Name"]["id"].idValue
        switch (contactsAccount, account) {
        case (_, nil):
            // Joining a Contact also links its Account, if it has one.
            return .convert(contactID: contact.id, accountID: nil)
        case (let linked?, let matched?) where linked == matched:
            return .convert(contactID: contact.id, accountID: matched)
        case (let linked?, let matched?):
            return .skip("ambiguous: the matching Contact belongs to Account \(linked), but Account \(matched) matches")
        case (nil, let matched?):
            return .skip(
                "ambiguous: the matching Contact has no Account, but Account \(matched) matches the Company"
            )
        }
    }

    private func convertLead(
        _ lead: ZohoRecord,
        _ decision: LeadDecision,
        action: ConvertLeadAction,
        targets: LeadTargets
    ) async -> RecordOutcome {
        let id = lead.id ?? ""
        let key = ledgerKey(id)
        var result = outcome(lead, name: RecordValues.name(lead, module: "Leads"), status: .failed)
        result.method = "lead-single"
        result.notes = decision.matches
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
        do {
            if let deal = action.deal {
                var fields: [String: ZohoJSON] = [:]
                for assignment in deal {
                    fields[assignment.field.value] = try json(assignment.value, source: lead, now: executor.now())
                }
                request.deal = fields
            }
            if !targets.carryTagModules.isEmpty {
                let tags = try await leadTags(id)
                if !tags.isEmpty {
                    request.carryOverTags = Dictionary(
                        targets.carryTagModules.map { ($0.apiName, tags) },
                        uniquingKeysWith: { a, _ in a }
                    )
                }
            }
            try store.recordIntents([LedgerEntry(key: key, method: "lead", runID: runID, updatedAt: executor.now())])
        } catch {
            result.reason = "not sent: \(Self.describe(error))"
            result.zohoCode = (error as? ZohoError)?.zohoCode
            audit.record("convert", "failed", recordID: id, detail: result.reason)
            return result
        }
        audit.record(
            "convert",
            "sent",
            recordID: id,
            detail: "POST /Leads/\(id)/actions/convert"
                + (contactID.map { " Contacts \($0)" } ?? "") + (accountID.map { " Accounts \($0)" } ?? "")
                + (request.deal == nil ? "" : " with a Deal")
        )
        audit.flush(logger: executor.logger)
        do {
            let converted = try await client.convertLead(id: id, request: request)
            await directory.count("POST /Leads/{id}/actions/convert", credits: APICost.convertLead)
            if converted.isSuccess, let contact = converted.contactID {
                ledger { try store.markOutcome(key, .converted(childID: contact)) }
                result.status = .converted
                result.childID = contact
                result.notes += createdNotes(contact: contact, account: converted.accountID, deal: converted.dealID)
                audit.record(
                    "confirm",
                    "converted",
                    recordID: id,
                    detail: result.notes.joined(separator: "; "),
                    childID: contact
                )
            } else {
                let code = converted.result.code
                ledger { try store.markOutcome(key, .failed(code: code, message: converted.result.message)) }
                result.zohoCode = code
                result.reason = converted.result.message
                audit.record("convert", "failed", recordID: id, detail: converted.result.message, zohoCode: code)
            }
        } catch let error as ZohoError where error.zohoCode == "ID_ALREADY_CONVERTED" {
            alreadyConverted(key, &result)
        } catch let error as ZohoError where error.isOutcomeUnknown {
            ledger { try store.markOutcome(key, .unknown(reason: "convert lead timed out after sending")) }
            result.status = .unknown
            result.reason = "the convert request timed out after sending; the next run checks Converted__s first"
            audit.record("convert", "unknown", recordID: id, detail: "timed out after sending")
        } catch {
            await directory.count("POST /Leads/{id}/actions/convert", credits: APICost.convertLead)
            let code = (error as? ZohoError)?.zohoCode ?? "REQUEST_FAILED"
            ledger { try store.markOutcome(key, .failed(code: code, message: Self.describe(error))) }
            result.zohoCode = code
            result.reason = (error as? ZohoError)?.zohoMessage ?? Self.describe(error)
            audit.record("convert", "failed", recordID: id, detail: Self.describe(error), zohoCode: code)
        }
        return result
    }

    private func massConvertLeads(
        _ batch: [ZohoRecord],
        action: ConvertLeadAction,
        targets: LeadTargets
    ) async -> (outcomes: [RecordOutcome], retrySingly: [ZohoRecord]) {
        let ids = batch.compactMap(\.id)
        let keys = ids.map { ledgerKey($0) }
        var request = MassConvertLeadsRequest(
            ids: ids,
            assignTo: targets.ownerID,
            carryOverTags: targets.carryTagModules,
            moveAttachmentsTo: targets.moveAttachmentsTo
        )
        do {
            if let deal = action.deal, let first = batch.first {
                // Mass convert is only chosen when the deal uses no lead fields, so one rendering serves all.
                var fields: [String: ZohoJSON] = [:]
                for assignment in deal {
                    fields[assignment.field.value] = try json(assignment.value, source: first, now: executor.now())
                }
                request.deal = fields
            }
            try store.recordIntents(
                keys.map { LedgerEntry(key: $0, method: "lead-mass", runID: runID, updatedAt: executor.now()) }
            )
        } catch {
            return ([], batch)
        }
        for id in ids {
            audit.record("convert", "sent", recordID: id, detail: "POST /Leads/actions/mass_convert: \(ids.count) ids")
        }
        audit.flush(logger: executor.logger)
        let jobID: String
        do {
            jobID = try await client.massConvertLeads(request: request)
            await directory.count("POST /Leads/actions/mass_convert", assumed: true)
        } catch let error as ZohoError where error.isOutcomeUnknown {
            for key in keys {
                ledger { try store.markOutcome(key, .unknown(reason: "mass convert timed out after sending")) }
            }
            return (
                batch.map {
                    with(outcome($0, name: RecordValues.name($0, module: "Leads"), status: .unknown)) {
                        $0.method = "lead-mass"
                        $0.reason = "the mass-convert request timed out after sending; the next run checks Converted__s"
                    }
                }, []
            )
        } catch {
            let code = (error as? ZohoError)?.zohoCode ?? "REQUEST_FAILED"
            for key in keys {
                ledger { try store.markOutcome(key, .failed(code: code, message: "mass convert refused")) }
            }
            return ([], batch)
        }
        ledger { try store.markSubmitted(keys, jobID: jobID) }
        executor.progress(.note(rule: ruleName, message: "lead job \(jobID) scheduled for \(ids.count) leads"))
        let status = try? await waitForJob(source: "Leads", jobID: jobID, lead: true)
        guard status != nil else {
            return (
                batch.map {
                    with(outcome($0, name: RecordValues.name($0, module: "Leads"), status: .unknown)) {
                        $0.method = "lead-mass"
                        $0.jobID = jobID
                        $0.reason = "job \(jobID) had not finished in time; the next run checks it before sending again"
                    }
                }, []
            )
        }
        var outcomes: [RecordOutcome] = []
        var retry: [ZohoRecord] = []
        for (lead, key) in zip(batch, keys) {
            let id = key.sourceID
            let readBack: (contact: String?, account: String?, deal: String?)??
            do {
                readBack = .some(try await convertedLead(id))
            } catch {
                readBack = nil
            }
            guard let readBack else {
                // The job finished but the lead could not be read: its fate is unknown, never converted twice.
                ledger {
                    try store.markOutcome(key, .unknown(reason: "job \(jobID) finished; the lead could not be read"))
                }
                audit.record("confirm", "unknown", recordID: id, detail: "could not read the lead back", jobID: jobID)
                outcomes.append(
                    with(outcome(lead, name: RecordValues.name(lead, module: "Leads"), status: .unknown)) {
                        $0.method = "lead-mass"
                        $0.jobID = jobID
                        $0.reason = "job \(jobID) finished but the lead could not be read back; the next run checks it"
                    }
                )
                continue
            }
            if let converted = readBack, let contact = converted.contact {
                ledger { try store.markOutcome(key, .converted(childID: contact)) }
                let notes = createdNotes(contact: contact, account: converted.account, deal: converted.deal)
                audit.record(
                    "confirm",
                    "converted",
                    recordID: id,
                    detail: notes.joined(separator: "; "),
                    jobID: jobID,
                    childID: contact
                )
                outcomes.append(
                    with(outcome(lead, name: RecordValues.name(lead, module: "Leads"), status: .converted)) {
                        $0.method = "lead-mass"
                        $0.jobID = jobID
                        $0.childID = contact
                        $0.notes = notes
                    }
                )
            } else {
                ledger {
                    try store.markOutcome(
                        key,
                        .failed(code: "NOT_CONVERTED", message: "job \(jobID) did not convert it")
                    )
                }
                audit.record("confirm", "not converted", recordID: id, jobID: jobID)
                retry.append(lead)
            }
        }
        return (outcomes, retry)
    }

    /// The lead's Converted__s and the records it became, read back from Zoho.
    func convertedLead(_ id: String) async throws -> (contact: String?, account: String?, deal: String?)? {
        guard let lead = try await client.getRecord(module: "Leads", id: id) else { return nil }
        await directory.count("GET /Leads/{id}")
        guard lead["Converted__s"].boolValue == true else { return nil }
        return (
            lead["Converted_Contact"]["id"].idValue,
            lead["Converted_Account"]["id"].idValue,
            lead["Converted_Deal"]["id"].idValue
        )
    }

    private func leadTags(_ id: String) async throws -> [String] {
        guard let lead = try await client.getRecord(module: "Leads", id: id) else { return [] }
        await directory.count("GET /Leads/{id}")
        return lead["Tag"].arrayValue?.compactMap { $0["name"].stringValue } ?? []
    }

    private func createdNotes(contact: String, account: String?, deal: String?) -> [String] {
        ["Contact \(contact)"] + (account.map { ["Account \($0)"] } ?? []) + (deal.map { ["Deal \($0)"] } ?? [])
    }

    func reconcileLeads(_ entries: [LedgerEntry]) async throws {
        let finished = try await finishedJobs(of: entries, source: "Leads", lead: true)
        var contacts: [String: String] = [:]
        for entry in entries {
            if let converted = try await convertedLead(entry.sourceID), let contact = converted.contact {
                contacts[entry.sourceID] = contact
            }
        }
        // A single convert answers synchronously: no Converted__s afterwards means it did not happen.
        try settle(entries, found: contacts, finishedJobs: finished, synchronous: { $0.method == "lead" })
    }

    private func estimateLeads(mass: Int, single: Int, records: Int) -> [CallEstimate] {
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
                    credits: single * APICost.convertLead,
                    assumedCost: false
                )
            )
        }
        return calls + estimateFollowUps(records: mass + single)
    }

    static func describe(_ action: LeadDecision.Action) -> String {
        switch action {
        case .convert(nil, nil): "convert: new Contact (and Account from Company)"
        case .convert(let contact?, nil): "merge into Contact \(contact)"
        case .convert(nil, let account?): "merge into Account \(account), new Contact"
        case .convert(let contact?, let account?): "merge into Contact \(contact) and Account \(account)"
        case .skip(let reason): "skip: \(reason)"
        case .refused(let code, _): "refused by Zoho: \(code)"
        }
    }
}
