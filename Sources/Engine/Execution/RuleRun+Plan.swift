import Foundation
import RuleKit
import ZohoCRM

/// How a plan carries earlier rules' effects into a rule, and the per-record values a reviewer reads.
extension RuleRun {
    /// The selection as the real run's query will return it: earlier rules' writes and tags applied, and the
    /// records an earlier `update` brings into this rule's selection added (read again when the values held for
    /// them lack a field this rule reads).
    func withEarlierEffects(_ selected: [ZohoRecord]) async throws -> [ZohoRecord] {
        let module = pipeline.module
        let held = overlay.writtenRecords(module: module, notIn: selected, fields: pipeline.selectFields)
        guard !held.isEmpty else { return overlay.applied(to: selected, module: module) }
        var added = held.filter { $0.complete }.map { $0.record }
        let incomplete = held.filter { !$0.complete }.compactMap { $0.record.id }
        if !incomplete.isEmpty {
            added += overlay.applied(to: try await read(incomplete), module: module)
        }
        let now = executor.now()
        let matching = added.filter { record in
            pipeline.rule.condition?.evaluate({ RecordValues.value(record, $0) }, now: now, timeZone: timeZone) ?? true
        }
        return (overlay.applied(to: selected, module: module) + matching).sorted { ($0.id ?? "") < ($1.id ?? "") }
    }

    /// Records of this rule's module by id, with the fields its query selects.
    private func read(_ ids: [String]) async throws -> [ZohoRecord] {
        let fields = pipeline.selectFields.filter { $0 != "Tag" }.joined(separator: ", ")
        var records: [ZohoRecord] = []
        for chunk in ids.chunked(into: QueryBuilder.maximumInValues) {
            let query = "select \(fields) from \(pipeline.module) where id in \(try COQL.list(chunk)) order by id asc"
            records += try await client.coqlAll(query)
        }
        audit.record(.select, .read, detail: "\(records.count) records written by an earlier rule of this run")
        return records
    }

    /// Decides the records an earlier rule of this run converts as the real run will (see
    /// `PlanOverlay.earlierDecision`); returns the others.
    func settleEarlierConversions(_ records: [ZohoRecord], report: inout RuleReport) -> [ZohoRecord] {
        var rest: [ZohoRecord] = []
        for record in records {
            guard let id = record.id,
                let earlier = overlay.earlierDecision(module: pipeline.module, id: id, conversion: pipeline.conversion)
            else {
                rest.append(record)
                continue
            }
            var skipped = outcome(record, name: name(of: record), status: .skipped)
            skipped.reason = earlier.reason
            skipped.zohoCode = earlier.zohoCode
            skipped.earlierRule = earlier.rule
            report.records.append(skipped)
            audit.record(.guard, .skipped, recordID: id, detail: earlier.reason, zohoCode: earlier.zohoCode)
        }
        return rest
    }

    /// Fills what a reviewer reads on each record to be converted (or converted): the values the rule's `update`
    /// writes, its tags and the new record's owner. No call: the owner comes from the users already read.
    func annotate(_ report: inout RuleReport, selected: [ZohoRecord]) async {
        let byID = Dictionary(selected.compactMap { r in r.id.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        let owner = await ownerText()
        let tags = pipeline.followUps.flatMap { step -> [String] in
            if case .tag(let names) = step { return names }
            return []
        }
        let now = executor.now()
        for index in report.records.indices
        where [RecordOutcome.Status.planned, .converted].contains(report.records[index].status) {
            report.records[index].tags = tags
            report.records[index].owner = owner
            guard let record = byID[report.records[index].recordID] else { continue }
            do {
                report.records[index].writes = Self.texts(try renderedWrites(record, now: now))
            } catch  where report.records[index].status == .planned {
                // The run converts the record, then cannot render the update and does not send it.
                report.records[index].notes.append("update will not be sent: \(Self.describe(error))")
                report.records[index].followUpFailed = true
            } catch {
                continue
            }
        }
    }

    /// After a plan of this rule: what it converts, writes and tags, for the rules after it.
    func remember(_ report: RuleReport, selected: [ZohoRecord]) {
        let byID = Dictionary(selected.compactMap { r in r.id.map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        let now = executor.now()
        let tags = pipeline.followUps.flatMap { step -> [String] in
            if case .tag(let names) = step { return names }
            return []
        }
        for outcome in report.records where outcome.status == .planned {
            guard let record = byID[outcome.recordID] else { continue }
            overlay.convert(
                record,
                module: pipeline.module,
                rule: ruleName,
                target: pipeline.conversion.targetModule,
                // An update that cannot be rendered is not sent by the run either.
                writes: (try? renderedWrites(record, now: now)) ?? [:],
                tags: tags
            )
        }
    }

    /// The rule's `update:` values rendered against `record`.
    private func renderedWrites(_ record: ZohoRecord, now: Date) throws -> [String: ZohoJSON] {
        let assignments = pipeline.followUps.flatMap { step -> [FieldAssignment] in
            if case .update(let assignments) = step { return assignments }
            return []
        }
        return try fields(assignments, source: record, now: now)
    }

    /// The owner the rule gives the new records, as `Name <email>`; nil when it sets none or it cannot be resolved
    /// (the conversion reports why).
    private func ownerText() async -> String? {
        let owner: Owner?
        switch pipeline.conversion {
        case .inventory(let inventory): owner = inventory.owner
        case .lead(let lead): owner = lead.action.owner
        }
        guard let owner, let user = try? await directory.user(for: owner) else { return nil }
        return Self.label(user)
    }

    /// A user as a reviewer recognises them.
    static func label(_ user: ZohoUser) -> String {
        switch (user.fullName, user.email) {
        case (let name?, let email?): "\(name) <\(email)>"
        case (let name?, nil): name
        case (nil, let email?): email
        case (nil, nil): user.id
        }
    }

    /// Zoho values as the plan shows them.
    static func texts(_ values: [String: ZohoJSON]) -> [String: String] {
        values.mapValues { value in
            RecordValues.text(ZohoRecord(id: nil, fields: ["v": value]), "v") ?? "null"
        }
    }
}
