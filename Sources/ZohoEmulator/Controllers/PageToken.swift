import Foundation

/// Get Records' `page_token`: an opaque cursor bound to the request's other parameters, valid for 24 hours, that
/// reaches past the 2000 records page numbers can, up to 100,000 (Zoho's v7/v8 Get Records page).
enum PageToken {
    /// How long a token stays valid.
    static let lifetime: TimeInterval = 24 * 3600
    /// The most records Get Records reaches with page tokens.
    static let maximumRecords = 100_000

    /// What a token is bound to: the same module, fields, sort and `converted` must come with it.
    struct Binding: Codable, Equatable {
        var module: String
        var fields: String
        var sortBy: String
        var sortOrder: String
        var converted: String
    }

    private struct Payload: Codable {
        var offset: Int
        var binding: Binding
        var expiry: TimeInterval
    }

    static func make(offset: Int, binding: Binding, expiry: Date) -> String {
        let payload = Payload(offset: offset, binding: binding, expiry: expiry.timeIntervalSince1970)
        let data = (try? JSONEncoder().encode(payload)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The offset a token stands for, or Zoho's error for a token that is malformed, expired or bound elsewhere.
    static func offset(_ text: String, binding: Binding, now: Date) throws(ZohoAPIError) -> Int {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let payload = try? JSONDecoder().decode(Payload.self, from: data),
            payload.offset >= 0
        else {
            throw ZohoAPIError.invalidData(["param_name": "page_token"])
        }
        guard payload.expiry > now.timeIntervalSince1970 else {
            throw ZohoAPIError(
                .badRequest,
                "EXPIRED_VALUE",
                "the page token has expired",
                details: ["param_name": "page_token"]
            )
        }
        guard payload.binding == binding else {
            throw ZohoAPIError(
                .badRequest,
                "TOKEN_BOUND_DATA_MISMATCH",
                "the request's parameters differ from those the page token was issued for",
                details: ["param_name": "page_token"]
            )
        }
        return payload.offset
    }
}
