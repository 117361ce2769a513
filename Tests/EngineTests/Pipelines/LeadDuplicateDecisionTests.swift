import RuleKit
import Testing
import ZohoCRM

@testable import Engine

/// The lead duplicate decision: conversion options and the `duplicates:` policy → merge, skip, create or the
/// matches that stop a `fail` rule. Pure, so every case is a table row.
struct LeadDuplicateDecisionTests {
    static func contact(_ id: String, account: String? = nil, locked: Bool = false) -> ZohoRecord {
        var fields: [String: ZohoJSON] = [:]
        if let account { fields["Account_Name"] = ["id": .string(account)] }
        if locked { fields["Locked__s"] = .bool(true) }
        return ZohoRecord(id: id, fields: fields)
    }

    static func options(contacts: [ZohoRecord] = [], accounts: [ZohoRecord] = []) -> LeadConversionOptions {
        LeadConversionOptions(
            modulePreference: nil,
            contacts: contacts,
            accounts: accounts,
            deals: nil,
            preferenceFieldMatchedValue: [
                "Contacts": [.init(fieldAPIName: "Email", fieldID: nil, matchedLeadValue: nil)],
                "Accounts": [.init(fieldAPIName: "Account_Name", fieldID: nil, matchedLeadValue: nil)],
            ]
        )
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var options: LeadConversionOptions?
        var policy: DuplicatePolicy
        var action: LeadDecision.Action
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "no options: create",
            options: nil,
            policy: .merge,
            action: .convert(contactID: nil, accountID: nil)
        ),
        Case(
            name: "no matches: create",
            options: options(),
            policy: .skip,
            action: .convert(contactID: nil, accountID: nil)
        ),
        Case(
            name: "create ignores matches",
            options: options(contacts: [contact("c1")]),
            policy: .create,
            action: .convert(contactID: nil, accountID: nil)
        ),
        Case(
            name: "fail converts what does not match, the caller stops on matches",
            options: options(contacts: [contact("c1")]),
            policy: .fail,
            action: .convert(contactID: nil, accountID: nil)
        ),
        Case(
            name: "skip on a match",
            options: options(accounts: [ZohoRecord(id: "a1")]),
            policy: .skip,
            action: .skip("duplicates: skip — it matches existing records")
        ),
        Case(
            name: "merge into the one Contact",
            options: options(contacts: [contact("c1")]),
            policy: .merge,
            action: .convert(contactID: "c1", accountID: nil)
        ),
        Case(
            name: "merge into the one Account",
            options: options(accounts: [ZohoRecord(id: "a1")]),
            policy: .merge,
            action: .convert(contactID: nil, accountID: "a1")
        ),
        Case(
            name: "merge where Contact and Account agree",
            options: options(contacts: [contact("c1", account: "a1")], accounts: [ZohoRecord(id: "a1")]),
            policy: .merge,
            action: .convert(contactID: "c1", accountID: "a1")
        ),
        Case(
            name: "two Contacts are ambiguous",
            options: options(contacts: [contact("c1"), contact("c2")]),
            policy: .merge,
            action: .skip("ambiguous: 2 Contacts match; merge needs exactly one")
        ),
        Case(
            name: "two Accounts are ambiguous",
            options: options(accounts: [ZohoRecord(id: "a1"), ZohoRecord(id: "a2")]),
            policy: .merge,
            action: .skip("ambiguous: 2 Accounts match; merge needs exactly one")
        ),
        Case(
            name: "a locked match cannot be merged into",
            options: options(contacts: [contact("c1", locked: true)]),
            policy: .merge,
            action: .skip("the matching record c1 is locked; Zoho cannot merge into it")
        ),
        Case(
            name: "Contact of another Account",
            options: options(contacts: [contact("c1", account: "a9")], accounts: [ZohoRecord(id: "a1")]),
            policy: .merge,
            action: .skip("ambiguous: the matching Contact belongs to Account a9, but Account a1 matches")
        ),
        Case(
            name: "Contact without an Account, and an Account",
            options: options(contacts: [contact("c1")], accounts: [ZohoRecord(id: "a1")]),
            policy: .merge,
            action: .skip("ambiguous: the matching Contact has no Account, but Account a1 matches the Company")
        ),
    ]

    @Test(arguments: cases)
    func decides(_ row: Case) {
        let decision = LeadDuplicateDecision.decide(options: row.options, policy: row.policy)
        #expect(decision.action == row.action)
    }

    @Test func matchesNameRecordsAndFieldsNeverValues() {
        let decision = LeadDuplicateDecision.decide(
            options: Self.options(contacts: [Self.contact("c1")], accounts: [ZohoRecord(id: "a1")]),
            policy: .fail
        )
        #expect(decision.matches == ["Contact c1 (matched on Email)", "Account a1 (matched on Account_Name)"])
        #expect(LeadDuplicateDecision.decide(options: Self.options(), policy: .fail).matches.isEmpty)
    }
}
