import Foundation
import Testing
import ZohoCRM

/// Every client operation against the emulator over loopback HTTP.
struct OperationsTests {
    static let fixture = """
        edition: enterprise
        users:
          - { id: "1234567000000000001", email: Owner@Zylker.com, full_name: Olivia Owner }
          - { id: "1234567000000000002", email: billing@zylker.com, full_name: Bill Ing }
        records:
          Accounts:
            - { id: "1234567000000100001", Account_Name: Zylker }
          Contacts:
            - { id: "1234567000000200001", Last_Name: Boyle, First_Name: Patricia, Email: p.boyle@zylker.com, Account_Name: "1234567000000100001" }
          Leads:
            - { id: "1234567000000300001", Last_Name: Boyle, First_Name: Patricia, Company: Zylker, Email: p.boyle@zylker.com, Lead_Status: Qualified }
            - { id: "1234567000000300002", Last_Name: "O'Brien", Company: "Burns,B (Ltd)", Email: ob@example.com, Lead_Status: Qualified }
            - { id: "1234567000000300003", Last_Name: Novak, Company: Nowhere Inc, Email: novak@nowhere.example, Lead_Status: New }
            - { id: "1234567000000300004", Last_Name: Quinn, Company: Quinn Co, Email: quinn@quinn.example, Lead_Status: Qualified }
          Quotes:
            - { id: "1234567000000400001", Subject: Q-1, Quote_Stage: Accepted, Account_Name: "1234567000000100001" }
            - { id: "1234567000000400002", Subject: Q-2, Quote_Stage: Accepted, Account_Name: "1234567000000100001" }
            - { id: "1234567000000400003", Subject: Q-3, Quote_Stage: Draft, Account_Name: "1234567000000100001" }
        """

