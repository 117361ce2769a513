import Foundation
import Hummingbird
import Testing

@testable import ZohoEmulator

/// Zoho's official SDKs send every id as a bare 19-digit JSON number; the emulator must read them exactly.
@Suite struct ExactIDTests {
    static let demoYAML: String = {
        let url = FixtureTests.examplesURL.appendingPathComponent("org.yaml")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// Two accounts whose ids differ by one just below 2^63, where a `Double` has a resolution of 2,048.
    static let edgeYAML = """
        edition: professional
        org: { name: Edge, id_prefix: "9223372" }
        users:
          - { id: "9223372000000400001", email: admin@edge.com, full_name: Ada Admin }
        records:
          Accounts:
            - { id: "9223372036854775806", Account_Name: Next To Last }
            - { id: "9223372036854775807", Account_Name: Last }
        """

    @Test(arguments: [
        ("5843104000001500001", JSONValue.int(5_843_104_000_001_500_001)),
        ("9223372036854775807", .int(Int64.max)),
        ("-9223372036854775808", .int(Int64.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("1.5", .double(1.5)),
        ("2e3", .double(2000)),
        ("0", .int(0)),
    ])
    func numbersReadExactly(text: String, expected: JSONValue) {
        #expect(JSONReader.parse("[\(text)]") == .array([expected]))
    }

    @Test func readerKeepsStringsAndRefusesBrokenJSON() {
        #expect(
            JSONReader.parse(#"{"a":"x\"\u00e9\ud83d\ude00","b":[true,false,null]}"#) == [
                "a": "x\"é😀", "b": [true, false, nil],
            ]
        )
        for broken in ["", "{", "[1,]", "012", "{\"a\" 1}", "[1] x", "\"\u{01}\"", "-", "1."] {
            #expect(JSONReader.parse(broken) == nil, "\(broken)")
        }
    }

    @Test func sdkStyleAddTagsOnTheDemoOrgTagsExactlyThatQuote() async throws {
        try await withSession(try emulatorConfiguration(yaml: Self.demoYAML)) { s in
            // As the SDK sends it: a bare number and no Content-Type header.
            let reply = try await s.raw(
                .post,
                "/crm/v7/Quotes/actions/add_tags",
                body: #"{"tags":[{"name":"x"}],"ids":[5843104000001500001]}"#,
                headers: [.authorization: "Zoho-oauthtoken \(s.token)"]
            )
            #expect(reply.status == 200)
            #expect(reply.json["data"][0]["code"] == "SUCCESS")
            #expect(reply.json["data"][0]["details"]["id"] == "5843104000001500001")
            let tagged = try await s.call(.get, "/Quotes/5843104000001500001")
            #expect(tagged.json["data"][0]["Tag"].arrayValue?.map { $0["name"] }.contains("x") == true)
            let other = try await s.call(.get, "/Quotes/5843104000001500002")
            #expect(other.json["data"][0]["Tag"].arrayValue?.map { $0["name"] }.contains("x") == false)
        }
    }

    @Test func idsOneApartNearTwoToTheSixtyThreeStayDistinct() async throws {
        try await withSession(try emulatorConfiguration(yaml: Self.edgeYAML)) { s in
            let reply = try await s.raw(
                .post,
                "/crm/v8/Accounts/actions/add_tags",
                body: #"{"tags":[{"name":"edge"}],"ids":[9223372036854775806]}"#,
                headers: [.authorization: "Zoho-oauthtoken \(s.token)"]
            )
            #expect(reply.json["data"][0]["details"]["id"] == "9223372036854775806")
            let last = try await s.call(.get, "/Accounts/9223372036854775807")
            #expect(last.json["data"][0]["Tag"] == [])
            let update = try await s.raw(
                .put,
                "/crm/v8/Accounts",
                body: #"{"data":[{"id":9223372036854775807,"Account_Name":"Renamed"}]}"#,
                headers: [.authorization: "Zoho-oauthtoken \(s.token)"]
            )
            #expect(update.json["data"][0]["details"]["id"] == "9223372036854775807")
            let before = try await s.call(.get, "/Accounts/9223372036854775806")
            #expect(before.json["data"][0]["Account_Name"] == "Next To Last")
            #expect(before.json["data"][0]["Tag"][0]["name"] == "edge")
        }
    }

    @Test func everyIDInAConversionBodyMayBeANumber() async throws {
        try await withSession { s in
            let auth: HTTPFields = [.authorization: "Zoho-oauthtoken \(s.token)"]
            let lead = try await s.raw(
                .post,
                "/crm/v8/Leads/4876876000001000401/actions/convert",
                body: """
                    {"data":[{"Accounts":{"id":4876876000001000201},"Contacts":{"id":4876876000001000301},\
                    "assign_to":{"id":4876876000000400004}}]}
                    """,
                headers: auth
            )
            #expect(lead.json["data"][0]["details"]["Contacts"]["id"] == "4876876000001000301", "\(lead.json)")
            #expect(lead.json["data"][0]["details"]["Accounts"]["id"] == "4876876000001000201")
            let single = try await s.raw(
                .post,
                "/crm/v8/Quotes/4876876000001000502/actions/convert",
                body: #"{"data":[{"convert_to":[{"module":{"api_name":"Sales_Orders","id":4876876000000002185}}]}]}"#,
                headers: auth
            )
            #expect(single.json["data"][0]["code"] == "SUCCESS", "\(single.json)")
            let mass = try await s.raw(
                .post,
                "/crm/v8/Leads/actions/mass_convert",
                body: #"{"ids":[4876876000001000402],"assign_to":{"id":4876876000000400004}}"#,
                headers: auth
            )
            #expect(mass.json["code"] == "SCHEDULED", "\(mass.json)")
        }
    }
}
