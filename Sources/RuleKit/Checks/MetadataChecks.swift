import Foundation

// Checks against the org's metadata snapshot (`--metadata FILE`); silent without one.

/// ZR040: a field the module does not have.
public enum UnknownField: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR040",
        name: "unknown-field",
        severity: .error,
        summary: "A field name (in `where`, `update`, `deal` or a template) that the module does not have "
            + "(needs --metadata).",
        rationale: "Field names are API names and case-sensitive. The suggestion is the closest field of the module.",
        triggering: [
            CheckExample(Examples.rule(where: "↓Quote_Stag: Accepted", do: "tag: [x]"), usesMetadata: true),
            CheckExample(
                Examples.rule(
                    module: "Leads",
                    where: "Lead_Status: Qualified",
                    do: "convert_lead:\n          deal: { Deal_Name: \"{{ Compnay }}\", ↓Stge: Qualification }"
                ),
                usesMetadata: true
            ),
            CheckExample(
                Examples.rule(
                    module: "Leads",
                    where: "Lead_Status: Qualified",
                    do: "convert_lead:\n          deal: { Deal_Name: \"Deal ↓{{ Compnay }}\" }"
                ),
                usesMetadata: true
            ),
        ],
        nonTriggering: [CheckExample(Examples.valid, usesMetadata: true)]
    )

    /// Checks every field name against the module's fields.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        guard let metadata = context.metadata else { return [] }
        var findings: [Diagnostic] = []
        func verify(_ name: String, in module: String, at location: FileLocation, what: String = "field") {
            guard let fields = metadata.fields[module] else { return }
            let base = String(name.split(separator: ".").first ?? Substring(name))
            guard !fields.contains(where: { $0.apiName == base }) else { return }
            let hint = Suggestion.closest(to: base, in: fields.map(\.apiName)).map { "; did you mean '\($0)'?" } ?? ""
            findings.append(diagnostic(location, "\(module) has no \(what) '\(base)'\(hint)"))
        }
        func verifyTemplate(_ assignment: FieldAssignment, _ module: String) {
            guard case .template(let template) = assignment.value else { return }
            for reference in template.fieldReferences {
                var location = assignment.location
                location.column += reference.column - 1
                verify(reference.name, in: module, at: location, what: "field (in the template)")
            }
        }
        for rule in context.ruleSet.rules {
            let module = rule.module.value
            for comparison in rule.condition?.comparisons ?? [] {
                verify(comparison.field, in: module, at: comparison.fieldLocation)
            }
            for action in rule.actions {
                switch action {
                case .update(let update):
                    for assignment in update.fields {
                        verify(assignment.field.value, in: module, at: assignment.field.location)
                        verifyTemplate(assignment, module)
                    }
                case .convertLead(let lead):
                    for assignment in lead.deal ?? [] {
                        verify(assignment.field.value, in: "Deals", at: assignment.field.location)
                        verifyTemplate(assignment, module)
                    }
                default:
                    break
                }
            }
        }
        return findings
    }
}

/// ZR041: a picklist value the field does not have.
public enum UnknownPicklistValue: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR041",
        name: "unknown-picklist-value",
        severity: .error,
        summary: "A picklist value the field does not offer, e.g. `Quote_Stage: Acepted` (needs --metadata).",
        rationale: "Zoho picklists match exactly; a misspelt value selects nothing, or writes a value the layout "
            + "does not show.",
        triggering: [
            CheckExample(Examples.rule(where: "Quote_Stage: ↓Acepted", do: "tag: [x]"), usesMetadata: true),
            CheckExample(
                Examples.rule(where: "Quote_Stage: { in: [Draft, ↓Acepted] }", do: "tag: [x]"),
                usesMetadata: true
            ),
        ],
        nonTriggering: [CheckExample(Examples.rule(where: "Quote_Stage: Accepted", do: "tag: [x]"), usesMetadata: true)]
    )

    /// Checks picklist operands and assigned picklist values.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        guard let metadata = context.metadata else { return [] }
        var findings: [Diagnostic] = []
        func verify(
            _ value: RuleValue,
            field name: String,
            module: String,
            at location: FileLocation,
            items: [FileLocation] = []
        ) {
            guard let field = metadata.field(name, in: module),
                field.dataType == "picklist" || field.dataType == "multiselectpicklist", !field.picklistValues.isEmpty
            else { return }
            let texts: [String]
            switch value {
            case .string(let text): texts = [text]
            case .list(let items):
                texts = items.compactMap {
                    if case .string(let text) = $0 { return text }
                    return nil
                }
            default: texts = []
            }
            for (index, text) in texts.enumerated() where !field.picklistValues.contains(text) {
                let location = index < items.count && texts.count == items.count ? items[index] : location
                let hint =
                    Suggestion.closest(to: text, in: field.picklistValues).map { "did you mean '\($0)'? " } ?? ""
                let shown = field.picklistValues.prefix(12).joined(separator: ", ")
                findings.append(
                    diagnostic(location, "'\(text)' is not a value of \(module).\(name); \(hint)values: \(shown)")
                )
            }
        }
        for rule in context.ruleSet.rules {
            for comparison in rule.condition?.comparisons ?? []
            where [.eq, .ne, .in, .notIn, .contains].contains(comparison.operator) {
                verify(
                    comparison.value,
                    field: comparison.field,
                    module: rule.module.value,
                    at: comparison.location,
                    items: comparison.itemLocations
                )
            }
            for action in rule.actions {
                let (assignments, module): ([FieldAssignment], String) =
                    switch action {
                    case .update(let update): (update.fields, rule.module.value)
                    case .convertLead(let lead): (lead.deal ?? [], "Deals")
                    default: ([], "")
                    }
                for assignment in assignments {
                    if case .value(let value) = assignment.value {
                        verify(value, field: assignment.field.value, module: module, at: assignment.location)
                    }
                }
            }
        }
        return findings
    }
}

