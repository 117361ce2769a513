import Foundation
import RuleKit
import ZohoCRM

/// Settles what earlier runs left unconfirmed, before a run sends anything new for the rule.
struct Reconciler: RuleStep {
    let context: RuleContext

    /// Settles intents an earlier run left unfinished, before this run sends anything new.
    ///
    /// A record whose conversion Zoho shows (a child linking back, or Converted__s on a lead) becomes converted. A
    /// record with no sign of conversion becomes eligible again only when its job has finished, or when the write is
    /// older than `reconcileGrace` — long enough for any job Zoho accepted to have finished. Anything else stays
    /// unfinished and is skipped this run, so a write whose fate is unknown is never sent twice.
    ///
    /// Returns the records it found converted (source id → child id): an earlier run converted them.
    func reconcile() async throws -> [String: String] {
        let entries = try store.unfinishedEntries(rule: ruleName)
            .filter { $0.targetModule == pipeline.conversion.targetModule }
        guard !entries.isEmpty else { return [:] }
        executor.progress(.note(rule: ruleName, message: "reconciling \(entries.count) unfinished writes"))
        switch pipeline.conversion {
        case .inventory(let inventory):
            return try await reconcileInventory(entries, route: inventory.route)
        case .lead:
            return try await reconcileLeads(entries)
        }
    }

    private func reconcileInventory(_ entries: [LedgerEntry], route: ConversionRoute) async throws -> [String: String] {
        let finished = try await finishedJobs(of: entries, source: route.source, lead: false)
        let neverSent = try neverSentMassIntents(entries)
        var children: [String: String] = [:]
        var ambiguous: [String: [String]] = [:]
        if route.backLinkField != nil {
            children = try await childrenLinkingBack(to: entries.map(\.sourceID), route: route)
        } else {
            (children, ambiguous) = try await invoicesCreatedFromQuotes(entries)
        }
        return try settle(
            entries,
            found: children,
            ambiguous: ambiguous,
            finishedJobs: finished,
            // A single convert answers synchronously, as convert lead does: when Zoho shows no record it created,
            // the write never happened (a killed run's intent that was never sent), and it is sent again now
            // rather than after the grace period. Mass converts wait for their job, unless never sent.
            synchronous: { $0.method == .single || neverSent.contains($0.sourceID) }
        )
    }

    /// Mass-convert intents a killed run recorded but never sent: still `pending`, with no `convert sent` event in
    /// that run's audit (the job writes it, and stops if it cannot, before the request goes out).
    private func neverSentMassIntents(_ entries: [LedgerEntry]) throws -> Set<String> {
        let pending = entries.filter {
            [.mass, .leadMass].contains($0.method) && $0.state == .pending && $0.jobID == nil
        }
        var neverSent: Set<String> = []
        for (run, rows) in Dictionary(grouping: pending, by: \.runID) {
            let sent = Set(
                try store.auditEvents(AuditFilter(runID: run, rule: ruleName))
                    .filter { $0.step == AuditStep.convert.rawValue && $0.outcome == AuditOutcome.sent.rawValue }
                    .compactMap(\.recordID)
            )
            neverSent.formUnion(rows.map(\.sourceID).filter { !sent.contains($0) })
        }
        return neverSent
    }

    /// The jobs among `entries` that have finished (waiting, bounded, for those still running).
    private func finishedJobs(of entries: [LedgerEntry], source: String, lead: Bool) async throws -> Set<String> {
        var finished: Set<String> = []
        for jobID in Set(entries.filter { $0.state == .submitted }.compactMap(\.jobID)) {
            do {
                let status = try await JobStatusPoller(context: context).wait(source: source, jobID: jobID, lead: lead)
                if let status, status.state.isFinished {
                    finished.insert(jobID)
                }
            } catch let error as ZohoError where error.zohoCode == "INVALID_DATA" {
                // Zoho no longer knows the job (ids expire); it finished long ago.
                finished.insert(jobID)
            }
        }
        return finished
    }

    /// Applies what reconciliation found. Converted when Zoho shows the new record; eligible again when the job
    /// finished without it, when the write answers synchronously (so no result means no conversion), or when the
    /// write is older than the grace period; otherwise left unfinished, to be checked again next run.
    private func settle(
        _ entries: [LedgerEntry],
        found: [String: String],
        ambiguous: [String: [String]] = [:],
        finishedJobs: Set<String>,
        synchronous: (LedgerEntry) -> Bool
    ) throws -> [String: String] {
        let now = executor.now()
        let grace = Self.seconds(executor.options.reconcileGrace)
        var credited: [String: String] = [:]
        for entry in entries {
            if let child = found[entry.sourceID], try credit(entry, child: child) {
                credited[entry.sourceID] = child
            } else if found[entry.sourceID] != nil || ambiguous[entry.sourceID] != nil {
                // Several records could be the one this write created: never resend; a person decides.
                let candidates = ambiguous[entry.sourceID] ?? found[entry.sourceID].map { [$0] } ?? []
                let listed = "\(entry.targetModule) \(candidates.joined(separator: ", "))"
                try store.markOutcome(
                    entry.key,
                    .unknown(
                        reason: "several records could be the result of the earlier write (\(listed)); check by hand"
                    )
                )
                audit.record(
                    .reconcile,
                    .unknown,
                    recordID: entry.sourceID,
                    detail: "more than one candidate record could be its result (\(listed)): "
                        + "not resent, so nothing is converted twice; a person must tell which one is its own"
                )
            } else if let job = entry.jobID, finishedJobs.contains(job) {
                try store.markOutcome(
                    entry.key,
                    .failed(code: "NOT_CONVERTED", message: "job \(job) finished without converting it")
                )
                audit.record(.reconcile, .notConverted, recordID: entry.sourceID, jobID: job)
            } else if synchronous(entry) || now.timeIntervalSince(entry.updatedAt) >= grace {
                try store.markOutcome(
                    entry.key,
                    .failed(code: "NOT_CONFIRMED", message: "no conversion found after the write; eligible again")
                )
                audit.record(
                    .reconcile,
                    .notConverted,
                    recordID: entry.sourceID,
                    detail: "no sign of a conversion \(Int(now.timeIntervalSince(entry.updatedAt)))s after the write"
                )
            } else {
                audit.record(
                    .reconcile,
                    .unknown,
                    recordID: entry.sourceID,
                    detail: "no sign of a conversion yet; checked again next run"
                )
            }
        }
        return credited
    }

