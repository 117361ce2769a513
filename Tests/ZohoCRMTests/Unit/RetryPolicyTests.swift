import Testing
import ZohoCRM

struct RetryPolicyTests {
    @Test(arguments: [
        (1, 0.5, 0.5), (2, 0.5, 1.0), (3, 0.5, 2.0), (4, 0.5, 4.0), (7, 0.5, 30.0), (20, 0.5, 30.0),
    ])
    func exponentialScheduleWithoutJitterIsCapped(attempt: Int, unit: Double, expectedSeconds: Double) {
        let policy = RetryPolicy(baseDelay: .milliseconds(500), multiplier: 2, maxDelay: .seconds(30), jitter: 0)
        let delay = policy.delay(afterAttempt: attempt, unit: unit)
        #expect(abs(seconds(delay) - expectedSeconds) < 1e-6)
    }

    @Test func jitterSpreadsWithinBoundsAndNeverExceedsTheCap() {
        let policy = RetryPolicy(baseDelay: .seconds(1), multiplier: 2, maxDelay: .seconds(10), jitter: 0.2)
        #expect(abs(seconds(policy.delay(afterAttempt: 1, unit: 0)) - 0.8) < 1e-6)
        #expect(abs(seconds(policy.delay(afterAttempt: 1, unit: 0.5)) - 1.0) < 1e-6)
        #expect(abs(seconds(policy.delay(afterAttempt: 1, unit: 0.999_999)) - 1.2) < 1e-5)
        #expect(seconds(policy.delay(afterAttempt: 10, unit: 0.999)) <= 10)
        #expect(abs(seconds(policy.delay(afterAttempt: 10, unit: 0)) - 8.0) < 1e-6)
    }

    @Test func valuesAreClampedToSaneRanges() {
        let policy = RetryPolicy(maxAttempts: 0, multiplier: 0.5, jitter: 3)
        #expect(policy.maxAttempts == 1)
        #expect(policy.multiplier == 1)
        #expect(policy.jitter == 1)
        #expect(RetryPolicy.none.maxAttempts == 1)
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
