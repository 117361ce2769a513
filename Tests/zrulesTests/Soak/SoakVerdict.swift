import Foundation
import ZohoEmulator

/// The figures BENCHMARKS.md records for a campaign.
struct SoakFigures: Sendable {
    var killsSurvived = 0
    var killsMissed = 0
    var killsByPhase: [String: Int] = [:]
    var duplicates = 0
    var dropped = 0
    var unknowns = 0
    /// Unknowns a person must settle: two records of one Subject whose answers were both lost.
    var leftForAPerson = 0
    var wrongCredits = 0
    var ownersMissing = 0
    var followUpsMissing = 0
    var auditGaps = 0
    var transientFailures = 0
    var refusalsWrong = 0
    var runs = 0
    /// Runs without kills until one had nothing left; nil when none did within the bound.
    var rerunsToSettle: Int?
    var seconds = 0.0

    var line: String {
        let phases = killsByPhase.keys.sorted().map { "\($0) \(killsByPhase[$0] ?? 0)" }.joined(separator: ", ")
        return "kills survived \(killsSurvived) (\(phases); \(killsMissed) aimed kills found the run already "
            + "finished), duplicates \(duplicates), dropped \(dropped), unknowns \(unknowns) (+\(leftForAPerson) "
            + "left for a person), wrong credits \(wrongCredits), owners missing \(ownersMissing), follow-ups "
            + "missing \(followUpsMissing), audit gaps \(auditGaps), failed for a transient fault "
            + "\(transientFailures), refusals wrong \(refusalsWrong), reruns to settle "
            + (rerunsToSettle.map(String.init) ?? "not settled after \(runs)") + String(format: ", %.0f s", seconds)
    }
}

/// The referee: compares what Zoho (the emulator's state) holds with what zrules says (its audit log and its last
/// run's report), record by record. Each problem names the rule, the record, what was expected and what was found.
struct SoakVerdict {
    var figures = SoakFigures()
    /// Problems by kind, each line about one record.
    var problems: [String: [String]] = [:]

    private let fixture: SoakFixture
    private let records: [String: [String: JSONValue]]
    private let audit: [JSONValue]
    /// The last run's outcome per rule and record.
    private let outcomes: [String: JSONValue]
    /// Child ids the audit log credits, per rule and source record.
    private var credits: [String: Set<String>] = [:]

    init(fixture: SoakFixture, state: JSONValue, audit: [JSONValue], lastReport: JSONValue) {
        self.fixture = fixture
        self.audit = audit
        var records: [String: [String: JSONValue]] = [:]
        for (module, list) in state["records"].objectValue ?? [:] {
            for record in list.arrayValue ?? [] {
                if let id = record["id"].stringValue { records[module, default: [:]][id] = record }
            }
        }
        self.records = records
        var outcomes: [String: JSONValue] = [:]
        for rule in lastReport["rules"].arrayValue ?? [] {
            for record in rule["records"].arrayValue ?? [] {
                outcomes["\(rule["rule"].stringValue ?? "")/\(record["recordID"].stringValue ?? "")"] = record
            }
        }
        self.outcomes = outcomes
        for event in audit {
            let step = event["step"].stringValue ?? ""
            guard ["confirm", "reconcile"].contains(step), event["outcome"].stringValue == "converted",
                let child = event["child_id"].stringValue, let rule = event["rule"].stringValue,
                let record = event["record_id"].stringValue
            else { continue }
            credits["\(rule)/\(record)", default: []].insert(child)
        }
        judge()
    }

    private mutating func problem(_ kind: String, _ line: String) {
        problems[kind, default: []].append(line)
    }

    private func outcome(_ source: SoakSource) -> JSONValue {
        outcomes["\(source.rule.rawValue)/\(source.id)"] ?? .null
    }

    private func events(_ source: SoakSource) -> [JSONValue] {
        audit.filter { $0["rule"].stringValue == source.rule.rawValue && $0["record_id"].stringValue == source.id }
    }

