// Checks of the rule file's shape, reported by the parser.

/// ZR010: a key the rule language does not have.
public enum UnknownKey: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR010",
        name: "unknown-key",
        severity: .error,
        summary: "A key that is not part of the rule language, with a did-you-mean suggestion.",
        rationale: "A misspelt key would otherwise be ignored and the rule would do something else than intended.",
        triggering: [
            CheckExample(
                """
                version: 1
                rules:
                  - name: a
                    ↓shedule: "0 7 * * *"
                    when: { module: Quotes }
                    do: [{ tag: [x] }]
                """
            ),
            CheckExample(Examples.rule(do: "convert: { to: Invoices, ↓carry_tag: true }")),
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}

/// ZR011: a value of the wrong type.
public enum WrongType: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR011",
        name: "wrong-type",
        severity: .error,
        summary: "A value of the wrong type (text where a list is needed, a list where one value is, ...).",
        rationale: "The message says what the key takes.",
        triggering: [
            CheckExample(Examples.rule(do: "convert: { to: Invoices, carry_tags: ↓yes please }")),
            CheckExample(Examples.rule(where: "Quote_Stage: ↓[Accepted, Draft]", do: "tag: [x]")),
            CheckExample("version: 1\nrules: ↓just text\n"),
            CheckExample(Examples.rule(where: "↓gt: 0", do: "tag: [x]")),
        ],
        nonTriggering: [CheckExample(Examples.rule(where: "Quote_Stage: { in: [Accepted, Draft] }", do: "tag: [x]"))]
    )
}

/// ZR012: a required key is missing or a required list is empty.
public enum MissingKey: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR012",
        name: "missing-key",
        severity: .error,
        summary: "A required key is missing (version, rules, name, when, module, do, convert.to) or a list is empty.",
        rationale: "Reported at the start of the mapping that lacks the key.",
        triggering: [
            CheckExample(
                """
                version: 1
                rules:
                  - ↓name: a
                    when: { module: Quotes }
                """
            ),
            CheckExample(Examples.rule(do: "convert: { ↓carry_tags: true }")),
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}

/// ZR013: unsupported `version`.
public enum UnsupportedVersion: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR013",
        name: "unsupported-version",
        severity: .error,
        summary: "The file's `version` is not one this zrules reads (1).",
        rationale: "A newer rule format may mean things this version would silently get wrong.",
        triggering: [
            CheckExample("version: ↓2\nrules:\n  - name: a\n    when: { module: Quotes }\n    do: [{ tag: [x] }]\n")
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}

/// ZR014: no rules.
public enum EmptyRules: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR014",
        name: "empty-rules",
        severity: .error,
        summary: "The `rules` list is empty.",
        rationale: "A rule file without rules does nothing; remove the file or add a rule.",
        triggering: [CheckExample("version: 1\nrules: ↓[]\n")],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}

/// ZR015: a value not among the allowed choices.
public enum InvalidChoice: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR015",
        name: "invalid-choice",
        severity: .error,
        summary: "A value outside its fixed set (duplicates, move_attachments_to, carry_tags of convert_lead).",
        rationale: "duplicates is merge, skip, create or fail; lead attachments and tags go to Contacts, Accounts "
            + "or Deals.",
        triggering: [
            CheckExample(
                Examples.rule(
                    module: "Leads",
                    where: "Lead_Status: Qualified",
                    do: "convert_lead: { duplicates: ↓merj }"
                )
            )
        ],
        nonTriggering: [
            CheckExample(
                Examples.rule(
                    module: "Leads",
                    where: "Lead_Status: Qualified",
                    do: "convert_lead: { duplicates: merge }"
                )
            )
        ]
    )
}

/// ZR024: an operator the rule language does not have.
public enum UnknownOperator: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR024",
        name: "unknown-operator",
        severity: .error,
        summary: "An unknown comparison operator, with a did-you-mean suggestion.",
        rationale: "Operators: eq ne in not_in gt gte lt lte between starts_with contains is_null.",
        triggering: [CheckExample(Examples.rule(where: "Grand_Total: { ↓greater: 0 }", do: "tag: [x]"))],
        nonTriggering: [CheckExample(Examples.rule(where: "Grand_Total: { gt: 0 }", do: "tag: [x]"))]
    )
}

