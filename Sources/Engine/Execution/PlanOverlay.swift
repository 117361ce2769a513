import Foundation
import Synchronization
import ZohoCRM

/// A plan's memory of what earlier rules of the same run will do: which records they convert (source module and id
/// to target module), the values their `update` writes and the tags they add.
///
/// A dry-run writes nothing to Zoho, so a later rule's query still sees every record as it was. The overlay lets
/// the later rule see the org as the real run will: records an earlier rule converts are decided as the run decides
/// them (see `earlierConversion`), and values an earlier `update` writes are applied before the later rule's
/// condition is checked again, including on records the later rule's query did not return because Zoho still holds
/// the old values. A real run needs none of this: Zoho itself shows it what earlier rules did.
final class PlanOverlay: Sendable {
    /// One record converted by an earlier rule.
    struct Converted: Sendable, Equatable {
        /// The rule that converts it.
        var rule: String
        /// The module of the record it creates.
        var target: String
    }

    /// A record an earlier rule touched, as it will be after that rule: the values it was selected with, with the
    /// rule's writes and tags applied.
    private struct Touched: Sendable {
        var record: ZohoRecord
        /// Fields an earlier `update` writes.
        var written: Set<String> = []
    }

    private struct State: Sendable {
        var conversions: [String: [String: [Converted]]] = [:]
        var touched: [String: [String: Touched]] = [:]
    }

    private let state = Mutex(State())

    /// An empty overlay, for the start of a run.
    init() {}

    /// Notes that `rule` converts `record` of `module` into `target`, writing `writes` and adding `tags` to it.
    func convert(
        _ record: ZohoRecord,
        module: String,
        rule: String,
        target: String,
        writes: [String: ZohoJSON],
        tags: [String]
    ) {
        guard let id = record.id else { return }
        state.withLock { state in
            state.conversions[module, default: [:]][id, default: []].append(Converted(rule: rule, target: target))
            var touched = state.touched[module]?[id] ?? Touched(record: record)
            // The latest selection has every field this rule read; earlier writes stay on top of it.
            for (field, value) in record.fields where !touched.written.contains(field) {
                touched.record.fields[field] = value
            }
            for (field, value) in writes {
                touched.record.fields[field] = value
                touched.written.insert(field)
            }
            if !tags.isEmpty {
                touched.record.fields["Tag"] = Self.adding(tags, to: touched.record["Tag"])
                touched.written.insert("Tag")
            }
            state.touched[module, default: [:]][id] = touched
        }
    }

    /// The earlier rules' conversions of record `id` of `module`, in run order.
    func conversions(module: String, id: String) -> [Converted] {
        state.withLock { $0.conversions[module]?[id] ?? [] }
    }

    /// `records` as the later rule will see them: earlier writes and tags applied.
    func applied(to records: [ZohoRecord], module: String) -> [ZohoRecord] {
        state.withLock { state in
            records.map { record in
                guard let id = record.id, let touched = state.touched[module]?[id] else { return record }
                var patched = record
                for field in touched.written { patched.fields[field] = touched.record[field] }
                return patched
            }
        }
    }

    /// Records of `module` an earlier rule wrote to that are not in `returned`: Zoho's query could not return them
    /// (it still has the old values), but the real run's query will when the new values match. `fields` says what
    /// the later rule reads; `complete` is false for a record held without all of them (it must be read again).
    func writtenRecords(
        module: String,
        notIn returned: [ZohoRecord],
        fields: [String]
    ) -> [(record: ZohoRecord, complete: Bool)] {
        let seen = Set(returned.compactMap(\.id))
        return state.withLock { state in
            (state.touched[module] ?? [:]).values
                .filter { !$0.written.isEmpty && !seen.contains($0.record.id ?? "") }
                .sorted { ($0.record.id ?? "") < ($1.record.id ?? "") }
                .map { touched in
                    let complete = fields.allSatisfy { $0 == "id" || touched.record.fields.keys.contains($0) }
                    return (record: touched.record, complete: complete)
                }
        }
    }

    /// How the real run decides record `id` of `module`, which an earlier rule converts, for a later rule doing
    /// `conversion`; nil when the later rule converts it anyway (another target: Zoho converts a Quote into a Sales
    /// Order and an Invoice alike).
    func earlierDecision(module: String, id: String, conversion: Conversion) -> EarlierDecision? {
        let earlier = conversions(module: module, id: id)
        switch conversion {
        case .lead:
            // Zoho's COQL leaves converted leads out: the real run does not select it at all.
            guard let first = earlier.first else { return nil }
            return EarlierDecision(
                rule: first.rule,
                reason: "converted by rule \(first.rule) earlier in this run; a converted lead is no longer selected",
                zohoCode: nil
            )
        case .inventory(let inventory):
            let route = inventory.route
            guard let first = earlier.first(where: { $0.target == route.target }) else { return nil }
            if let link = route.backLinkField {
                return EarlierDecision(
                    rule: first.rule,
                    reason: "converted by rule \(first.rule) earlier in this run: its new \(route.target) record "
                        + "links back through \(link), so the run skips it",
                    zohoCode: nil
                )
            }
            // No back-link to find it by: the single convert is sent and Zoho refuses it as already converted.
            return EarlierDecision(
                rule: first.rule,
                reason: "converted by rule \(first.rule) earlier in this run; Zoho will answer ID_ALREADY_CONVERTED",
                zohoCode: "ID_ALREADY_CONVERTED"
            )
        }
    }

    /// A Tag value (`[{name}]`) with `tags` added once each.
    static func adding(_ tags: [String], to current: ZohoJSON) -> ZohoJSON {
        var items = current.arrayValue ?? []
        let names = Set(items.compactMap { $0["name"].stringValue ?? $0.stringValue })
        for tag in tags where !names.contains(tag) { items.append(["name": .string(tag)]) }
        return .array(items)
    }
}

/// How a later rule's run decides a record an earlier rule of the same run converts.
struct EarlierDecision: Sendable, Equatable {
    /// The earlier rule.
    var rule: String
    /// The reason the plan shows.
    var reason: String
    /// Zoho's code when the run sends the record and Zoho refuses it.
    var zohoCode: String?
}
