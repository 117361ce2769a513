/// How the query languages compare a field's values, from the catalog's Zoho `data_type`.
enum FieldKind: Equatable, Sendable {
    /// text, email, phone, website.
    case text
    /// Multi-line text.
    case textarea
    /// A single-choice picklist.
    case picklist
    /// A multi-select picklist, stored as an array of strings.
    case multiselect
    /// An auto-number, compared as text.
    case autonumber
    /// A lookup (or user lookup): `{"id", "name"}`.
    case lookup
    /// The record owner: `{"id", "name", "email"}`.
    case owner
    /// integer, bigint, double, currency, percent, decimal.
    case number
    /// A calendar date `YYYY-MM-DD`.
    case date
    /// An ISO-8601 date-time with offset.
    case datetime
    /// true or false.
    case boolean
    /// A type neither language can filter on (subform, fileupload, formula, ...).
    case unsupported

    /// The kind for a Zoho `data_type`.
    init(dataType: String) {
        switch dataType.lowercased() {
        case "text", "email", "phone", "website": self = .text
        case "textarea": self = .textarea
        case "picklist": self = .picklist
        case "multiselectpicklist": self = .multiselect
        case "autonumber": self = .autonumber
        case "lookup", "userlookup": self = .lookup
        case "ownerlookup": self = .owner
        case "integer", "bigint", "double", "currency", "percent", "decimal", "long": self = .number
        case "date": self = .date
        case "datetime": self = .datetime
        case "boolean": self = .boolean
        default: self = .unsupported
        }
    }

    /// True for the kinds whose values are lookups to another record.
    var isLookup: Bool { self == .lookup || self == .owner }
}

/// A number parsed exactly where it fits in 64 bits (19-digit ids do not fit in a double), as a double otherwise.
struct QueryNumber: Comparable, Sendable {
    let integer: Int64?
    let double: Double

    /// Parses a plain decimal literal (`12`, `-3.5`, `1e3`); nil for anything else, including `nan` and hex.
    init?(text: String) {
        let trimmed = text.queryTrimmed
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else {
            return nil
        }
        if let i = Int64(trimmed) {
            integer = i
            double = Double(i)
        } else if let d = Double(trimmed), d.isFinite {
            integer = nil
            double = d
        } else {
            return nil
        }
    }

    /// A stored value as a number: JSON numbers, or strings holding one (ids are strings).
    init?(_ value: JSONValue) {
        switch value {
        case .int(let i):
            self.init(integer: i, double: Double(i))
        case .double(let d):
            self.init(integer: nil, double: d)
        case .string(let s):
            self.init(text: s)
        default:
            return nil
        }
    }

    private init(integer: Int64?, double: Double) {
        self.integer = integer
        self.double = double
    }

    static func == (a: QueryNumber, b: QueryNumber) -> Bool {
        if let x = a.integer, let y = b.integer { return x == y }
        return a.double == b.double
    }

    static func < (a: QueryNumber, b: QueryNumber) -> Bool {
        if let x = a.integer, let y = b.integer { return x < y }
        return a.double < b.double
    }
}

/// A date or date-time: the calendar day as written (in its own offset) and, for date-times, the instant.
struct QueryTime: Sendable {
    /// Days since 1970-01-01 of the date as written.
    let day: Int
    /// Seconds since the epoch in UTC; nil for a plain date.
    let instant: Int64?

    /// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]` (no offset means UTC).
    init?(text: String) {
        let chars = Array(text.queryTrimmed.utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= chars.count else { return nil }
            var value = 0
            for c in chars[index..<index + count] {
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            index += count
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < chars.count, chars[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let dayOfMonth = digits(2),
            (1...12).contains(month), (1...QueryTime.daysIn(month: month, year: year)).contains(dayOfMonth)
        else { return nil }
        let day = QueryTime.daysFromCivil(year: year, month: month, day: dayOfMonth)
        self.day = day
        if index == chars.count {
            instant = nil
            return
        }
        guard expect(84) || expect(32), let hour = digits(2), hour < 24, expect(58), let minute = digits(2), minute < 60
        else { return nil }
        var second = 0
        if expect(58) {
            guard let s = digits(2), s < 60 else { return nil }
            second = s
            if expect(46) {
                let start = index
                while index < chars.count, chars[index] >= 48 && chars[index] <= 57 { index += 1 }
                guard index > start else { return nil }
            }
        }
        var offset = 0
        if expect(90) {
            offset = 0
        } else if index < chars.count, chars[index] == 43 || chars[index] == 45 {
            let sign = chars[index] == 45 ? -1 : 1
            index += 1
            guard let oh = digits(2), oh <= 14 else { return nil }
            _ = expect(58)
            guard let om = digits(2), om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        }
        guard index == chars.count else { return nil }
        instant = Int64(day) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
    }

    /// A stored value as a time; nil unless it is a string in one of the accepted forms.
    init?(_ value: JSONValue) {
        guard let s = value.stringValue else { return nil }
        self.init(text: s)
    }

    /// Orders two times: by instant when both have one, else by calendar day.
    static func compare(_ a: QueryTime, _ b: QueryTime) -> Int {
        if let x = a.instant, let y = b.instant { return x < y ? -1 : (x == y ? 0 : 1) }
        return a.day < b.day ? -1 : (a.day == b.day ? 0 : 1)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar, no Foundation calendar needed.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension JSONValue {
    /// True for what Zoho treats as an empty field: null, missing, an empty string or an empty list.
    var isEmptyFieldValue: Bool {
        switch self {
        case .null: return true
        case .string(let s): return s.isEmpty
        case .array(let a): return a.isEmpty
        default: return false
        }
    }

    /// A scalar as text for text comparisons; nil for null, objects and arrays.
    var queryText: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// The id of a lookup value: `{"id": ...}`, or a bare id as the store may keep it.
    var lookupID: String? {
        switch self {
        case .object(let o): return o["id"]?.queryText
        case .string(let s): return s.isEmpty ? nil : s
        case .int(let i): return String(i)
        default: return nil
        }
    }

    /// The values of a multi-select picklist: an array of strings, or a `;`-separated string.
    var multiselectValues: [String] {
        switch self {
        case .array(let a): return a.compactMap(\.queryText)
        case .string(let s): return s.split(separator: ";").map { String($0).queryTrimmed }
        default: return []
        }
    }

    /// A boolean stored as a JSON boolean or as the text `true`/`false`.
    var queryBool: Bool? {
        switch self {
        case .bool(let b): return b
        case .string(let s): return Bool(literal: s)
        default: return nil
        }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// A record's field by API name; when the exact spelling is absent, the first key equal ignoring case (the
    /// catalog resolves names case-insensitively, so a query may spell `last_name` for `Last_Name`).
    func queryField(_ name: String) -> JSONValue {
        if let value = self[name] { return value }
        let lowered = name.lowercased()
        return first { $0.key.lowercased() == lowered }?.value ?? .null
    }
}

extension Bool {
    /// `true`/`false` in any case; nil otherwise.
    init?(literal: String) {
        switch literal.lowercased() {
        case "true": self = true
        case "false": self = false
        default: return nil
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var queryTrimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