/// ZR016: a number COQL cannot write as a plain decimal.
public enum NumberOutOfRange: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR016",
        name: "number-out-of-range",
        severity: .error,
        summary: "A number too large, too small or too precise for Zoho's number fields and COQL.",
        rationale: "COQL takes plain decimals. YAML reads 1e309 as infinity and 99999999999999999999999 as "
            + "1e+23; neither can be sent, and Zoho's number fields hold at most 15 significant digits.",
        triggering: [
            CheckExample(Examples.rule(where: "Grand_Total: { gt: ↓1e309 }", do: "tag: [x]")),
            CheckExample(Examples.rule(where: "Grand_Total: { gt: ↓99999999999999999999999 }", do: "tag: [x]")),
        ],
        nonTriggering: [
            CheckExample(Examples.rule(where: "Grand_Total: { gt: 999999999999999 }", do: "tag: [x]")),
            CheckExample(Examples.rule(where: "Grand_Total: { between: [0.5, 1e6] }", do: "tag: [x]")),
        ]
    )

    /// Why `number` cannot be sent, or nil when it can.
    static func problem(_ number: Double) -> String? {
        if !number.isFinite { return "is too large to be a number" }
        if number != 0, abs(number) >= 1e15 {
            return "has more digits than Zoho's number fields hold (at most 15 before the decimal point)"
        }
        if number != 0, abs(number) < 1e-9 { return "is too small to write as a decimal for Zoho" }
        return nil
    }
}

/// ZR028: a date that does not parse.
public enum BadDate: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR028",
        name: "bad-date",
        severity: .error,
        summary: "A relative date (`today-7d`, `now-2h`) or calendar date that does not parse.",
        rationale: "today moves by d or w, now also by h or m; absolute dates are yyyy-MM-dd or ISO-8601 "
            + "date-times with an offset.",
        triggering: [
            CheckExample(Examples.rule(where: "Valid_Till: { gte: ↓today-7x }", do: "tag: [x]")),
            CheckExample(Examples.rule(where: "Valid_Till: { lt: ↓2026-02-30 }", do: "tag: [x]")),
        ],
        nonTriggering: [CheckExample(Examples.rule(where: "Valid_Till: { gte: today-7d }", do: "tag: [x]"))]
    )
}

/// ZR029: a template that does not parse.
public enum TemplateProblem: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR029",
        name: "template-error",
        severity: .error,
        summary: "A `{{ … }}` template that does not parse: unclosed braces, unknown filter, bad date pattern.",
        rationale: "Templates hold a field, today/now (± offset) or a quoted string, then filters upper, lower, "
            + "trim, default(\"x\"), date(\"yyyy-MM-dd\").",
        triggering: [
            CheckExample(Examples.rule(do: "update: { Subject: \"Quote ↓{{ Subject \" }")),
            CheckExample(Examples.rule(do: "update: { Subject: \"{{ Subject | ↓shout }}\" }")),
        ],
        nonTriggering: [CheckExample(Examples.rule(do: "update: { Subject: \"{{ Subject | upper }} (done)\" }"))]
    )
}

/// ZR031: an owner that is neither an email nor a user id.
public enum BadOwner: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR031",
        name: "bad-owner",
        severity: .error,
        summary: "`owner` is neither an email address nor a 19-digit Zoho user id.",
        rationale: "zrules resolves the owner through the Users API; a name cannot be resolved reliably.",
        triggering: [CheckExample(Examples.rule(do: "convert: { to: Invoices, owner: ↓Billing Team }"))],
        nonTriggering: [
            CheckExample(Examples.rule(do: "convert: { to: Invoices, owner: billing@zylker.com }")),
            CheckExample(Examples.rule(do: "convert: { to: Invoices, owner: \"4150868000000225013\" }")),
        ]
    )
}
