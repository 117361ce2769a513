import Foundation
public import RuleKit

/// A rule compiled for one run: select → re-check → guard → batch → convert → confirm → follow-ups → audit.
public struct Pipeline: Sendable {
    /// The rule it came from.
    public var rule: Rule
    /// The module records are selected from.
    public var module: String
    /// The COQL query without LIMIT/OFFSET (the client pages it, 2000 a call).
    public var selectQuery: String
    /// Fields read for each record: the ones the rule tests, names, and those templates use.
    public var selectFields: [String]
    /// Comparisons the query applies on Zoho's side (everything is re-checked on ours).
    public var serverSide: [String]
    /// Comparisons applied only on our side.
    public var localOnly: [String]
    /// The conversion step.
    public var conversion: Conversion
    /// Steps on the source record after its conversion is confirmed.
    public var followUps: [FollowUp]
    /// The most records converted in one run, from `limits.max_records`.
    public var maxRecords: Int?
    /// The least OAuth scopes this pipeline needs.
    public var scopes: [String]

    /// The rule's file and line, for audit events.
    public var ruleFile: String { rule.location.file }
    /// The rule's line.
    public var ruleLine: Int { rule.location.line }
}

/// How records are converted.
public enum Conversion: Sendable {
    /// Quotes or Sales_Orders into Sales_Orders or Invoices.
    case inventory(InventoryConversion)
    /// Leads into Contacts, Accounts and Deals.
    case lead(LeadConversion)

    /// The module the ledger keys conversions by.
    public var targetModule: String {
        switch self {
        case .inventory(let inventory): inventory.route.target
        case .lead: "Contacts"
        }
    }
}

/// An inventory conversion: the route, and what the `convert:` action asks for.
public struct InventoryConversion: Sendable {
    /// Source, target, back-link and method.
    public var route: ConversionRoute
    /// `carry_tags`.
    public var carryTags: Bool
    /// `owner`, as written; resolved to a user id once per run.
    public var owner: Owner?
    /// `related` module names; their ids come from the Modules API once per run.
    public var related: [String]

    /// What the single convert sends as `carry_over_tags`: `true`, or nothing at all. Zoho's single inventory
    /// convert always carries the tags and refuses `false` (400 NOT_ALLOWED), so `false` is never sent; the plan
    /// says so (`tagsCarriedAnyway`).
    public var singleConvertCarryTags: Bool? { carryTags ? true : nil }

    /// True when `carry_tags` is off but some records go through the single convert, which carries the tags
    /// anyway: every record on a single-convert route, and those a mass-convert job leaves on the others.
    public var tagsCarriedAnyway: Bool { !carryTags }
}

/// A lead conversion: the `convert_lead:` action and the endpoint choice.
public struct LeadConversion: Sendable {
    /// The action as written.
    public var action: ConvertLeadAction
    /// Whether leads with no merge target may go through mass convert (50 a call).
    public var massEligible: Bool
    /// Why mass convert is or is not used, for the plan.
    public var methodReason: String
}

/// A step on the source record after its conversion is confirmed.
public enum FollowUp: Sendable {
    /// `update:` fields (constants or templates).
    case update([FieldAssignment])
    /// `tag:` names.
    case tag([String])
}
