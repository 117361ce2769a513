// Checks of the file itself, reported before or while the YAML is read.

/// ZR001: the YAML does not parse.
public enum YAMLSyntax: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR001",
        name: "yaml-syntax",
        severity: .error,
        summary: "The file is not valid YAML.",
        rationale: "Reported at the position libyaml gives. Common causes: a tab used for indentation, a missing "
            + "space after ':', an unclosed quote or bracket.",
        triggering: [
            CheckExample("version: 1\nrules:\n  - name: a\n    when: { module: Quotes\n↓"),
            CheckExample("version: 1\nrules:\n  - name: \"unclosed\n↓"),
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}

/// ZR002: the file is larger than a rule file can be.
public enum FileTooLarge: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR002",
        name: "file-too-large",
        severity: .error,
        summary: "The file is larger than 1 MiB.",
        rationale: "Rule files are small; a huge file is a mistake (a log or export saved as .yaml) and is refused "
            + "before parsing so lint stays fast and bounded. Split big rule sets into several files.",
        triggering: [],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}

/// ZR003: the file is binary or not UTF-8.
public enum NotText: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR003",
        name: "not-text",
        severity: .error,
        summary: "The file is binary or not UTF-8 text.",
        rationale: "Rule files are UTF-8 YAML. The position is the first byte that is not text.",
        triggering: [CheckExample("version: 1\n↓\u{0}rules: []\n")],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}

/// ZR004: anchors and aliases.
public enum YAMLAlias: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR004",
        name: "yaml-alias",
        severity: .error,
        summary: "YAML anchors (&) and aliases (*) are not allowed.",
        rationale: "A rule file has no need for them, and aliases can expand exponentially (the 'billion laughs' "
            + "attack). Write values out; quote a value that starts with '*' or '&'.",
        triggering: [
            CheckExample(
                """
                version: 1
                rules:
                  - name: a
                    when: ↓&when { module: Quotes }
                    do: [{ tag: [x] }]
                """
            )
        ],
        nonTriggering: [
            CheckExample(
                """
                version: 1
                rules:
                  - name: a
                    description: "*starred* & quoted"
                    when: { module: Quotes }
                    do: [{ tag: [x] }]
                """
            )
        ]
    )
}

/// ZR005: nesting too deep.
public enum NestingTooDeep: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR005",
        name: "nesting-too-deep",
        severity: .error,
        summary: "The YAML is nested more than 48 levels deep.",
        rationale: "No rule file needs that depth; refusing it keeps parsing bounded in time and stack.",
        triggering: [
            CheckExample(
                "version: 1\nrules: " + String(repeating: "[", count: 47) + "↓[" + String(repeating: "]", count: 48)
                    + "\n"
            )
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}

/// ZR006: empty file.
public enum EmptyFile: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR006",
        name: "empty-file",
        severity: .error,
        summary: "The file holds no YAML at all.",
        rationale: "An empty rule file is almost always a mistake (a failed save or a stray file).",
        triggering: [CheckExample("↓# only a comment\n")],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}

/// ZR007: a key given twice in one mapping.
public enum DuplicateKey: LintCheck {
    /// See the summary.
    public static let description = CheckDescription(
        code: "ZR007",
        name: "duplicate-key",
        severity: .error,
        summary: "A key appears twice in the same mapping.",
        rationale: "YAML forbids it and the second value would silently win in other tools. A note points at the "
            + "first occurrence. The rest of the file is checked once the duplicate is removed.",
        triggering: [
            CheckExample(
                """
                version: 1
                rules:
                  - name: a
                    when: { module: Quotes }
                    do: [{ tag: [x] }]
                    ↓do: [{ tag: [y] }]
                """
            )
        ],
        nonTriggering: [CheckExample(Examples.valid)]
    )
}
