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
        )
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

    func drain() -> [Element] {
        storage.withLock { items in
            defer { items = [] }
            return items
        }
    }
}
