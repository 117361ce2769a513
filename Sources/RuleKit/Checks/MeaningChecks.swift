import Foundation

/// ZR020: rule names are kebab-case.
public enum RuleName: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR020",
        name: "rule-name",
        severity: .error,
        summary: "A rule name that is not kebab-case (lower-case letters, digits and single dashes, ≤ 64 characters).",
        rationale: "Names appear in the audit log, the ledger and `--rule NAME`; one spelling avoids confusion.",
        triggering: [
            CheckExample(
                "version: 1\nrules:\n  - name: ↓Invoice_Quotes\n    when: { module: Quotes }\n    do: [{ tag: [x] }]\n"
            )
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )

    /// Reports each rule whose name is not kebab-case.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        context.ruleSet.rules.compactMap { rule in
            guard !rule.name.isEmpty else { return nil }
            let parts = rule.name.split(separator: "-", omittingEmptySubsequences: false)
            let valid =
                rule.name.count <= 64
                && parts.allSatisfy { part in
                    !part.isEmpty
                        && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
                }
            guard !valid else { return nil }
            let suggestion = rule.name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            return diagnostic(
                nameLocation(rule),
                "rule name '\(rule.name)' is not kebab-case; write it like '\(suggestion)'"
            )
        }
    }
}

/// ZR021: rule names are unique across all files.
public enum DuplicateRuleName: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR021",
        name: "duplicate-rule-name",
        severity: .error,
        summary: "Two rules with the same name (across all files linted together).",
        rationale: "The ledger and audit log key on the name; a note points at the first rule of that name.",
        triggering: [
            CheckExample(
                """
                version: 1
                rules:
                  - name: a
                    when: { module: Quotes }
                    do: [{ tag: [x] }]
                  - name: ↓a
                    when: { module: Sales_Orders }
                    do: [{ tag: [y] }]
                """
            )
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )

    /// Reports every rule after the first of its name.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        var first: [String: Rule] = [:]
        var findings: [Diagnostic] = []
        for rule in context.ruleSet.rules where !rule.name.isEmpty {
            if let earlier = first[rule.name] {
                findings.append(
                    diagnostic(
                        nameLocation(rule),
                        "rule name '\(rule.name)' is already used; rule names must be unique across all files",
                        notes: [.init(location: nameLocation(earlier), message: "'\(rule.name)' is first defined here")]
                    )
                )
            } else {
                first[rule.name] = rule
            }
        }
        return findings
    }
}

/// ZR022: the rule's module does not exist.
public enum UnknownModule: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR022",
        name: "unknown-module",
        severity: .error,
        summary: "`when.module` is not a Zoho module (the standard ones, or the org's with --metadata).",
        rationale: "Module names are API names, case-sensitive: Sales_Orders, not SalesOrders or sales_orders.",
        triggering: [
            CheckExample(
                "version: 1\nrules:\n  - name: a\n    when: { module: ↓SalesOrders }\n    do: [{ tag: [x] }]\n"
            )
        ],
        nonTriggering: [CheckExample(Examples.valid), CheckExample(Examples.valid, usesMetadata: true)]
    )

    /// Reports rules on modules that are neither standard nor (with metadata) the org's.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        // A snapshot without a modules list says nothing about modules; fall back to the standard ones.
        let orgModules = context.metadata?.modules.map(\.apiName) ?? []
        let known = orgModules.isEmpty ? Zoho.standardModules : orgModules
        return context.ruleSet.rules.compactMap { rule in
            guard !known.contains(rule.module.value) else { return nil }
            let hint = Suggestion.closest(to: rule.module.value, in: known).map { "; did you mean '\($0)'?" } ?? ""
            let source = orgModules.isEmpty ? "a standard Zoho module" : "a module of this org"
            return diagnostic(rule.module.location, "'\(rule.module.value)' is not \(source)\(hint)")
        }
    }
}

