import RuleKit
import ZohoCRM

/// What to do with one lead after reading its conversion options.
struct LeadDecision: Sendable, Equatable {
    /// The decision itself.
    enum Action: Sendable, Equatable {
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
    /// The existing records a merge joins, by name and email, for the plan (from the options already read).
    var mergeTargets: [MergeTarget] = []

    /// A new Contact (and Account from Company), nothing matched.
    static let create = LeadDecision(action: .convert(contactID: nil, accountID: nil), matches: [])

    /// How the plan and the audit log describe the action.
    var summary: String {
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

/// The lead duplicate decision: Zoho's conversion options and the rule's `duplicates:` policy give merge, skip,
/// create or (for `fail`, decided by the caller over all leads) the matches that stop the rule. Pure: no calls.
enum LeadDuplicateDecision {
    /// The decision for one lead whose `__conversion_options` are `options` (nil: Zoho offered none).
    static func decide(options: LeadConversionOptions?, policy: DuplicatePolicy) -> LeadDecision {
        let contacts = options?.contacts ?? []
        let accounts = options?.accounts ?? []
        let matches = describeMatches(options)
        if contacts.isEmpty && accounts.isEmpty { return .create }
        switch policy {
        case .create, .fail:
            return LeadDecision(action: .convert(contactID: nil, accountID: nil), matches: matches)
        case .skip:
            return LeadDecision(action: .skip("duplicates: skip — it matches existing records"), matches: matches)
        case .merge:
            let action = mergeTarget(contacts: contacts, accounts: accounts)
            return LeadDecision(
                action: action,
                matches: matches,
                mergeTargets: mergeTargets(action, contacts: contacts, accounts: accounts)
            )
        }
    }

    /// The records `action` merges into as a reviewer recognises them; a Contact brings its own Account along.
    static func mergeTargets(
        _ action: LeadDecision.Action,
        contacts: [ZohoRecord],
        accounts: [ZohoRecord]
    ) -> [MergeTarget] {
        guard case .convert(let contactID, let accountID) = action else { return [] }
        var targets: [MergeTarget] = []
        if let contact = contacts.first(where: { $0.id == contactID }), let id = contact.id {
            let name = RecordValues.text(contact, "Full_Name") ?? RecordValues.name(contact, module: "Contacts")
            targets.append(MergeTarget(module: "Contacts", id: id, name: name, email: contact["Email"].stringValue))
            if accountID == nil, let linked = contact["Account_Name"]["id"].idValue {
                let name = contact["Account_Name"]["name"].stringValue ?? linked
                targets.append(MergeTarget(module: "Accounts", id: linked, name: name))
            }
        }
        if let account = accounts.first(where: { $0.id == accountID }), let id = account.id {
            let name = RecordValues.text(account, "Account_Name") ?? id
            targets.append(MergeTarget(module: "Accounts", id: id, name: name, email: account["Email"].stringValue))
        }
        return targets
    }

    /// One line per matching record: its id and the fields it matched on, never the values.
    static func describeMatches(_ options: LeadConversionOptions?) -> [String] {
        let contactFields = options?.preferenceFieldMatchedValue["Contacts"]?.map(\.fieldAPIName) ?? []
        let accountFields = options?.preferenceFieldMatchedValue["Accounts"]?.map(\.fieldAPIName) ?? []
        let contacts = (options?.contacts ?? []).map {
            "Contact \($0.id ?? "?") (matched on \(contactFields.joined(separator: ", ")))"
        }
        let accounts = (options?.accounts ?? []).map {
            "Account \($0.id ?? "?") (matched on \(accountFields.joined(separator: ", ")))"
        }
        return contacts + accounts
    }

    /// Merge only when the match is unambiguous: at most one Contact and one Account, and they agree.
    static func mergeTarget(contacts: [ZohoRecord], accounts: [ZohoRecord]) -> LeadDecision.Action {
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
}