    @Test func usersAndOwnerByEmail() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let users = try await h.client.users()
            #expect(Set(users.map(\.id)) == ["1234567000000000001", "1234567000000000002"])
            let owner = try await h.client.user(byEmail: "owner@zylker.COM")
            #expect(owner?.id == "1234567000000000001")
            #expect(owner?.fullName == "Olivia Owner")
            #expect(try await h.client.user(byEmail: "nobody@zylker.com") == nil)
        }
    }

    @Test func modulesAndFieldsAndTheirRawBodies() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let modules = try await h.client.modules()
            let invoices = try #require(modules.first { $0.apiName == "Invoices" })
            #expect(!invoices.id.isEmpty)
            let fields = try await h.client.fields(module: "Quotes")
            let stage = try #require(fields.first { $0.apiName == "Quote_Stage" })
            #expect(stage.dataType == "picklist")
            #expect(stage.pickListValues.contains("Confirmed"))
            let raw = try ZohoJSON(data: try await h.client.rawFieldsJSON(module: "Quotes"))
            #expect(raw["fields"].arrayValue?.count == fields.count)
            let rawModules = try ZohoJSON(data: try await h.client.rawModulesJSON())
            #expect(rawModules["modules"].arrayValue?.count == modules.count)
            let leadFields = try await h.client.fields(module: "Leads")
            #expect(leadFields.first { $0.apiName == "Last_Name" }?.convertMapping["Contacts"] == "Last_Name")
        }
    }

    @Test func metadataSnapshotEmbedsZohoBodies() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let data = try await h.client.metadataSnapshot(
                modules: ["Quotes", "Invoices"],
                pulledAt: Date(timeIntervalSince1970: 1_800_000_000)
            )
            let json = try ZohoJSON(data: data)
            #expect(json["zrules_metadata"].intValue == 1)
            #expect(json["pulled_at"].stringValue == "2027-01-15T08:00:00Z")
            #expect(json["modules"]["modules"].arrayValue?.isEmpty == false)
            #expect(json["fields"]["Quotes"]["fields"].arrayValue?.isEmpty == false)
            #expect(json["fields"]["Invoices"]["fields"].arrayValue?.isEmpty == false)
            #expect(json["fields"].objectValue?.count == 2)
            #expect(json["users"]["users"].arrayValue?.count == 2)
            // Only reads: a metadata pull never writes.
            #expect(try await h.crmRequests().allSatisfy { $0.method == "GET" })
        }
    }

    @Test func coqlWithQuotedLiteralsAndPaging() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let page = try await h.client.coql(
                "select id, Last_Name from Leads where Last_Name = \(try COQL.quote("O'Brien"))"
            )
            #expect(page.records.map(\.id) == ["1234567000000300002"])
            #expect(page.records.first?["Last_Name"] == "O'Brien")
            // A doubled quote inside a literal is neither its end nor a LIMIT outside it.
            let quoted = try await h.client.coqlAll(
                "select id from Leads where Last_Name in \(try COQL.list(["O'Brien", "no limit's here"])) order by id"
            )
            #expect(quoted.map(\.id) == ["1234567000000300002"])
            let all = try await h.client.coqlAll(
                "select id, Last_Name from Leads where Last_Name is not null order by id",
                pageSize: 3
            )
            #expect(all.count == 4)
            #expect(all.compactMap(\.id) == all.compactMap(\.id).sorted())
            // The quoted query, then two pages: 3 + 1.
            #expect(try await h.crmRequests(method: "POST", pathSuffix: "/coql").count == 4)
            let none = try await h.client.coql("select id from Leads where Last_Name = 'Nobody'")
            #expect(none.records.isEmpty)
            #expect(!none.moreRecords)
        }
    }

    @Test func coqlAllRefusesQueriesWithTheirOwnLimit() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let error = await #expect(throws: ZohoError.self) {
                try await h.client.coqlAll("select id from Leads where id is not null limit 5")
            }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func searchEscapesCriteria() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let page = try await h.client.search(
                module: "Leads",
                criteria: .field("Company", .equals, "Burns,B (Ltd)"),
                fields: ["Last_Name", "Company"]
            )
            #expect(page.records.map(\.id) == ["1234567000000300002"])
            let both = try await h.client.searchAll(
                module: "Leads",
                criteria: .and([
                    .field("Lead_Status", .equals, "Qualified"),
                    .condition(field: "Last_Name", op: .in, values: ["Boyle", "Quinn"]),
                ])
            )
            #expect(Set(both.compactMap(\.id)) == ["1234567000000300001", "1234567000000300004"])
            let nothing = try await h.client.search(module: "Leads", criteria: .field("Last_Name", .equals, "Zzyzx"))
            #expect(nothing == .empty)
        }
    }

    @Test func getUpdateAndTagRecords() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let lead = try #require(try await h.client.getRecord(module: "Leads", id: "1234567000000300003"))
            #expect(lead["Last_Name"] == "Novak")
            let results = try await h.client.updateRecords(
                module: "Leads",
                records: [
                    ZohoRecord(id: "1234567000000300003", fields: ["Lead_Status": "Contacted"]),
                    ZohoRecord(id: "9999999999999999999", fields: ["Lead_Status": "Contacted"]),
                ]
            )
            #expect(results.count == 2)
            #expect(results[0].isSuccess)
            #expect(results[0].id == "1234567000000300003")
            #expect(!results[1].isSuccess)
            #expect(results[1].code == "INVALID_DATA")
            let tagged = try await h.client.addTags(module: "Leads", ids: ["1234567000000300003"], tags: ["vip", "q4"])
            #expect(tagged.first?.isSuccess == true)
            let after = try #require(try await h.client.getRecord(module: "Leads", id: "1234567000000300003"))
            #expect(after["Lead_Status"] == "Contacted")
            let tags = (after["Tag"].arrayValue ?? []).compactMap { $0["name"].stringValue }
            #expect(Set(tags) == ["vip", "q4"])
        }
    }

    @Test func getRecordsPagesBeyondTwoThousandWithPageToken() async throws {
        let many = (1...2150).map {
            "    - { id: \"12345670000005\(String(format: "%05d", $0))\", Last_Name: L\($0), Company: C\($0) }"
        }.joined(separator: "\n")
        try await Harness.run(fixture: "records:\n  Leads:\n" + many) { (h: Harness) async throws in
            let first2000 = try await h.client.getRecords(module: "Leads", fields: ["Last_Name"], limit: 2000)
            #expect(first2000.count == 2000)
            #expect(Set(first2000.compactMap(\.id)).count == 2000)
            let calls = try await h.crmRequests(method: "GET", pathSuffix: "/Leads")
            #expect(calls.map { $0.query["page"] } == (1...10).map { String($0) })
            #expect(calls.allSatisfy { $0.query["page_token"] == nil && $0.query["per_page"] == "200" })
            // Beyond 2000, pages are reached through info.next_page_token.
            let all = try await h.client.getRecords(module: "Leads", fields: ["Last_Name"])
            #expect(all.count == 2150)
            #expect(Set(all.compactMap(\.id)).count == 2150)
            let tokenCalls = try await h.crmRequests(method: "GET", pathSuffix: "/Leads").filter {
                $0.query["page_token"] != nil
            }
            #expect(!tokenCalls.isEmpty)
            #expect(tokenCalls.allSatisfy { $0.query["page"] == nil })
            let limited = try await h.client.getRecords(module: "Leads", fields: ["Last_Name"], limit: 250)
            #expect(limited.count == 250)
            #expect(Set(limited.compactMap(\.id)).count == 250)
        }
    }

    @Test func inventoryConversionsSingleAndMass() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let modules = try await h.client.modules()
            let salesOrders = try #require(modules.first { $0.apiName == "Sales_Orders" }).ref
            let single = try await h.client.convertInventory(
                from: "Quotes",
                id: "1234567000000400003",
                to: salesOrders,
                carryTags: true
            )
            #expect(single.isSuccess)
            let childID = try #require(single.created["Sales_Orders"]?.id)
            let child = try #require(try await h.client.getRecord(module: "Sales_Orders", id: childID))
            #expect(child["Quote_Name"]["id"].idValue == "1234567000000400003")

            let job = try await h.client.massConvertInventory(
                from: "Quotes",
                ids: ["1234567000000400001", "1234567000000400002"],
                to: salesOrders,
                carryTags: false,
                assignTo: "1234567000000000002"
            )
            let first = try await h.client.inventoryMassConvertStatus(from: "Quotes", jobID: job)
            #expect(first.totalCount == 2)
            #expect(!first.state.isFinished)
            h.emulatorTime.advance(60)
            let done = try await h.client.inventoryMassConvertStatus(from: "Quotes", jobID: job)
            #expect(done.state == .completed)
            #expect(done.convertedCount == 2)

            let illegal = await #expect(throws: ZohoError.self) {
                _ = try await h.client.massConvertInventory(
                    from: "Sales_Orders",
                    ids: ["1"],
                    to: ZohoModuleRef(apiName: "Quotes", id: "1"),
                    carryTags: false
                )
            }
            // The client leaves which pairs convert to lint and the compiler; Zoho refuses the rest itself.
            #expect(illegal?.code == .api)
            #expect(illegal?.zohoCode == "INVALID_DATA")
            let tooMany = await #expect(throws: ZohoError.self) {
                _ = try await h.client.massConvertInventory(
                    from: "Quotes",
                    ids: (1...51).map(String.init),
                    to: salesOrders,
                    carryTags: false
                )
            }
            #expect(tooMany?.code == .invalidArgument)
        }
    }

    @Test func leadConversionOptionsConvertAndMassConvert() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let options = try #require(try await h.client.conversionOptions(leadID: "1234567000000300001"))
            #expect(options.contacts?.compactMap(\.id) == ["1234567000000200001"])
            // A lead matching nothing: Zoho answers 204.
            #expect(try await h.client.conversionOptions(leadID: "1234567000000300003") == nil)

            let modules = try await h.client.modules()
            #expect(modules.contains { $0.apiName == "Deals" })
            let converted = try await h.client.convertLead(
                id: "1234567000000300001",
                request: ConvertLeadRequest(
                    notifyLeadOwner: false,
                    accountID: "1234567000000100001",
                    contactID: "1234567000000200001",
                    assignTo: "1234567000000000001",
                    deal: [
                        "Deal_Name": "Zylker deal", "Closing_Date": "2027-02-01", "Stage": "Qualification",
                        "Pipeline": "Standard (Standard)",
                    ],
                    carryOverTags: ["Deals": []]
                )
            )
            #expect(converted.isSuccess)
            #expect(converted.contactID == "1234567000000200001")
            #expect(converted.accountID == "1234567000000100001")
            #expect(converted.dealID != nil)

            // An error about the lead in the URL comes top level (not inside data[]), so the client throws it.
            let again = await #expect(throws: ZohoError.self) {
                try await h.client.convertLead(id: "1234567000000300001", request: ConvertLeadRequest())
            }
            #expect(again?.zohoCode == "ID_ALREADY_CONVERTED")
            #expect(again?.httpStatus == 400)
        }
    }

    @Test func massConvertLeadsAndStatus() async throws {
        try await Harness.run(fixture: Self.fixture) { (h: Harness) async throws in
            let job = try await h.client.massConvertLeads(
                request: MassConvertLeadsRequest(
                    ids: ["1234567000000300002", "1234567000000300004"],
                    assignTo: "1234567000000000001"
                )
            )
            h.emulatorTime.advance(60)
            let status = try await h.client.leadMassConvertStatus(jobID: job)
            #expect(status.state == .completed)
            #expect(status.totalCount == 2)
            #expect(status.convertedCount + status.failedCount == 2)
            let lead = try #require(try await h.client.getRecord(module: "Leads", id: "1234567000000300004"))
            #expect(lead["Converted__s"] == true)
        }
    }

    @Test func waitingForJobsPollsOnTheClientClockUntilTheyFinish() async throws {
        try await Harness.run(fixture: Self.fixture, sharedClock: true) { (h: Harness) async throws in
            let salesOrders = try #require(try await h.client.modules().first { $0.apiName == "Sales_Orders" }).ref
            let job = try await h.client.massConvertInventory(
                from: "Quotes",
                ids: ["1234567000000400001"],
                to: salesOrders,
                carryTags: true
            )
            let status = try await h.client.waitForInventoryMassConvert(
                from: "Quotes",
                jobID: job,
                interval: .seconds(1)
            )
            #expect(status.state == .completed)
            #expect(status.convertedCount == 1)
            let polls = try await h.crmRequests(method: "GET", pathSuffix: "/Quotes/actions/mass_convert")
            #expect(polls.count == h.clock.slept.count + 1)
            #expect(polls.count >= 2 && polls.count <= 10)

            let leadJob = try await h.client.massConvertLeads(
                request: MassConvertLeadsRequest(ids: ["1234567000000300004"], assignTo: "1234567000000000001")
            )
            let leads = try await h.client.waitForLeadMassConvert(jobID: leadJob, interval: .seconds(1), maxPolls: 1)
            #expect(!leads.state.isFinished)
            #expect(try await h.crmRequests(method: "GET", pathSuffix: "/Leads/actions/mass_convert").count == 1)
        }
    }
}
