import Foundation
import Testing

@testable import ZohoEmulator

/// Insert Records (`POST /{module}`), as Zoho's createRecords operation answers it.
@Suite struct InsertRecordsTests {
    static let widget = "4876876000001000101"

    static func quote(_ subject: String) -> JSONValue {
        [
            "Subject": .string(subject), "Quote_Stage": "Accepted", "Account_Name": ["id": "4876876000001000201"],
            "Quoted_Items": [["Product_Name": ["id": .string(widget)], "Quantity": 3]], "Tag": [["name": "new"]],
        ]
    }

    @Test func createdRecordsAreSeenByEveryReadAndByConversions() async throws {
        try await withSession { s in
            let reply = try await s.call(.post, "/Quotes", ["data": [Self.quote("Inserted quote")], "trigger": []])
            #expect(reply.status == 201, "\(reply.json)")
            let result = reply.json["data"][0]
            #expect(result["code"] == "SUCCESS")
            #expect(result["status"] == "success")
            let id = try #require(result["details"]["id"].stringValue)
            #expect(result["details"]["Created_By"]["id"] == "4876876000000400001")
            #expect(!result["details"]["Created_Time"].isNull)
            #expect(result["details"]["Modified_Time"] == result["details"]["Created_Time"])
            let one = try await s.call(.get, "/Quotes/\(id)").json["data"][0]
            #expect(one["Grand_Total"].doubleValue == 300)
            #expect(one["Quoted_Items"][0]["Product_Name"]["name"] == "Widget")
            #expect(one["Tag"][0]["name"] == "new")
            #expect(one["Owner"]["id"] == "4876876000000400001")
            let coql = try await s.call(
                .post,
                "/coql",
                ["select_query": "select Subject from Quotes where Subject = 'Inserted quote'"]
            )
            #expect(coql.json["data"][0]["id"] == .string(id))
            let list = try await s.call(.get, "/Quotes?fields=Subject&per_page=200")
            #expect(list.json["data"].arrayValue?.contains { $0["id"] == .string(id) } == true)
            let converted = try await s.call(
                .post,
                "/Quotes/\(id)/actions/convert",
                ["data": [["convert_to": [["module": ["api_name": "Sales_Orders", "id": "4876876000000002185"]]]]]]
            )
            #expect(converted.json["data"][0]["code"] == "SUCCESS", "\(converted.json)")
        }
    }

    @Test func eachRecordHasItsOwnOutcome() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/Contacts",
                [
                    "data": [
                        ["Last_Name": "Fresh", "Email": "fresh@new.io"],
                        ["First_Name": "No last name"],
                        ["Last_Name": "Clash", "Phone": "9844444444"],
                        ["Last_Name": "Typed", "Email": 42],
                    ]
                ]
            )
            #expect(reply.status == 207, "\(reply.json)")
            #expect(
                reply.json["data"].arrayValue?.map { $0["code"] } == [
                    "SUCCESS", "MANDATORY_NOT_FOUND", "DUPLICATE_DATA", "INVALID_DATA",
                ]
            )
            #expect(
                reply.json["data"][1]["details"] == ["api_name": "Last_Name", "json_path": "$.data[1].Last_Name"]
            )
            let duplicate = reply.json["data"][2]["details"]
            #expect(duplicate["api_name"] == "Phone")
            #expect(duplicate["json_path"] == "$.data[2].Phone")
            #expect(duplicate["duplicate_record"]["id"] == "4876876000001000301")
            #expect(duplicate["duplicate_record"]["Owner"]["id"] == "4876876000000400001")
            #expect(duplicate["duplicate_record"]["Owner"]["zuid"] == "000400001")
            #expect(duplicate["duplicate_record"]["module"]["api_name"] == "Contacts")
            #expect(duplicate["more_records"] == false)
            let search = try await s.call(.get, "/Contacts/search?email=fresh@new.io")
            #expect(search.json["data"][0]["Last_Name"] == "Fresh")
        }
    }

    @Test func allRefusedIs400AndOverAHundredIsRefusedWhole() async throws {
        try await withSession { s in
            let none = try await s.call(.post, "/Leads", ["data": [["Company": "No name"]]])
            #expect(none.status == 400)
            #expect(none.json["data"][0]["code"] == "MANDATORY_NOT_FOUND")
            let many = JSONValue.array((0...100).map { ["Last_Name": .string("L\($0)")] })
            let tooMany = try await s.call(.post, "/Leads", ["data": many])
            #expect(tooMany.status == 400)
            #expect(tooMany.json["code"] == "LIMIT_EXCEEDED")
            #expect(tooMany.json["details"]["limit"] == 100)
            let missing = try await s.call(.post, "/Leads", ["trigger": ["workflow"]])
            #expect(missing.json["code"] == "MANDATORY_NOT_FOUND")
            let badProduct = try await s.call(
                .post,
                "/Quotes",
                [
                    "data": [
                        [
                            "Subject": "Bad", "Account_Name": ["id": "4876876000001000201"],
                            "Quoted_Items": [["Product_Name": ["id": "4876876000009999999"]]],
                        ]
                    ]
                ]
            )
            #expect(badProduct.json["data"][0]["details"]["json_path"] == "$.data[0].Quoted_Items[0].Product_Name")
            let hundred = JSONValue.array((0..<100).map { ["Last_Name": .string("L\($0)")] })
            let created = try await s.call(.post, "/Leads", ["data": hundred])
            #expect(created.status == 201)
            #expect(
                Set(created.json["data"].arrayValue?.compactMap { $0["details"]["id"].stringValue } ?? []).count == 100
            )
        }
    }
}

