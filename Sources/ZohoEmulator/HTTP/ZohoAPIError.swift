import Foundation
import Hummingbird
import Logging

/// A Zoho error answer that renders itself in Zoho's envelope: top level `{code,details,message,status}`, or inside
/// `data[]` where Zoho reports per-record outcomes.
struct ZohoAPIError: Error, HTTPResponseError, Sendable {
    enum Envelope: Sendable { case top, data }

    let status: HTTPResponse.Status
    let code: String
    let message: String
    let details: [String: JSONValue]
    var envelope: Envelope = .top
    /// Headers the answer carries besides the body (the credits left, once the call was charged).
    var headers = HTTPFields()

    init(
        _ status: HTTPResponse.Status,
        _ code: String,
        _ message: String,
        details: [String: JSONValue] = [:],
        envelope: Envelope = .top
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.envelope = envelope
    }

    /// The `{code,details,message,status}` object.
    var body: JSONValue {
        ["code": .string(code), "details": .object(details), "message": .string(message), "status": "error"]
    }

    /// The same error inside `data[]`.
    func inData() -> ZohoAPIError {
        var copy = self
        copy.envelope = .data
        return copy
    }

    /// The same error answered with `headers` too.
    func adding(_ headers: HTTPFields) -> ZohoAPIError {
        var copy = self
        copy.headers.append(contentsOf: headers)
        return copy
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(envelope == .data ? ["data": [body]] : body, status: status, headers: headers)
    }

    // MARK: - Zoho's common errors

    static func invalidURL() -> ZohoAPIError {
        ZohoAPIError(.notFound, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one")
    }

    static func invalidMethod() -> ZohoAPIError {
        ZohoAPIError(.badRequest, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one")
    }

    /// A module named in the URL: `resource_path_index` counts path segments after `/crm/{version}/` (OAS
    /// InvalidUrlDetails), 0 for `/{module}/...`.
    static func invalidModule(pathIndex: Int = 0) -> ZohoAPIError {
        ZohoAPIError(
            .badRequest,
            "INVALID_MODULE",
            "the module name given seems to be invalid",
            details: ["resource_path_index": .int(Int64(pathIndex))]
        )
    }

    /// A module named in a query parameter (`GET /settings/fields?module=`).
    static func invalidModule(param: String) -> ZohoAPIError {
        ZohoAPIError(
            .badRequest,
            "INVALID_MODULE",
            "the module name given seems to be invalid",
            details: ["param_name": .string(param)]
        )
    }

    /// A refusal about the record named in the URL (`/{module}/{id}/...`): details `{resource_path_index: 1}`.
    static func urlRecord(_ code: String, _ message: String) -> ZohoAPIError {
        ZohoAPIError(.badRequest, code, message, details: ["resource_path_index": 1])
    }

    static func authenticationFailure() -> ZohoAPIError {
        ZohoAPIError(.unauthorized, "AUTHENTICATION_FAILURE", "Authentication failed")
    }

    static func invalidToken() -> ZohoAPIError {
        ZohoAPIError(.unauthorized, "INVALID_TOKEN", "invalid oauth token")
    }

    static func scopeMismatch(_ scope: String) -> ZohoAPIError {
        ZohoAPIError(
            .unauthorized,
            "OAUTH_SCOPE_MISMATCH",
            "invalid oauth scope to access this URL",
            details: ["required_scope": .string(scope)]
        )
    }

    static func tooManyRequests(_ message: String = "too many requests") -> ZohoAPIError {
        ZohoAPIError(.tooManyRequests, "TOO_MANY_REQUESTS", message)
    }

    static func internalError() -> ZohoAPIError {
        ZohoAPIError(.internalServerError, "INTERNAL_ERROR", "Internal Server Error")
    }

    /// Zoho's 500 for a failure that is not a Zoho answer; the log names the error's type only, since its
    /// description may hold record data.
    static func internalError(_ error: any Error, logger: Logger) -> ZohoAPIError {
        logger.error("emulator handler failed", metadata: ["error": "\(type(of: error))"])
        return internalError()
    }

    static func mandatoryNotFound(_ apiName: String, _ path: String) -> ZohoAPIError {
        ZohoAPIError(
            .badRequest,
            "MANDATORY_NOT_FOUND",
            "required field not found",
            details: ["api_name": .string(apiName), "json_path": .string(path)]
        )
    }

    /// INVALID_DATA with Zoho's fixed message; what was wrong is in `details` (api_name, json_path, ...).
    static func invalidData(_ details: [String: JSONValue]) -> ZohoAPIError {
        ZohoAPIError(.badRequest, "INVALID_DATA", "invalid data", details: details)
    }

    static func requiredParam(_ name: String) -> ZohoAPIError {
        ZohoAPIError(
            .badRequest,
            "REQUIRED_PARAM_MISSING",
            "One of the expected parameter is missing",
            details: ["param_name": .string(name)]
        )
    }

    static func invalidParam(_ name: String) -> ZohoAPIError {
        ZohoAPIError(.badRequest, "INVALID_DATA", "invalid data", details: ["param_name": .string(name)])
    }
}

/// JSON responses with Zoho's content type.
enum JSONResponse {
    static func encode(_ value: JSONValue) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json;charset=UTF-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encode(value))))
    }

    /// 204 with an empty body, as Zoho answers "nothing here".
    static func noContent() -> Response {
        Response(status: .noContent)
    }

    /// Reads a body with integers kept exact (19-digit ids arrive as JSON numbers).
    static func decode(_ data: Data) -> JSONValue? {
        JSONReader.parse(data)
    }
}

/// Zoho's date and time formats.
enum ZohoTime {
    /// `2026-11-23T09:00:00+00:00`: UTC, whole seconds (rounded down), as ISO8601DateFormatter's internet date
    /// time writes it; computed, because a formatter per call cost more than the conversion it was part of.
    static func dateTime(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let (days, time) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, second) = time < 0 ? (days - 1, time + 86_400) : (days, time)
        let (year, month, dayOfMonth) = civil(fromDays: day)
        func pad(_ n: Int64, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))T\(pad(second / 3600, 2)):"
            + "\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2))+00:00"
    }

    /// Year, month and day of the proleptic Gregorian calendar for days since 1970-01-01 (H. Hinnant's
    /// `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `2026-11-23`.
    static func date(_ date: Date) -> String {
        String(dateTime(date).prefix(10))
    }

    static func parseDate(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.date(from: String(text.prefix(10)))
    }
}
