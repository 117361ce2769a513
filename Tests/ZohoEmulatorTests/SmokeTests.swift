import Foundation
import Testing

@testable import ZohoEmulator

@Suite struct SmokeTests {
    @Test func readsAndWrites() async throws {
        try await withSession { s in
            let users = try await s.call(.get, "/users?type=ActiveUsers")
            #expect(users.status == 200)
            #expect(users.json["users"].arrayValue?.count == 2)
            let modules = try await s.call(.get, "/settings/modules")
            #expect(modules.json["modules"].arrayValue?.count == 13)
            let fields = try await s.call(.get, "/settings/fields?module=Leads")
            #expect(fields.status == 200)
            let leads = try await s.call(.get, "/Leads?fields=Last_Name,Email")
            #expect(leads.status == 200)
            #expect(leads.json["data"].arrayValue?.count == 5)
            let coql = try await s.call(
                .post,
                "/coql",
                ["select_query": "select Subject, Grand_Total from Quotes where Quote_Stage = 'Accepted'"]
            )
            #expect(coql.status == 200, "\(coql.json)")
            let search = try await s.call(.get, "/Contacts/search?email=pat.boyle@zylker.com")
            #expect(search.status == 200)
        }
    }
}
