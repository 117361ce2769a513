import Foundation
import Testing

@testable import ZohoCRM

/// The CRM host comes from the token response's `api_domain`; only the data centre's Zoho hosts are accepted.
struct APIDomainTests {
    @Test(arguments: [
        (ZohoConfiguration.DataCenter.us, "https://www.zohoapis.com", "https://www.zohoapis.com"),
        (.eu, "https://www.zohoapis.eu", "https://www.zohoapis.eu"),
        (.au, "https://www.zohoapis.com.au", "https://www.zohoapis.com.au"),
        (.ca, "https://www.zohoapis.ca", "https://www.zohoapis.ca"),
    ])
    func zohoHostsOfTheDataCentreAreAccepted(
        dc: ZohoConfiguration.DataCenter,
        reported: String,
        expected: String
    ) throws {
        #expect(try ZohoConfiguration(dataCenter: dc).resolveAPIDomain(reported).absoluteString == expected)
    }

    @Test func sandboxAndDeveloperOrgsUseTheirOwnHost() throws {
        let sandbox = ZohoConfiguration(dataCenter: .eu, environment: .sandbox)
        #expect(try sandbox.resolveAPIDomain("https://www.zohoapis.eu").absoluteString == "https://sandbox.zohoapis.eu")
        let developer = ZohoConfiguration(dataCenter: .us, environment: .developer)
        #expect(try developer.resolveAPIDomain(nil).absoluteString == "https://developer.zohoapis.com")
    }

    @Test(arguments: [
        "https://www.zohoapis.com.evil.example", "http://www.zohoapis.com", "https://www.zohoapis.eu",
        "https://zohoapis.com.attacker.net", "https://127.0.0.1", "not a url",
    ])
    func otherHostsAreRefused(reported: String) {
        let error = #expect(throws: ZohoError.self) {
            _ = try ZohoConfiguration(dataCenter: .us).resolveAPIDomain(reported)
        }
        #expect(error?.code == .authentication)
    }

    @Test func anEmulatorMayOnlyNameALoopbackDomain() throws {
        let configuration = ZohoConfiguration(apiURL: URL(string: "http://127.0.0.1:8080"))
        #expect(try configuration.resolveAPIDomain("http://127.0.0.1:8080").port == 8080)
        #expect(throws: ZohoError.self) { _ = try configuration.resolveAPIDomain("https://www.zohoapis.com") }
    }

    @Test func largeNumericIdsSurviveDecoding() throws {
        let json = try ZohoJSON(data: Data(#"{"data":[{"id":4150868000000224005,"Amount":12.5,"Tag":[]}]}"#.utf8))
        let item = try #require(json["data"].arrayValue?.first?.objectValue)
        let record = ZohoRecord(json: item)
        #expect(record.id == "4150868000000224005")
        #expect(record["Amount"] == 12.5)
        #expect(record.json["id"] == "4150868000000224005")
    }
}
