import Foundation
import Testing

@testable import ZohoEmulator

/// Get Records beyond 2000: page tokens, bound to the request and refused when misused, as Zoho documents.
struct PageTokenTests {
    static let fixture: String = {
        let leads = (1...2100).map {
            "    - { id: \"48768760000050\(String(format: "%05d", $0))\", Last_Name: L\($0) }"
        }
        return "records:\n  Leads:\n" + leads.joined(separator: "\n")
    }()

    @Test func tokensReachPastTwoThousandAndAreBoundToTheRequest() async throws {
        let configuration = EmulatorConfiguration(fixture: try EmulatorFixture(yaml: Self.fixture))
        try await withSession(configuration) { s in
            let tenth = try await s.call(.get, "/Leads?fields=Last_Name&page=10&per_page=200&sort_order=asc")
            #expect(tenth.status == 200)
            let token = try #require(tenth.json["info"]["next_page_token"].stringValue)
            #expect(tenth.json["info"]["page_token_expiry"].stringValue != nil)

            let eleventh = try await s.call(
                .get,
                "/Leads?fields=Last_Name&per_page=200&sort_order=asc&page_token=\(token)"
            )
            #expect(eleventh.status == 200, "\(eleventh.json)")
            #expect(eleventh.json["data"].arrayValue?.count == 100)
            #expect(eleventh.json["data"][0]["Last_Name"] == "L2001")
            #expect(eleventh.json["info"]["more_records"] == false)

            let withoutToken = try await s.call(.get, "/Leads?fields=Last_Name&page=11&per_page=200")
            #expect(withoutToken.json["code"] == "DISCRETE_PAGINATION_LIMIT_EXCEEDED")
            let both = try await s.call(.get, "/Leads?fields=Last_Name&page=2&page_token=\(token)")
            #expect(both.json["code"] == "AMBIGUITY_DURING_PROCESSING")
            let otherFields = try await s.call(.get, "/Leads?fields=Email&sort_order=asc&page_token=\(token)")
            #expect(otherFields.json["code"] == "TOKEN_BOUND_DATA_MISMATCH")
            let garbage = try await s.call(.get, "/Leads?fields=Last_Name&page_token=not-a-token")
            #expect(garbage.json["code"] == "INVALID_DATA")
        }
    }

    @Test func tokensExpireAfterADay() async throws {
        let clock = ManualClock()
        let configuration = EmulatorConfiguration(
            fixture: try EmulatorFixture(yaml: Self.fixture),
            tokenLifetime: .seconds(3 * 24 * 3600),
            clock: clock.emulatorClock
        )
        try await withSession(configuration) { s in
            let first = try await s.call(.get, "/Leads?fields=Last_Name&per_page=200")
            let token = try #require(first.json["info"]["next_page_token"].stringValue)
            clock.advance(24 * 3600 + 1)
            let late = try await s.call(.get, "/Leads?fields=Last_Name&per_page=200&page_token=\(token)")
            #expect(late.json["code"] == "EXPIRED_VALUE")
        }
    }
}
