import Foundation
import RuleKit
import ZohoCRM

/// What an inventory conversion needs resolved before it sends anything.
struct InventoryTargets: Sendable {
    var route: ConversionRoute
    var target: ZohoModuleRef
    var ownerID: String?
    var related: [ZohoModuleRef]
    /// `carry_over_tags` for mass convert, which honours `false`.
    var carryTags: Bool
    /// `carry_over_tags` for the single convert: `true` or omitted, never `false`.
    var singleConvertCarryTags: Bool?
}

/// Converts Quotes and Sales_Orders: by mass-convert jobs where a back-link confirms each record, else one at a time
/// with the single convert (which also learns Zoho's reason for what a job left), then the follow-ups.
struct InventoryConverter: RuleStep {
    let context: RuleContext
    let conversion: InventoryConversion

    var route: ConversionRoute { conversion.route }

    /// Converts (or, in a dry-run, plans) `records` and adds their outcomes to `report`.
    func convert(_ records: [ZohoRecord], report: inout RuleReport) async throws {
        let targets = try await resolveTargets(records, report: &report)
        let batches =
            route.method == .mass ? records.chunked(into: MassConversionJob.batchSize) : records.map { [$0] }
        report.batches = batches.map { $0.compactMap(\.id) }
        if dryRun {
            let approval = await unapproved(records)
            plan(records, batches: batches.count, targets: targets, approval: approval, report: &report)
            return
        }
        let outcomes =
            route.method == .mass
            ? await convertByJobs(batches, targets, total: records.count)
            : await convertSingly(records, targets)
        report.records += outcomes
    }

    /// Module ids and the owner's user id; when they cannot be resolved every record is skipped with the reason.
    private func resolveTargets(_ records: [ZohoRecord], report: inout RuleReport) async throws -> InventoryTargets {
        do {
            var related: [ZohoModuleRef] = []
            for name in conversion.related { related.append(try await directory.module(name)) }
            var ownerID: String?
            if let owner = conversion.owner { ownerID = try await directory.userID(for: owner) }
            return InventoryTargets(
                route: route,
                target: try await directory.module(route.target),
                ownerID: ownerID,
                related: related,
                carryTags: conversion.carryTags,
                singleConvertCarryTags: conversion.singleConvertCarryTags
            )
        } catch {
            for record in records {
                skip(record, name: name(of: record), reason: "not converted: \(Self.describe(error))", report: &report)
            }
            throw error
        }
    }

    private func plan(
        _ records: [ZohoRecord],
        batches: Int,
        targets: InventoryTargets,
        approval: Approval,
        report: inout RuleReport
    ) {
        for record in records {
            var planned = outcome(record, name: name(of: record), status: .planned)
            planned.method = route.method.rawValue
            // Zoho checks approval before the lock (the emulator follows the same order).
            if let id = record.id, approval.unapproved.contains(id) {
                planned.status = .failed
                planned.zohoCode = "NOT_APPROVED"
                planned.reason = "not approved: Zoho will refuse it (NOT_APPROVED) until its approval is done"
            } else if record["Locked__s"].boolValue == true {
                planned.status = .failed
                planned.zohoCode = "RECORD_LOCKED"
                planned.reason = "locked: Zoho will refuse it (RECORD_LOCKED) unless it is unlocked first"
            } else if let unread = approval.unreadable {
                planned.notes.append("its approval could not be read (\(unread)); Zoho refuses an unapproved record")
            }
            report.records.append(planned)
            if planned.status == .failed {
                audit.record(.convert, .failed, recordID: record.id, detail: planned.reason, zohoCode: planned.zohoCode)
            } else {
                audit.record(.convert, .planned, recordID: record.id, detail: "to \(route.target) by \(route.method)")
            }
        }
        // Records that will be refused are still sent: the run learns Zoho's answer for each.
        report.callsToCome = estimate(records: records.count, batches: batches, targets: targets)
    }

    /// Which records wait for an approval, as a plan reads it.
    private struct Approval {
        var unapproved: Set<String> = []
        /// Why the approval could not be read, when it could not.
        var unreadable: String?
    }

    /// The records among `records` that wait for an approval. COQL does not say; Get Records with `approved=false`
    /// returns exactly those, 100 ids a call, one credit each.
    private func unapproved(_ records: [ZohoRecord]) async -> Approval {
        let ids = records.compactMap(\.id)
        var approval = Approval()
        let field = Compiler.nameFields(of: route.source).first ?? "Subject"
        for chunk in ids.chunked(into: 100) {
            do {
                let page = try await client.getRecordsPage(
                    module: route.source,
                    fields: [field],
                    perPage: 200,
                    ids: chunk,
                    approved: .false
                )
                approval.unapproved.formUnion(page.records.compactMap(\.id))
            } catch {
                approval.unreadable = Self.describe(error)
            }
        }
        return approval
    }

