public import Foundation

/// The one time source of a zrules process: the wall clock and a sleep.
///
/// The client reads it for token expiry and sleeps on it for backoff; the engine's executor, state store,
/// scheduler and project read "now" from the same value and sleep on it between job polls and schedules. One value
/// is created where the process starts (`ZohoSystemClock()`) and passed down, so tests substitute one manual clock
/// for everything and never wait for real.
public protocol ZohoClock: Sendable {
    /// The current wall-clock time.
    func now() -> Date
    /// Suspends for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The machine's clock: `Date()` for the wall clock, the continuous clock for sleeping.
public struct ZohoSystemClock: ZohoClock {
    /// The machine's clock.
    public init() {}

    /// The current wall-clock time.
    public func now() -> Date { Date() }

    /// Sleeps on the continuous clock, which keeps counting while the machine is suspended.
    public func sleep(for duration: Duration) async throws {
        try await ContinuousClock().sleep(for: duration)
    }
}