/// ZR023: a conversion Zoho does not offer.
public enum IllegalConversion: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR023",
        name: "illegal-conversion",
        severity: .error,
        summary: "A conversion Zoho does not offer: only Quotes→Sales_Orders|Invoices and Sales_Orders→Invoices; "
            + "convert_lead only on Leads.",
        rationale: "Zoho's mass-convert API refuses other pairs; catching it in CI is cheaper than a failed run.",
        triggering: [
            CheckExample(
                Examples.rule(module: "Sales_Orders", where: "Status: Delivered", do: "convert: { to: ↓Quotes }")
            ),
            CheckExample(Examples.rule(do: "↓convert_lead: { duplicates: skip }")),
        ],
        nonTriggering: [
            CheckExample(
                Examples.rule(module: "Sales_Orders", where: "Status: Delivered", do: "convert: { to: Invoices }")
            )
        ]
    )

    /// Reports illegal pairs and repeated conversions to one target within a rule.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        for rule in context.ruleSet.rules {
            var targets: [String: FileLocation] = [:]
            for action in rule.actions {
                switch action {
                case .convert(let convert):
                    let legal = Zoho.conversions[rule.module.value] ?? []
                    if !legal.contains(convert.to.value) {
                        let message =
                            legal.isEmpty
                            ? "\(rule.module.value) records cannot be converted; convert works on Quotes and Sales_Orders"
                                + (rule.module.value == "Leads" ? " (use convert_lead for Leads)" : "")
                            : "\(rule.module.value) cannot be converted to '\(convert.to.value)'; use "
                                + legal.joined(separator: " or ")
                        findings.append(diagnostic(convert.to.location, message))
                    } else if let earlier = targets[convert.to.value] {
                        findings.append(
                            diagnostic(
                                convert.to.location,
                                "the rule already converts to \(convert.to.value); a record is converted once per target",
                                notes: [.init(location: earlier, message: "first conversion here")]
                            )
                        )
                    }
                    targets[convert.to.value] = targets[convert.to.value] ?? convert.to.location
                case .convertLead(let lead):
                    if rule.module.value != "Leads" {
                        findings.append(
                            diagnostic(lead.location, "convert_lead works only on Leads, not \(rule.module.value)")
                        )
                    } else if let earlier = targets["Contacts"] {
                        findings.append(
                            diagnostic(
                                lead.location,
                                "the rule already converts its leads",
                                notes: [.init(location: earlier, message: "first conversion here")]
                            )
                        )
                    }
                    targets["Contacts"] = targets["Contacts"] ?? lead.location
                case .update, .tag:
                    break
                }
            }
        }
        return findings
    }
}

/// ZR025: a value that does not fit its operator.
public enum OperatorValue: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR025",
        name: "operator-value",
        severity: .error,
        summary: "A value that does not fit its operator: `between` needs two values, `in`/`not_in` a list, "
            + "`is_null` true or false, `gt`… a number or date, `starts_with`/`contains` text.",
        rationale: "Zoho would refuse the query or, worse, match something else.",
        triggering: [
            CheckExample(Examples.rule(where: "Grand_Total: { between: ↓[100] }", do: "tag: [x]")),
            CheckExample(Examples.rule(where: "Quote_Stage: { in: ↓Accepted }", do: "tag: [x]")),
            CheckExample(Examples.rule(where: "Grand_Total: { gt: ↓big }", do: "tag: [x]")),
        ],
        nonTriggering: [
            CheckExample(Examples.rule(where: "Grand_Total: { between: [100, 500] }", do: "tag: [x]")),
            CheckExample(
                Examples.rule(where: "Valid_Till: { gte: today }, Subject: { starts_with: Q- }", do: "tag: [x]")
            ),
        ]
    )

    /// Reports each comparison whose operand has the wrong shape.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        context.ruleSet.rules.flatMap { rule in
            (rule.condition?.comparisons ?? []).compactMap { comparison -> Diagnostic? in
                problem(comparison).map { diagnostic(comparison.location, "'\(comparison.field)': \($0)") }
            }
        }
    }

    private static func problem(_ comparison: Comparison) -> String? {
        let op = comparison.operator.rawValue
        // A date that did not parse is reported once, by ZR028.
        if case .string(let text) = comparison.value, RelativeDate.looksRelative(text) || text.first?.isNumber == true {
            return nil
        }
        func isScalar(_ value: RuleValue) -> Bool {
            if case .list = value { return false }
            return true
        }
        func isOrdered(_ value: RuleValue) -> Bool {
            switch value {
            case .number, .date: return true
            default: return false
            }
        }
        switch (comparison.operator, comparison.value) {
        case (.in, .list(let items)), (.notIn, .list(let items)):
            if items.isEmpty { return "\(op) needs at least one value" }
            return items.allSatisfy(isScalar) ? nil : "\(op) takes a flat list of values"
        case (.in, _), (.notIn, _):
            return "\(op) takes a list, e.g. { \(op): [A, B] }"
        case (.between, .list(let items)):
            guard items.count == 2 else { return "between takes exactly two values [low, high], not \(items.count)" }
            guard items.allSatisfy(isOrdered) else { return "between takes two numbers or two dates" }
            return nil
        case (.between, _):
            return "between takes two values [low, high]"
        case (.isNull, .bool):
            return nil
        case (.isNull, _):
            return "is_null takes true or false"
        case (.gt, let value), (.gte, let value), (.lt, let value), (.lte, let value):
            return isOrdered(value) ? nil : "\(op) compares with a number or a date (today, today-7d, 2026-01-31)"
        case (.startsWith, .string), (.contains, .string):
            return nil
        case (.startsWith, _), (.contains, _):
            return "\(op) takes text"
        case (.eq, .list), (.ne, .list):
            return "\(op) takes one value; for several use in or not_in"
        case (.eq, _), (.ne, _):
            return nil
        }
    }
}

