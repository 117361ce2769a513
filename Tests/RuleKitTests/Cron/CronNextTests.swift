import Foundation
import RuleKit
import Testing

struct CronNextTests {
    struct NextCase: Sendable, CustomTestStringConvertible {
        var expression: String
        var zone: String
        var after: String
        /// Expected fire time in UTC, nil for "never".
        var expected: String?
        var why: String
        var testDescription: String { "\(expression) in \(zone) after \(after): \(why)" }
    }

    static let cases: [NextCase] = [
        NextCase(
            expression: "*/15 * * * *",
            zone: "UTC",
            after: "2026-11-23T09:12:00Z",
            expected: "2026-11-23T09:15:00Z",
            why: "step"
        ),
        NextCase(
            expression: "0 7 * * *",
            zone: "UTC",
            after: "2026-11-23T07:00:00Z",
            expected: "2026-11-24T07:00:00Z",
            why: "strictly after"
        ),
        NextCase(
            expression: "* * * * *",
            zone: "UTC",
            after: "2026-11-23T07:00:30Z",
            expected: "2026-11-23T07:01:00Z",
            why: "seconds are dropped"
        ),
        NextCase(
            expression: "0 7 * * 1-5",
            zone: "Europe/Berlin",
            after: "2026-11-23T09:00:00Z",
            expected: "2026-11-24T06:00:00Z",
            why: "weekday mornings, CET"
        ),
        NextCase(
            expression: "0 7 * * 1-5",
            zone: "Europe/Berlin",
            after: "2026-11-27T09:00:00Z",
            expected: "2026-11-30T06:00:00Z",
            why: "Friday to Monday"
        ),
        NextCase(
            expression: "0 0 1 1 *",
            zone: "UTC",
            after: "2026-12-31T23:59:59Z",
            expected: "2027-01-01T00:00:00Z",
            why: "year rollover"
        ),
        NextCase(
            expression: "0 0 * * *",
            zone: "Asia/Kolkata",
            after: "2026-11-23T09:00:00Z",
            expected: "2026-11-23T18:30:00Z",
            why: "half-hour offset"
        ),
        NextCase(
            expression: "0 0 29 2 *",
            zone: "UTC",
            after: "2026-03-01T00:00:00Z",
            expected: "2028-02-29T00:00:00Z",
            why: "next leap day"
        ),
        NextCase(
            expression: "0 12 29 2 *",
            zone: "UTC",
            after: "2096-03-01T00:00:00Z",
            expected: "2104-02-29T12:00:00Z",
            why: "2100 is not a leap year"
        ),
        NextCase(
            expression: "0 0 30 2 *",
            zone: "UTC",
            after: "2026-01-01T00:00:00Z",
            expected: nil,
            why: "Feb 30 never comes"
        ),
        NextCase(
            expression: "0 0 31 4,6 *",
            zone: "UTC",
            after: "2026-01-01T00:00:00Z",
            expected: nil,
            why: "April and June have 30 days"
        ),
        NextCase(
            expression: "0 0 31 * *",
            zone: "UTC",
            after: "2026-11-23T00:00:00Z",
            expected: "2026-12-31T00:00:00Z",
            why: "November has no 31st"
        ),
        NextCase(
            expression: "0 0 13 * FRI",
            zone: "UTC",
            after: "2026-11-23T00:00:00Z",
            expected: "2026-11-27T00:00:00Z",
            why: "OR rule: the Friday comes first"
        ),
        NextCase(
            expression: "0 0 1 * MON",
            zone: "UTC",
            after: "2026-11-24T00:00:00Z",
            expected: "2026-11-30T00:00:00Z",
            why: "OR rule: Monday the 30th before the 1st"
        ),
        NextCase(
            expression: "0 0 1 * MON",
            zone: "UTC",
            after: "2026-11-30T00:00:00Z",
            expected: "2026-12-01T00:00:00Z",
            why: "OR rule: the 1st, a Tuesday"
        ),
        NextCase(
            expression: "0 0 * 12 MON",
            zone: "UTC",
            after: "2026-11-23T00:00:00Z",
            expected: "2026-12-07T00:00:00Z",
            why: "AND when day-of-month is *"
        ),
        NextCase(
            expression: "0 0 */10 * *",
            zone: "UTC",
            after: "2026-11-23T00:00:00Z",
            expected: "2026-12-01T00:00:00Z",
            why: "day-of-month steps start at 1"
        ),
        NextCase(
            expression: "0 9 * * 7",
            zone: "UTC",
            after: "2026-11-23T00:00:00Z",
            expected: "2026-11-29T09:00:00Z",
            why: "7 is Sunday"
        ),
        NextCase(
            expression: "30 6 * JAN,JUL SUN",
            zone: "UTC",
            after: "2026-11-23T00:00:00Z",
            expected: "2027-01-03T06:30:00Z",
            why: "names"
        ),
        NextCase(
            expression: "@hourly",
            zone: "UTC",
            after: "2026-11-23T09:12:00Z",
            expected: "2026-11-23T10:00:00Z",
            why: "macro"
        ),
        NextCase(
            expression: "@weekly",
            zone: "UTC",
            after: "2026-11-23T09:12:00Z",
            expected: "2026-11-29T00:00:00Z",
            why: "Sunday midnight"
        ),
        NextCase(
            expression: "@monthly",
            zone: "UTC",
            after: "2026-11-23T09:12:00Z",
            expected: "2026-12-01T00:00:00Z",
            why: "macro"
        ),
        NextCase(
            expression: "@yearly",
            zone: "UTC",
            after: "2026-11-23T09:12:00Z",
            expected: "2027-01-01T00:00:00Z",
            why: "macro"
        ),
        // Europe/Berlin: 2026-03-29 02:00 CET jumps to 03:00 CEST; 2026-10-25 03:00 CEST falls back to 02:00 CET.
        NextCase(
            expression: "30 2 * * *",
            zone: "Europe/Berlin",
            after: "2026-03-28T12:00:00Z",
            expected: "2026-03-30T00:30:00Z",
            why: "02:30 does not exist on the 29th: skipped"
        ),
        NextCase(
            expression: "0 * * * *",
            zone: "Europe/Berlin",
            after: "2026-03-29T00:30:00Z",
            expected: "2026-03-29T01:00:00Z",
            why: "hourly jumps from 01:00 CET to 03:00 CEST"
        ),
        NextCase(
            expression: "*/30 * * * *",
            zone: "Europe/Berlin",
            after: "2026-03-29T00:45:00Z",
            expected: "2026-03-29T01:00:00Z",
            why: "02:00 and 02:30 are skipped"
        ),
        NextCase(
            expression: "30 2 * * *",
            zone: "Europe/Berlin",
            after: "2026-10-24T12:00:00Z",
            expected: "2026-10-25T00:30:00Z",
            why: "ambiguous 02:30: first occurrence (CEST)"
        ),
        NextCase(
            expression: "30 2 * * *",
            zone: "Europe/Berlin",
            after: "2026-10-25T00:30:00Z",
            expected: "2026-10-26T01:30:00Z",
            why: "ambiguous 02:30 fires once, not again in CET"
        ),
        NextCase(
            expression: "0 * * * *",
            zone: "Europe/Berlin",
            after: "2026-10-25T00:00:00Z",
            expected: "2026-10-25T02:00:00Z",
            why: "repeated 02:00 CET does not fire again"
        ),
        NextCase(
            expression: "*/20 * * * *",
            zone: "Europe/Berlin",
            after: "2026-10-25T01:10:00Z",
            expected: "2026-10-25T02:00:00Z",
            why: "inside the repeated hour: next is 03:00 CET"
        ),
        NextCase(
            expression: "0 3 * * *",
            zone: "Europe/Berlin",
            after: "2026-10-25T00:30:00Z",
            expected: "2026-10-25T02:00:00Z",
            why: "03:00 CET after the fall-back"
        ),
        // America/New_York: 2026-03-08 02:00 EST jumps to 03:00 EDT; 2026-11-01 02:00 EDT falls back to 01:00 EST.
        NextCase(
            expression: "30 2 * * *",
            zone: "America/New_York",
            after: "2026-03-07T12:00:00Z",
            expected: "2026-03-09T06:30:00Z",
            why: "02:30 does not exist on the 8th: skipped"
        ),
        NextCase(
            expression: "0 3 * * *",
            zone: "America/New_York",
            after: "2026-03-08T06:00:00Z",
            expected: "2026-03-08T07:00:00Z",
            why: "03:00 EDT right after the gap"
        ),
        NextCase(
            expression: "30 1 * * *",
            zone: "America/New_York",
            after: "2026-10-31T12:00:00Z",
            expected: "2026-11-01T05:30:00Z",
            why: "ambiguous 01:30: first occurrence (EDT)"
        ),
        NextCase(
            expression: "30 1 * * *",
            zone: "America/New_York",
            after: "2026-11-01T05:30:00Z",
            expected: "2026-11-02T06:30:00Z",
            why: "ambiguous 01:30 fires once"
        ),
        NextCase(
            expression: "0 9 * * 1-5",
            zone: "America/New_York",
            after: "2026-11-01T12:00:00Z",
            expected: "2026-11-02T14:00:00Z",
            why: "EST after the change"
        ),
        NextCase(
            expression: "0 0 29 2 *",
            zone: "America/New_York",
            after: "2027-01-01T00:00:00Z",
            expected: "2028-02-29T05:00:00Z",
            why: "leap day in a zone"
        ),
    ]