/// `GET /org`, `users?type=CurrentUser` and the field metadata typed clients read.
@Suite struct SDKStartupTests {
    @Test(arguments: ["v7", "v8"])
    func orgAndCurrentUserAnswerAsZohoDoes(version: String) async throws {
        try await withSession { base in
            let s = Session(client: base.client, token: base.token, version: version)
            let org = try await s.call(.get, "/org")
            #expect(org.status == 200)
            let o = org.json["org"][0]
            #expect(o["company_name"] == "Zylker")
            #expect(o["primary_email"] == "admin@zylker.com")
            #expect(o["id"].stringValue?.count == 19)
            #expect(o["zgid"].stringValue?.isEmpty == false)
            #expect(!o["time_zone"].isNull)
            #expect(!o["currency"].isNull)
            #expect(o["license_details"]["paid_type"] == "professional")
            let me = try await s.call(.get, "/users?type=CurrentUser")
            #expect(me.json["users"].arrayValue?.map { $0["email"] } == ["admin@zylker.com"])
            #expect(try await s.call(.post, "/org").json["code"] == "INVALID_REQUEST_METHOD")
        }
    }

    @Test(arguments: [("Quotes", "Quoted_Items"), ("Sales_Orders", "Ordered_Items"), ("Invoices", "Invoiced_Items")])
    func tagIsAJSONArrayAndLineItemsNameTheirModule(module: String, items: String) async throws {
        try await withSession { s in
            let fields = try await s.call(.get, "/settings/fields?module=\(module)").json["fields"]
            let list = fields.arrayValue ?? []
            let tag = list.first { $0["api_name"] == "Tag" }
            #expect(tag?["json_type"] == "jsonarray")
            let lineItems = list.first { $0["api_name"] == .string(items) }?["associated_module"] ?? .null
            #expect(lineItems["api_name"] == .string(items))
            #expect(lineItems["module"] == .string(items))
            #expect(lineItems["id"].stringValue?.count == 19)
            let subject = list.first { $0["api_name"] == "Subject" }?["associated_module"] ?? .null
            #expect(subject == ["api_name": nil, "id": nil])
        }
    }

    @Test func invalidModuleNamesItsPathSegment() async throws {
        try await withSession { s in
            let records = try await s.call(.get, "/Widgets?fields=Name")
            #expect(records.json["details"] == ["resource_path_index": 0])
            let module = try await s.call(.get, "/settings/modules/Widgets")
            #expect(module.json["details"] == ["resource_path_index": 2])
            let fields = try await s.call(.get, "/settings/fields?module=Widgets")
            #expect(fields.json["details"] == ["param_name": "module"])
        }
    }
}
