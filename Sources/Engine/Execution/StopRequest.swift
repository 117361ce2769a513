import Synchronization

/// A request to stop a run early (Ctrl-C, SIGTERM). Once it is made no new write is sent: calls already in flight
/// and the confirmation of jobs already submitted still finish, within `ExecutionOptions.stopGrace`, so everything
/// that was sent is recorded and confirmed where Zoho allows, and nothing confirmed is left for the next run's
/// 15-minute grace period.
public final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)

    /// A request not yet made.
    public init() {}

    /// Asks the run to stop sending; safe from any thread, idempotent.
    public func request() { requested.store(true, ordering: .relaxed) }

    /// True once `request()` was called.
    public var isRequested: Bool { requested.load(ordering: .relaxed) }
}