/// ZR026: a schedule that is not a valid 5-field cron expression.
public enum BadSchedule: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR026",
        name: "bad-schedule",
        severity: .error,
        summary: "`schedule` is not a valid 5-field cron expression (minute hour day-of-month month day-of-week).",
        rationale: "The daemon would never run the rule. Reported at the offending field.",
        triggering: [
            CheckExample(
                "version: 1\nrules:\n  - name: a\n    schedule: \"0 ↓25 * * *\"\n    when: { module: Quotes }\n    do: [{ tag: [x] }]\n"
            )
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )

    /// Parses every schedule with `CronExpression`.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        context.ruleSet.rules.compactMap { rule -> Diagnostic? in
            guard let schedule = rule.schedule else { return nil }
            do throws(RuleKitError) {
                _ = try CronExpression(parsing: schedule.expression)
                return nil
            } catch {
                var location = schedule.location
                location.column += max(0, (error.column ?? 1) - 1)
                return diagnostic(location, "schedule '\(schedule.expression)': \(error.message)")
            }
        }
    }
}

/// ZR027: an unknown time zone.
public enum BadTimeZone: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR027",
        name: "bad-timezone",
        severity: .error,
        summary: "`timezone` is not an IANA time zone name.",
        rationale: "Schedules and relative dates depend on it. Use names such as Europe/Berlin or Asia/Kolkata.",
        triggering: [
            CheckExample(
                "version: 1\nrules:\n  - name: a\n    timezone: ↓Europe/Berln\n    when: { module: Quotes }\n    do: [{ tag: [x] }]\n"
            )
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )

    /// Looks every time zone up.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        context.ruleSet.rules.compactMap { rule in
            guard let zone = rule.timeZone, TimeZone(identifier: zone.value) == nil else { return nil }
            let hint = Suggestion.closest(to: zone.value, in: TimeZone.knownTimeZoneIdentifiers).map {
                "; did you mean '\($0)'?"
            }
            return diagnostic(
                zone.location,
                "unknown time zone '\(zone.value)'\(hint ?? "; use an IANA name such as Europe/Berlin")"
            )
        }
    }
}