/// ZR042: an operator the field's type does not support.
public enum OperatorFieldType: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR042",
        name: "operator-field-type",
        severity: .error,
        summary: "An operator the field's type does not support, e.g. `gt` on a picklist or `contains` on a "
            + "number (needs --metadata).",
        rationale: "Zoho's search and COQL refuse such criteria at run time.",
        triggering: [
            CheckExample(Examples.rule(where: "Quote_Stage: { ↓gt: Accepted }", do: "tag: [x]"), usesMetadata: true)
        ],
        nonTriggering: [
            CheckExample(Examples.rule(where: "Grand_Total: { gt: 0 }", do: "tag: [x]"), usesMetadata: true)
        ]
    )

    /// Checks each comparison's operator against its field's data type.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        guard let metadata = context.metadata else { return [] }
        return context.ruleSet.rules.flatMap { rule in
            (rule.condition?.comparisons ?? []).compactMap { comparison -> Diagnostic? in
                guard let field = metadata.field(comparison.field, in: rule.module.value),
                    let supported = Zoho.operators(forDataType: field.dataType),
                    !supported.contains(comparison.operator)
                else { return nil }
                let list = ComparisonOperator.allCases.filter(supported.contains).map(\.rawValue)
                var location = comparison.location
                if comparison.operator != .eq { location = operatorLocation(comparison) }
                return diagnostic(
                    location,
                    "\(comparison.field) is a \(field.dataType) field; '\(comparison.operator.rawValue)' does not apply. "
                        + "Use \(list.joined(separator: ", "))"
                )
            }
        }
    }

    /// The operator key precedes its value in `{ op: value }`; the parser keeps only the value's position.
    private static func operatorLocation(_ comparison: Comparison) -> FileLocation {
        comparison.operatorLocation ?? comparison.location
    }
}

/// ZR043: an owner that is not an active user.
public enum InactiveOwner: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR043",
        name: "inactive-owner",
        severity: .error,
        summary: "`owner` is not an active user of the org (needs --metadata).",
        rationale: "Zoho refuses to assign records to unknown or deactivated users.",
        triggering: [
            CheckExample(Examples.rule(do: "convert: { to: Invoices, owner: ↓nobody@zylker.com }"), usesMetadata: true)
        ],
        nonTriggering: [
            CheckExample(Examples.rule(do: "convert: { to: Invoices, owner: billing@zylker.com }"), usesMetadata: true)
        ]
    )

    /// Looks every owner up among the active users.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        guard let metadata = context.metadata, !metadata.users.isEmpty else { return [] }
        let active = metadata.users.filter { $0.status.lowercased() == "active" }
        return context.ruleSet.rules.flatMap { rule in
            rule.actions.compactMap { action -> Diagnostic? in
                let owner: Owner?
                switch action {
                case .convert(let convert): owner = convert.owner
                case .convertLead(let lead): owner = lead.owner
                default: owner = nil
                }
                guard let owner else { return nil }
                let found =
                    owner.kind == .email
                    ? active.contains { $0.email.lowercased() == owner.value.lowercased() }
                    : active.contains { $0.id == owner.value }
                guard !found else { return nil }
                let known = metadata.users.first {
                    owner.kind == .email ? $0.email.lowercased() == owner.value.lowercased() : $0.id == owner.value
                }
                let hint =
                    owner.kind == .email
                    ? Suggestion.closest(to: owner.value, in: active.map(\.email)).map { "; did you mean '\($0)'?" }
                        ?? ""
                    : ""
                return diagnostic(
                    owner.location,
                    // A snapshot pulled with ActiveUsers lists no inactive user, so an unknown owner may still be
                    // an inactive one: "not an active user" is true either way.
                    known.map {
                        "owner '\(owner.value)' is a user of the org but \($0.status.lowercased()), not active"
                    }
                        ?? "owner '\(owner.value)' is not an active user of the org\(hint)"
                )
            }
        }
    }
}

