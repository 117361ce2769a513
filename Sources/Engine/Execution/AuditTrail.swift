import Foundation
import Logging
import Synchronization

/// Audit events of one rule, buffered and written in batches.
final class AuditTrail: Sendable {
    private let store: StateStore
    private let pipeline: Pipeline
    private let runID: String
    private let dryRun: Bool
    private let now: @Sendable () -> Date
    private let buffer = LockedBuffer<AuditEvent>()

    init(store: StateStore, pipeline: Pipeline, runID: String, dryRun: Bool, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.pipeline = pipeline
        self.runID = runID
        self.dryRun = dryRun
        self.now = now
    }

    /// Records one event.
    func record(
        _ step: AuditStep,
        _ outcome: AuditOutcome,
        recordID: String? = nil,
        detail: String? = nil,
        zohoCode: String? = nil,
        jobID: String? = nil,
        childID: String? = nil
    ) {
        buffer.append(
            event(
                step,
                outcome,
                recordID: recordID,
                detail: detail,
                zohoCode: zohoCode,
                jobID: jobID,
                childID: childID
            )
        )
    }

    /// One event, not buffered: for `commit(adding:)`, which writes it only with its ledger change.
    func event(
        _ step: AuditStep,
        _ outcome: AuditOutcome,
        recordID: String? = nil,
        detail: String? = nil,
        zohoCode: String? = nil,
        jobID: String? = nil,
        childID: String? = nil
    ) -> AuditEvent {
        AuditEvent(
            time: now(),
            runID: runID,
            rule: pipeline.rule.name,
            ruleFile: pipeline.ruleFile,
            ruleLine: pipeline.ruleLine,
            recordID: recordID,
            module: pipeline.module,
            step: step.rawValue,
            outcome: outcome.rawValue,
            detail: detail,
            zohoCode: zohoCode,
            jobID: jobID,
            childID: childID,
            dryRun: dryRun
        )
    }

    /// Runs `write` with every buffered event, for a ledger change that must not be kept without its events (one
    /// transaction). When it fails the events stay buffered, for the next flush.
    /// `extra` events are written only with it: when it fails they are dropped, since what they tell did not happen.
    func commit(
        adding extra: [AuditEvent] = [],
        _ write: ([AuditEvent]) throws(EngineError) -> Void
    ) throws(EngineError) {
        let events = buffer.drain()
        do {
            try write(events + extra)
        } catch {
            buffer.prepend(events)
            throw error
        }
    }

    /// Writes what is buffered; a failure is logged, since the ledger (not the audit log) guards exactly-once.
    func flush(logger: Logger) {
        let events = buffer.drain()
        guard !events.isEmpty else { return }
        do {
            try store.append(events)
        } catch {
            logger.error("could not write \(events.count) audit events: \(error)")
        }
    }
}

/// A small lock-protected array for collecting results from concurrent tasks.
final class LockedBuffer<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])

    func append(_ element: Element) {
        storage.withLock { $0.append(element) }
    }

    func prepend(_ elements: [Element]) {
        storage.withLock { $0.insert(contentsOf: elements, at: 0) }
    }

    func drain() -> [Element] {
        storage.withLock { items in
            defer { items = [] }
            return items
        }
    }
}
