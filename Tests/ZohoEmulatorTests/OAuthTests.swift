import Foundation
import Testing

@testable import ZohoEmulator

@Suite struct OAuthTests {
    static let clientsYAML = testFixtureYAML.replacingOccurrences(
        of: "records:\n",
        with: """
            clients:
              - client_id: 1000.CLIENT
                client_secret: s3cret
                refresh_token: 1000.refresh
                codes: [1000.code.one]
              - { client_id: 1000.READER, client_secret: r34d, refresh_token: 1000.reader, scopes: "ZohoCRM.modules.Leads.READ,ZohoCRM.users.READ" }
            records:

            """,
        options: [],
        range: testFixtureYAML.range(of: "records:\n")
    )

    @Test func refreshGrantIssuesAToken() async throws {
        try await withSession(try emulatorConfiguration(yaml: Self.clientsYAML)) { s in
            let reply = try await s.refreshToken()
            #expect(reply.status == 200)
            #expect(reply.json["token_type"] == "Bearer")
            #expect(reply.json["expires_in"] == 3600)
            #expect(reply.json["api_domain"].stringValue?.hasPrefix("http://") == true)
            #expect(reply.json["refresh_token"].isNull)
            let users = try await s.call(.get, "/users")
            #expect(users.status == 200)
        }
    }

    @Test(arguments: [
        ("1000.CLIENT", "wrong", "1000.refresh", "invalid_client"),
        ("1000.NOPE", "s3cret", "1000.refresh", "invalid_client"),
        ("1000.CLIENT", "s3cret", "1000.other", "invalid_code"),
        ("1000.CLIENT", "s3cret", "", "invalid_code"),
    ])
    func badCredentialsGetZohoErrors(client: String, secret: String, refresh: String, error: String) async throws {
        try await withSession(try emulatorConfiguration(yaml: Self.clientsYAML)) { s in
            let reply = try await s.refreshToken(clientID: client, secret: secret, refresh: refresh)
            #expect(reply.status == 200)
            #expect(reply.json == ["error": .string(error)])
        }
    }

    @Test func authorizationCodeIsSingleUse() async throws {
        try await withSession(try emulatorConfiguration(yaml: Self.clientsYAML)) { s in
            let body = "grant_type=authorization_code&client_id=1000.CLIENT&client_secret=s3cret&code=1000.code.one"
            let first = try await s.raw(.post, "/oauth/v2/token?\(body)")
            let refresh = try #require(first.json["refresh_token"].stringValue)
            #expect(first.json["access_token"].stringValue != nil)
            let again = try await s.raw(.post, "/oauth/v2/token?\(body)")
            #expect(again.json == ["error": "invalid_code"])
            let minted = try await s.refreshToken(refresh: refresh)
            #expect(minted.json["access_token"].stringValue != nil)
        }
    }

    @Test func tenTokensPerRefreshTokenPerTenMinutes() async throws {
        let clock = ManualClock()
        try await withSession(try emulatorConfiguration(clock: clock)) { s in
            // withSession already minted one.
            for _ in 0..<9 { #expect(try await s.refreshToken().status == 200) }
            let blocked = try await s.refreshToken()
            #expect(blocked.status == 400)
            #expect(blocked.json["error"] == "Access Denied")
            clock.advance(601)
            #expect(try await s.refreshToken().json["access_token"].stringValue != nil)
        }
    }

    @Test func crmCallsNeedAValidToken() async throws {
        let clock = ManualClock()
        try await withSession(try emulatorConfiguration(clock: clock)) { s in
            let missing = try await s.raw(.get, "/crm/v7/users")
            #expect(missing.status == 401)
            #expect(missing.json["code"] == "AUTHENTICATION_FAILURE")
            var forged = s
            forged.token = "1000.forged"
            let bad = try await forged.call(.get, "/users")
            #expect(bad.status == 401)
            #expect(
                bad.json == [
                    "code": "INVALID_TOKEN", "details": [:], "message": "invalid oauth token", "status": "error",
                ]
            )
            clock.advance(3601)
            let expired = try await s.call(.get, "/users")
            #expect(expired.json["code"] == "INVALID_TOKEN")
        }
    }

    @Test func scopesAreEnforced() async throws {
        try await withSession(try emulatorConfiguration(yaml: Self.clientsYAML)) { s in
            let reply = try await s.refreshToken(clientID: "1000.READER", secret: "r34d", refresh: "1000.reader")
            var reader = s
            reader.token = try #require(reply.json["access_token"].stringValue)
            #expect(try await reader.call(.get, "/Leads?fields=Last_Name").status == 200)
            let denied = try await reader.call(.get, "/Quotes?fields=Subject")
            #expect(denied.status == 401)
            #expect(denied.json["code"] == "OAUTH_SCOPE_MISMATCH")
            let convert = try await reader.call(.post, "/Leads/4876876000001000402/actions/convert", ["data": [[:]]])
            #expect(convert.json["code"] == "OAUTH_SCOPE_MISMATCH")
        }
    }

    @Test func shortTokenLifetimeFault() async throws {
        let clock = ManualClock()
        let configuration = try emulatorConfiguration(clock: clock, faults: FaultConfiguration(tokenTTL: .seconds(5)))
        try await withSession(configuration) { s in
            let short = try await s.refreshToken()
            #expect(short.json["expires_in"] == 5)
            clock.advance(6)
            let expired = try await s.call(.get, "/users")
            #expect(expired.json["code"] == "INVALID_TOKEN")
        }
    }

    @Test func requestLogNeverHoldsSecrets() async throws {
        try await withSession { s in
            _ = try await s.raw(
                .post,
                "/oauth/v2/token?grant_type=refresh_token&client_id=a&client_secret=TOPSECRET&refresh_token=REFRESHSECRET"
            )
            _ = try await s.call(.get, "/users?type=ActiveUsers")
            let log = try await s.raw(.get, "/__emulator/requests")
            let text = String(decoding: try JSONEncoder().encode(log.json), as: UTF8.self)
            #expect(!text.contains("TOPSECRET"))
            #expect(!text.contains("REFRESHSECRET"))
            #expect(!text.contains(s.token))
            #expect(!text.contains("1000.refresh"))
            let entries = try #require(log.json["requests"].arrayValue)
            #expect(
                entries.contains {
                    $0["path"] == "/crm/v8/users" && $0["status"] == 200 && $0["query"]["type"] == "ActiveUsers"
                }
            )
        }
    }
}
