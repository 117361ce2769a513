public import Foundation
import Synchronization

/// The one test clock: a wall-clock date that moves only when a test says so, and sleeps that never wait for real.
///
/// Two ways to sleep, chosen per clock. `.untilAdvanced` (the default) suspends each sleeper until the test moves
/// time past its deadline; every such sleep is announced on `sleeps`, so a test waits until the code under test is
/// waiting, then advances: no real sleeping and no polling (the scheduler's tests). `.advancesTime` returns at
/// once and moves time forward by the duration, so retry and backoff schedules run instantly and can be read back
/// from `slept` (the client's tests). Where ZohoCRM is built it is a `ZohoClock`; where the emulator is, it
/// drives an `EmulatorClock` (`emulatorClock`).
public final class ManualClock: Sendable {
    /// What a `sleep` does.
    public enum Sleeping: Sendable {
        /// Suspends until the test advances time to the deadline (announced on `sleeps`).
        case untilAdvanced
        /// Returns at once, moving time forward by the duration slept.
        case advancesTime
    }

    /// The start used when a test names none: 2026-11-18, before the fixtures' dates matter.
    public static let defaultStart = Date(timeIntervalSince1970: 1_795_000_000)

    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
        var cancelledEarly: Set<Int> = []
        var slept: [Duration] = []
    }

    private let state: Mutex<State>
    private let sleeping: Sleeping
    /// The deadline of every suspending sleep, in order, as it begins.
    public let sleeps: AsyncStream<Date>
    private let announce: AsyncStream<Date>.Continuation

    /// A clock at `start` whose sleeps behave as `sleeping` says.
    public init(start: Date = ManualClock.defaultStart, sleeping: Sleeping = .untilAdvanced) {
        state = Mutex(State(now: start))
        self.sleeping = sleeping
        (sleeps, announce) = AsyncStream.makeStream(of: Date.self)
    }

    /// A clock at `start` whose sleeps wait until advanced.
    public convenience init(_ start: Date) {
        self.init(start: start)
    }

    /// The current wall-clock date.
    public func now() -> Date { state.withLock { $0.now } }

    /// The current wall-clock date (the same as `now()`).
    public var date: Date { now() }

    /// Every duration slept so far, in order (both ways of sleeping record it).
    public var slept: [Duration] { state.withLock { $0.slept } }

    /// Sleeps for `duration` as this clock's `Sleeping` says; throws `CancellationError` when cancelled.
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        let deadline: Date = state.withLock { state in
            state.slept.append(duration)
            if sleeping == .advancesTime { state.now = state.now.addingTimeInterval(duration.timeInterval) }
            return state.now.addingTimeInterval(duration.timeInterval)
        }
        if sleeping == .untilAdvanced { try await suspend(until: deadline) }
    }

    /// Moves time to `date` (never backwards) and wakes every sleeper whose deadline has come.
    public func advance(to date: Date) {
        let woken = state.withLock { state in
            state.now = max(state.now, date)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Moves time forward by `duration`.
    public func advance(by duration: Duration) {
        advance(to: now().addingTimeInterval(duration.timeInterval))
    }

    /// Moves time forward by `seconds`.
    public func advance(_ seconds: TimeInterval) {
        advance(to: now().addingTimeInterval(seconds))
    }

    private func suspend(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case resume, cancel, wait }
                let action: Action = state.withLock { state in
                    if state.cancelledEarly.remove(id) != nil { return .cancel }
                    if deadline <= state.now { return .resume }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .wait
                }
                switch action {
                case .resume: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                case .wait: announce.yield(deadline)
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                let sleeper = state.sleepers.removeValue(forKey: id)
                if sleeper == nil { state.cancelledEarly.insert(id) }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}

extension Duration {
    /// The duration in seconds, for date arithmetic.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

#if canImport(ZohoCRM)
    public import ZohoCRM

    /// The client, executor, state store and scheduler take the manual clock as the process's one clock.
    extension ManualClock: ZohoClock {}
#endif

#if canImport(ZohoEmulator)
    public import ZohoEmulator

    extension ManualClock {
        /// The emulator's clock reading this one, so tokens and jobs change state as the test moves time.
        public var emulatorClock: EmulatorClock { EmulatorClock(now: { [self] in self.now() }) }
    }
#endif
