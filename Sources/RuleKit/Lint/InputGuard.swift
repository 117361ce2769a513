import Foundation

/// Checks a file's bytes before YAML parsing, so huge, binary, deeply nested or alias-laden input is refused in
/// bounded time and memory instead of reaching the parser.
/// A file's text, or the finding that refuses it.
enum DecodedInput {
    case text(String)
    case refused(Diagnostic)
}

enum InputGuard {
    /// Rule files are small; anything bigger is not a rule file (and would only cost time and memory).
    static let maximumFileSize = 1024 * 1024
    /// Far deeper than any rule file needs, far shallower than any stack limit.
    static let maximumDepth = 48

    /// The UTF-8 text of `data`, or the finding that stops the file.
    static func text(of data: Data, file: String, maximumSize: Int = maximumFileSize) -> DecodedInput {
        let start = FileLocation(file: file, line: 1, column: 1)
        guard data.count <= maximumSize else {
            return .refused(
                FileTooLarge.diagnostic(
                    start,
                    "the file is \(data.count / 1024) KiB; rule files are limited to \(maximumSize / 1024) KiB, "
                        + "split it into several files"
                )
            )
        }
        // Fast path: valid UTF-8 without NUL bytes, the case of every real rule file.
        if !data.contains(0), var text = String(validating: data, as: UTF8.self) {
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return .text(text)
        }
        // Slow path: find the first offending byte's line and column.
        var line = 1
        var column = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var text = String.UnicodeScalarView()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value == 0 {
                    return .refused(
                        NotText.diagnostic(
                            FileLocation(file: file, line: line, column: column),
                            "the file holds a NUL byte: it is binary, not a YAML rule file"
                        )
                    )
                }
                text.append(scalar)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                break decoding
            case .error:
                return .refused(
                    NotText.diagnostic(
                        FileLocation(file: file, line: line, column: column),
                        "the file is not valid UTF-8; save it as UTF-8 text"
                    )
                )
            }
        }
        var result = String(text)
        if result.hasPrefix("\u{FEFF}") { result.removeFirst() }
        return .text(result)
    }

    /// Findings for anchors, aliases and excessive nesting, found by a linear scan that tracks quotes, comments,
    /// block scalars, flow brackets and indentation (a close, conservative model of YAML's structure).
    static func scan(_ text: String, file: String) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        var indents: [Int] = []
        var flowDepth = 0
        var quote: Unicode.Scalar?
        var blockScalarIndent: Int?
        var lineNumber = 0
        var reportedDepth = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let scalars = Array(line.unicodeScalars)
            let indent = scalars.prefix { $0 == " " }.count
            let content = scalars.dropFirst(indent)
            if quote == nil, flowDepth == 0 {
                if content.isEmpty || content.first == "#" || content.allSatisfy({ $0 == " " || $0 == "\r" }) {
                    continue
                }
                if let block = blockScalarIndent {
                    if indent > block { continue }
                    blockScalarIndent = nil
                }
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
            }
            var atValueStart = true
            var dashes = 0
            var index = indent
            while index < scalars.count {
                let scalar = scalars[index]
                let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
                if let open = quote {
                    if scalar == open {
                        if open == "'", next == "'" {
                            index += 2
                            continue
                        }
                        quote = nil
                    } else if open == "\"", scalar == "\\" {
                        index += 1
                    }
                    index += 1
                    continue
                }
                switch scalar {
                case " ", "\t", "\r":
                    break
                case "#" where index == 0 || scalars[index - 1] == " " || scalars[index - 1] == "\t":
                    index = scalars.count
                    continue
                // A quote, anchor, alias or block-scalar indicator means something only where a value starts;
                // inside a plain scalar (`6" pipe`, `R&D`, `a|b`) it is a literal character. Each pattern
                // carries its own `where`: a shared one would apply to the last pattern only.
                case "\"" where atValueStart, "'" where atValueStart:
                    quote = scalar
                    atValueStart = false
                case "[", "{":
                    flowDepth += 1
                    atValueStart = true
                    if indents.count + dashes + flowDepth > maximumDepth, !reportedDepth {
                        reportedDepth = true
                        findings.append(
                            NestingTooDeep.diagnostic(
                                FileLocation(file: file, line: lineNumber, column: index + 1),
                                "the YAML is nested more than \(maximumDepth) levels deep; a rule file needs far fewer"
                            )
                        )
                    }
                case "]", "}":
                    flowDepth = max(0, flowDepth - 1)
                    atValueStart = false
                case ",":
                    atValueStart = flowDepth > 0
                case "-" where atValueStart && (next == nil || next == " "):
                    dashes += 1
                case ":" where next == nil || next == " " || (flowDepth > 0 && (next == "," || next == "}")):
                    atValueStart = true
                case "&" where atValueStart, "*" where atValueStart:
                    let kinds = scalar == "&" ? "anchors" : "aliases"
                    findings.append(
                        YAMLAlias.diagnostic(
                            FileLocation(file: file, line: lineNumber, column: index + 1),
                            "YAML \(kinds) are not allowed in rule files (they can expand without bound); "
                                + "write the value out, or quote it if '\(scalar)' is meant literally"
                        )
                    )
                    atValueStart = false
                case "|" where atValueStart && flowDepth == 0, ">" where atValueStart && flowDepth == 0:
                    blockScalarIndent = indent
                    index = scalars.count
                    continue
                default:
                    atValueStart = false
                }
                index += 1
            }
            let depth = indents.count + dashes + flowDepth
            if depth > maximumDepth, !reportedDepth {
                reportedDepth = true
                findings.append(
                    NestingTooDeep.diagnostic(
                        FileLocation(file: file, line: lineNumber, column: indent + 1),
                        "the YAML is nested more than \(maximumDepth) levels deep; a rule file needs far fewer"
                    )
                )
            }
            if findings.count >= 20 { break }
        }
        return findings
    }
}
