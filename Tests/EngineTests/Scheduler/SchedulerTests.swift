import Engine
import Foundation
import Logging
import RuleKit
import ServiceLifecycle
import Synchronization
import Testing

/// What `onDue` saw, and a gate that holds each run open until the test lets it finish.
final class RunProbe: Sendable {
    struct Call: Equatable, Sendable {
        var rules: [String]
        var due: Date
    }

    private struct State {
        var calls: [Call] = []
        var running = 0
        var mostAtOnce = 0
        var finished = 0
        var sawShutdown = false
    }

    private let state = Mutex(State())
    let started: AsyncStream<Call>
    private let startedContinuation: AsyncStream<Call>.Continuation
    private let permits: AsyncStream<Void>
    private let permitContinuation: AsyncStream<Void>.Continuation
    private let gated: Bool
    /// Yields once a graceful shutdown reaches a running `onDue`.
    let shutdownSeen: AsyncStream<Void>
    private let shutdownContinuation: AsyncStream<Void>.Continuation

    init(gated: Bool) {
        self.gated = gated
        (started, startedContinuation) = AsyncStream.makeStream(of: Call.self)
        (permits, permitContinuation) = AsyncStream.makeStream(of: Void.self)
        (shutdownSeen, shutdownContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    var calls: [Call] { state.withLock { $0.calls } }
    var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
    var finished: Int { state.withLock { $0.finished } }
    var sawShutdown: Bool { state.withLock { $0.sawShutdown } }

    /// Lets one held run finish.
    func permit() { permitContinuation.yield() }

    func onDue(_ rules: [String], _ due: Date) async {
        let call = Call(rules: rules, due: due)
        state.withLock { state in
            state.calls.append(call)
            state.running += 1
            state.mostAtOnce = max(state.mostAtOnce, state.running)
        }
        startedContinuation.yield(call)
        if gated {
            let seen = shutdownContinuation
            await withGracefulShutdownHandler {
                var iterator = permits.makeAsyncIterator()
                _ = await iterator.next()
            } onGracefulShutdown: {
                seen.yield()
            }
        }
        let shuttingDown = Task.isShuttingDownGracefully
        state.withLock { state in
            state.running -= 1
            state.finished += 1
            state.sawShutdown = state.sawShutdown || shuttingDown
        }
    }
}

/// Keeps every log message, to check what the scheduler says about missed times.
struct CapturingLogHandler: LogHandler {
    final class Box: Sendable {
        let lines = Mutex<[String]>([])
    }

    let box: Box
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        box.lines.withLock { $0.append(([event.message.description] + fields).joined(separator: " ")) }
    }
}

@Suite(.timeLimit(.minutes(1)))
struct SchedulerTests {
    static func utc(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    static func entry(_ name: String, _ cron: String, _ zone: String = "UTC") throws -> ScheduleEntry {
        ScheduleEntry(
            ruleName: name,
            expression: try CronExpression(parsing: cron),
            timeZone: try #require(TimeZone(identifier: zone))
        )
    }

    static func make(
        _ entries: [ScheduleEntry],
        clock: ManualClock,
        probe: RunProbe,
        maximumSleep: Duration = .seconds(86_400),
        logs: CapturingLogHandler.Box = .init()
    ) -> Scheduler {
        Scheduler(
            entries: entries,
            clock: clock,
            logger: Logger(label: "scheduler-test") { _ in CapturingLogHandler(box: logs) },
            maximumSleep: maximumSleep,
            onDue: { rules, due in await probe.onDue(rules, due) }
        )
    }

    @Test func firesEachRuleAtItsInstants() async throws {
        let clock = ManualClock(start: try Self.utc("2026-11-23T09:12:00Z"))
        let probe = RunProbe(gated: false)
        let scheduler = Self.make(
            [
                try Self.entry("quarter", "*/15 * * * *"),
                try Self.entry("hourly", "0 * * * *"),
                try Self.entry("berlin-eleven", "0 11 * * *", "Europe/Berlin"),
            ],
            clock: clock,
            probe: probe
        )
        let expected: [RunProbe.Call] = [
            .init(rules: ["quarter"], due: try Self.utc("2026-11-23T09:15:00Z")),
            .init(rules: ["quarter"], due: try Self.utc("2026-11-23T09:30:00Z")),
            .init(rules: ["quarter"], due: try Self.utc("2026-11-23T09:45:00Z")),
            // 11:00 in Berlin is 10:00 UTC in November.
            .init(rules: ["quarter", "hourly", "berlin-eleven"], due: try Self.utc("2026-11-23T10:00:00Z")),
            .init(rules: ["quarter"], due: try Self.utc("2026-11-23T10:15:00Z")),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            var sleeps = clock.sleeps.makeAsyncIterator()
            var started = probe.started.makeAsyncIterator()
            for call in expected {
                let deadline = try #require(await sleeps.next())
                #expect(deadline == call.due)
                clock.advance(to: deadline)
                #expect(await started.next() == call)
            }
            #expect(await sleeps.next() == (try Self.utc("2026-11-23T10:30:00Z")))
            group.cancelAll()
            await #expect(throws: CancellationError.self) { try await group.next() }
        }
        #expect(probe.calls == expected)
    }

    @Test func longWaitsAreCappedAndALateWakeStillFires() async throws {
        let clock = ManualClock(start: try Self.utc("2026-11-23T09:12:00Z"))
        let probe = RunProbe(gated: false)
        let scheduler = Self.make(
            [try Self.entry("ten", "0 10 * * *")],
            clock: clock,
            probe: probe,
            maximumSleep: .seconds(300)
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            var sleeps = clock.sleeps.makeAsyncIterator()
            var started = probe.started.makeAsyncIterator()
            #expect(await sleeps.next() == (try Self.utc("2026-11-23T09:17:00Z")))
            clock.advance(to: try Self.utc("2026-11-23T09:17:00Z"))
            #expect(await sleeps.next() == (try Self.utc("2026-11-23T09:22:00Z")))
            // The machine slept through 10:00 (e.g. a suspended laptop): the wake-up finds the rule due.
            clock.advance(to: try Self.utc("2026-11-23T10:03:00Z"))
            #expect(await started.next() == .init(rules: ["ten"], due: try Self.utc("2026-11-23T10:00:00Z")))
            #expect(await sleeps.next() == (try Self.utc("2026-11-23T10:08:00Z")))
            group.cancelAll()
            _ = try? await group.next()
        }
        #expect(probe.calls.count == 1)
    }

    @Test func noOverlapAndMissedTimesRunOnceAfterwards() async throws {
        let clock = ManualClock(start: try Self.utc("2026-11-23T09:12:00Z"))
        let probe = RunProbe(gated: true)
        let logs = CapturingLogHandler.Box()
        let scheduler = Self.make([try Self.entry("quarter", "*/15 * * * *")], clock: clock, probe: probe, logs: logs)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scheduler.run() }
            var sleeps = clock.sleeps.makeAsyncIterator()
            var started = probe.started.makeAsyncIterator()
            clock.advance(to: try #require(await sleeps.next()))
            #expect(await started.next()?.due == (try Self.utc("2026-11-23T09:15:00Z")))
            // The run takes two hours: seven quarter-hours pass meanwhile.
            clock.advance(to: try Self.utc("2026-11-23T11:20:00Z"))
            probe.permit()
            #expect(await started.next() == .init(rules: ["quarter"], due: try Self.utc("2026-11-23T11:15:00Z")))
            probe.permit()
            #expect(await sleeps.next() == (try Self.utc("2026-11-23T11:30:00Z")))
            group.cancelAll()
            _ = try? await group.next()
        }
        #expect(probe.calls.count == 2)
        #expect(probe.mostAtOnce == 1)
        let warnings = logs.lines.withLock { $0 }.filter { $0.contains("previous run was still going") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("missed=7") == true)
    }

