import Foundation
import RuleKit
import ZohoCRM

extension RuleRun {
    /// Settles intents an earlier run left unfinished, before this run sends anything new.
    ///
    /// A record whose conversion Zoho shows (a child linking back, or Converted__s on a lead) becomes converted. A
    /// record with no sign of conversion becomes eligible again only when its job has finished, or when the write is
    /// older than `reconcileGrace` — long enough for any job Zoho accepted to have finished. Anything else stays
    /// unfinished and is skipped this run, so a write whose fate is unknown is never sent twice.
    func reconcile(_ report: inout RuleReport) async throws {
        let entries = try store.unfinishedEntries(rule: ruleName)
            .filter { $0.targetModule == pipeline.conversion.targetModule }
        guard !entries.isEmpty else { return }
        executor.progress(.note(rule: ruleName, message: "reconciling \(entries.count) unfinished writes"))
        switch pipeline.conversion {
        case .inventory(let inventory):
            try await reconcileInventory(entries, route: inventory.route)
        case .lead:
            try await reconcileLeads(entries)
        }
    }

    private func reconcileInventory(_ entries: [LedgerEntry], route: ConversionRoute) async throws {
        let finished = try await finishedJobs(of: entries, source: route.source, lead: false)
        var children: [String: String] = [:]
        var ambiguous: Set<String> = []
        if route.backLinkField != nil {
            children = try await existingChildren(of: entries.map(\.sourceID), route: route)
        } else {
            (children, ambiguous) = try await invoicesCreatedFromQuotes(entries)
        }
        try settle(
            entries,
            found: children,
            ambiguous: ambiguous,
            finishedJobs: finished,
            synchronous: { _ in false }
        )
    }

    /// The jobs among `entries` that have finished (waiting, bounded, for those still running).
    func finishedJobs(of entries: [LedgerEntry], source: String, lead: Bool) async throws -> Set<String> {
        var finished: Set<String> = []
        for jobID in Set(entries.filter { $0.state == .submitted }.compactMap(\.jobID)) {
            do {
                if let status = try await waitForJob(source: source, jobID: jobID, lead: lead), status.state.isFinished
                {
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
    func settle(
        _ entries: [LedgerEntry],
        found: [String: String],
        ambiguous: Set<String> = [],
        finishedJobs: Set<String>,
        synchronous: (LedgerEntry) -> Bool
    ) throws {
        let now = executor.now()
        let grace = Self.seconds(executor.options.reconcileGrace)
        for entry in entries {
            if let child = found[entry.sourceID] {
                try store.markOutcome(entry.key, .converted(childID: child))
                audit.record("reconcile", "converted", recordID: entry.sourceID, jobID: entry.jobID, childID: child)
            } else if ambiguous.contains(entry.sourceID) {
                // Several records could be the one this write created: never resend; a person decides.
                try store.markOutcome(
                    entry.key,
                    .unknown(reason: "several records could be the result of the earlier write; check by hand")
                )
                audit.record(
                    "reconcile",
                    "unknown",
                    recordID: entry.sourceID,
                    detail: "more than one candidate record: not resent; mark it in Zoho by hand"
                )
            } else if let job = entry.jobID, finishedJobs.contains(job) {
                try store.markOutcome(
                    entry.key,
                    .failed(code: "NOT_CONVERTED", message: "job \(job) finished without converting it")
                )
                audit.record("reconcile", "not converted", recordID: entry.sourceID, jobID: job)
            } else if synchronous(entry) || now.timeIntervalSince(entry.updatedAt) >= grace {
                try store.markOutcome(
                    entry.key,
                    .failed(code: "NOT_CONFIRMED", message: "no conversion found after the write; eligible again")
                )
                audit.record(
                    "reconcile",
                    "not converted",
                    recordID: entry.sourceID,
                    detail: "no sign of a conversion \(Int(now.timeIntervalSince(entry.updatedAt)))s after the write"
                )
            } else {
                audit.record(
                    "reconcile",
                    "unknown",
                    recordID: entry.sourceID,
                    detail: "no sign of a conversion yet; checked again next run"
                )
            }
        }
    }

    /// Quote → Invoice has no back-link, so a single convert whose response was lost is found by what Zoho copies:
    /// an Invoice with the Quote's Subject, created after the intent was recorded. Only an unambiguous match counts.
    private func invoicesCreatedFromQuotes(
        _ entries: [LedgerEntry]
    ) async throws -> (found: [String: String], ambiguous: Set<String>) {
        var found: [String: String] = [:]
        var ambiguous: Set<String> = []
        for entry in entries {
            guard let quote = try await client.getRecord(module: entry.sourceModule, id: entry.sourceID),
                let subject = quote["Subject"].stringValue
            else { continue }
            await directory.count("GET /\(entry.sourceModule)/{id}")
            let since = ResolvedDate.instant(entry.updatedAt.addingTimeInterval(-60)).formatted(in: .gmt)
            let query =
                "select id, Subject, Created_Time from \(entry.targetModule) where (Subject = \(try COQL.quote(subject)) "
                + "and Created_Time >= '\(since)') order by id asc"
            let rows = try await client.coqlAll(query)
            await directory.count("POST /coql", credits: APICost.coql(limit: 2000))
            if rows.count == 1, let id = rows[0].id {
                found[entry.sourceID] = id
            } else if rows.count > 1 {
                ambiguous.insert(entry.sourceID)
            }
        }
        return (found, ambiguous)
    }
}
