import Foundation
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

}
