/// The one error type of RuleKit: what failed, where, and how to fix it.
///
/// Lint findings are `Diagnostic`s, not errors; this type is for what stops the linter from running at all
/// (no rule files, an unreadable path, a bad metadata file) and for template and date values that cannot be
/// parsed or rendered.
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
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong and how to fix it; never holds secrets or record values beyond field names.
    public var message: String
    /// The path or operation concerned, if any.
    public var path: String?
    /// 1-based column within the template or date text, when the failure has one.
    public var column: Int?

    /// An error of `code` with `message`.
    public init(_ code: Code, _ message: String, path: String? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.column = column
    }

    /// `path: message`, or just the message.
    public var description: String {
        path.map { "\($0): \(message)" } ?? message
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
