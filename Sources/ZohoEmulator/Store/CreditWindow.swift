import Foundation

/// The credits spent in Zoho's rolling 24-hour window, with their running total.
///
/// Charges arrive in time order, so the expired ones are always the oldest: they are dropped from the front and
/// the total kept, instead of filtering and summing the whole day's log on every call. Should the clock ever go
/// back, the window falls back to filtering all of it, which is right whatever the order.
struct CreditWindow: Sendable {
    static let length: TimeInterval = 86_400
    private var log: [(time: Date, credits: Int)] = []
    /// Entries before this index have expired.
    private var start = 0
    private(set) var used = 0
    private var inTimeOrder = true

    /// Drops the charges older than the window as of `now`.
    mutating func expire(at now: Date) {
        guard inTimeOrder else {
            log.removeAll { now.timeIntervalSince($0.time) >= Self.length }
            used = log.reduce(0) { $0 + $1.credits }
            return
        }
        while start < log.count, now.timeIntervalSince(log[start].time) >= Self.length {
            used -= log[start].credits
            start += 1
        }
        // Compacted now and then, so the log holds about one window.
        if start > 1_024 && start * 2 > log.count {
            log.removeFirst(start)
            start = 0
        }
    }

    /// Records a charge at `now`.
    mutating func charge(_ credits: Int, at now: Date) {
        if let last = log.last, now < last.time, inTimeOrder {
            log.removeFirst(start)
            start = 0
            inTimeOrder = false
        }
        log.append((now, credits))
        used += credits
    }
}
