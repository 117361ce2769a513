import Foundation
import Testing

@testable import ZohoEmulator

@Suite struct RecordsTests {
    @Test func getRecordsPagesAndProjects() async throws {
        try await withSession { s in
            let page = try await s.call(.get, "/Quotes?fields=Subject&per_page=2&page=1&sort_order=asc")
            #expect(page.status == 200)
            #expect(page.json["data"].arrayValue?.count == 2)
            #expect(page.json["data"][0].objectValue?.keys.sorted() == ["Subject", "id"])
            #expect(page.json["info"]["more_records"] == true)
            #expect(page.json["info"]["sort_order"] == "asc")
            let missing = try await s.call(.get, "/Quotes")
            #expect(missing.status == 400)
            #expect(missing.json["code"] == "REQUIRED_PARAM_MISSING")
            let tooFar = try await s.call(.get, "/Quotes?fields=Subject&page=11&per_page=200")
            #expect(tooFar.json["code"] == "DISCRETE_PAGINATION_LIMIT_EXCEEDED")
            let empty = try await s.call(.get, "/Invoices?fields=Subject")
            #expect(empty.status == 204)
            let unapproved = try await s.call(.get, "/Quotes?fields=Subject&approved=false")
            #expect(unapproved.json["data"].arrayValue?.map { $0["id"] } == ["4876876000001000504"])
            let v7 = try await Session(client: s.client, token: s.token, version: "v7").call(
                .get,
                "/Leads?fields=Email&converted=both"
            )
            #expect(v7.status == 200)
        }
    }

    @Test func singleRecordCarriesLineItems() async throws {
        try await withSession { s in
            let one = try await s.call(.get, "/Quotes/4876876000001000501")
            #expect(one.json["data"][0]["Quoted_Items"].arrayValue?.count == 1)
            let list = try await s.call(.get, "/Quotes?fields=Quoted_Items,Subject")
            #expect(list.json["data"][0]["Quoted_Items"].isNull)
            let deleted = try await s.call(.get, "/Quotes/4876876000001000505")
            #expect(deleted.status == 204)
        }
    }

