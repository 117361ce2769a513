public import Foundation

/// A five-field cron schedule (minute hour day-of-month month day-of-week), as in Vixie cron.
///
/// Supports `*`, numbers, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n`, lists, month and weekday names, `7` for
/// Sunday and the macros `@hourly @daily @weekly @monthly @yearly`. When both day fields are restricted, a day
/// matches if either matches (the classic cron OR rule); a field that starts with `*` counts as unrestricted.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text the expression was parsed from.
    public let text: String
    let fields: CronParser.Fields

    /// Parses `text`; errors carry a message that says how to fix it and a 1-based column.
    public init(parsing text: String) throws(RuleKitError) {
        self.fields = try CronParser.parse(text)
        self.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The expression as written.
    public var description: String { text }

    /// Two expressions are equal when they fire at the same times, however they are spelled.
    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool { lhs.fields == rhs.fields }

    /// Hashes what the expression fires on, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }

    /// How many years ahead `next(after:in:)` looks; every satisfiable expression fires within 8 years (Feb 29).
    static let searchYears = 9

    /// The first instant strictly after `date` at which the expression fires in `timeZone`, or nil if it never
    /// fires (e.g. `0 0 30 2 *`).
    ///
    /// Local times that a daylight-saving change skips do not fire; local times that occur twice fire once, at
    /// the first occurrence.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let local = seconds + timeZone.secondsFromGMT(for: date)
        // Start from the local minute after `date`; candidates before `date` (the repeated hour) are passed over.
        let startMinute = Self.floorDivide(local, 60) + 1
        let start = CivilTime(minutesSinceEpoch: startMinute)
        for year in start.year...(start.year + Self.searchYears) {
            let firstMonth = year == start.year ? start.month : 1
            for month in fields.months.values(from: firstMonth, through: 12) {
                let sameMonth = year == start.year && month == start.month
                let lastDay = Day.length(ofMonth: month, year: year)
                for day in 1...lastDay where !sameMonth || day >= start.day {
                    guard matchesDay(year: year, month: month, day: day) else { continue }
                    let sameDay = sameMonth && day == start.day
                    for hour in fields.hours.values(from: sameDay ? start.hour : 0, through: 23) {
                        let sameHour = sameDay && hour == start.hour
                        for minute in fields.minutes.values(from: sameHour ? start.minute : 0, through: 59) {
                            let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute)
                            guard let instant = civil.firstInstant(in: timeZone), instant > seconds else { continue }
                            return Date(timeIntervalSince1970: TimeInterval(instant))
                        }
                    }
                }
            }
        }
        return nil
    }

    private func matchesDay(year: Int, month: Int, day: Int) -> Bool {
        let weekday = CivilTime.weekday(year: year, month: month, day: day)
        let byMonthDay = fields.daysOfMonth.contains(day)
        let byWeekday = fields.daysOfWeek.contains(weekday)
        if fields.dayOfMonthRestricted && fields.dayOfWeekRestricted { return byMonthDay || byWeekday }
        return byMonthDay && byWeekday
    }

    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}

/// A proleptic Gregorian wall-clock minute, independent of any time zone.
struct CivilTime: Hashable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The wall-clock minute `minutes` after 1970-01-01 00:00.
    init(minutesSinceEpoch minutes: Int) {
        let days = CronExpression.floorDivide(minutes, 1440)
        let minuteOfDay = minutes - days * 1440
        (year, month, day) = Day.civil(fromDays: days)
        hour = minuteOfDay / 60
        minute = minuteOfDay % 60
    }

    /// Seconds since the epoch if this wall-clock time were UTC.
    var naiveSeconds: Int {
        ((Day.days(year: year, month: month, day: day) * 24 + hour) * 60 + minute) * 60
    }

    /// The earliest instant (seconds since the epoch) showing this wall-clock time in `timeZone`, or nil when a
    /// daylight-saving change skips it.
    func firstInstant(in timeZone: TimeZone) -> Int? {
        let naive = naiveSeconds
        // Offsets in force around this time; a transition within a day either way is covered.
        let offsets = Set(
            [naive - 86_400, naive, naive + 86_400].map {
                timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0)))
            }
        )
        let instants = offsets.map { naive - $0 }.filter { instant in
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))) == naive - instant
        }
        return instants.min()
    }

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let days = Day.days(year: year, month: month, day: day)
        // 1970-01-01 was a Thursday (4).
        return ((days + 4) % 7 + 7) % 7
    }
}