    @Test func gracefulShutdownWhileWaiting() async throws {
        let clock = ManualClock(start: try Self.utc("2026-11-23T09:12:00Z"))
        let probe = RunProbe(gated: false)
        let scheduler = Self.make([try Self.entry("quarter", "*/15 * * * *")], clock: clock, probe: probe)
        let services = ServiceGroup(
            services: [scheduler],
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var sleeps = clock.sleeps.makeAsyncIterator()
            _ = await sleeps.next()
            await services.triggerGracefulShutdown()
            // The group ends on its own (no cancellation): the scheduler returned normally.
            try await group.next()
        }
        #expect(probe.calls.isEmpty)
    }

    @Test func gracefulShutdownDuringARunLetsItFinish() async throws {
        let clock = ManualClock(start: try Self.utc("2026-11-23T09:12:00Z"))
        let probe = RunProbe(gated: true)
        let scheduler = Self.make([try Self.entry("quarter", "*/15 * * * *")], clock: clock, probe: probe)
        let services = ServiceGroup(
            services: [scheduler],
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var sleeps = clock.sleeps.makeAsyncIterator()
            var started = probe.started.makeAsyncIterator()
            clock.advance(to: try #require(await sleeps.next()))
            _ = await started.next()
            await services.triggerGracefulShutdown()
            var seen = probe.shutdownSeen.makeAsyncIterator()
            _ = await seen.next()
            // Time passes during the run; after it, the scheduler stops instead of running the missed time.
            clock.advance(to: try Self.utc("2026-11-23T10:00:00Z"))
            probe.permit()
            try await group.next()
        }
        #expect(probe.calls.count == 1)
        #expect(probe.finished == 1)
        #expect(probe.sawShutdown)
    }

    @Test func aScheduleThatNeverFiresIdlesUntilShutdown() async throws {
        let clock = ManualClock(start: try Self.utc("2026-11-23T09:12:00Z"))
        let probe = RunProbe(gated: false)
        let logs = CapturingLogHandler.Box()
        let scheduler = Self.make(
            [try Self.entry("feb-30", "0 0 30 2 *")],
            clock: clock,
            probe: probe,
            maximumSleep: .seconds(300),
            logs: logs
        )
        let services = ServiceGroup(
            services: [scheduler],
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var sleeps = clock.sleeps.makeAsyncIterator()
            #expect(await sleeps.next() == (try Self.utc("2026-11-23T09:17:00Z")))
            await services.triggerGracefulShutdown()
            try await group.next()
        }
        #expect(probe.calls.isEmpty)
        #expect(logs.lines.withLock { $0 }.contains { $0.hasPrefix("schedule never fires") })
    }
}
