public import Foundation

/// When and how often a read is retried after 429 TOO_MANY_REQUESTS, a 5xx or a timeout.
///
/// Zoho documents no `Retry-After`, so the delay is ours: exponential from `baseDelay`, capped at `maxDelay`,
/// spread by ±`jitter` so that concurrent callers that failed together do not retry together.
/// Writes are never retried (a replay could convert a record twice).
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included; at least 1.
    public var maxAttempts: Int
    /// The delay before the second attempt.
    public var baseDelay: Duration
    /// Growth factor per attempt.
    public var multiplier: Double
    /// The longest delay.
    public var maxDelay: Duration
    /// Relative spread, 0 to 1: a delay `d` becomes a value in `d × (1 ± jitter)`, still capped.
    public var jitter: Double

    /// A policy; the defaults wait about 0.5 s, 1 s, 2 s, 4 s between five attempts.
    public init(
        maxAttempts: Int = 5,
        baseDelay: Duration = .milliseconds(500),
        multiplier: Double = 2,
        maxDelay: Duration = .seconds(30),
        jitter: Double = 0.2
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.multiplier = max(1, multiplier)
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
    }

    /// No retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The delay after failed attempt `attempt` (1-based), given a uniform draw `unit` in [0, 1).
    public func delay(afterAttempt attempt: Int, unit: Double) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let base = baseDelay.seconds * pow(multiplier, exponent)
        let capped = min(base, maxDelay.seconds)
        let spread = capped * (1 - jitter + 2 * jitter * min(max(unit, 0), 1))
        return .nanoseconds(Int64((min(spread, maxDelay.seconds) * 1e9).rounded()))
    }
}