    private mutating func judge() {
        let unknownSubjects = unknownQuoteSubjects()
        for source in fixture.sources {
            let label = "\(source.rule.rawValue) \(source.rule.sourceModule) \(source.id)"
            if let refusal = source.refusal {
                judgeRefusal(source, refusal, label: label)
                continue
            }
            let final = outcome(source)
            if final["status"].stringValue == "unknown" {
                let subject = records[source.rule.sourceModule]?[source.id]?["Subject"].stringValue ?? ""
                if source.rule == .quotesToInvoices, (unknownSubjects[subject] ?? 0) > 1, leftAmbiguous(source) {
                    figures.leftForAPerson += 1
                    continue
                }
                figures.unknowns += 1
                let zoho =
                    converted(source).map { "Zoho holds \(source.rule.targetModule) \($0)" }
                    ?? "Zoho holds no \(source.rule.targetModule) for it: the write never happened"
                problem(
                    "unknown",
                    "\(label): still unknown after the reruns (\(zoho)): \(final["reason"].stringValue ?? "")"
                )
            }
            if final["status"].stringValue == "failed" {
                figures.transientFailures += 1
                problem(
                    "failed for a transient fault",
                    "\(label): failed with \(final["zohoCode"].stringValue ?? "no code"): "
                        + "\(final["reason"].stringValue ?? ""); only RECORD_LOCKED/NOT_APPROVED may fail"
                )
            }
            if source.rule.isLead { judgeLead(source, label: label) } else { judgeInventory(source, label: label) }
        }
        judgeSharedCredits()
    }

    /// True when the last reconciliation of `source` found several candidates and left it for a person.
    private func leftAmbiguous(_ source: SoakSource) -> Bool {
        let last = events(source).last { $0["step"].stringValue == "reconcile" }
        return last?["outcome"].stringValue == "unknown" && (last?["detail"].stringValue ?? "").contains("candidate")
    }

    /// The child Zoho made from `source`, if any.
    private func converted(_ source: SoakSource) -> String? {
        if source.rule.isLead {
            let lead = records["Leads"]?[source.id]
            return lead?["Converted__s"].boolValue == true ? lead?["Converted_Contact"]["id"].stringValue : nil
        }
        return children(source).first?["id"].stringValue
    }

    /// Subjects of Quote → Invoice sources the last run left unknown, with how many share each.
    private func unknownQuoteSubjects() -> [String: Int] {
        var subjects: [String: Int] = [:]
        for source in fixture.sources where source.rule == .quotesToInvoices {
            guard outcome(source)["status"].stringValue == "unknown" else { continue }
            subjects[records["Quotes"]?[source.id]?["Subject"].stringValue ?? "", default: 0] += 1
        }
        return subjects
    }

    private mutating func judgeRefusal(_ source: SoakSource, _ refusal: String, label: String) {
        let final = outcome(source)
        let code = final["zohoCode"].stringValue
        if final["status"].stringValue != "failed" || code != refusal {
            figures.refusalsWrong += 1
            problem(
                "refusal",
                "\(label): expected failed with \(refusal), the last run says \(final["status"].stringValue ?? "nothing") "
                    + "\(code ?? "")"
            )
        }
        if !events(source).contains(where: { $0["zoho_code"].stringValue == refusal }) {
            figures.auditGaps += 1
            problem("audit", "\(label): no audit event carries Zoho's refusal \(refusal)")
        }
    }

    /// Children Zoho holds for an inventory source: the records carrying its marker in the target module.
    private func children(_ source: SoakSource) -> [JSONValue] {
        let marker = SoakFixture.marker(source.id)
        return (records[source.rule.targetModule] ?? [:]).values.filter {
            $0["Terms_and_Conditions"].stringValue == marker
        }
    }

    private mutating func judgeInventory(_ source: SoakSource, label: String) {
        let found = children(source)
        let target = source.rule.targetModule
        let credited = credits["\(source.rule.rawValue)/\(source.id)"] ?? []
        guard let child = found.first, let childID = child["id"].stringValue else {
            figures.dropped += 1
            let claim = credited.isEmpty ? "" : "; yet the audit credits it with \(credited.sorted())"
            problem("dropped", "\(label): no \(target) in Zoho (expected exactly one)\(claim)")
            return
        }
        if found.count > 1 {
            figures.duplicates += 1
            let ids = found.compactMap { $0["id"].stringValue }.sorted()
            problem("duplicate", "\(label): \(found.count) \(target) in Zoho, expected one: \(ids)")
        }
        judgeCredit(source, label: label, childID: childID, credited: credited)
        let owner = child["Owner"]["email"].stringValue ?? "none"
        if owner != source.rule.ownerEmail {
            figures.ownersMissing += 1
            problem("owner", "\(label): \(target) \(childID) is owned by \(owner), expected \(source.rule.ownerEmail)")
        }
        judgeFollowUps(source, label: label)
    }

