import Synchronization
import Testing

@testable import ZohoCRM

struct LimiterTests {
    /// Many tasks through a limiter never exceed either pool, and all of them finish.
    @Test(arguments: [(3, 2), (5, 5), (1, 1)])
    func inFlightNeverExceedsEitherLimit(limit: Int, complexLimit: Int) async throws {
        let limiter = ConcurrencyLimiter(limit: limit, complexLimit: complexLimit)
        let counters = Counters()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<60 {
                let complex = index % 3 == 0
                group.addTask {
                    try await limiter.acquire(complex: complex)
                    counters.state.withLock {
                        $0.all += 1
                        if complex { $0.complex += 1 }
                        $0.peakAll = max($0.peakAll, $0.all)
                        $0.peakComplex = max($0.peakComplex, $0.complex)
                    }
                    await Task.yield()
                    counters.state.withLock {
                        $0.all -= 1
                        if complex { $0.complex -= 1 }
                        $0.done += 1
                    }
                    await limiter.release(complex: complex)
                }
            }
            try await group.waitForAll()
        }
        let final = counters.state.withLock { $0 }
        #expect(final.done == 60)
        #expect(final.peakAll <= limit)
        #expect(final.peakComplex <= complexLimit)
        #expect(await limiter.peakInFlight <= limit)
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        let limiter = ConcurrencyLimiter(limit: 1, complexLimit: 1)
        try await limiter.acquire(complex: false)
        let waiter = Task { try await limiter.acquire(complex: false) }
        await Task.yield()
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        await limiter.release(complex: false)
        // The permit is free again: the cancelled waiter did not take it.
        try await limiter.acquire(complex: false)
        await limiter.release(complex: false)
    }
}

/// Shared counters for the tasks of one test.
private final class Counters: Sendable {
    let state = Mutex((all: 0, complex: 0, peakAll: 0, peakComplex: 0, done: 0))
}
