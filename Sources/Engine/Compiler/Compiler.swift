public import Foundation
public import RuleKit

/// Compiles rules into pipelines for one run.
///
/// Compilation happens at run time: relative dates (`today-7d`) resolve against the run's clock, and the Fields API
/// tells which literal each field takes, so the query means what the rule says on the day it runs.
public struct Compiler: Sendable {
    /// The run's clock reading.
    public var now: Date
    /// The time zone relative dates resolve in.
    public var timeZone: TimeZone
    /// Zoho data types by module, then field API name; missing modules fall back to inferring from values.
    public var fieldTypes: [String: [String: String]]

    /// A compiler for a run starting at `now`.
    public init(now: Date, timeZone: TimeZone, fieldTypes: [String: [String: String]] = [:]) {
        self.now = now
        self.timeZone = timeZone
        self.fieldTypes = fieldTypes
    }

    /// The fields shown for a record of `module` in plans and audit lines.
    public static func nameFields(of module: String) -> [String] {
        switch module {
        case "Leads": ["First_Name", "Last_Name", "Company", "Email"]
        case "Contacts": ["First_Name", "Last_Name", "Email"]
        case "Accounts": ["Account_Name"]
        case "Deals": ["Deal_Name"]
        default: ["Subject"]
        }
    }

    /// The pipeline for `rule`.
    ///
    /// - Throws: `EngineError.Code.compile` when the rule has no conversion, more than one, or one Zoho does not do.
    public func compile(_ rule: Rule) throws(EngineError) -> Pipeline {
        let module = rule.module.value
        let (conversion, dealFields) = try Self.conversion(of: rule)
        let (followUps, updateFields) = Self.followUps(of: rule)
        let builder = QueryBuilder(fieldTypes: fieldTypes[module] ?? [:], now: now, timeZone: timeZone)
        let filter = builder.filter(for: rule.condition)
        let fields = try selectFields(rule, templateFields: dealFields + updateFields)
        // COQL has no Tag column to select; a rule testing tags re-checks them from Get Records.
        let selectable = fields.filter { $0 != "Tag" }
        let query = "select \(selectable.joined(separator: ", ")) from \(module) where \(filter.clause) order by id asc"
        return Pipeline(
            rule: rule,
            module: module,
            selectQuery: query,
            selectFields: fields,
            serverSide: filter.serverSide,
            localOnly: filter.localOnly,
            conversion: conversion,
            followUps: followUps,
            maxRecords: rule.limits.maxRecords?.value,
            scopes: Self.scopes(module: module, conversion: conversion, followUps: followUps)
        )
    }

    /// The rule's one conversion, and the lead fields its deal templates read.
    static func conversion(of rule: Rule) throws(EngineError) -> (Conversion, templateFields: [String]) {
        let module = rule.module.value
        let conversions = rule.actions.filter {
            switch $0 {
            case .convert, .convertLead: true
            default: false
            }
        }
        let failure = { (message: String) in EngineError(.compile, operation: "compile \(rule.name)", message: message)
        }
        guard conversions.count == 1, let conversionAction = conversions.first else {
            throw failure(
                conversions.isEmpty
                    ? "the rule has no convert or convert_lead step" : "a rule converts to one target; split it in two"
            )
        }
        switch conversionAction {
        case .convert(let action):
            guard let route = ConversionRoute.find(from: module, to: action.to.value) else {
                throw failure("Zoho does not convert \(module) to \(action.to.value)")
            }
            let inventory = InventoryConversion(
                route: route,
                carryTags: action.carryTags,
                owner: action.owner,
                related: action.related.map(\.value)
            )
            return (.inventory(inventory), [])
        case .convertLead(let action):
            guard module == "Leads" else { throw failure("convert_lead needs module: Leads") }
            let dealTemplates = (action.deal ?? []).compactMap { assignment -> Template? in
                if case .template(let template) = assignment.value { return template }
                return nil
            }
            return (.lead(leadConversion(action, dealTemplates: dealTemplates)), dealTemplates.flatMap(\.fields))
        default:
            throw failure("unexpected conversion step")
        }
    }