    private mutating func judgeCredit(_ source: SoakSource, label: String, childID: String, credited: Set<String>) {
        let target = source.rule.targetModule
        let ledgerChild = outcome(source)["childID"].stringValue
        if credited.isEmpty {
            figures.auditGaps += 1
            problem("audit", "\(label): converted into \(target) \(childID), but no confirm/reconcile event says so")
        } else if credited != [childID] {
            figures.wrongCredits += 1
            problem("wrong credit", "\(label): Zoho made \(target) \(childID); the audit credits \(credited.sorted())")
        }
        if let ledgerChild, ledgerChild != childID {
            figures.wrongCredits += 1
            problem("wrong credit", "\(label): Zoho made \(target) \(childID); the ledger credits \(ledgerChild)")
        }
    }

    private mutating func judgeFollowUps(_ source: SoakSource, label: String) {
        guard let record = records[source.rule.sourceModule]?[source.id] else { return }
        var missing: [String] = []
        if let update = source.rule.update, record[update.field].stringValue != update.value {
            missing.append(
                "\(update.field) is \(record[update.field].stringValue ?? "empty"), expected \(update.value)"
            )
        }
        if let tag = source.rule.tag {
            let tags = (record["Tag"].arrayValue ?? []).compactMap { $0["name"].stringValue }
            if !tags.contains(tag) { missing.append("no tag \(tag) (tags \(tags))") }
        }
        if !missing.isEmpty {
            figures.followUpsMissing += 1
            problem("follow-ups", "\(label): \(missing.joined(separator: "; "))")
        }
        let done = events(source).contains {
            $0["step"].stringValue == "follow-ups" && $0["outcome"].stringValue == "done"
        }
        if !done, source.rule.update != nil || source.rule.tag != nil {
            figures.auditGaps += 1
            problem("audit", "\(label): no follow-ups/done event")
        }
    }

    private mutating func judgeLead(_ source: SoakSource, label: String) {
        guard let lead = records["Leads"]?[source.id], lead["Converted__s"].boolValue == true,
            let contact = lead["Converted_Contact"]["id"].stringValue
        else {
            figures.dropped += 1
            problem("dropped", "\(label): the lead is not converted in Zoho")
            return
        }
        if let merge = source.mergeInto, contact != merge {
            figures.duplicates += 1
            problem("duplicate", "\(label): converted into a new Contact \(contact) instead of merging into \(merge)")
        }
        let marker = SoakFixture.marker(source.id)
        let contacts = (records["Contacts"] ?? [:]).values.filter { $0["Description"].stringValue == marker }
        let deals = (records["Deals"] ?? [:]).values.filter { $0["Contact_Name"]["id"].stringValue == contact }
        if contacts.count > 1 || deals.count > 1 {
            figures.duplicates += 1
            problem("duplicate", "\(label): \(contacts.count) Contacts and \(deals.count) Deals from one lead")
        }
        let dealOwner = records["Deals"]?[lead["Converted_Deal"]["id"].stringValue ?? ""]?["Owner"]["email"]
        if dealOwner?.stringValue != source.rule.ownerEmail {
            figures.ownersMissing += 1
            problem("owner", "\(label): its Deal is owned by \(dealOwner?.stringValue ?? "none (no deal)")")
        }
        let credited = credits["\(source.rule.rawValue)/\(source.id)"] ?? []
        judgeCredit(source, label: label, childID: contact, credited: credited)
    }

    /// A child credited to two source records is a duplicate credit (leads may share a merged Contact).
    private mutating func judgeSharedCredits() {
        var holders: [String: [String]] = [:]
        for source in fixture.sources where !source.rule.isLead {
            for child in credits["\(source.rule.rawValue)/\(source.id)"] ?? [] {
                holders["\(source.rule.targetModule) \(child)", default: []].append(source.id)
            }
        }
        for (child, sources) in holders where sources.count > 1 {
            figures.duplicates += 1
            problem("duplicate", "\(child) is credited to \(sources.count) records: \(sources.sorted())")
        }
    }

    /// The problems as text, capped per kind so a message stays readable.
    var report: String {
        problems.keys.sorted().map { kind in
            let lines = problems[kind] ?? []
            let shown = lines.prefix(12).map { "  - \($0)" }.joined(separator: "\n")
            return "\(kind): \(lines.count)\n\(shown)" + (lines.count > 12 ? "\n  - … \(lines.count - 12) more" : "")
        }.joined(separator: "\n")
    }
}
