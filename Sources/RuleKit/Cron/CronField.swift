/// The five fields of a cron expression, with their ranges and names.
enum CronField: Int, CaseIterable, Sendable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// How the field is named in messages.
    var title: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Smallest accepted value.
    var lowerBound: Int {
        switch self {
        case .minute, .hour, .dayOfWeek: 0
        case .dayOfMonth, .month: 1
        }
    }

    /// Largest accepted value; day-of-week accepts 7 as a second spelling of Sunday.
    var upperBound: Int {
        switch self {
        case .minute: 59
        case .hour: 23
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        }
    }

    /// Three-letter names, upper-cased, mapped to their numbers.
    var names: [String: Int] {
        switch self {
        case .month:
            [
                "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10,
                "NOV": 11, "DEC": 12,
            ]
        case .dayOfWeek:
            ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
        default: [:]
        }
    }

    /// What a valid value looks like, for "expected …" messages.
    var expectation: String {
        switch self {
        case .month: "a number 1–12 or a name JAN–DEC"
        case .dayOfWeek: "a number 0–7 (0 and 7 are Sunday) or a name SUN–SAT"
        default: "a number \(lowerBound)–\(upperBound)"
        }
    }
}

/// A set of small non-negative integers (0...63) as a bit mask: cheap to copy, hash and test.
struct CronSet: Hashable, Sendable {
    var bits: UInt64 = 0

    func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0 }
    mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }
    var isEmpty: Bool { bits == 0 }

    /// Members in ascending order, from `start` on.
    func values(from start: Int, through end: Int) -> [Int] {
        guard start <= end else { return [] }
        return (start...end).filter(contains)
    }
}
