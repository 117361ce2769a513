/// Why a cron expression could not be parsed, and where.
public struct CronParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and how to fix it, e.g. `minute 61 is out of range 0–59`.
    public let message: String
    /// 1-based column (in characters) of the offending part of the expression text.
    public let column: Int

    /// An error with its message and 1-based column.
    public init(message: String, column: Int) {
        self.message = message
        self.column = column
    }

    /// `column N: message`, for logs and tests; lint renders its own `file:line:col` form.
    public var description: String { "column \(column): \(message)" }
}
