import Foundation
import Testing

@testable import ZohoCRM

/// Zoho's ids are 19-digit integers that its SDKs send as bare JSON numbers: they must never pass through a Double,
/// which keeps only 53 bits and merges ids less than about 1,024 apart near 2^63.
struct ExactIntegerTests {
    static let below = "9223372036854775806"
    static let top = "9223372036854775807"

    @Test func idsThatDifferByOneNearTwoToTheSixtyThirdSurviveARoundTrip() throws {
        let text = #"{"data":[{"id":\#(Self.below)},{"id":\#(Self.top)}],"info":{"count":2}}"#
        let json = try ZohoJSON(data: Data(text.utf8))
        let ids = try #require(json["data"].arrayValue).map(\.["id"])
        #expect(ids == [.int(9_223_372_036_854_775_806), .int(Int64.max)])
        #expect(ids.map(\.idValue) == [Self.below, Self.top])
        let encoded = String(decoding: try json.encoded(), as: UTF8.self)
        #expect(encoded.contains("\(Self.below)}"))
        #expect(encoded.contains("\(Self.top)}"))
        #expect(try ZohoJSON(data: try json.encoded()) == json)
    }

    @Test(arguments: [
        #"{"details":{"job_id":4876876000007600001}}"#,
        #"{"details":{"job_id":"4876876000007600001"}}"#,
        #"{"data":[{"details":{"job_id":4876876000007600001}}]}"#,
    ])
    func jobIDsAreReadExactlyAsNumbersOrStrings(body: String) throws {
        let client = try ZohoClient(
            configuration: ZohoConfiguration(apiURL: URL(string: "http://127.0.0.1:1")),
            credentials: ZohoCredentials(clientID: "1000.X", clientSecret: "s", refreshToken: "r"),
            logger: .init(label: "t")
        )
        defer { Task { try await client.shutdown() } }
        let reply = ZohoClient.Reply(status: 202, body: try ZohoJSON(data: Data(body.utf8)), raw: Data())
        #expect(try client.jobID(reply, "POST /crm/{v}/Leads/actions/mass_convert") == "4876876000007600001")
    }

    @Test func recordIdsAndLookupsAreReadFromNumbersOrStrings() throws {
        let text = #"{"id":\#(Self.top),"Owner":{"id":\#(Self.below)},"Account_Name":{"id":"\#(Self.below)"}}"#
        let record = ZohoRecord(json: try #require(try ZohoJSON(data: Data(text.utf8)).objectValue))
        #expect(record.id == Self.top)
        #expect(record["Owner"]["id"].idValue == Self.below)
        #expect(record["Account_Name"]["id"].idValue == Self.below)
        // Written back, the id goes out as a string: exact whatever the reader's number type.
        #expect(record.json["id"] == .string(Self.top))
    }

    @Test func fractionsStayDoublesAndWholeNumbersStayIntegers() throws {
        let json = try ZohoJSON(data: Data(#"[12.5, 12, -9223372036854775808, 0]"#.utf8))
        #expect(json == [.double(12.5), .int(12), .int(Int64.min), .int(0)])
    }
}
