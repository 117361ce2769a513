import Foundation
import Testing

@testable import ZohoEmulator

@Suite struct FixtureTests {
    static let examplesURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    @Test func demoOrgLoadsWithWhatTheRulesNeed() throws {
        let fixture = try EmulatorFixture.load(from: Self.examplesURL.appendingPathComponent("org.yaml"))
        let org = try OrgState(fixture: fixture, now: Date())
        #expect((3...4).contains(org.users.count))
        let quotes = org.live("Quotes")
        #expect(quotes.count >= 10)
        let invoiceable = quotes.filter {
            $0["Quote_Stage"] == "Accepted" && ($0["Grand_Total"].doubleValue ?? 0) > 0
                && ($0["Valid_Till"].stringValue ?? "") > ZohoTime.date(Date())
        }
        #expect(invoiceable.count >= 3)
        let qualified = org.live("Leads").filter { $0["Lead_Status"] == "Qualified" && !$0["Email"].isNull }
        #expect(qualified.count >= 4)
        #expect(org.live("Leads").contains { $0["Locked__s"] == .bool(true) })
        #expect(org.live("Leads").contains { $0["$approval_state"] == "approval_process_pending" })
        #expect(fixture.uniqueFields["Contacts"] == ["Phone"])
        #expect(org.live("Sales_Orders").count >= 2)
        #expect(org.metadata.module("Quotes")?.field("Quote_Stage")?.picklist.contains("Accepted") == true)
    }

    @Test func lineItemsProduceTotals() throws {
        let org = try OrgState(fixture: EmulatorFixture(yaml: testFixtureYAML), now: Date())
        let quote = try #require(org.record("Quotes", "4876876000001000501"))
        #expect(quote["Grand_Total"] == .double(200))
        #expect(quote["Quoted_Items"].arrayValue?.first?["Product_Name"]["name"] == "Widget")
        #expect(quote["Owner"]["email"] == "billing@zylker.com")
        #expect(quote["Account_Name"]["id"] == "4876876000001000201")
        #expect(quote["Tag"].arrayValue?.first?["name"] == "priority")
    }

    @Test func moduleIDsAreStableAcrossLoads() throws {
        let a = OrgMetadata(fixture: try EmulatorFixture(yaml: testFixtureYAML))
        let b = OrgMetadata(fixture: try EmulatorFixture(yaml: testFixtureYAML))
        #expect(a.moduleID("Sales_Orders") == b.moduleID("Sales_Orders"))
        #expect(a.moduleID("Sales_Orders") == "4876876000000002185")
        #expect(a.moduleID("Invoices") == "4876876000000002187")
        #expect(a.moduleID("Quotes").count == 19)
    }

    struct BadFixture: Sendable, CustomTestStringConvertible {
        var yaml: String
        var code: String
        var line: Int
        var message: String
        var testDescription: String { message }
    }

    @Test(arguments: [
        BadFixture(yaml: "edition: gold\n", code: "FIXTURE_SCHEMA", line: 1, message: "unknown edition"),
        BadFixture(yaml: "users: []\nrecrods: {}\n", code: "FIXTURE_SCHEMA", line: 2, message: "unknown fixture key"),
        BadFixture(yaml: "records:\n  Widgets: []\n", code: "FIXTURE_SCHEMA", line: 2, message: "unknown module"),
        BadFixture(
            yaml: "records:\n  Leads:\n    - { Last_Name: A, Owner: nobody@x.com }\n",
            code: "FIXTURE_SCHEMA",
            line: 3,
            message: "not a fixture user"
        ),
        BadFixture(
            yaml: "records:\n  Leads:\n    - { Last_Name: A, Colour: red }\n",
            code: "FIXTURE_SCHEMA",
            line: 3,
            message: "has no field"
        ),
        BadFixture(
            yaml: "records:\n  Contacts:\n    - { Last_Name: A, Account_Name: Nope }\n",
            code: "FIXTURE_SCHEMA",
            line: 3,
            message: "no record matches"
        ),
        BadFixture(
            yaml: "records:\n  Leads:\n    - [unclosed\n",
            code: "FIXTURE_YAML",
            line: 4,
            message: "did not find expected"
        ),
    ])
    func badFixturesPointAtTheProblem(_ bad: BadFixture) throws {
        do {
            let fixture = try EmulatorFixture(yaml: bad.yaml, file: "bad.yaml")
            _ = try OrgState(fixture: fixture, now: Date())
            Issue.record("expected an error")
        } catch let error as EmulatorError {
            #expect(error.code == bad.code)
            #expect(error.line == bad.line, "\(error)")
            #expect(error.description.hasPrefix("bad.yaml:\(bad.line)"), "\(error)")
            #expect(error.message.contains(bad.message), "\(error)")
        }
    }

    @Test func faultSpecRoundTrips() throws {
        let spec = try FaultConfiguration(
            spec: "429=0.2,5xx=0.1,latency=200ms,token_ttl=5s,job=slow,timeout_write=0.1,seed=7"
        )
        #expect(spec.tooManyRequests == 0.2)
        #expect(spec.latency == .milliseconds(200))
        #expect(spec.tokenTTL == .seconds(5))
        #expect(spec.job == .slow)
        #expect(try FaultConfiguration(spec: spec.spec) == spec)
        #expect(throws: EmulatorError.self) { try FaultConfiguration(spec: "429=2") }
        #expect(throws: EmulatorError.self) { try FaultConfiguration(spec: "boom=1") }
    }
}

@Suite struct ExampleFixtureTests {
    @Test func everyExampleFixtureLoads() throws {
        let folder = FixtureTests.examplesURL.appendingPathComponent("fixtures")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
        #expect(!files.isEmpty)
        for file in files {
            let fixture = try EmulatorFixture.load(from: file)
            #expect(!fixture.records.isEmpty, "\(file.lastPathComponent)")
        }
    }
}
