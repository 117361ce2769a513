/// The ZohoCRM module's one public error: a call that failed as a whole, with what, where and how often.
///
/// `description` carries the code, the operation (a path template, never a query string), the HTTP status,
/// Zoho's code, the structural keys of Zoho's details and the attempt count. It never carries tokens,
/// secrets, request or response bodies, or record values; Zoho's own message is kept in `zohoMessage` only.
public struct ZohoError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; an open set, compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case api, http, transport, timeout, unknownOutcome, decoding, configuration, credentials
            case authentication, rateLimited, invalidArgument, refreshLimited
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// Zoho answered with an error envelope (`zohoCode` says which).
        public static let api = Code(.api)
        /// Zoho answered with an unexpected HTTP status and no readable envelope.
        public static let http = Code(.http)
        /// The connection failed before the request could be sent.
        public static let transport = Code(.transport)
        /// A read did not complete within its timeout (after every retry).
        public static let timeout = Code(.timeout)
        /// A write timed out, lost its connection after being sent, or drew a 5xx: it may or may not have happened.
        /// It is never resent; reconcile by reading the records back.
        public static let unknownOutcome = Code(.unknownOutcome)
        /// Zoho's response could not be read as the documented shape.
        public static let decoding = Code(.decoding)
        /// The configuration is invalid (data centre, API host, version, ...).
        public static let configuration = Code(.configuration)
        /// Credentials are missing, incomplete, or stored in a file others can read.
        public static let credentials = Code(.credentials)
        /// OAuth failed: token endpoint refusal, refresh limit, INVALID_TOKEN after a refresh, scope mismatch.
        public static let authentication = Code(.authentication)
        /// Zoho answered 429 TOO_MANY_REQUESTS (after every retry, for reads).
        public static let rateLimited = Code(.rateLimited)
        /// The caller asked for something Zoho would refuse (too many ids, an empty list, a bad query).
        public static let invalidArgument = Code(.invalidArgument)
        /// Zoho's 10 token refreshes per 10 minutes are spent (the client refused an 11th, or Zoho answered
        /// `Access Denied`): transient, nothing was sent to the CRM; wait for the window and carry on.
        public static let refreshLimited = Code(.refreshLimited)

        /// The code's name, e.g. `unknownOutcome`.
        public var description: String { base.rawValue }
    }

    /// What kind of failure.
    public var code: Code
    /// The operation, e.g. `POST /crm/v7/Leads/{id}/actions/convert`.
    public var operation: String
    /// Our own account of what happened, without values.
    public var message: String
    /// The HTTP status of the last response, if one arrived.
    public var httpStatus: Int?
    /// Zoho's error code, e.g. `INVALID_TOKEN`, `TOO_MANY_REQUESTS`, `INVALID_DATA`.
    public var zohoCode: String?
    /// Zoho's message text; not part of `description`, because Zoho sometimes quotes values in it.
    public var zohoMessage: String?
    /// Zoho's details, reduced to structural keys (`api_name`, `json_path`, `param_name`, ...);
    /// any other value is replaced by `<redacted>`.
    public var details: [String: String]
    /// How many times the request was sent.
    public var attempts: Int
    /// The lower-level error, if any (transport, decoding, file system).
    public var underlying: (any Error)?
    /// Whether the request reached Zoho, as far as the client can tell.
    public var delivery: Delivery

    /// Whether a failed request reached Zoho: what decides if it may be sent again.
    public enum Delivery: Sendable, Hashable {
        /// It certainly never left the client (no connection, a wait for a pooled connection, no token, refused
        /// before sending): Zoho did nothing, sending it again is safe.
        case notSent
        /// Zoho answered it with an HTTP status.
        case answered
        /// It was, or may have been, sent and no answer arrived: a write may have happened.
        case unknown
    }

    /// An error built from its parts.
    public init(
        code: Code,
        operation: String,
        message: String,
        httpStatus: Int? = nil,
        zohoCode: String? = nil,
        zohoMessage: String? = nil,
        details: [String: String] = [:],
        attempts: Int = 0,
        underlying: (any Error)? = nil,
        delivery: Delivery? = nil
    ) {
        self.code = code
        self.operation = operation
        self.message = message
        self.httpStatus = httpStatus
        self.zohoCode = zohoCode
        self.zohoMessage = zohoMessage
        self.details = details
        self.attempts = attempts
        self.underlying = underlying
        // Unless told: an HTTP status means Zoho answered; an unknown outcome or timeout may have been sent; any
        // other failure (configuration, arguments, credentials, token endpoint) stops before a CRM call is sent.
        self.delivery =
            delivery
            ?? (httpStatus != nil
                ? .answered : code == .unknownOutcome || code == .timeout || code == .transport ? .unknown : .notSent)
    }

    /// True when the request may have taken effect and must be reconciled before anything is resent.
    public var isOutcomeUnknown: Bool { code == .unknownOutcome }

    /// True for a fault of the moment, not a verdict on a record: 429, a 5xx, a timeout, a lost connection, the token
    /// refresh window. The record stays pending and a later call or run carries on.
    public var isTransient: Bool {
        switch code {
        case .rateLimited, .refreshLimited, .timeout, .transport, .unknownOutcome: return true
        case .api, .http: return (httpStatus ?? 0) >= 500
        default: return false
        }
    }

    /// One line without secrets or values.
    public var description: String {
        var parts = ["\(code)", operation]
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        if let zohoCode { parts.append(zohoCode) }
        var text = "ZohoError(" + parts.joined(separator: ", ") + "): " + message
        if !details.isEmpty {
            text +=
                " [details: "
                + details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            text += "]"
        }
        if attempts > 0 { text += " after \(attempts) attempt\(attempts == 1 ? "" : "s")" }
        if let underlying { text += " (cause: \(Self.describeCause(underlying)))" }
        return text
    }

    /// Keys of Zoho's `details` whose values describe structure, not data, and may be shown.
    static let structuralDetailKeys: Set<String> = [
        "api_name", "json_path", "param_name", "param_names", "resource_path_index", "expected_data_type",
        "maximum_length", "minimum_length", "limit", "by", "clause", "line", "column", "supported_version",
        "supported_values", "expected_fields", "limit_due_to", "ambiguity_due_to", "column_name", "reason",
        "mapped_field", "permissions", "param",
    ]

    /// Reduces Zoho's details to structural keys; other values become `<redacted>`.
    static func redact(_ details: [String: ZohoJSON]) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in details {
            if structuralDetailKeys.contains(key) {
                out[key] = render(value)
            } else {
                out[key] = "<redacted>"
            }
        }
        return out
    }

    private static func render(_ value: ZohoJSON) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s.count > 120 ? String(s.prefix(120)) + "…" : s
        case .array(let a): return "[" + a.map(render).joined(separator: ", ") + "]"
        case .object(let o):
            // Nested objects (limit_due_to items, expected_fields) are structural only in their known keys.
            let inner = o.sorted { $0.key < $1.key }.map { key, v in
                "\(key): " + (structuralDetailKeys.contains(key) ? render(v) : "<redacted>")
            }
            return "{" + inner.joined(separator: ", ") + "}"
        }
    }

    /// Names a cause without its payload: error descriptions from decoders can quote input bytes.
    private static func describeCause(_ error: any Error) -> String {
        if let zohoError = error as? ZohoError { return zohoError.description }
        let typeName = String(describing: type(of: error))
        // AHC's descriptions are fixed code names without request data.
        if typeName == "HTTPClientError" { return String(describing: error) }
        return typeName
    }
}
