import Foundation
import Logging
import RuleKit
import ZohoCRM

/// The org's metadata a plan or run reads before any query: the fields of the modules its rules name, and the
/// active users when a rule names an owner. The rules are linted against it (`zrules lint --metadata`'s checks),
/// and the executor starts from it, so each is read once per plan or run.
struct LiveMetadata: Sendable {
    /// What `plan` and `run` read before the executor started; an `OrgDirectory` created inside starts from it.
    @TaskLocal static var current: LiveMetadata?

    /// The fields and users read, as the metadata checks see them.
    var snapshot: MetadataSnapshot
    /// Field API names to Zoho data types per module; empty for a module whose fields could not be read (as
    /// `OrgDirectory` caches it: the query builder then infers literals from the rule's values).
    var fieldTypes: [String: [String: String]]
    /// The active users; nil when no rule names an owner or they could not be read (the executor reads them then).
    var users: [ZohoUser]?
    /// The calls each read made, by the module it read (`users` for the users), to count them with a rule.
    var calls: [String: [ZohoCallCount]]
    /// What could not be read and why, one line each; those parts are not checked.
    var unread: [String]

    /// The modules whose fields the rules' checks need: each rule's module, and Deals for a lead's deal.
    static func modules(for rules: [Rule]) -> [String] {
        var modules: [String] = []
        for rule in rules {
            if !modules.contains(rule.module.value) { modules.append(rule.module.value) }
            for case .convertLead(let lead) in rule.actions where !(lead.deal ?? []).isEmpty {
                if !modules.contains("Deals") { modules.append("Deals") }
            }
        }
        return modules
    }

    /// True when some rule names an owner, so the users are needed.
    static func needsUsers(_ rules: [Rule]) -> Bool {
        rules.contains { rule in
            rule.actions.contains { action in
                switch action {
                case .convert(let convert): convert.owner != nil
                case .convertLead(let lead): lead.owner != nil
                default: false
                }
            }
        }
    }

    /// Reads what `rules` need; a part that cannot be read is left out of the checks and named in `unread`.
    static func read(for rules: [Rule], client: ZohoClient, logger: Logger) async -> LiveMetadata {
        var live = LiveMetadata(
            snapshot: MetadataSnapshot(modules: [], fields: [:], users: []),
            fieldTypes: [:],
            users: nil,
            calls: [:],
            unread: []
        )
        for module in modules(for: rules) {
            let tally = ZohoCallTally()
            do {
                let body = try await ZohoCallTally.$current.withValue(tally) {
                    try await client.rawFieldsJSON(module: module)
                }
                let fields = try MetadataSnapshot.fields(fromFieldsBody: body, module: module)
                live.snapshot.fields[module] = fields
                live.fieldTypes[module] = Dictionary(
                    fields.map { ($0.apiName, $0.dataType) },
                    uniquingKeysWith: { first, _ in first }
                )
            } catch {
                live.fieldTypes[module] = [:]
                live.unread.append("the fields of \(module): \(error.message)")
            }
            live.calls[module] = tally.counts
        }
        if needsUsers(rules) {
            let tally = ZohoCallTally()
            do {
                let users = try await ZohoCallTally.$current.withValue(tally) {
                    try await client.users(type: .activeUsers)
                }
                live.users = users
                live.snapshot.users = users.map {
                    MetadataSnapshot.User(id: $0.id, email: $0.email ?? "", status: $0.status ?? "active")
                }
            } catch {
                live.unread.append("the users: \(error.message)")
            }
            live.calls["users"] = tally.counts
        }
        for line in live.unread {
            logger.warning("not checked against the org's metadata: \(line)")
        }
        return live
    }

    /// The metadata checks' findings on `rules`, as a lint result `zrules lint` would print; nil when none.
    func findings(for rules: [Rule], lint: LintResult) -> LintResult? {
        let diagnostics = Linter.metadataFindings(RuleSet(rules: rules), metadata: snapshot)
        guard !diagnostics.isEmpty else { return nil }
        return LintResult(
            diagnostics: diagnostics,
            ruleSet: RuleSet(rules: rules),
            files: lint.files,
            sources: lint.sources
        )
    }
}
