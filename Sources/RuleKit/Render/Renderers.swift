/// Output formats of `zrules lint`.
public enum LintFormat: String, Sendable, CaseIterable {
    /// `file:line:col: severity: message [CODE]`, the source line and a caret.
    case text
    /// `{"diagnostics":[...],"summary":{...}}`.
    case json
    /// SARIF 2.1.0 for code-scanning uploads.
    case sarif
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`).
    case github
}

/// Renders lint results in each `LintFormat`.
public enum LintRenderer {
    /// The tool version written into SARIF.
    public static let toolVersion = "0.1.0"

    /// `result` rendered as `format`; text ends with a summary line.
    public static func render(_ result: LintResult, format: LintFormat) -> String {
        switch format {
        case .text: text(result)
        case .json: json(result).rendered() + "\n"
        case .sarif: sarif(result).rendered() + "\n"
        case .github: github(result)
        }
    }

    // MARK: - Text

    /// Compiler-style findings with the source line and a caret under the column.
    public static func text(_ result: LintResult) -> String {
        var output = ""
        for diagnostic in result.diagnostics {
            output +=
                "\(diagnostic.location): \(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code)]\n"
            output += excerpt(diagnostic.location, sources: result.sources)
            for note in diagnostic.notes {
                output += "\(note.location): note: \(note.message)\n"
                output += excerpt(note.location, sources: result.sources)
            }
        }
        output += summaryLine(result) + "\n"
        return output
    }

    /// "2 errors, 1 warning in 3 files (5 rules)" or "no problems in 3 files (5 rules)".
    public static func summaryLine(_ result: LintResult) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        let scope = "in \(plural(result.files.count, "file")) (\(plural(result.ruleSet.rules.count, "rule")))"
        if result.errorCount == 0, result.warningCount == 0 { return "no problems \(scope)" }
        return "\(plural(result.errorCount, "error")), \(plural(result.warningCount, "warning")) \(scope)"
    }

    private static func excerpt(_ location: FileLocation, sources: [String: String]) -> String {
        guard let source = sources[location.file] else { return "" }
        var lineNumber = 1
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { lineNumber += 1 }
            guard lineNumber == location.line else { continue }
            let scalars = Array(line.unicodeScalars.filter { $0 != "\r" })
            guard scalars.count <= 400 else { return "" }
            let prefix = scalars.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
            return "    " + String(String.UnicodeScalarView(scalars)) + "\n    " + prefix + "^\n"
        }
        return ""
    }

    // MARK: - JSON

    /// `{"diagnostics":[{"file","line","column","severity","code","message","notes"}],"summary":{...}}`.
    public static func json(_ result: LintResult) -> JSONText {
        .object([
            (
                "diagnostics",
                .array(
                    result.diagnostics.map { diagnostic in
                        .object(
                            location(diagnostic.location) + [
                                ("severity", .string(diagnostic.severity.rawValue)),
                                ("code", .string(diagnostic.code)),
                                ("message", .string(diagnostic.message)),
                                (
                                    "notes",
                                    .array(
                                        diagnostic.notes.map {
                                            .object(location($0.location) + [("message", .string($0.message))])
                                        }
                                    )
                                ),
                            ]
                        )
                    }
                )
            ),
            (
                "summary",
                .object([
                    ("files", .int(result.files.count)),
                    ("rules", .int(result.ruleSet.rules.count)),
                    ("errors", .int(result.errorCount)),
                    ("warnings", .int(result.warningCount)),
                ])
            ),
        ])
    }

    private static func location(_ location: FileLocation) -> [(String, JSONText)] {
        [("file", .string(location.file)), ("line", .int(location.line)), ("column", .int(location.column))]
    }

    // MARK: - SARIF

    /// A SARIF 2.1.0 log with one run, every check as a reporting descriptor, and one result per finding.
    public static func sarif(_ result: LintResult) -> JSONText {
        let checks = CheckRegistry.all.map { $0.description }
        let index = Dictionary(uniqueKeysWithValues: checks.enumerated().map { ($1.code, $0) })
        func physical(_ location: FileLocation) -> JSONText {
            .object([
                (
                    "physicalLocation",
                    .object([
                        ("artifactLocation", .object([("uri", .string(uri(location.file)))])),
                        (
                            "region",
                            .object([("startLine", .int(location.line)), ("startColumn", .int(location.column))])
                        ),
                    ])
                )
            ])
        }
        let rules: [JSONText] = checks.map { check in
            .object([
                ("id", .string(check.code)),
                ("name", .string(check.name)),
                ("shortDescription", .object([("text", .string(check.summary))])),
                ("fullDescription", .object([("text", .string(check.rationale))])),
                (
                    "help",
                    .object([("text", .string("Run `zrules explain \(check.code)` for examples; see docs/LINT.md."))])
                ),
                ("defaultConfiguration", .object([("level", .string(level(check.severity)))])),
            ])
        }
        let results: [JSONText] = result.diagnostics.map { diagnostic in
            var pairs: [(String, JSONText)] = [("ruleId", .string(diagnostic.code))]
            if let position = index[diagnostic.code] { pairs.append(("ruleIndex", .int(position))) }
            pairs += [
                ("level", .string(level(diagnostic.severity))),
                ("message", .object([("text", .string(diagnostic.message))])),
                ("locations", .array([physical(diagnostic.location)])),
            ]
            if !diagnostic.notes.isEmpty {
                pairs.append(
                    (
                        "relatedLocations",
                        .array(
                            diagnostic.notes.enumerated().map { offset, note in
                                guard case .object(let inner) = physical(note.location) else { return .null }
                                return .object(
                                    [("id", .int(offset))] + inner + [
                                        ("message", .object([("text", .string(note.message))]))
                                    ]
                                )
                            }
                        )
                    )
                )
            }
            return .object(pairs)
        }
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        (
                            "tool",
                            .object([
                                (
                                    "driver",
                                    .object([
                                        ("name", .string("zrules")),
                                        ("version", .string(toolVersion)),
                                        ("rules", .array(rules)),
                                    ])
                                )
                            ])
                        ),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ])
    }

    private static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// A relative path as a URI reference (spaces and other reserved characters percent-encoded).
    private static func uri(_ path: String) -> String {
        var output = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if scalar.properties.isAlphabetic && byte < 128 || ("0"..."9").contains(scalar)
                || "-._~/".utf8.contains(byte)
            {
                output.unicodeScalars.append(scalar)
            } else {
                output += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return output
    }

    // MARK: - GitHub

    /// One workflow command per finding; notes become `::notice` lines.
    public static func github(_ result: LintResult) -> String {
        var output = ""
        for diagnostic in result.diagnostics {
            let command =
                diagnostic.severity == .error ? "error" : (diagnostic.severity == .warning ? "warning" : "notice")
            output += annotation(command, diagnostic.location, title: diagnostic.code, message: diagnostic.message)
            for note in diagnostic.notes {
                output += annotation("notice", note.location, title: diagnostic.code, message: note.message)
            }
        }
        return output
    }

    private static func annotation(
        _ command: String,
        _ location: FileLocation,
        title: String,
        message: String
    ) -> String {
        "::\(command) file=\(property(location.file)),line=\(location.line),col=\(location.column),"
            + "title=\(property(title))::\(data(message))\n"
    }

    private static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
