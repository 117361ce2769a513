import Foundation
import Testing
import ZohoCRM

/// Two records whose ids differ by one near 2^63, written and read through the emulator: each call must reach
/// exactly the record it names.
struct ExactIdRoundTripTests {
    static let below = "9223372036854775806"
    static let top = "9223372036854775807"
    static let fixture = """
        records:
          Leads:
            - { id: "\(below)", Last_Name: Below, Company: Zylker, Lead_Status: New }
            - { id: "\(top)", Last_Name: Top, Company: Zylker, Lead_Status: New }
        """

    @Test func neighbouringIdsNearTwoToTheSixtyThirdStayDistinctOverHTTP() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let results = try await h.client.updateRecords(
                module: "Leads",
                records: [ZohoRecord(id: Self.top, fields: ["Lead_Status": "Contacted"])]
            )
            #expect(results.map(\.id) == [Self.top])
            #expect(results.first?.isSuccess == true)
            let top = try await h.client.getRecord(module: "Leads", id: Self.top)
            let below = try await h.client.getRecord(module: "Leads", id: Self.below)
            #expect(top?.id == Self.top)
            #expect(top?["Lead_Status"] == "Contacted")
            #expect(below?.id == Self.below)
            #expect(below?["Lead_Status"] == "New")
            let page = try await h.client.coql(
                "select id, Last_Name from Leads where id in \(try COQL.list([Self.below])) order by id"
            )
            #expect(page.records.map(\.id) == [Self.below])
            #expect(page.records.first?["Last_Name"] == "Below")
        }
    }
}
