/// A query (COQL or search criteria) the emulator refuses, rendered as Zoho's `{code, details, message, status}`.
///
/// Every query error is an HTTP 400 in Zoho's documents; the routes render `body` as it is.
struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Zoho's error code, e.g. `SYNTAX_ERROR`, `INVALID_QUERY`, `LIMIT_EXCEEDED`.
    let code: String
    /// Zoho's message text for the code.
    let message: String
    /// Zoho's `details` object (positions, column names, limits).
    let details: [String: JSONValue]

    /// The HTTP status Zoho answers with for every query error.
    var httpStatus: Int { 400 }

    /// Zoho's error envelope for this error.
    var body: JSONValue {
        .object([
            "code": .string(code), "details": .object(details), "message": .string(message), "status": "error",
        ])
    }

    /// The code, message and details, for test output and logs (queries carry no secrets).
    var description: String { "\(code): \(message) \(JSONValue.object(details))" }
}

extension QueryError {
    /// COQL: the query does not parse; the position is 1-based.
    static func syntax(line: Int, column: Int, near: String) -> QueryError {
        QueryError(
            code: "SYNTAX_ERROR",
            message: "invalid query formed",
            details: ["line": .int(Int64(line)), "column": .int(Int64(column)), "near": .string(near)]
        )
    }

    /// COQL: a named clause is missing or misplaced (Zoho's `{clause}` details).
    static func syntax(clause: String) -> QueryError {
        QueryError(code: "SYNTAX_ERROR", message: "invalid query formed", details: ["clause": .string(clause)])
    }

    /// COQL: a required clause is absent (`{"clause":"where"}`, "missing clause", Zoho's v8 example).
    static func missing(clause: String) -> QueryError {
        QueryError(code: "SYNTAX_ERROR", message: "missing clause", details: ["clause": .string(clause)])
    }

    /// COQL: a column the module does not have.
    static func invalidColumn(_ column: String, module: String) -> QueryError {
        QueryError(
            code: "INVALID_QUERY",
            message: "column given seems to be invalid",
            details: ["column_name": .string(column), "module": .string(module), "reason": "invalid column"]
        )
    }

    /// COQL: a value that cannot be compared with the column's type.
    static func invalidValue(_ column: String, dataType: String, reason: String) -> QueryError {
        QueryError(
            code: "INVALID_QUERY",
            message: "value given seems to be invalid for the column",
            details: [
                "column_name": .string(column), "data_type": .string(dataType), "reason": .string(reason),
            ]
        )
    }

    /// COQL: an operator the column's type does not support.
    static func invalidOperator(_ column: String, dataType: String, operator op: String) -> QueryError {
        QueryError(
            code: "INVALID_QUERY",
            message: "invalid query formed",
            details: [
                "column_name": .string(column), "data_type": .string(dataType), "operator": .string(op),
                "reason": "the operator is not supported for the column's data type",
            ]
        )
    }

    /// COQL: a field type the query language cannot compare at all.
    static func unsupportedType(_ column: String, dataType: String) -> QueryError {
        QueryError(
            code: "INVALID_QUERY",
            message: "data type not supported",
            details: [
                "column_name": .string(column), "data_type": .string(dataType), "reason": "data type not supported",
            ]
        )
    }

    /// COQL: a documented limit was passed; `by` names which one (`limit`, `offset`, `in`, ...).
    static func limitExceeded(by: String, limit: Int, message: String) -> QueryError {
        QueryError(code: "LIMIT_EXCEEDED", message: message, details: ["by": .string(by), "limit": .int(Int64(limit))])
    }
}