/// ZR044: an update or deal field that Zoho does not let anyone write.
public enum ReadOnlyField: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR044",
        name: "read-only-field",
        severity: .error,
        summary: "`update` or `deal` writes a field Zoho computes or marks read-only, e.g. Grand_Total "
            + "(needs --metadata).",
        rationale: "Zoho refuses the write (or ignores it) after the conversion has already happened.",
        triggering: [CheckExample(Examples.rule(do: "update: { ↓Grand_Total: 0 }"), usesMetadata: true)],
        nonTriggering: [CheckExample(Examples.rule(do: "update: { Quote_Stage: Closed Won }"), usesMetadata: true)]
    )

    /// Looks every written field up in the module's fields.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        guard let metadata = context.metadata else { return [] }
        return context.ruleSet.rules.flatMap { rule in
            rule.actions.flatMap { action -> [Diagnostic] in
                let (assignments, module): ([FieldAssignment], String) =
                    switch action {
                    case .update(let update): (update.fields, rule.module.value)
                    case .convertLead(let lead): (lead.deal ?? [], "Deals")
                    default: ([], "")
                    }
                return assignments.compactMap { assignment in
                    guard let field = metadata.field(assignment.field.value, in: module), !field.writable else {
                        return nil
                    }
                    return diagnostic(
                        assignment.field.location,
                        "\(module).\(field.apiName) is read-only (\(field.dataType)); Zoho does not let rules write it"
                    )
                }
            }
        }
    }
}

/// ZR045: a value whose type does not match its field's type.
public enum FieldValueType: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR045",
        name: "field-value-type",
        severity: .error,
        summary: "A value that does not fit its field's type: text for a number or date field, a number for a date, "
            + "anything but true/false for a checkbox (needs --metadata).",
        rationale: "Zoho refuses such criteria and writes; a quoted number is fine for a number field.",
        triggering: [
            CheckExample(Examples.rule(where: "Valid_Till: { gte: ↓30 }", do: "tag: [x]"), usesMetadata: true),
            CheckExample(
                Examples.rule(module: "Leads", where: "Email_Opt_Out: ↓no", do: "tag: [x]"),
                usesMetadata: true
            ),
        ],
        nonTriggering: [
            CheckExample(
                Examples.rule(where: "Valid_Till: { gte: today-30d }, Discount: { lt: \"5\" }", do: "tag: [x]"),
                usesMetadata: true
            )
        ]
    )

    /// Compares each operand and written constant with its field's data type.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        guard let metadata = context.metadata else { return [] }
        var findings: [Diagnostic] = []
        func verify(_ value: RuleValue, field name: String, module: String, at location: FileLocation) {
            guard let field = metadata.field(name, in: module), let expected = kind(of: field.dataType) else { return }
            let values: [RuleValue]
            if case .list(let items) = value { values = items } else { values = [value] }
            for item in values where !fits(item, expected) {
                findings.append(
                    diagnostic(location, "\(module).\(name) is a \(field.dataType) field; \(expected.hint)")
                )
                return
            }
        }
        for rule in context.ruleSet.rules {
            for comparison in rule.condition?.comparisons ?? [] where comparison.operator != .isNull {
                verify(comparison.value, field: comparison.field, module: rule.module.value, at: comparison.location)
            }
            for action in rule.actions {
                let (assignments, module): ([FieldAssignment], String) =
                    switch action {
                    case .update(let update): (update.fields, rule.module.value)
                    case .convertLead(let lead): (lead.deal ?? [], "Deals")
                    default: ([], "")
                    }
                for assignment in assignments {
                    if case .value(let value) = assignment.value {
                        verify(value, field: assignment.field.value, module: module, at: assignment.location)
                    }
                }
            }
        }
        return findings
    }

    private enum Kind {
        case number, date, boolean

        var hint: String {
            switch self {
            case .number: "give a number"
            case .date: "give a date: today, today-7d, now-2h, 2026-01-31 or an ISO-8601 date-time"
            case .boolean: "give true or false"
            }
        }
    }

    private static func kind(of dataType: String) -> Kind? {
        if ZohoFacts.numericFieldTypes.contains(dataType) { return .number }
        return switch dataType {
        case "date", "datetime": .date
        case "boolean": .boolean
        default: nil
        }
    }

    private static func fits(_ value: RuleValue, _ kind: Kind) -> Bool {
        switch (value, kind) {
        case (.null, _): true
        case (.number, .number), (.date, .date), (.bool, .boolean): true
        case (.string(let text), .number): Double(text.trimmingCharacters(in: .whitespaces)) != nil
        // Unparsable dates are reported once, by ZR028.
        case (.string(let text), .date): RelativeDate.looksRelative(text) || text.first?.isNumber == true
        default: false
        }
    }
}