/// ZR030: a Deal without a required field.
public enum DealMissingField: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR030",
        name: "deal-missing-field",
        severity: .error,
        summary: "`convert_lead.deal` lacks Deal_Name, Closing_Date, Stage or Pipeline.",
        rationale: "Zoho refuses to create the Deal without them, after the Contact and Account already exist.",
        triggering: [
            CheckExample(
                Examples.rule(
                    module: "Leads",
                    where: "Lead_Status: Qualified",
                    do: "convert_lead:\n          deal: { ↓Deal_Name: \"{{ Company }}\", Stage: Qualification }"
                )
            )
        ],
        nonTriggering: [
            CheckExample(
                Examples.rule(
                    module: "Leads",
                    where: "Lead_Status: Qualified",
                    do: "convert_lead:\n          deal: { Deal_Name: \"{{ Company }}\", Stage: Qualification, "
                        + "Pipeline: Standard (Standard), Closing_Date: \"{{ today + 30d }}\" }"
                )
            )
        ]
    )

    /// Reports each deal mapping missing a required field.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        context.ruleSet.rules.flatMap { rule in
            rule.actions.compactMap { action -> Diagnostic? in
                guard case .convertLead(let lead) = action, let deal = lead.deal else { return nil }
                let present = Set(deal.map(\.field.value))
                let missing = Zoho.dealRequiredFields.filter { !present.contains($0) }
                guard !missing.isEmpty else { return nil }
                let location = deal.first?.field.location ?? lead.location
                return diagnostic(
                    location,
                    "the deal is missing \(missing.joined(separator: ", ")); Zoho needs Deal_Name, Closing_Date, Stage "
                        + "and Pipeline"
                )
            }
        }
    }
}

/// ZR032: a related list that cannot be carried over.
public enum UnknownRelated: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR032",
        name: "unknown-related",
        severity: .error,
        summary: "`convert.related` names a module whose records conversion cannot carry "
            + "(Calls, Tasks, Events).",
        rationale: "Zoho answers AMBIGUITY_DURING_PROCESSING or INVALID_DATA for other modules.",
        triggering: [CheckExample(Examples.rule(do: "convert: { to: Invoices, related: [Calls, ↓Taks] }"))],
        nonTriggering: [CheckExample(Examples.rule(do: "convert: { to: Invoices, related: [Calls, Tasks] }"))]
    )

    /// Reports each unknown related module.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        context.ruleSet.rules.flatMap { rule in
            rule.actions.flatMap { action -> [Diagnostic] in
                guard case .convert(let convert) = action else { return [] }
                return convert.related.compactMap { module in
                    guard !Zoho.relatedModules.contains(module.value) else { return nil }
                    let hint =
                        Suggestion.closest(to: module.value, in: Zoho.relatedModules).map { "did you mean '\($0)'? " }
                        ?? ""
                    return diagnostic(
                        module.location,
                        "'\(module.value)' is not a module whose records conversion carries; \(hint)use "
                            + Zoho.relatedModules.joined(separator: ", ")
                    )
                }
            }
        }
    }
}

/// ZR033: limits must be positive.
public enum BadLimit: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR033",
        name: "bad-limit",
        severity: .error,
        summary: "`limits.max_records` is zero or negative.",
        rationale: "A limit of 0 would select nothing; leave `limits` out for no limit.",
        triggering: [
            CheckExample(
                "version: 1\nrules:\n  - name: a\n    when: { module: Quotes }\n    do: [{ tag: [x] }]\n    limits: { max_records: ↓0 }\n"
            )
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )

    /// Reports non-positive limits.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        context.ruleSet.rules.compactMap { rule in
            guard let limit = rule.limits.maxRecords, limit.value <= 0 else { return nil }
            return diagnostic(limit.location, "max_records must be a positive number, not \(limit.value)")
        }
    }
}