    @Test(arguments: cases)
    func nextFireTime(_ example: NextCase) throws {
        let expression = try CronExpression(parsing: example.expression)
        let zone = try #require(TimeZone(identifier: example.zone))
        let after = try Date(example.after, strategy: .iso8601)
        let next = expression.next(after: after, in: zone)
        #expect(next.map { $0.formatted(.iso8601) } == example.expected)
    }

    /// Walks a whole DST year minute-schedule by schedule and checks invariants rather than single answers.
    @Test(arguments: ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
    func everyQuarterHourThroughAYear(_ zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let expression = try CronExpression(parsing: "*/15 * * * *")
        var current = try Date("2026-01-01T00:00:00Z", strategy: .iso8601)
        let end = try Date("2027-01-01T00:00:00Z", strategy: .iso8601)
        var fires = 0
        var seen = Set<String>()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        while current < end, fires < 40_000 {
            let next = try #require(expression.next(after: current, in: zone))
            #expect(next > current)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: next)
            #expect(parts.minute.map { $0 % 15 } == 0)
            #expect(parts.second == 0)
            // Each wall-clock time fires at most once, even in the repeated hour.
            let key = "\(parts.year ?? 0)-\(parts.month ?? 0)-\(parts.day ?? 0) \(parts.hour ?? 0):\(parts.minute ?? 0)"
            #expect(seen.insert(key).inserted)
            current = next
            fires += 1
        }
        // 365 days of 96 quarter hours, less the skipped spring-forward slots (4 for one hour, 2 for half an hour).
        let skipped = zoneName == "Australia/Lord_Howe" ? 2 : 4
        #expect(fires == 365 * 96 - skipped)
    }
}
