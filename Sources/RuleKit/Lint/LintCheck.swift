/// An example rule file for a check; `↓` marks where the check reports (removed before linting).
public struct CheckExample: Sendable, Hashable {
    /// The YAML text, with an optional `↓` before the reported position.
    public var yaml: String
    /// Lint with the bundled example metadata snapshot (for checks that need `--metadata`).
    public var usesMetadata: Bool

    /// An example from `yaml`.
    public init(_ yaml: String, usesMetadata: Bool = false) {
        self.yaml = yaml
        self.usesMetadata = usesMetadata
    }
}

/// What a check is: its stable code, name, severity, a summary, and examples that are also its tests.
public struct CheckDescription: Sendable, Hashable {
    /// Stable code, e.g. `ZR010`.
    public var code: String
    /// Readable id, e.g. `unknown-key`.
    public var name: String
    /// Severity of its findings.
    public var severity: Severity
    /// One line: what it finds.
    public var summary: String
    /// Why it matters and how to fix it.
    public var rationale: String
    /// Files on which it reports (at `↓` when marked).
    public var triggering: [CheckExample]
    /// Files on which it stays silent.
    public var nonTriggering: [CheckExample]
}

/// A lint check. Checks of the file's shape report while the parser walks the YAML (`check` is empty for them);
/// checks of meaning run over the parsed `RuleSet` in `check`.
public protocol LintCheck: Sendable {
    /// The check's code, summary and examples.
    static var description: CheckDescription { get }
    /// Findings over every parsed rule; the default finds nothing (the parser reports for this check).
    static func check(_ context: CheckContext) -> [Diagnostic]
}

extension LintCheck {
    /// Nothing beyond what the parser reports.
    public static func check(_ context: CheckContext) -> [Diagnostic] { [] }

    /// A finding of this check at `location`.
    static func diagnostic(
        _ location: FileLocation,
        _ message: String,
        notes: [Diagnostic.Note] = []
    ) -> Diagnostic {
        Diagnostic(
            location: location,
            severity: description.severity,
            code: description.code,
            message: message,
            notes: notes
        )
    }
}

/// What meaning checks see: every parsed rule and, with `--metadata`, the org's snapshot.
public struct CheckContext: Sendable {
    /// Every rule that parsed.
    public var ruleSet: RuleSet
    /// The org's modules, fields and users, when given.
    public var metadata: MetadataSnapshot?

    /// A context over `ruleSet`.
    public init(ruleSet: RuleSet, metadata: MetadataSnapshot?) {
        self.ruleSet = ruleSet
        self.metadata = metadata
    }
}
