import RuleKit
import Testing

struct CronParseTests {
    struct BadCase: Sendable, CustomTestStringConvertible {
        var text: String
        var column: Int
        var message: String
        var testDescription: String { "\"\(text)\"" }
    }

    static let badCases: [BadCase] = [
        BadCase(text: "61 * * * *", column: 1, message: "minute 61 is out of range 0–59"),
        BadCase(text: "0 24 * * *", column: 3, message: "hour 24 is out of range 0–23"),
        BadCase(text: "0 0 0 * *", column: 5, message: "day-of-month 0 is out of range 1–31"),
        BadCase(text: "0 0 * 13 *", column: 7, message: "month 13 is out of range 1–12"),
        BadCase(text: "0 0 * * 8", column: 9, message: "day-of-week 8 is out of range 0–7"),
        BadCase(text: "  0 61 * * *", column: 5, message: "hour 61 is out of range 0–23"),
        BadCase(text: "0 1,2,99 * * *", column: 7, message: "hour 99 is out of range 0–23"),
        BadCase(text: "0 1-99 * * *", column: 5, message: "hour 99 is out of range 0–23"),
        BadCase(
            text: "0 0 * * MON-FOO",
            column: 13,
            message: "'FOO' is not a valid day-of-week; expected a number 0–7 (0 and 7 are Sunday) or a name SUN–SAT"
        ),
        BadCase(
            text: "0 0 * JANUARY *",
            column: 7,
            message: "'JANUARY' is not a valid month; expected a number 1–12 or a name JAN–DEC"
        ),
        BadCase(
            text: "5-3 * * * *",
            column: 1,
            message:
                "range 5-3 in the minute field runs backwards; write 3-5 or split it into a list "
                + "(wrap-around ranges are not supported)"
        ),
        BadCase(text: "*/0 * * * *", column: 3, message: "step 0 in the minute field is out of range 1–60"),
        BadCase(text: "0 */25 * * *", column: 5, message: "step 25 in the hour field is out of range 1–24"),
        BadCase(
            text: "0 5/x * * *",
            column: 5,
            message: "step 'x' in the hour field is not a number; write e.g. 5/5"
        ),
        BadCase(
            text: "*/ * * * *",
            column: 3,
            message: "step after '/' is missing in the minute field; write e.g. */5"
        ),
        BadCase(text: "1,,2 * * * *", column: 3, message: "empty item in the minute list; remove the extra comma"),
        BadCase(
            text: "",
            column: 1,
            message:
                "cron expression is empty; write 5 fields (minute hour day-of-month month day-of-week), "
                + "e.g. \"0 7 * * 1-5\""
        ),
        BadCase(
            text: "* * * *",
            column: 8,
            message:
                "cron expression has 4 fields; expected 5 (minute hour day-of-month month day-of-week); "
                + "the day-of-week field is missing"
        ),
        BadCase(
            text: "0 0 * * * 2026",
            column: 11,
            message:
                "cron expression has 6 fields; expected 5 (minute hour day-of-month month day-of-week); "
                + "seconds and years are not supported"
        ),
        BadCase(
            text: "@every 5m",
            column: 1,
            message: "unknown macro '@every'; use @hourly, @daily, @weekly, @monthly or @yearly"
        ),
        BadCase(text: "@daily 5", column: 8, message: "a macro stands alone; remove '5' after @daily"),
        BadCase(text: "0 0 ? * *", column: 5, message: "'?' is not supported; use '*' for any day-of-month"),
        BadCase(
            text: "0 0 L * *",
            column: 5,
            message: "'L' (last/weekday) is not supported; expected a number 1–31"
        ),
        BadCase(
            text: "0 0 * * 5#3",
            column: 9,
            message:
                "'5#3' (Quartz syntax) is not supported; expected a number 0–7 (0 and 7 are Sunday) or a name SUN–SAT"
        ),
        BadCase(text: "-5 * * * *", column: 1, message: "a minute value is missing; expected a number 0–59"),
        BadCase(text: "１ * * * *", column: 1, message: "'１' is not a valid minute; expected a number 0–59"),
    ]

    @Test(arguments: badCases)
    func rejectsWithColumnAndFix(_ bad: BadCase) {
        #expect(throws: RuleKitError.cron(message: bad.message, column: bad.column)) {
            try CronExpression(parsing: bad.text)
        }
    }

    static let equivalent: [(String, String)] = [
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
        ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@yearly", "0 0 1 1 *"),
        ("@ANNUALLY", "0 0 1 1 *"),
        ("0 0 * * 7", "0 0 * * 0"),
        ("0 0 * * sun", "0 0 * * 0"),
        ("0 0 * * MON-FRI", "0 0 * * 1-5"),
        ("0 0 * * 5-7", "0 0 * * 0,5,6"),
        ("0 0 * jan,Jul *", "0 0 * 1,7 *"),
        ("*/20 * * * *", "0,20,40 * * * *"),
        ("0-10/5 * * * *", "0,5,10 * * * *"),
        ("50/5 * * * *", "50,55 * * * *"),
        ("0 */6 * * *", "0 0,6,12,18 * * *"),
        ("0\t7  * *  1-5", "0 7 * * 1,2,3,4,5"),
        ("0 7 * * 1-5\n", "0 7 * * 1-5"),
    ]

    @Test(arguments: equivalent)
    func spellingsOfTheSameSchedule(_ pair: (String, String)) throws {
        let lhs = try CronExpression(parsing: pair.0)
        let rhs = try CronExpression(parsing: pair.1)
        #expect(lhs == rhs)
        #expect(lhs.hashValue == rhs.hashValue)
    }

    @Test func differentSchedulesDiffer() throws {
        #expect(try CronExpression(parsing: "0 7 * * 1-5") != CronExpression(parsing: "0 7 * * 1-6"))
        // Restricting day-of-month switches the day rule from AND to OR, so these fire on different days.
        #expect(try CronExpression(parsing: "0 0 * * 1") != CronExpression(parsing: "0 0 1-31 * 1"))
    }

    @Test func descriptionIsTheText() throws {
        #expect(try CronExpression(parsing: " 0 7 * * 1-5 ").description == "0 7 * * 1-5")
        #expect(try CronExpression(parsing: "@daily").description == "@daily")
    }

    @Test func errorDescriptionHasColumn() {
        #expect(RuleKitError.cron(message: "m", column: 4).description == "column 4: m")
    }
}
