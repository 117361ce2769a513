/// A JSON value with ordered object keys, written by hand so output is stable (golden files, diffs in CI).
public indirect enum JSONText: Sendable, Hashable {
    /// A string.
    case string(String)
    /// An integer.
    case int(Int)
    /// A boolean.
    case bool(Bool)
    /// null.
    case null
    /// An array.
    case array([JSONText])
    /// An object, keys in the given order.
    case object([(String, JSONText)])

    /// Compares structurally.
    public static func == (lhs: JSONText, rhs: JSONText) -> Bool { lhs.rendered() == rhs.rendered() }

    /// Hashes the rendered text.
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    /// The JSON text; `indent` spaces per level, or compact with 0.
    public func rendered(indent: Int = 2) -> String {
        var output = ""
        write(into: &output, indent: indent, level: 0)
        return output
    }

    private func write(into output: inout String, indent: Int, level: Int) {
        let newline = indent > 0 ? "\n" : ""
        let pad = String(repeating: " ", count: indent * (level + 1))
        let closePad = String(repeating: " ", count: indent * level)
        switch self {
        case .string(let text): output += JSONText.quote(text)
        case .int(let number): output += String(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .array(let items):
            guard !items.isEmpty else {
                output += "[]"
                return
            }
            output += "[" + newline
            for (index, item) in items.enumerated() {
                output += pad
                item.write(into: &output, indent: indent, level: level + 1)
                output += (index < items.count - 1 ? "," : "") + newline
            }
            output += closePad + "]"
        case .object(let pairs):
            guard !pairs.isEmpty else {
                output += "{}"
                return
            }
            output += "{" + newline
            for (index, (key, value)) in pairs.enumerated() {
                output += pad + JSONText.quote(key) + (indent > 0 ? ": " : ":")
                value.write(into: &output, indent: indent, level: level + 1)
                output += (index < pairs.count - 1 ? "," : "") + newline
            }
            output += closePad + "}"
        }
    }

    /// A JSON string literal for `text`: the one JSON string escaper of lint output and the audit log.
    ///
    /// Escapes quotes, backslashes, every C0 control and DEL, and U+2028/U+2029 (which JavaScript treats as line
    /// breaks), so a rendered value always stays on one line.
    public static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
