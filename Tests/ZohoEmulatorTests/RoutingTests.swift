import Foundation
import HTTPTypes
import Testing

@testable import ZohoEmulator

/// Zoho's answers for paths and methods no endpoint serves, and the order of the checks in front of a handler.
@Suite struct RoutingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var method: String
        var path: String
        var status: Int
        var code: String

        var testDescription: String { "\(method) \(path)" }

        init(_ method: String, _ path: String, _ status: Int, _ code: String) {
            self.method = method
            self.path = path
            self.status = status
            self.code = code
        }
    }

    static let cases: [Case] = [
        Case("GET", "/crm/v8", 404, "INVALID_URL_PATTERN"),
        Case("GET", "/crm/v8/settings", 404, "INVALID_URL_PATTERN"),
        Case("GET", "/crm/v8/settings/x/actions/convert", 404, "INVALID_URL_PATTERN"),
        Case("GET", "/crm/v8/users/1/extra", 404, "INVALID_URL_PATTERN"),
        Case("GET", "/crm/v2/Leads", 404, "INVALID_URL_PATTERN"),
        Case("GET", "/crm/v8/Leads/1/2/3/4", 404, "INVALID_URL_PATTERN"),
        Case("GET", "/crm/v8/Contacts/1/__conversion_options", 404, "INVALID_URL_PATTERN"),
        Case("DELETE", "/crm/v8/users", 400, "INVALID_REQUEST_METHOD"),
        Case("POST", "/crm/v7/org", 400, "INVALID_REQUEST_METHOD"),
        Case("GET", "/crm/v8/coql", 400, "INVALID_REQUEST_METHOD"),
        Case("PUT", "/crm/v8/Leads/search", 400, "INVALID_REQUEST_METHOD"),
        Case("DELETE", "/crm/v8/Leads/4876876000001000402", 400, "INVALID_REQUEST_METHOD"),
        Case("PATCH", "/crm/v8/Leads", 400, "INVALID_REQUEST_METHOD"),
        Case("POST", "/crm/v8/Leads/1/__conversion_options", 400, "INVALID_REQUEST_METHOD"),
        Case("PROPFIND", "/crm/v8/Leads", 400, "INVALID_REQUEST_METHOD"),
        Case("PROPFIND", "/crm/v8/Leads/1/2/3/4", 404, "INVALID_URL_PATTERN"),
        // The module is checked before the method and before the rest of the path.
        Case("PATCH", "/crm/v8/Widgets/1", 400, "INVALID_MODULE"),
        Case("GET", "/crm/v8/Widgets/1/2/3/4", 400, "INVALID_MODULE"),
        Case("GET", "/crm/v8/Contacts/1/actions/convert", 400, "INVALID_MODULE"),
        Case("DELETE", "/crm/v8/Accounts/actions/mass_convert", 400, "INVALID_MODULE"),
    ]

    @Test(arguments: cases) func unservedPathsAndMethods(_ c: Case) async throws {
        try await withSession { s in
            let method = try #require(HTTPRequest.Method(c.method))
            let reply = try await s.raw(method, c.path, headers: [.authorization: "Zoho-oauthtoken \(s.token)"])
            #expect(reply.status == c.status)
            #expect(reply.json["code"].stringValue == c.code)
            #expect(reply.json["status"] == "error")
        }
    }

    /// Without a token every `/crm/` call is AUTHENTICATION_FAILURE, whatever else is wrong with it.
    @Test(arguments: cases) func theTokenIsCheckedFirst(_ c: Case) async throws {
        try await withSession { s in
            let method = try #require(HTTPRequest.Method(c.method))
            let reply = try await s.raw(method, c.path)
            #expect(reply.status == 401)
            #expect(reply.json["code"] == "AUTHENTICATION_FAILURE")
            let stale = try await s.raw(method, c.path, headers: [.authorization: "Zoho-oauthtoken 1000.stale"])
            #expect(stale.json["code"] == "INVALID_TOKEN")
        }
    }

    @Test func bothVersionsServeTheSameRoutes() async throws {
        try await withSession { s in
            for version in ["v7", "v8"] {
                var session = s
                session.version = version
                let org = try await session.call(.get, "/org")
                #expect(org.json["org"][0]["id"].stringValue != nil, "\(version)")
                let leads = try await session.call(.get, "/Leads?fields=Last_Name")
                #expect(leads.status == 200, "\(version)")
            }
        }
    }

    /// Once charged, every answer reports the credits left, errors of the handler included.
    @Test func creditsHeaderRidesOnErrorsToo() async throws {
        try await withSession(try emulatorConfiguration(budget: 2)) { s in
            let header = HTTPField.Name("X-API-CREDITS-REMAINING")!
            let missing = try await s.call(.get, "/Leads")
            #expect(missing.json["code"] == "REQUIRED_PARAM_MISSING")
            #expect(missing.headers[header] == "1")
            let method = try await s.call(.delete, "/Leads")
            #expect(method.json["code"] == "INVALID_REQUEST_METHOD")
            #expect(method.headers[header] == nil, "a refused method is not charged")
            #expect(try await s.call(.get, "/users").headers[header] == "0")
            let exhausted = try await s.call(.get, "/users")
            #expect(exhausted.status == 429)
            #expect(exhausted.headers[header] == "0")
        }
    }

    @Test func theRequestLogHoldsRefusedCallsWithTheirStatus() async throws {
        try await withSession { s in
            _ = try await s.raw(.get, "/crm/v8/Leads?fields=Last_Name")
            _ = try await s.call(.get, "/nowhere/at/all")
            _ = try await s.call(.delete, "/org")
            let log = try #require(try await s.raw(.get, "/__emulator/requests").json["requests"].arrayValue)
            let seen = log.map { entry in
                let status = entry["status"].doubleValue.map { String(Int($0)) } ?? "?"
                return "\(entry["method"].stringValue ?? "") \(entry["path"].stringValue ?? "") \(status)"
            }
            #expect(
                seen == [
                    "POST /oauth/v2/token 200", "GET /crm/v8/Leads 401", "GET /crm/v8/nowhere/at/all 400",
                    "DELETE /crm/v8/org 400",
                ],
                "\(seen)"
            )
            #expect(log[1]["query"]["fields"] == "Last_Name")
        }
    }
}
