public import Foundation

/// A calendar day, `yyyy-MM-dd`, with no time zone of its own.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Year, e.g. 2026.
    public var year: Int
    /// Month, 1–12.
    public var month: Int
    /// Day of the month, 1–31.
    public var day: Int

    /// The day `year`-`month`-`day`; nil when no such day exists (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        guard day <= Day.length(ofMonth: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `yyyy-MM-dd`; nil for anything else.
    public init?(parsing text: some StringProtocol) {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 10, scalars[4] == "-", scalars[7] == "-" else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let code = scalars[index].value
                guard (48...57).contains(code) else { return nil }
                value = value * 10 + Int(code - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day `date` falls on in `timeZone`.
    public init(containing date: Date, in timeZone: TimeZone) {
        let parts = Day.calendar(timeZone).dateComponents([.year, .month, .day], from: date)
        year = parts.year ?? 1970
        month = parts.month ?? 1
        day = parts.day ?? 1
    }

    /// `yyyy-MM-dd`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The instant this day starts in `timeZone`.
    public func start(in timeZone: TimeZone) -> Date {
        let parts = DateComponents(year: year, month: month, day: day)
        return Day.calendar(timeZone).date(from: parts) ?? Date(timeIntervalSince1970: 0)
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> Day {
        let moved = Day.civil(fromDays: daysSince1970 + count)
        return Day(year: moved.year, month: moved.month, day: moved.day) ?? self
    }

    /// Orders by date.
    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // The proleptic Gregorian arithmetic below is the one copy lint, cron and the state store's timestamps use:
    // it is exact for any year and needs no Calendar, so a time-zone database cannot change it.

    /// Whether `year` has a 29 February.
    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// The number of days in `month` (1–12) of `year`.
    static func length(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to this day (negative before it).
    public var daysSince1970: Int { Day.days(year: year, month: month, day: day) }

    /// Days from 1970-01-01 to `year`-`month`-`day` (Howard Hinnant's days_from_civil), for any year.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's civil_from_days), for any number of days.
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}

/// A date relative to the run's clock: `today`, `now`, `today-7d`, `today+2w`, `now-2h`, `now+30m`.
///
/// `today` resolves to a calendar day in the rule's time zone and moves by days (`d`) or weeks (`w`);
/// `now` resolves to an instant and also moves by hours (`h`) or minutes (`m`).
public struct RelativeDate: Sendable, Hashable, CustomStringConvertible {
    /// What the offset is added to.
    public enum Anchor: String, Sendable, Hashable {
        /// The current day in the rule's time zone.
        case today
        /// The current instant.
        case now
    }

    /// The unit of the offset.
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        /// Minutes (`now` only).
        case minutes = "m"
        /// Hours (`now` only).
        case hours = "h"
        /// Days.
        case days = "d"
        /// Weeks.
        case weeks = "w"

        var seconds: Double {
            switch self {
            case .minutes: 60
            case .hours: 3_600
            case .days: 86_400
            case .weeks: 604_800
            }
        }
    }

    /// `today` or `now`.
    public var anchor: Anchor
    /// Signed offset in `unit`s.
    public var amount: Int
    /// Unit of `amount`.
    public var unit: Unit

    /// `anchor` moved by `amount` `unit`s.
    public init(anchor: Anchor, amount: Int = 0, unit: Unit = .days) {
        self.anchor = anchor
        self.amount = amount
        self.unit = unit
    }

    /// Parses `today`, `now`, `today-7d`, `today + 30d`, `now-2h` (spaces around the sign allowed).
    public init(parsing text: String) throws(RuleKitError) {
        let compact = text.filter { !$0.isWhitespace }
        let anchor: Anchor
        if compact.hasPrefix("today") {
            anchor = .today
        } else if compact.hasPrefix("now") {
            anchor = .now
        } else {
            throw RuleKitError(.badDate, "'\(text)' is not a relative date; write today, now, today-7d or now-2h")
        }
        var rest = Substring(compact.dropFirst(anchor.rawValue.count))
        guard !rest.isEmpty else {
            self.init(anchor: anchor)
            return
        }
        let sign: Int
        switch rest.first {
        case "+": sign = 1
        case "-": sign = -1
        default:
            throw RuleKitError(
                .badDate,
                "'\(text)' is not a relative date; write \(anchor.rawValue)-7d or \(anchor.rawValue)+30d"
            )
        }
        rest = rest.dropFirst()
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        let unitText = String(rest.dropFirst(digits.count))
        guard !digits.isEmpty else {
            throw RuleKitError(.badDate, "'\(text)' needs a whole number after the sign, e.g. \(anchor.rawValue)-7d")
        }
        guard digits.count <= 6, let count = Int(digits) else {
            throw RuleKitError(.badDate, "'\(text)': the offset is out of range; at most 999999 units")
        }
        guard !unitText.isEmpty else {
            throw RuleKitError(.badDate, "'\(text)' needs a unit after the number, e.g. \(anchor.rawValue)-\(count)d")
        }
        guard let unit = Unit(rawValue: unitText) else {
            throw RuleKitError(
                .badDate,
                "'\(text)': unknown unit '\(unitText)'; use d (days) or w (weeks)\(anchor == .now ? ", h (hours) or m (minutes)" : "")"
            )
        }
        if anchor == .today, unit == .hours || unit == .minutes {
            throw RuleKitError(
                .badDate,
                "'\(text)': today moves by days or weeks; use now-\(count)\(unit.rawValue) for hours"
            )
        }
        self.init(anchor: anchor, amount: sign * count, unit: unit)
    }

    /// True when `text` is meant as a relative date (starts with `today` or `now`), valid or not.
    static func looksRelative(_ text: String) -> Bool {
        for anchor in ["today", "now"] where text.hasPrefix(anchor) {
            let rest = text.dropFirst(anchor.count)
            if rest.isEmpty || rest.first == "+" || rest.first == "-" || rest.first == " " { return true }
        }
        return false
    }

    /// `today-7d` form.
    public var description: String {
        amount == 0 ? anchor.rawValue : "\(anchor.rawValue)\(amount < 0 ? "-" : "+")\(abs(amount))\(unit.rawValue)"
    }

    /// The day (`today…`) or instant (`now…`) this stands for at `now` in `timeZone`.
    public func resolve(now: Date, timeZone: TimeZone) -> ResolvedDate {
        switch anchor {
        case .today:
            let days = unit == .weeks ? amount * 7 : amount
            return .day(Day(containing: now, in: timeZone).adding(days: days))
        case .now:
            return .instant(now.addingTimeInterval(Double(amount) * unit.seconds))
        }
    }
}

/// A date resolved against the clock: a calendar day or an instant.
public enum ResolvedDate: Sendable, Hashable {
    /// A calendar day (`yyyy-MM-dd`).
    case day(Day)
    /// An instant.
    case instant(Date)

    /// Parses a Zoho date (`yyyy-MM-dd`) or date-time (ISO 8601 with an offset); nil for anything else.
    public init?(parsing text: String) {
        if let day = Day(parsing: text) {
            self = .day(day)
        } else if let instant = ResolvedDate.parseInstant(text) {
            self = .instant(instant)
        } else {
            return nil
        }
    }

    /// Zoho's form: `yyyy-MM-dd` for a day, `yyyy-MM-ddTHH:mm:ss±hh:mm` in `timeZone` for an instant.
    public func formatted(in timeZone: TimeZone) -> String {
        switch self {
        case .day(let day): day.description
        case .instant(let date): DatePattern.iso.format(date, in: timeZone)
        }
    }

    /// Compares two dates; a day and an instant compare on the instant's day in `timeZone`.
    public func compare(to other: ResolvedDate, in timeZone: TimeZone) -> ComparisonResult {
        func order<T: Comparable>(_ a: T, _ b: T) -> ComparisonResult {
            a < b ? .orderedAscending : (a == b ? .orderedSame : .orderedDescending)
        }
        switch (self, other) {
        case (.day(let a), .day(let b)): return order(a, b)
        case (.instant(let a), .instant(let b)): return order(a, b)
        case (.instant(let a), .day(let b)): return order(Day(containing: a, in: timeZone), b)
        case (.day(let a), .instant(let b)): return order(a, Day(containing: b, in: timeZone))
        }
    }

    static func parseInstant(_ text: String) -> Date? {
        guard text.count >= 19, text.count <= 40, text.contains("T") else { return nil }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

extension DateValue {
    /// The day or instant this stands for at `now` in `timeZone`.
    public func resolve(now: Date, timeZone: TimeZone) -> ResolvedDate {
        switch self {
        case .relative(let relative): relative.resolve(now: now, timeZone: timeZone)
        case .day(let day): .day(day)
        case .instant(let date): .instant(date)
        }
    }
}
