/// The emulator's one public error: a bad fixture, a bad fault spec, or a server that could not start.
///
/// Carries a stable code and, for fixture problems, the file and 1-based line:column of the offending node.
public struct EmulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifier: FIXTURE_YAML, FIXTURE_SCHEMA, FIXTURE_IO, FAULT_SPEC, SERVER.
    public let code: String
    /// What went wrong, without secrets.
    public let message: String
    /// The fixture file, when the problem is in one.
    public let file: String?
    /// 1-based line, when known.
    public let line: Int?
    /// 1-based column, when known.
    public let column: Int?

    /// An error with an optional position.
    public init(code: String, message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col: error: message [CODE]`, the way compilers print it.
    public var description: String {
        var prefix = ""
        if let file {
            prefix = file
            if let line {
                prefix += ":\(line)"
                if let column { prefix += ":\(column)" }
            }
            prefix += ": "
        }
        return "\(prefix)error: \(message) [\(code)]"
    }
}