    /// Marks `entry` converted into `child`; false (nothing written) when the ledger credits `child` to another
    /// record already, which makes the match ambiguous.
    private func credit(_ entry: LedgerEntry, child: String) throws -> Bool {
        do {
            // With the follow-ups it still needs (the owner, after a single convert), and its audit event.
            try recordConverted(
                [(entry.key, child)],
                followUps: entry.method,
                events: [
                    audit.event(.reconcile, .converted, recordID: entry.sourceID, jobID: entry.jobID, childID: child)
                ]
            )
            return true
        } catch  where error.code == .ledgerConflict {
            return false
        }
    }

    /// Quote → Invoice has no back-link, so a single convert whose response was lost is found by what Zoho copies:
    /// an Invoice with the Quote's Subject, created after the intent was recorded, credited to no other record in
    /// the ledger, and — renewals share Subjects — with the quote's account, contact, totals and line items
    /// (`InvoiceMatcher`). Only an unambiguous match counts; the rest is for a person.
    private func invoicesCreatedFromQuotes(
        _ entries: [LedgerEntry]
    ) async throws -> (found: [String: String], ambiguous: [String: [String]]) {
        var quotes: [String: (entry: LedgerEntry, quote: ZohoRecord, candidates: [String])] = [:]
        for entry in entries {
            guard let quote = try await client.getRecord(module: entry.sourceModule, id: entry.sourceID) else {
                continue
            }
            quotes[entry.sourceID] = (entry, quote, try await invoiceCandidates(for: entry, quote: quote))
        }
        let targetModule = pipeline.conversion.targetModule
        let credited = try store.creditedChildren(
            targetModule: targetModule,
            childIDs: Array(Set(quotes.values.flatMap(\.candidates)))
        )
        var matching: [String: InvoiceMatcher.Quote] = [:]
        var invoices: [String: ConvertedCopy] = [:]
        for (id, item) in quotes {
            let free = item.candidates.filter { credited[$0] == nil || credited[$0] == item.entry.key }
            for invoice in free where invoices[invoice] == nil {
                // The line items are not in COQL's reach: the whole invoice is read, once for all quotes.
                if let record = try await client.getRecord(module: targetModule, id: invoice) {
                    invoices[invoice] = ConvertedCopy(record, module: targetModule)
                }
            }
            matching[id] = InvoiceMatcher.Quote(
                copy: ConvertedCopy(item.quote, module: item.entry.sourceModule),
                candidates: free
            )
        }
        let match = InvoiceMatcher.match(matching, invoices: invoices)
        return (match.found, match.ambiguous)
    }

    /// Invoices that could be the result of `entry`'s lost single convert of `quote`, by id.
    private func invoiceCandidates(for entry: LedgerEntry, quote: ZohoRecord) async throws -> [String] {
        guard let subject = quote["Subject"].stringValue else { return [] }
        let since = ResolvedDate.instant(entry.updatedAt.addingTimeInterval(-60)).formatted(in: .gmt)
        let query =
            "select id, Subject, Created_Time from \(entry.targetModule) where (Subject = \(try COQL.quote(subject)) "
            + "and Created_Time >= '\(since)') order by id asc"
        let rows = try await client.coqlAll(query)
        return rows.compactMap(\.id)
    }

    private func reconcileLeads(_ entries: [LedgerEntry]) async throws -> [String: String] {
        let finished = try await finishedJobs(of: entries, source: "Leads", lead: true)
        var contacts: [String: String] = [:]
        for entry in entries {
            if let converted = try await convertedLead(entry.sourceID), let contact = converted.contact {
                contacts[entry.sourceID] = contact
            }
        }
        // A single convert answers synchronously: no Converted__s afterwards means it did not happen. So does a
        // mass convert that was never sent.
        let neverSent = try neverSentMassIntents(entries)
        return try settle(
            entries,
            found: contacts,
            finishedJobs: finished,
            synchronous: {
                ($0.method == .lead && !($0.message?.hasPrefix(LeadConverter.scheduledReason) ?? false))
                    || neverSent.contains($0.sourceID)
            }
        )
    }
}