/// ZR034: two rules converting the same records to the same target.
public enum OverlappingRules: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR034",
        name: "overlapping-rules",
        severity: .warning,
        summary: "Two rules convert the same records of a module to the same target (same condition, or one "
            + "without `where`).",
        rationale: "Each record is converted once per target, so the second rule would only ever skip; usually one "
            + "rule is a leftover copy.",
        triggering: [
            CheckExample(
                """
                version: 1
                rules:
                  - name: a
                    when: { module: Quotes, where: { Quote_Stage: Accepted } }
                    do: [{ convert: { to: Invoices } }]
                  - name: b
                    when: { module: Quotes }
                    do: [{ convert: { to: ↓Invoices } }]
                """
            )
        ],
        nonTriggering: [
            CheckExample(
                """
                version: 1
                rules:
                  - name: a
                    when: { module: Quotes, where: { Quote_Stage: Accepted } }
                    do: [{ convert: { to: Invoices } }]
                  - name: b
                    when: { module: Quotes, where: { Quote_Stage: Delivered } }
                    do: [{ convert: { to: Invoices } }]
                """
            )
        ]
    )

    /// Compares each rule with the earlier ones of the same module and target (by condition shape, so linear).
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        // Per module→target: the first rule of each condition shape, and the first rule without a condition.
        var byShape: [String: [String: Rule]] = [:]
        var unconditioned: [String: Rule] = [:]
        var anyRule: [String: Rule] = [:]
        var findings: [Diagnostic] = []
        for rule in context.ruleSet.rules {
            let shape = ConditionShape.of(rule.condition)
            for (target, location) in targets(of: rule) {
                let key = "\(rule.module.value)→\(target)"
                let earlier = byShape[key]?[shape] ?? unconditioned[key] ?? (shape == "*" ? anyRule[key] : nil)
                if let earlier, earlier.location != rule.location {
                    findings.append(
                        diagnostic(
                            location,
                            "rules '\(earlier.name)' and '\(rule.name)' both convert \(rule.module.value) to "
                                + "\(target) for the same records; merge them or make their conditions exclusive",
                            notes: [.init(location: earlier.location, message: "'\(earlier.name)' is here")]
                        )
                    )
                }
                byShape[key, default: [:]][shape] = byShape[key]?[shape] ?? rule
                anyRule[key] = anyRule[key] ?? rule
                if shape == "*" { unconditioned[key] = unconditioned[key] ?? rule }
            }
        }
        return findings
    }

    private static func targets(of rule: Rule) -> [(String, FileLocation)] {
        rule.actions.compactMap { action in
            switch action {
            case .convert(let convert): (convert.to.value, convert.to.location)
            case .convertLead(let lead): ("Contacts", lead.location)
            default: nil
            }
        }
    }
}

/// Where a rule's name is written.
func nameLocation(_ rule: Rule) -> FileLocation {
    rule.nameLocation
}

/// ZR035: `carry_tags: false` where Zoho's single convert carries the tags anyway.
public enum TagsCarriedAnyway: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR035",
        name: "tags-carried-anyway",
        severity: .warning,
        summary: "`carry_tags: false` on Quotes → Invoices, which goes by Zoho's single convert: it always carries "
            + "the quote's tags to the invoice.",
        rationale: "Zoho's single inventory convert refuses `carry_over_tags: false` (400 NOT_ALLOWED), so zrules "
            + "never sends it and the invoice gets the quote's tags; `zrules plan` says so too.",
        triggering: [CheckExample(Examples.rule(do: "convert: { to: Invoices, carry_tags: ↓false }"))],
        nonTriggering: [
            CheckExample(Examples.rule(do: "convert: { to: Invoices, carry_tags: true }")),
            // Mass convert honours carry_over_tags: false.
            CheckExample(Examples.rule(do: "convert: { to: Sales_Orders, carry_tags: false }")),
        ]
    )

    /// Routes that go by the single convert: Zoho's Invoice has no lookup back to its Quote, so a mass-convert job
    /// could not be confirmed record by record.
    static let singleConvertRoutes: Set<String> = ["Quotes → Invoices"]

    /// Reports each written `carry_tags: false` on such a route.
    public static func check(_ context: CheckContext) -> [Diagnostic] {
        context.ruleSet.rules.flatMap { rule in
            rule.actions.compactMap { action -> Diagnostic? in
                guard case .convert(let convert) = action, !convert.carryTags,
                    let location = convert.carryTagsLocation,
                    singleConvertRoutes.contains("\(rule.module.value) → \(convert.to.value)")
                else { return nil }
                return diagnostic(
                    location,
                    "\(rule.module.value) → \(convert.to.value) goes by Zoho's single convert, which always carries "
                        + "the tags and refuses carry_over_tags: false; the \(convert.to.value) records will have the "
                        + "\(rule.module.value) records' tags"
                )
            }
        }
    }
}
