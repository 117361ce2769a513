public import Foundation

/// Text with `{{ … }}` placeholders, parsed once and rendered per record.
///
/// A placeholder holds a field (`{{ Company }}`), a date (`{{ today }}`, `{{ today + 30d }}`, `{{ now }}`,
/// `{{ now - 2h }}`) or a quoted string, followed by filters: `upper`, `lower`, `trim`, `default("x")`,
/// `date("yyyy-MM-dd")`. There are no loops, conditionals or function calls: a template can only read fields.
public struct Template: Sendable, Hashable, CustomStringConvertible {
    /// The filters a placeholder may apply, in order.
    public enum Filter: Sendable, Hashable {
        /// Upper-case the text.
        case upper
        /// Lower-case the text.
        case lower
        /// Remove leading and trailing white space.
        case trim
        /// Use this text when the value is missing or empty.
        case `default`(String)
        /// Format a date or date-time value with a small pattern (`yyyy-MM-dd`, `dd.MM.yyyy HH:mm`).
        case date(String)

        /// The filter names the linter accepts.
        public static let names = ["upper", "lower", "trim", "default", "date"]
    }

    /// What a placeholder reads.
    public enum Expression: Sendable, Hashable {
        /// A field of the record, by API name.
        case field(String)
        /// `today`/`now`, optionally moved.
        case date(RelativeDate)
        /// A quoted literal.
        case literal(String)
    }

    /// A piece of a template.
    public enum Segment: Sendable, Hashable {
        /// Text copied as is.
        case text(String)
        /// `{{ expression | filter … }}`; `column` is where `{{` starts (1-based, in Unicode scalars).
        case placeholder(Expression, filters: [Filter], column: Int)
    }

    /// The template as written.
    public let source: String
    /// Its pieces, in order.
    public let segments: [Segment]

    /// True when the text holds at least one placeholder.
    public var hasPlaceholders: Bool {
        segments.contains {
            if case .placeholder = $0 { return true }
            return false
        }
    }

    /// The record fields the template reads, in first-use order, each once.
    public var fields: [String] {
        var seen: Set<String> = []
        return segments.compactMap { segment -> String? in
            guard case .placeholder(.field(let name), _, _) = segment, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// A field a placeholder reads, and the 1-based column of its `{{`.
    public struct FieldReference: Sendable, Hashable {
        /// The field's API name.
        public var name: String
        /// Column of the placeholder's `{{` within the template, in Unicode scalars.
        public var column: Int
    }

    /// Every field placeholder, in order, with its column (repeats included).
    public var fieldReferences: [FieldReference] {
        segments.compactMap { segment in
            guard case .placeholder(.field(let name), _, let column) = segment else { return nil }
            return FieldReference(name: name, column: column)
        }
    }

    /// The template text.
    public var description: String { source }

    /// Parses `source`; a syntax error carries the 1-based column where it was found.
    public init(parsing source: String) throws(RuleKitError) {
        self.source = source
        var parser = TemplateParser(source)
        self.segments = try parser.parse()
    }

    /// True when `text` looks like it is meant as a template (holds `{{` or `}}`).
    public static func looksLikeTemplate(_ text: String) -> Bool {
        text.contains("{{") || text.contains("}}")
    }

    /// Renders the template for one record.
    ///
    /// `field` returns a field's value as text (nil when missing). A missing or empty field without a `default`
    /// filter is an error, so a Deal is never named "— Smith".
    public func render(field: (String) -> String?, now: Date, timeZone: TimeZone) throws(RuleKitError) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .text(let text):
                output += text
            case .placeholder(let expression, let filters, let column):
                var value: String?
                switch expression {
                case .field(let name): value = field(name)
                case .literal(let text): value = text
                case .date(let relative): value = relative.resolve(now: now, timeZone: timeZone).formatted(in: timeZone)
                }
                for filter in filters {
                    value = try apply(filter, to: value, column: column, timeZone: timeZone)
                }
                guard let value, !value.isEmpty else {
                    let name: String
                    if case .field(let fieldName) = expression { name = "field \(fieldName)" } else { name = "value" }
                    throw RuleKitError(
                        .templateValue,
                        "the \(name) is empty; add | default(\"…\") to the placeholder",
                        column: column
                    )
                }
                output += value
            }
        }
        return output
    }

    private func apply(
        _ filter: Filter,
        to value: String?,
        column: Int,
        timeZone: TimeZone
    ) throws(RuleKitError) -> String? {
        switch filter {
        case .upper: return value?.uppercased()
        case .lower: return value?.lowercased()
        case .trim: return value?.trimmingCharacters(in: .whitespacesAndNewlines)
        case .default(let fallback): return (value?.isEmpty ?? true) ? fallback : value
        case .date(let pattern):
            guard let value, !value.isEmpty else { return value }
            guard let date = ResolvedDate(parsing: value) else {
                throw RuleKitError(
                    .templateValue,
                    "date(\"\(pattern)\") needs a date or date-time value",
                    column: column
                )
            }
            let format = try DatePattern(parsing: pattern)
            switch date {
            case .day(let day): return format.format(day.start(in: timeZone), in: timeZone)
            case .instant(let instant): return format.format(instant, in: timeZone)
            }
        }
    }
}

