/// Parses the text of a cron expression into the sets of values each field allows.
struct CronParser {
    /// The parsed fields, in order: minute, hour, day-of-month, month, day-of-week (Sunday is 0).
    struct Fields: Hashable, Sendable {
        var minutes = CronSet()
        var hours = CronSet()
        var daysOfMonth = CronSet()
        var months = CronSet()
        var daysOfWeek = CronSet()
        /// False when the day-of-month field starts with `*`; decides the day-of-month/day-of-week OR rule.
        var dayOfMonthRestricted = false
        /// False when the day-of-week field starts with `*`.
        var dayOfWeekRestricted = false
    }

    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    static let fieldList = "minute hour day-of-month month day-of-week"

    static func parse(_ text: String) throws(RuleKitError) -> Fields {
        let characters = Array(text)
        let words = split(characters)
        guard let first = words.first else {
            throw RuleKitError.cron(
                message: "cron expression is empty; write 5 fields (\(fieldList)), e.g. \"0 7 * * 1-5\"",
                column: 1
            )
        }
        if first.text.first == "@" {
            guard let expansion = macros[first.text.lowercased()] else {
                throw RuleKitError.cron(
                    message: "unknown macro '\(first.text)'; use @hourly, @daily, @weekly, @monthly or @yearly",
                    column: first.column
                )
            }
            if words.count > 1 {
                throw RuleKitError.cron(
                    message: "a macro stands alone; remove '\(words[1].text)' after \(first.text)",
                    column: words[1].column
                )
            }
            // The expansions are valid by construction; a failure here would be a bug in the table above.
            return try parseFields(split(Array(expansion)))
        }
        if words.count > 5 {
            throw RuleKitError.cron(
                message: "cron expression has \(words.count) fields; expected 5 (\(fieldList)); "
                    + "seconds and years are not supported",
                column: words[5].column
            )
        }
        if words.count < 5 {
            let missing = CronField.allCases[words.count].title
            throw RuleKitError.cron(
                message: "cron expression has \(words.count) field\(words.count == 1 ? "" : "s"); expected 5 "
                    + "(\(fieldList)); the \(missing) field is missing",
                column: characters.count + 1
            )
        }
        return try parseFields(words)
    }

    struct Word {
        var text: String
        var column: Int
    }

    /// Splits on blanks, keeping each word's 1-based column.
    static func split(_ characters: [Character]) -> [Word] {
        var words: [Word] = []
        var current = ""
        var start = 0
        for (index, character) in characters.enumerated() {
            if character.isWhitespace {
                if !current.isEmpty { words.append(Word(text: current, column: start + 1)) }
                current = ""
            } else {
                if current.isEmpty { start = index }
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(Word(text: current, column: start + 1)) }
        return words
    }

    static func parseFields(_ words: [Word]) throws(RuleKitError) -> Fields {
        var fields = Fields()
        fields.minutes = try parseField(words[0], .minute)
        fields.hours = try parseField(words[1], .hour)
        fields.daysOfMonth = try parseField(words[2], .dayOfMonth)
        fields.months = try parseField(words[3], .month)
        var weekdays = try parseField(words[4], .dayOfWeek)
        if weekdays.contains(7) {
            weekdays.bits &= ~(1 << 7)
            weekdays.insert(0)
        }
        fields.daysOfWeek = weekdays
        fields.dayOfMonthRestricted = !words[2].text.hasPrefix("*")
        fields.dayOfWeekRestricted = !words[4].text.hasPrefix("*")
        return fields
    }

    /// One field: a comma-separated list of `*`, `n`, `a-b`, each optionally followed by `/step`.
    static func parseField(_ word: Word, _ field: CronField) throws(RuleKitError) -> CronSet {
        var set = CronSet()
        var column = word.column
        for item in word.text.split(separator: ",", omittingEmptySubsequences: false) {
            if item.isEmpty {
                throw RuleKitError.cron(
                    message: "empty item in the \(field.title) list; remove the extra comma",
                    column: column
                )
            }
            try parseItem(String(item), column: column, field, into: &set)
            column += item.count + 1
        }
        return set
    }

    static func parseItem(
        _ item: String,
        column: Int,
        _ field: CronField,
        into set: inout CronSet
    ) throws(RuleKitError) {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 {
            throw RuleKitError.cron(
                message: "'\(item)' has more than one '/' in the \(field.title) field; write a step once, e.g. */15",
                column: column + parts[0].count + parts[1].count + 1
            )
        }
        let base = String(parts[0])
        var low: Int
        var high: Int
        if base == "*" {
            low = field.lowerBound
            // `*` in day-of-week means 0–6; 7 only duplicates Sunday.
            high = field == .dayOfWeek ? 6 : field.upperBound
        } else if let dash = base.firstIndex(of: "-") {
            let lowText = String(base[..<dash])
            let highText = String(base[base.index(after: dash)...])
            low = try value(lowText, column: column, field)
            high = try value(highText, column: column + lowText.count + 1, field)
            if low > high {
                throw RuleKitError.cron(
                    message: "range \(base) in the \(field.title) field runs backwards; write \(highText)-\(lowText) "
                        + "or split it into a list (wrap-around ranges are not supported)",
                    column: column
                )
            }
        } else {
            low = try value(base, column: column, field)
            // `a/n` means "from a to the end of the range, every n" (as in cronie).
            high = parts.count == 2 ? (field == .dayOfWeek ? 6 : field.upperBound) : low
            if parts.count == 2 && low > high { high = low }
        }
        var step = 1
        if parts.count == 2 {
            let stepText = String(parts[1])
            let stepColumn = column + parts[0].count + 1
            guard let parsed = Int(stepText), stepText.allSatisfy(\.isASCII) else {
                throw RuleKitError.cron(
                    message: stepText.isEmpty
                        ? "step after '/' is missing in the \(field.title) field; write e.g. \(base)/5"
                        : "step '\(stepText)' in the \(field.title) field is not a number; write e.g. \(base)/5",
                    column: stepColumn
                )
            }
            let span = field.upperBound - field.lowerBound + 1
            if parsed < 1 || parsed > span {
                throw RuleKitError.cron(
                    message: "step \(parsed) in the \(field.title) field is out of range 1–\(span)",
                    column: stepColumn
                )
            }
            step = parsed
        }
        for value in stride(from: low, through: high, by: step) { set.insert(value) }
    }

    /// A number or a name, checked against the field's range.
    static func value(_ text: String, column: Int, _ field: CronField) throws(RuleKitError) -> Int {
        if let named = field.names[text.uppercased()] { return named }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text) else {
            throw RuleKitError.cron(message: invalidMessage(text, field), column: column)
        }
        if number < field.lowerBound || number > field.upperBound {
            throw RuleKitError.cron(
                message: "\(field.title) \(number) is out of range \(field.lowerBound)–\(field.upperBound)",
                column: column
            )
        }
        return number
    }

    static func invalidMessage(_ text: String, _ field: CronField) -> String {
        switch text {
        case "":
            return "a \(field.title) value is missing; expected \(field.expectation)"
        case "?":
            return "'?' is not supported; use '*' for any \(field.title)"
        case "L", "W", "LW":
            return "'\(text)' (last/weekday) is not supported; expected \(field.expectation)"
        default:
            if text.contains("#") || text.hasSuffix("L") || text.hasSuffix("W") {
                return "'\(text)' (Quartz syntax) is not supported; expected \(field.expectation)"
            }
            return "'\(text)' is not a valid \(field.title); expected \(field.expectation)"
        }
    }
}