    /// The rule's `update` and `tag` steps, and the fields their templates read.
    static func followUps(of rule: Rule) -> ([FollowUp], templateFields: [String]) {
        var followUps: [FollowUp] = []
        var templateFields: [String] = []
        for action in rule.actions {
            switch action {
            case .update(let update):
                followUps.append(.update(update.fields))
                for assignment in update.fields {
                    if case .template(let template) = assignment.value { templateFields += template.fields }
                }
            case .tag(let tag):
                followUps.append(.tag(tag.tags.map(\.value)))
            default:
                break
            }
        }
        return (followUps, templateFields)
    }

    /// Fields read for each record: id, names, what the rule tests and its templates read, Locked__s and
    /// Modified_Time.
    private func selectFields(_ rule: Rule, templateFields: [String]) throws(EngineError) -> [String] {
        let module = rule.module.value
        var fields = ["id"] + Self.nameFields(of: module)
        for field in (rule.condition?.comparisons.map(\.field) ?? []) + templateFields
        where !fields.contains(field) && QueryBuilder.isPlainFieldName(field) {
            fields.append(field)
        }
        // Zoho refuses to convert a locked record; reading the flag lets the plan say so in advance.
        if fieldTypes[module]?["Locked__s"] != nil, !fields.contains("Locked__s") { fields.append("Locked__s") }
        // A saved plan compares it at apply: a record modified since the plan was made is skipped.
        if fieldTypes[module]?["Modified_Time"] != nil, !fields.contains("Modified_Time") {
            fields.append("Modified_Time")
        }
        guard fields.count <= 50 else {
            throw EngineError(
                .compile,
                operation: "compile \(rule.name)",
                message: "the rule reads \(fields.count) fields; COQL selects at most 50"
            )
        }
        return fields
    }

    static func leadConversion(_ action: ConvertLeadAction, dealTemplates: [Template]) -> LeadConversion {
        var reasons: [String] = []
        if action.notifyLeadOwner || action.notifyNewOwner {
            reasons.append("mass convert has no notify options")
        }
        if action.owner == nil {
            reasons.append("mass convert needs an owner (assign_to)")
        }
        if dealTemplates.contains(where: { !$0.fields.isEmpty }) {
            reasons.append("the deal template uses each lead's fields")
        }
        if reasons.isEmpty {
            return LeadConversion(
                action: action,
                massEligible: true,
                methodReason: "mass convert, 50 a call, for leads with no merge target; single convert for merges; "
                    + "each lead confirmed through Converted__s"
            )
        }
        return LeadConversion(
            action: action,
            massEligible: false,
            methodReason: "single convert for every lead: " + reasons.joined(separator: "; ")
        )
    }

    /// The least OAuth scopes for a pipeline; `zrules scopes` unions them over all rules.
    static func scopes(module: String, conversion: Conversion, followUps: [FollowUp]) -> [String] {
        var scopes: Set<String> = [
            "ZohoCRM.coql.READ",
            "ZohoCRM.modules.\(module).READ",
            "ZohoCRM.settings.modules.READ",
            "ZohoCRM.settings.fields.READ",
            // The plan's header and a saved plan's org check read `GET /org`.
            "ZohoCRM.org.READ",
        ]
        switch conversion {
        case .inventory(let inventory):
            let route = inventory.route
            if route.method == .mass {
                scopes.insert("ZohoCRM.mass_convert.\(route.scopeModule).CREATE")
                scopes.insert("ZohoCRM.mass_convert.\(route.scopeModule).READ")
            }
            // The single convert is needed for Quote → Invoice and to learn Zoho's code for records a job refused.
            scopes.insert("ZohoCRM.modules.\(route.source).CREATE")
            scopes.insert("ZohoCRM.modules.\(route.target).READ")
            // Every owner is checked against the active users; the single convert sets it with an update.
            if inventory.owner != nil {
                scopes.insert("ZohoCRM.users.READ")
                if route.method == .single { scopes.insert("ZohoCRM.modules.\(route.target).UPDATE") }
            }
        case .lead(let lead):
            scopes.insert("ZohoCRM.modules.Leads.CREATE")
            scopes.insert("ZohoCRM.modules.Contacts.READ")
            scopes.insert("ZohoCRM.modules.Accounts.READ")
            if lead.massEligible {
                scopes.insert("ZohoCRM.mass_convert.leads.CREATE")
                scopes.insert("ZohoCRM.mass_convert.leads.READ")
            }
            if lead.action.owner != nil { scopes.insert("ZohoCRM.users.READ") }
        }
        if !followUps.isEmpty { scopes.insert("ZohoCRM.modules.\(module).UPDATE") }
        return scopes.sorted()
    }
}
