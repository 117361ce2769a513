public import Foundation
public import Logging
public import RuleKit
public import ServiceLifecycle
public import ZohoCRM

/// One scheduled rule: its name, its cron expression and the time zone the expression is read in.
public struct ScheduleEntry: Sendable, Hashable {
    /// The rule's name, passed to `onDue`.
    public var ruleName: String
    /// When the rule runs.
    public var expression: CronExpression
    /// The zone whose wall clock the expression follows (daylight-saving aware).
    public var timeZone: TimeZone

    /// An entry with every part given.
    public init(ruleName: String, expression: CronExpression, timeZone: TimeZone) {
        self.ruleName = ruleName
        self.expression = expression
        self.timeZone = timeZone
    }
}

/// Runs rules when their cron schedule is due, one run at a time, until graceful shutdown (the daemon's core).
///
/// It computes each entry's next fire time, sleeps until the earliest, then calls `onDue` with every rule due at
/// that instant and waits for it to return before anything else: runs never overlap. Fire times that pass while a
/// run is going are not queued up; each rule whose time passed runs once afterwards, and the skipped times are
/// logged. On graceful shutdown (SIGTERM through a `ServiceGroup`) it stops waiting at once, but an `onDue`
/// already running is left to finish (it can check `Task.isShuttingDownGracefully` to park its work early).
public struct Scheduler: Service {
    /// The rules and their schedules.
    public let entries: [ScheduleEntry]
    private let clock: any ZohoClock
    private let logger: Logger
    private let maximumSleep: Duration
    private let onDue: @Sendable ([String], Date) async -> Void

    /// A scheduler over `entries`; `onDue` receives the names of the rules due and the (latest) instant they were
    /// due. `clock` gives the wall-clock date cron expressions are matched against and the sleep between fire
    /// times (tests pass a manual clock, so no test sleeps for real). `maximumSleep` bounds one wait, so a
    /// wall-clock change (NTP, a suspended laptop) is noticed within it.
    public init(
        entries: [ScheduleEntry],
        clock: any ZohoClock = ZohoSystemClock(),
        logger: Logger,
        maximumSleep: Duration = .seconds(300),
        onDue: @escaping @Sendable ([String], Date) async -> Void
    ) {
        self.entries = entries
        self.clock = clock
        self.logger = logger
        self.maximumSleep = maximumSleep
        self.onDue = onDue
    }

    /// Schedules until graceful shutdown or cancellation; returns normally on graceful shutdown.
    public func run() async throws {
        var nextFire = entries.map { $0.expression.next(after: clock.now(), in: $0.timeZone) }
        for (entry, fire) in zip(entries, nextFire) {
            if let fire {
                logger.info(
                    "scheduled",
                    metadata: ["rule": "\(entry.ruleName)", "schedule": "\(entry.expression)", "next": "\(fire)"]
                )
            } else {
                logger.warning(
                    "schedule never fires; the rule will not run",
                    metadata: ["rule": "\(entry.ruleName)", "schedule": "\(entry.expression)"]
                )
            }
        }
        while !Task.isShuttingDownGracefully {
            try Task.checkCancellation()
            guard let earliest = nextFire.compactMap({ $0 }).min() else {
                // Nothing will ever be due; idle until told to stop rather than exit and end the daemon's group.
                try await sleep(for: nil)
                continue
            }
            let now = clock.now()
            if earliest > now {
                // Woken early (a capped wait, or the wall clock moved back): wait again for what remains.
                try await sleep(for: .seconds(earliest.timeIntervalSince(now)))
                continue
            }
            var due: [String] = []
            var dueAt = earliest
            for index in entries.indices {
                guard let fire = nextFire[index], fire <= now else { continue }
                let entry = entries[index]
                let (latest, missed) = latestFire(of: entry, from: fire, upTo: now)
                if missed > 0 {
                    logger.warning(
                        "schedule was due while the previous run was still going; running once now",
                        metadata: ["rule": "\(entry.ruleName)", "missed": "\(missed)", "first-missed": "\(fire)"]
                    )
                }
                due.append(entry.ruleName)
                dueAt = max(dueAt, latest)
                nextFire[index] = entry.expression.next(after: now, in: entry.timeZone)
            }
            logger.info("running due rules", metadata: ["rules": "\(due.joined(separator: ","))", "due": "\(dueAt)"])
            // Not cancelled on graceful shutdown: the run finishes (or parks its work) on its own.
            await onDue(due, dueAt)
        }
        logger.info("scheduler stopped")
    }

    /// The last fire time of `entry` at or before `now`, counting from `first`, and how many were passed over.
    private func latestFire(of entry: ScheduleEntry, from first: Date, upTo now: Date) -> (Date, Int) {
        var latest = first
        var missed = 0
        // Bounded: an every-minute rule stalled for a week is 10,080 steps; beyond the bound the count is a floor.
        while missed < 100_000, let next = entry.expression.next(after: latest, in: entry.timeZone), next <= now {
            latest = next
            missed += 1
        }
        return (latest, missed)
    }

    /// Sleeps for `duration` (capped), or up to the cap when nil; returns early, without error, on graceful shutdown.
    private func sleep(for duration: Duration?) async throws {
        let wait = min(duration ?? maximumSleep, maximumSleep)
        guard wait > .zero else { return }
        do {
            try await cancelWhenGracefulShutdown {
                try await clock.sleep(for: wait)
            }
        } catch is CancellationError where Task.isShuttingDownGracefully {
            return
        }
    }
}
