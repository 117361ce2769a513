/// The one error type of RuleKit: what failed, where, and how to fix it.
///
/// Lint findings are `Diagnostic`s, not errors; this type is for what stops the linter from running at all
/// (no rule files, an unreadable path, a bad metadata file), for template, date and cron text that cannot be
/// parsed or rendered, and for a `zrules.yaml` with problems. Each keeps its position: `column` for one-line text
/// (templates, dates, cron), `problems` (line and column each) for a file; `underlying` keeps the cause.
public struct RuleKitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// No `*.yaml` / `*.yml` file was found under the given paths.
        case noRuleFiles = "no-rule-files"
        /// A path does not exist or cannot be read.
        case unreadablePath = "unreadable-path"
        /// The `--metadata` file is missing, unreadable or not a metadata snapshot.
        case badMetadata = "bad-metadata"
        /// A relative or absolute date that cannot be parsed.
        case badDate = "bad-date"
        /// A template that cannot be parsed.
        case templateSyntax = "template-syntax"
        /// A template that cannot be rendered for a record (a field without a value, a value that is not a date).
        case templateValue = "template-value"
        /// A cron expression that cannot be parsed; `column` points at the offending part.
        case cronSyntax = "cron-syntax"
        /// `zrules.yaml` cannot be read or has problems; `path` is the file, `problems` says where.
        case projectFile = "project-file"
    }

    /// One problem at one place in a file.
    public struct Problem: Sendable, Hashable {
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int
        /// What is wrong and how to fix it.
        public var message: String
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong and how to fix it; never holds secrets or record values beyond field names.
    public var message: String
    /// The path or operation concerned, if any.
    public var path: String?
    /// 1-based column within the template, date or cron text, when the failure has one.
    public var column: Int?
    /// Every problem found in the file at `path`, in file order (`projectFile` only).
    public var problems: [Problem]
    /// The error underneath (a file-system or YAML error), kept for logs and tests; not part of equality.
    public var underlying: (any Error)?

    /// An error of `code` with `message`.
    public init(
        _ code: Code,
        _ message: String,
        path: String? = nil,
        column: Int? = nil,
        problems: [Problem] = [],
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.column = column
        self.problems = problems
        self.underlying = underlying
    }

    /// A cron expression's error at its 1-based `column`.
    public static func cron(message: String, column: Int) -> RuleKitError {
        RuleKitError(.cronSyntax, message, column: column)
    }

    /// `file`'s problems, the first one's message as the error's message.
    public static func projectFile(file: String, problems: [Problem], underlying: (any Error)? = nil) -> RuleKitError {
        RuleKitError(
            .projectFile,
            problems.first?.message ?? "",
            path: file,
            problems: problems,
            underlying: underlying
        )
    }

    /// `file:line:col: error: message` per problem; `column N: message` for cron; else `path: message`.
    public var description: String {
        if !problems.isEmpty, let path {
            return problems.map { "\(path):\($0.line):\($0.column): error: \($0.message)" }.joined(separator: "\n")
        }
        if code == .cronSyntax, let column { return "column \(column): \(message)" }
        return path.map { "\($0): \(message)" } ?? message
    }

    /// Equal when everything but the cause is equal.
    public static func == (lhs: RuleKitError, rhs: RuleKitError) -> Bool {
        (lhs.code, lhs.message, lhs.path, lhs.column, lhs.problems)
            == (rhs.code, rhs.message, rhs.path, rhs.column, rhs.problems)
    }

    /// Hashes everything but the cause.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(path)
        hasher.combine(column)
        hasher.combine(problems)
    }
}

extension RuleKitError {
    /// A decoding failure as a sentence with the JSON path, never `DecodingError.dataCorrupted(…)`.
    public static func sentence(for error: any Error) -> String {
        guard let error = error as? DecodingError else { return "it cannot be read" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty: return "the file is not valid JSON"
        case .dataCorrupted(let context): return "the value at \(path(context)) cannot be read"
        case .keyNotFound(let key, let context): return "'\(key.stringValue)' is missing at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "the value at \(path(context)) has the wrong type"
        @unknown default: return "it cannot be read"
        }
    }
}
