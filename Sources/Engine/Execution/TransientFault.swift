import Foundation
import Synchronization
import ZohoCRM

/// Tells a transient fault (Zoho busy, the network, the token) from Zoho's refusal of a record. A transient fault is
/// never a record's failure: the record stays pending (or unknown, when a write may have happened) for the next run.
enum TransientFault {
    /// Zoho's codes that say nothing about the record: rate limits, Zoho's own errors, the token.
    static let codes: Set<String> = [
        "TOO_MANY_REQUESTS", "INTERNAL_ERROR", "INVALID_TOKEN", "AUTHENTICATION_FAILURE", "OAUTH_SCOPE_MISMATCH",
        "REQUEST_FAILED", "NO_RESULT",
    ]

    /// True when `error` is a fault of the call, not Zoho's answer about the record.
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? ZohoError else { return error is CancellationError }
        if error.isTransient { return true }
        switch error.code {
        case .transport, .timeout, .rateLimited, .authentication, .credentials, .unknownOutcome:
            return true
        case .http:
            return (error.httpStatus ?? 500) >= 500 || error.httpStatus == 429
        case .api:
            return (error.httpStatus ?? 0) >= 500 || error.httpStatus == 429
                || error.zohoCode.map(codes.contains) ?? false
        default:
            return false
        }
    }

    /// True for faults the next call would meet too: Zoho's limits, the token, the connection.
    static func lasts(_ error: any Error) -> Bool {
        guard let error = error as? ZohoError else { return false }
        return [.rateLimited, .refreshLimited, .authentication, .credentials, .transport].contains(error.code)
    }

    /// True when the client knows a failed write was never taken (refused unprocessed with 429, a token that could
    /// not be had, a connection that failed before sending). A write cancelled in flight may have happened.
    static func writeNotTaken(_ error: any Error) -> Bool {
        guard !Task.isCancelled, let error = error as? ZohoError else { return false }
        if error.delivery == .notSent { return true }
        return [.rateLimited, .refreshLimited, .authentication, .credentials, .transport].contains(error.code)
    }

}

/// Set by a rule's first transient fault: nothing more is sent for the rule in this run, and what was not done stays
/// pending for the next run.
final class TransientStop: Sendable {
    private let state = Mutex<String?>(nil)
    private let run: StopRequest?

    /// A rule's stop, which a stop of the whole run (Ctrl-C, SIGTERM) also sets.
    init(run: StopRequest? = nil) {
        self.run = run
    }

    /// Why the rule stopped, once it has.
    var reason: String? {
        state.withLock { $0 } ?? (run?.isRequested == true ? "the run was stopped (Ctrl-C or SIGTERM)" : nil)
    }

    /// Stops the rule; the first reason is kept.
    func stop(_ reason: String) {
        state.withLock { current in
            if current == nil { current = reason }
        }
    }
}

extension RuleStep {
    /// True when `error` is a transient fault, which the caller leaves pending (or unknown). One that will last
    /// (the run is stopped, Zoho's limits, the token, the connection) also stops the rule; the first says why. A
    /// lone 5xx does not: the next record may well go through.
    func stopsTheRule(_ error: any Error) -> Bool {
        guard TransientFault.isTransient(error) || Task.isCancelled else { return false }
        if Task.isCancelled || TransientFault.lasts(error) { context.stop.stop(Self.describe(error)) }
        return true
    }

    /// A record not converted because of a transient fault, now or earlier in the rule's run: pending, never a
    /// failure. With `key`, the intent recorded for it is released so the next run sends it (nothing was done).
    func pending(_ record: ZohoRecord, key: LedgerKey?, method: String?, detail: String) -> RecordOutcome {
        let id = record.id ?? ""
        if let key {
            ledger { try store.markOutcome(key, .failed(code: "TRANSIENT_FAULT", message: "not done: \(detail)")) }
        }
        audit.record(.convert, .skipped, recordID: id, detail: "pending after a transient fault: \(detail)")
        var outcome = outcome(record, name: name(of: record), status: .skipped)
        outcome.method = method
        outcome.reason = "pending: not converted because of a transient fault (\(detail)); the next run sends it"
        return outcome
    }

    /// The record, left pending without being sent, when the rule has stopped; nil when it has not.
    func pendingIfStopped(_ record: ZohoRecord, method: String?) -> RecordOutcome? {
        guard let reason = context.stop.reason else { return nil }
        return pending(record, key: nil, method: method, detail: "the rule stopped after: \(reason)")
    }
}