    @Test func updateReportsEachRecord() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .put,
                "/Quotes",
                [
                    "data": [
                        [
                            "id": "4876876000001000501", "Quote_Stage": "Closed Won",
                            "Owner": ["id": "4876876000000400004"],
                        ],
                        ["id": "4876876000001000503", "Quote_Stage": "Closed Won"],
                        ["Quote_Stage": "Closed Won"],
                        ["id": "4876876000009999999", "Subject": "x"],
                        ["id": "4876876000001000502", "Grand_Total": "lots", "Discount": "lots"],
                    ]
                ]
            )
            #expect(reply.status == 200)
            let codes = reply.json["data"].arrayValue?.map { $0["code"].stringValue ?? "" }
            #expect(codes == ["SUCCESS", "RECORD_LOCKED", "MANDATORY_NOT_FOUND", "INVALID_DATA", "INVALID_DATA"])
            #expect(reply.json["data"][0]["details"]["id"] == "4876876000001000501")
            #expect(reply.json["data"][4]["details"]["expected_data_type"] == "double")
            let quote = try await s.call(.get, "/Quotes/4876876000001000501").json["data"][0]
            #expect(quote["Quote_Stage"] == "Closed Won")
            #expect(quote["Owner"]["id"] == "4876876000000400004")
            let dup = try await s.call(
                .put,
                "/Contacts",
                ["data": [["id": "4876876000001000303", "Phone": "9844444444"]]]
            )
            #expect(dup.status == 400)
            #expect(dup.json["data"][0]["code"] == "DUPLICATE_DATA")
            let tooMany = try await s.call(
                .put,
                "/Quotes",
                ["data": .array((0..<101).map { _ in ["id": "4876876000001000501"] })]
            )
            #expect(tooMany.json["code"] == "LIMIT_EXCEEDED")
        }
    }

    @Test func addTagsMergesOrOverwrites() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/Quotes/actions/add_tags",
                [
                    "tags": [["name": "invoiced"]],
                    "ids": ["4876876000001000501", "4876876000001000503", "4876876000009999999"],
                ]
            )
            #expect(reply.status == 200)
            #expect(reply.json["success_count"] == "1")
            #expect(reply.json["locked_count"] == "1")
            let names = reply.json["data"][0]["details"]["tags"].arrayValue?.map { $0["name"] }
            #expect(names == ["priority", "invoiced"])
            let over = try await s.call(
                .post,
                "/Quotes/actions/add_tags",
                ["tags": [["name": "fresh"]], "ids": ["4876876000001000501"], "over_write": true]
            )
            #expect(over.json["data"][0]["details"]["tags"].arrayValue?.map { $0["name"] } == ["fresh"])
            let noTags = try await s.call(.post, "/Quotes/actions/add_tags", ["ids": ["4876876000001000501"]])
            #expect(noTags.json["code"] == "MANDATORY_NOT_FOUND")
            let long = try await s.call(
                .post,
                "/Quotes/actions/add_tags",
                ["tags": [["name": .string(String(repeating: "x", count: 26))]], "ids": ["4876876000001000501"]]
            )
            #expect(long.json["code"] == "INVALID_DATA")
        }
    }

    @Test func searchWrapsTheCriteriaLanguage() async throws {
        try await withSession { s in
            let byCriteria = try await s.call(
                .get,
                "/Quotes/search?criteria=((Quote_Stage:equals:Accepted)and(Subject:starts_with:Accepted))"
            )
            #expect(byCriteria.status == 200, "\(byCriteria.json)")
            #expect(byCriteria.json["data"].arrayValue?.map { $0["id"] } == ["4876876000001000501"])
            #expect(byCriteria.json["info"]["count"] == 1)
            let none = try await s.call(.get, "/Quotes/search?criteria=(Subject:equals:Nothing%20like%20this)")
            #expect(none.status == 204)
            let phone = try await s.call(.get, "/Contacts/search?phone=9844444444")
            #expect(phone.json["data"].arrayValue?.count == 1)
            let word = try await s.call(.get, "/Accounts/search?word=biotech")
            #expect(word.json["data"][0]["Account_Name"] == "Zylker Biotech")
            let short = try await s.call(.get, "/Accounts/search?word=b")
            #expect(short.json["code"] == "INVALID_DATA")
            let nothing = try await s.call(.get, "/Accounts/search")
            #expect(nothing.json["code"] == "EXPECTED_PARAM_MISSING")
            let bad = try await s.call(.get, "/Accounts/search?criteria=(Account_Name:sounds_like:x)")
            #expect(bad.status == 400)
            // A field the module does not have is Zoho's INVALID_QUERY, not an empty 204.
            let unknown = try await s.call(.get, "/Accounts/search?criteria=(Nickname:equals:x)")
            #expect(unknown.status == 400)
            #expect(unknown.json["code"] == "INVALID_QUERY")
            let far = try await s.call(.get, "/Accounts/search?word=corp&page=11&per_page=200")
            #expect(far.json["code"] == "LIMIT_REACHED")
        }
    }

    @Test func coqlWrapsTheQueryLanguage() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/coql",
                [
                    "select_query":
                        "select Last_Name, Email from Leads where Lead_Status = 'Qualified' order by id asc limit 10"
                ]
            )
            #expect(reply.status == 200)
            // Converted leads are left out, like default reads; unapproved ones too only by their filter.
            #expect(reply.json["info"] == ["count": 2, "more_records": false])
            let none = try await s.call(
                .post,
                "/coql",
                ["select_query": "select Last_Name from Leads where Last_Name = 'Nobody'"]
            )
            #expect(none.status == 204)
            let syntax = try await s.call(.post, "/coql", ["select_query": "select from where"])
            #expect(syntax.status == 400)
            #expect(syntax.json["code"] == "SYNTAX_ERROR")
            let missing = try await s.call(.post, "/coql", [:])
            #expect(missing.json["code"] == "MANDATORY_NOT_FOUND")
        }
    }

    @Test func unknownPathsAndMethods() async throws {
        try await withSession { s in
            #expect(try await s.call(.get, "/settings/nothing").status == 404)
            let method = try await s.call(.delete, "/Quotes")
            #expect(method.json["code"] == "INVALID_REQUEST_METHOD")
            let module = try await s.call(.get, "/Widgets?fields=Name")
            #expect(module.json["code"] == "INVALID_MODULE")
            let fields = try await s.call(.get, "/settings/fields")
            #expect(fields.json["code"] == "REQUIRED_PARAM_MISSING")
            let user = try await s.call(.get, "/users/4876876000000400004")
            #expect(user.json["users"][0]["email"] == "billing@zylker.com")
            let leadFields = try await s.call(.get, "/settings/fields?module=Leads").json["fields"].arrayValue ?? []
            let email = leadFields.first { $0["api_name"] == "Email" }
            #expect(email?["convert_mapping"]["Contacts"] == "Email")
            let status = leadFields.first { $0["api_name"] == "Lead_Status" }
            #expect(status?["pick_list_values"].arrayValue?.contains { $0["actual_value"] == "Qualified" } == true)
            let contactPhone = try await s.call(.get, "/settings/fields?module=Contacts").json["fields"].arrayValue?
                .first {
                    $0["api_name"] == "Phone"
                }
            #expect(contactPhone?["unique"].objectValue?.isEmpty == false)
        }
    }
}

@Suite struct SingleRecordUpdateTests {
    @Test func updateByIDTakesTheIDFromThePath() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .put,
                "/Accounts/4876876000001000202",
                ["data": [["Website": "https://other.example"]]]
            )
            #expect(reply.status == 200)
            #expect(reply.json["data"][0]["details"]["id"] == "4876876000001000202")
            let account = try await s.call(.get, "/Accounts/4876876000001000202").json["data"][0]
            #expect(account["Website"] == "https://other.example")
            let two = try await s.call(
                .put,
                "/Accounts/4876876000001000202",
                ["data": [["Website": "a"], ["Website": "b"]]]
            )
            #expect(two.json["code"] == "LIMIT_EXCEEDED")
        }
    }
}

@Suite struct UsersInQueriesTests {
    @Test func coqlReachesOwnersThroughTheUsersModule() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/coql",
                ["select_query": "select Subject, Owner.email from Quotes where id = '4876876000001000501'"]
            )
            #expect(reply.status == 200, "\(reply.json)")
            #expect(reply.json["data"][0]["Owner.email"] == "billing@zylker.com", "\(reply.json)")
        }
    }
}

extension UsersInQueriesTests {
    @Test func coqlSelectsFromUsers() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/coql",
                ["select_query": "select id, full_name from users where email = 'billing@zylker.com'"]
            )
            #expect(reply.status == 200, "\(reply.json)")
            #expect(reply.json["data"][0]["id"] == "4876876000000400004", "\(reply.json)")
        }
    }
}
