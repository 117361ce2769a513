/// Zoho facts the checks rely on when no metadata snapshot is given.
enum Zoho {
    /// Zoho CRM's standard modules (API names).
    static let standardModules = [
        "Leads", "Contacts", "Accounts", "Deals", "Tasks", "Events", "Calls", "Products", "Quotes", "Sales_Orders",
        "Purchase_Orders", "Invoices", "Campaigns", "Vendors", "Price_Books", "Cases", "Solutions", "Notes",
        "Attachments", "Visits", "Appointments__s", "Services__s",
    ]
    /// Legal inventory conversions: source module to its targets.
    static let conversions: [String: [String]] = ZohoFacts.inventoryConversions.reduce(into: [:]) {
        $0[$1.source, default: []].append($1.target)
    }
    /// Related lists an inventory conversion can carry over.
    /// Activities a mass convert hands to the new record (`related_modules`): the seed document names Tasks, Meetings
    /// (Events) and Calls, and the emulator refuses anything else with INVALID_DATA.
    static let relatedModules = ["Calls", "Tasks", "Events"]
    /// Fields a Deal created by lead conversion must have.
    static let dealRequiredFields = ["Deal_Name", "Closing_Date", "Stage", "Pipeline"]

    /// The operators a Zoho field type supports in search criteria and COQL.
    static func operators(forDataType type: String) -> Set<ComparisonOperator>? {
        let equality: Set<ComparisonOperator> = [.eq, .ne, .in, .notIn, .isNull]
        let ordering: Set<ComparisonOperator> = [.gt, .gte, .lt, .lte, .between]
        if ZohoFacts.numericFieldTypes.contains(type) { return equality.union(ordering) }
        switch type {
        case "text", "textarea", "email", "phone", "website", "autonumber":
            return equality.union([.startsWith, .contains])
        case "picklist", "lookup", "ownerlookup", "userlookup":
            return equality
        case "multiselectpicklist":
            return equality.union([.contains])
        case "date", "datetime":
            return equality.union(ordering)
        case "boolean":
            return [.eq, .ne]
        default:
            return nil
        }
    }
}

/// Canonical, location-free text of a condition, so two rules can be compared for "same selection".
enum ConditionShape {
    static func of(_ condition: Condition?) -> String {
        guard let condition else { return "*" }
        switch condition {
        case .all(let children, _):
            return children.count == 1
                ? of(children[0]) : "all(" + children.map { of($0) }.sorted().joined(separator: ",") + ")"
        case .any(let children, _):
            return children.count == 1
                ? of(children[0]) : "any(" + children.map { of($0) }.sorted().joined(separator: ",") + ")"
        case .not(let child, _):
            return "not(\(of(child)))"
        case .comparison(let comparison):
            return "\(comparison.field) \(comparison.operator.rawValue) \(of(comparison.value))"
        }
    }

    static func of(_ value: RuleValue) -> String {
        switch value {
        case .string(let text): "s:" + text
        case .number(let number): "n:" + String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .list(let items): "[" + items.map { of($0) }.joined(separator: ",") + "]"
        case .date(.relative(let relative)): "d:" + relative.description
        case .date(.day(let day)): "d:" + day.description
        case .date(.instant(let instant)): "t:" + String(instant.timeIntervalSince1970)
        }
    }
}