    private func convertByJobs(
        _ batches: [[ZohoRecord]],
        _ targets: InventoryTargets,
        total: Int
    ) async -> [RecordOutcome] {
        let job = massJob(targets)
        let counter = Counter()
        let results = await concurrentMap(batches, width: client.configuration.concurrencyLimit) { batch in
            let result = await job.run(batch)
            var done = 0
            for _ in batch { done = counter.increment() }
            executor.progress(.advanced(rule: ruleName, done: done, total: total))
            return result
        }
        let retry = results.flatMap(\.retrySingly)
        guard !retry.isEmpty else { return results.flatMap(\.outcomes) }
        executor.progress(.note(rule: ruleName, message: "\(retry.count) not converted by the job; trying each singly"))
        let single = InventorySingleConvert(context: context, targets: targets)
        return results.flatMap(\.outcomes)
            + (await concurrentMap(retry, width: client.configuration.concurrencyLimit) { record in
                await single.convert(record, afterJob: true)
            })
    }

    private func convertSingly(_ records: [ZohoRecord], _ targets: InventoryTargets) async -> [RecordOutcome] {
        let single = InventorySingleConvert(context: context, targets: targets)
        let done = Counter()
        return await concurrentMap(records, width: client.configuration.concurrencyLimit) { record in
            let result = await single.convert(record, afterJob: false)
            executor.progress(.advanced(rule: ruleName, done: done.increment(), total: records.count))
            return result
        }
    }

    /// The mass-convert job for this route: confirmed through each child's back-link.
    private func massJob(_ targets: InventoryTargets) -> MassConversionJob {
        let route = self.route
        let options =
            "to \(route.target), carry_over_tags \(targets.carryTags)"
            + (targets.ownerID.map { ", assign_to \($0)" } ?? "")
            + (targets.related.isEmpty
                ? "" : ", related_modules \(targets.related.map(\.apiName).joined(separator: ","))")
        return MassConversionJob(
            context: context,
            method: .mass,
            source: route.source,
            sentDetail: { ids in "POST /\(route.source)/actions/mass_convert: \(ids.count) ids \(options)" },
            unknownAfterSending: "the mass-convert request timed out after sending; the next run checks "
                + "\(route.target).\(route.backLinkField ?? "") before sending again",
            lookAfterTimeout: true,
            submit: { ids in
                try await client.massConvertInventory(
                    from: route.source,
                    ids: ids,
                    to: targets.target,
                    carryTags: targets.carryTags,
                    assignTo: targets.ownerID,
                    related: targets.related
                )
            },
            confirm: { ids, _ in await confirmByBackLinks(ids) }
        )
    }

    private func confirmByBackLinks(_ ids: [String]) async -> [String: JobConfirmation] {
        do {
            let children = try await childrenLinkingBack(to: ids, route: route)
            return Dictionary(
                ids.map { id in (id, children[id].map { .converted(childID: $0, notes: []) } ?? .notConverted) },
                uniquingKeysWith: { a, _ in a }
            )
        } catch {
            let unreadable = JobConfirmation.unreadable(
                reason: "could not confirm: \(Self.describe(error))",
                ledgerReason: "could not read back-links"
            )
            return Dictionary(ids.map { ($0, unreadable) }, uniquingKeysWith: { a, _ in a })
        }
    }

    private func estimate(records: Int, batches: Int, targets: InventoryTargets) -> [CallEstimate] {
        guard records > 0 else { return [] }
        var calls: [CallEstimate] = []
        switch route.method {
        case .mass:
            calls = [
                CallEstimate(
                    endpoint: "POST /\(route.source)/actions/mass_convert",
                    calls: batches,
                    credits: batches,
                    assumedCost: true
                ),
                CallEstimate(
                    endpoint: "GET /\(route.source)/actions/mass_convert?job_id (at least)",
                    calls: batches,
                    credits: batches,
                    assumedCost: true
                ),
                CallEstimate(
                    endpoint: "POST /coql (confirm back-links)",
                    calls: batches,
                    credits: batches * ZohoAPICost.coql(limit: 200),
                    assumedCost: false
                ),
            ]
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
        return calls + FollowUpRunner(context: context).estimate(records: records)
    }
}
