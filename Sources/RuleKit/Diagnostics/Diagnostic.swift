/// How serious a finding is.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable {
    /// The rule file cannot be used as written; lint exits 1.
    case error
    /// Probably wrong; lint exits 1 only with `--strict`.
    case warning
    /// Extra context attached to another finding.
    case note
}

/// One lint finding: where, how serious, a stable code, and a message that says how to fix it.
public struct Diagnostic: Sendable, Hashable {
    /// Context pointing at another place, e.g. the first rule of a duplicated name.
    public struct Note: Sendable, Hashable {
        /// Where the note points.
        public var location: FileLocation
        /// What is there.
        public var message: String

        /// A note at `location`.
        public init(location: FileLocation, message: String) {
            self.location = location
            self.message = message
        }
    }

    /// Where the problem is.
    public var location: FileLocation
    /// How serious it is.
    public var severity: Severity
    /// The check's stable code, e.g. `ZR010`; tests and `zrules explain` use it.
    public var code: String
    /// What is wrong and how to fix it.
    public var message: String
    /// Related places.
    public var notes: [Note]

    /// A finding of `code` at `location`.
    public init(location: FileLocation, severity: Severity, code: String, message: String, notes: [Note] = []) {
        self.location = location
        self.severity = severity
        self.code = code
        self.message = message
        self.notes = notes
    }
}
