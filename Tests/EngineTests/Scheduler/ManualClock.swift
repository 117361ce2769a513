import Foundation
import Synchronization

/// A clock that moves only when a test says so, with a wall-clock date that moves with it.
///
/// Every `sleep` is announced on `sleeps`, so a test can wait until the code under test is waiting, then advance
/// time past its deadline: no real sleeping and no polling.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
        var cancelledEarly: Set<Int> = []
    }

    private let state = Mutex(State())
    private let start: Date
    /// The deadline of every sleep, in order, as it begins.
    let sleeps: AsyncStream<Date>
    private let announce: AsyncStream<Date>.Continuation

    init(start: Date) {
        self.start = start
        (sleeps, announce) = AsyncStream.makeStream(of: Date.self)
    }

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }

    /// The wall-clock date matching `now`.
    var date: Date { date(of: now) }

    func date(of instant: Instant) -> Date {
        let (seconds, attoseconds) = instant.offset.components
        return start.addingTimeInterval(TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18)
    }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
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
                case .wait: announce.yield(date(of: deadline))
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

    /// Moves time to `date` (never backwards) and wakes every sleeper whose deadline has come.
    func advance(to date: Date) {
        let target = Duration.milliseconds(Int64((date.timeIntervalSince(start) * 1000).rounded()))
        let woken = state.withLock { state in
            state.now = Instant(offset: max(state.now.offset, target))
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Moves time forward by `duration`.
    func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        advance(to: date.addingTimeInterval(TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18))
    }
}
