/// Caps in-flight calls at the edition's limit, and calls to Zoho's complex APIs at their own lower limit.
///
/// Zoho answers a call beyond the limit with 429 rather than queueing it, so the client queues instead.
/// Waiters are served first come, first served, skipping only those whose pool is full.
actor ConcurrencyLimiter {
    private struct Waiter {
        let id: UInt64
        let complex: Bool
        let continuation: CheckedContinuation<Void, any Error>
    }

    let limit: Int
    let complexLimit: Int
    private var inFlight = 0
    private var complexInFlight = 0
    private var waiters: [Waiter] = []
    private var nextID: UInt64 = 0
    /// The highest number of calls in flight at once, for tests and diagnostics.
    private(set) var peakInFlight = 0

    init(limit: Int, complexLimit: Int) {
        self.limit = max(1, limit)
        self.complexLimit = max(1, min(complexLimit, limit))
    }

    /// Waits for a permit; throws `CancellationError` if the task is cancelled while waiting.
    func acquire(complex: Bool) async throws {
        try Task.checkCancellation()
        if waiters.isEmpty, fits(complex: complex) {
            take(complex: complex)
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiters.append(Waiter(id: id, complex: complex, continuation: continuation))
            }
        } onCancel: {
            Task { await self.cancel(id: id) }
        }
    }

    /// Returns a permit taken by `acquire`.
    func release(complex: Bool) {
        inFlight -= 1
        if complex { complexInFlight -= 1 }
        grant()
    }

    private func fits(complex: Bool) -> Bool {
        inFlight < limit && (!complex || complexInFlight < complexLimit)
    }

    private func take(complex: Bool) {
        inFlight += 1
        if complex { complexInFlight += 1 }
        peakInFlight = max(peakInFlight, inFlight)
    }

    private func grant() {
        var index = 0
        while index < waiters.count, inFlight < limit {
            if fits(complex: waiters[index].complex) {
                let waiter = waiters.remove(at: index)
                take(complex: waiter.complex)
                waiter.continuation.resume()
            } else {
                index += 1
            }
        }
    }

    private func cancel(id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.continuation.resume(throwing: CancellationError())
    }
}