/// Hand-written scanner for templates: small enough to read, no regular expressions, positions kept.
private struct TemplateParser {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    mutating func parse() throws(RuleKitError) -> [Template.Segment] {
        var segments: [Template.Segment] = []
        var text = ""
        while index < scalars.count {
            if peek("{{") {
                if !text.isEmpty { segments.append(.text(text)) }
                text = ""
                segments.append(try placeholder())
            } else if peek("}}") {
                throw error("'}}' without an opening '{{'; write {{ Field }}")
            } else {
                text.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        if !text.isEmpty { segments.append(.text(text)) }
        return segments
    }

    private mutating func placeholder() throws(RuleKitError) -> Template.Segment {
        let start = index
        index += 2
        skipSpaces()
        let expression = try self.expression(openedAt: start)
        var filters: [Template.Filter] = []
        skipSpaces()
        while index < scalars.count, scalars[index] == "|" {
            index += 1
            skipSpaces()
            filters.append(try filter(openedAt: start))
            skipSpaces()
        }
        guard peek("}}") else {
            if index >= scalars.count || peek("{{") {
                throw error("'{{' is not closed; end the placeholder with '}}'", at: start)
            }
            throw error("unexpected '\(scalars[index])' in a placeholder; expected '|' or '}}'")
        }
        index += 2
        return .placeholder(expression, filters: filters, column: start + 1)
    }

    private mutating func expression(openedAt start: Int) throws(RuleKitError) -> Template.Expression {
        guard index < scalars.count, !peek("}}") else {
            if index >= scalars.count { throw error("'{{' is not closed; end the placeholder with '}}'", at: start) }
            throw error("empty placeholder; write a field name such as {{ Last_Name }}")
        }
        if scalars[index] == "\"" { return .literal(try quoted()) }
        let nameStart = index
        let name = identifier()
        guard !name.isEmpty else {
            throw error("expected a field name, today or now, not '\(scalars[index])'")
        }
        guard name == "today" || name == "now" else { return .field(name) }
        var text = name
        skipSpaces()
        if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
            while index < scalars.count, !peek("}}"), scalars[index] != "|" {
                text.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        do {
            return .date(try RelativeDate(parsing: text))
        } catch {
            throw RuleKitError(.templateSyntax, error.message, column: nameStart + 1)
        }
    }

    private mutating func filter(openedAt start: Int) throws(RuleKitError) -> Template.Filter {
        let filterStart = index
        let name = identifier()
        guard !name.isEmpty else {
            throw error(
                "expected a filter name after '|'; filters are \(Template.Filter.names.joined(separator: ", "))"
            )
        }
        skipSpaces()
        var argument: String?
        if index < scalars.count, scalars[index] == "(" {
            index += 1
            skipSpaces()
            argument = try quoted()
            skipSpaces()
            guard index < scalars.count, scalars[index] == ")" else { throw error("expected ')' after the argument") }
            index += 1
        }
        func needs(_ wanted: Bool) throws(RuleKitError) {
            if wanted, argument == nil {
                throw error("filter '\(name)' takes a quoted argument, e.g. \(name)(\"…\")", at: filterStart)
            }
            if !wanted, argument != nil { throw error("filter '\(name)' takes no argument", at: filterStart) }
        }
        switch name {
        case "upper":
            try needs(false)
            return .upper
        case "lower":
            try needs(false)
            return .lower
        case "trim":
            try needs(false)
            return .trim
        case "default":
            try needs(true)
            return .default(argument ?? "")
        case "date":
            try needs(true)
            let pattern = argument ?? ""
            do {
                _ = try DatePattern(parsing: pattern)
            } catch {
                throw RuleKitError(.templateSyntax, error.message, column: filterStart + 1)
            }
            return .date(pattern)
        default:
            let hint = Suggestion.closest(to: name, in: Template.Filter.names).map { "; did you mean '\($0)'?" } ?? "."
            throw error(
                "unknown filter '\(name)'\(hint) Filters are \(Template.Filter.names.joined(separator: ", ")).",
                at: filterStart
            )
        }
    }

    private mutating func quoted() throws(RuleKitError) -> String {
        let start = index
        index += 1
        var text = ""
        while index < scalars.count, scalars[index] != "\"" {
            if scalars[index] == "\\", index + 1 < scalars.count {
                index += 1
            }
            text.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard index < scalars.count else { throw error("the quoted text is not closed; add '\"'", at: start) }
        index += 1
        return text
    }

    private mutating func identifier() -> String {
        var name = ""
        while index < scalars.count {
            let scalar = scalars[index]
            let isName =
                (scalar.properties.isAlphabetic || scalar == "_" || scalar == "$"
                    || (!name.isEmpty && (scalar.properties.numericType != nil || scalar == ".")))
            guard isName else { break }
            name.unicodeScalars.append(scalar)
            index += 1
        }
        return name
    }

    private mutating func skipSpaces() {
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
    }

    private func peek(_ text: String) -> Bool {
        var position = index
        for scalar in text.unicodeScalars {
            guard position < scalars.count, scalars[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    private func error(_ message: String, at position: Int? = nil) -> RuleKitError {
        RuleKitError(.templateSyntax, message, column: (position ?? index) + 1)
    }
}
