import Foundation
import Testing

@testable import ZohoEmulator

/// The store's indexes (id order, back-links, lookups, unique values) and the COQL paths that use them must
/// answer exactly as a full scan and sort of every module would, whatever order records arrive in.
@Suite struct IndexTests {
    /// Quotes whose fixture order is not their id order, orders linking back to some of them (one deleted), a
    /// lead converted already.
    static let yaml = """
        edition: enterprise
        org: { name: Zylker, id_prefix: "4876876" }
        users:
          - { id: "4876876000000400001", email: admin@zylker.com, full_name: Patricia Boyle }
        unique_fields: { Contacts: [Phone] }
        picklist_values: { Quotes.Quote_Stage: [Accepted] }
        records:
          Products:
            - { id: "4876876000001000101", Product_Name: Widget, Unit_Price: 100 }
          Accounts:
            - { id: "4876876000001000201", Account_Name: Zylker Biotech }
          Contacts:
            - { id: "4876876000001000302", Last_Name: Stone, Phone: "555" }
            - { id: "4876876000001000301", Last_Name: Boyle, Phone: "555" }
          Quotes:
            - { id: "4876876000001000507", Subject: Q7, Quote_Stage: Accepted, Account_Name: Zylker Biotech, Quoted_Items: [{ Product_Name: Widget }] }
            - { id: "4876876000001000501", Subject: Q1, Quote_Stage: Accepted, Account_Name: Zylker Biotech, Quoted_Items: [{ Product_Name: Widget }] }
            - { id: "4876876000001000505", Subject: Q5, Quote_Stage: Draft, Account_Name: Zylker Biotech, Quoted_Items: [{ Product_Name: Widget }] }
            - { id: "4876876000001000503", Subject: Q3, Quote_Stage: Accepted, Account_Name: Zylker Biotech, Quoted_Items: [{ Product_Name: Widget }] }
            - { id: "4876876000001000502", Subject: Q2, Quote_Stage: Accepted, Account_Name: Zylker Biotech, $deleted: true, Quoted_Items: [{ Product_Name: Widget }] }
            - { id: "4876876000001000506", Subject: Q6, Quote_Stage: Accepted, Account_Name: Zylker Biotech, Quoted_Items: [{ Product_Name: Widget }] }
            - { id: "4876876000001000504", Subject: Q4, Quote_Stage: Accepted, Account_Name: Zylker Biotech, Quoted_Items: [{ Product_Name: Widget }] }
          Sales_Orders:
            - { id: "4876876000001000602", Subject: Live order, Quote_Name: "4876876000001000506", Account_Name: Zylker Biotech, Ordered_Items: [{ Product_Name: Widget }] }
            - { id: "4876876000001000601", Subject: Deleted order, Quote_Name: "4876876000001000504", Account_Name: Zylker Biotech, $deleted: true, Ordered_Items: [{ Product_Name: Widget }] }
          Leads:
            - { id: "4876876000001000402", Last_Name: Open, Company: Open Co }
            - { id: "4876876000001000401", Last_Name: Done, Company: Done Co, Converted__s: true }
        """

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func org() throws -> OrgState {
        try OrgState(fixture: try EmulatorFixture(yaml: yaml), now: now)
    }

    /// The catalog COQL used before the indexes: every module copied, filtered and sorted by id; it has no index,
    /// so the evaluator scans and sorts, which makes it the reference the indexed answers must equal.
    static func reference(_ org: OrgState) -> CatalogSnapshot {
        var live: [String: [EmulatorRecord]] = [:]
        for spec in org.metadata.modules {
            live[spec.apiName] = org.live(spec.apiName).filter {
                spec.apiName != "Leads" || $0["Converted__s"] != .bool(true)
            }
            .map(OrgState.publicView)
        }
        live["users"] = OrgCatalog(org: org).userRecords
        return CatalogSnapshot(metadata: org.metadata, live: live)
    }

    static let queries = [
        "select id, Subject from Quotes where Quote_Stage = 'Accepted' order by id asc limit 2",
        "select id, Subject from Quotes where Quote_Stage = 'Accepted' order by id asc limit 2 offset 2",
        "select id, Subject from Quotes where Quote_Stage = 'Accepted' order by id asc limit 2 offset 4",
        "select id from Quotes where Quote_Stage = 'Accepted'",
        "select id from Quotes where Subject like 'Q%' order by id desc limit 3",
        "select id from Quotes where Subject like 'Q%' order by Subject desc limit 3",
        "select id from Quotes where id in ('4876876000001000503', '4876876000001000502', '4876876000001000999')",
        "select id from Quotes where id = '04876876000001000503'",
        "select id from Quotes where ID = 4876876000001000507 or Subject = 'Q1'",
        "select id, Quote_Name from Sales_Orders where Quote_Name in ('4876876000001000506', '4876876000001000504')",
        "select id from Sales_Orders where quote_name = '4876876000001000506' and Subject = 'Live order'",
        "select id from Sales_Orders where Quote_Name = '4876876000001000506' or id = '4876876000001000601'",
        "select Quote_Name.Subject from Sales_Orders where Quote_Name is not null",
        "select id, Last_Name from Leads where Last_Name is not null order by id",
        "select id from Leads where id = '4876876000001000401'",
        "select count(id) from Quotes where Quote_Stage = 'Accepted'",
        "select email from users where id is not null",
    ]

    static func expectSameAnswers(_ org: OrgState, _ note: String) throws {
        let indexed = OrgCatalog(org: org)
        let reference = reference(org)
        for query in queries {
            let fast = try COQLRunner.run(query, catalog: indexed)
            let slow = try COQLRunner.run(query, catalog: reference)
            #expect(fast == slow, "\(note): \(query)")
        }
    }

    @Test func coqlThroughTheIndexesAnswersAsAFullScanDoes() throws {
        var org = try Self.org()
        try Self.expectSameAnswers(org, "as loaded")
        #expect(org.tables["Quotes"]?.idsAreUniform == true)
        // Writes of every kind, including a record whose id sorts before the others.
        _ = try org.insertRecord(
            module: "Quotes",
            item: [
                "Subject": "Q8", "Quote_Stage": "Accepted", "Account_Name": ["id": "4876876000001000201"],
                "Quoted_Items": [["Product_Name": "4876876000001000101"]],
            ],
            index: 0,
            now: Self.now
        )
        var early = try #require(org.stored("Quotes", "4876876000001000501"))
        early["id"] = "4876876000001000500"
        org.put("Quotes", early, id: "4876876000001000500")
        _ = try org.updateRecord(
            module: "Sales_Orders",
            item: ["id": "4876876000001000602", "Quote_Name": ["id": "4876876000001000503"]],
            index: 0,
            now: Self.now
        )
        _ = try org.convertInventory(
            parent: "Quotes",
            id: "4876876000001000507",
            target: "Sales_Orders",
            carryTags: true,
            assignTo: nil,
            relatedModules: [],
            now: Self.now
        )
        try Self.expectSameAnswers(org, "after writes")
        let first = try COQLRunner.run(Self.queries[0], catalog: OrgCatalog(org: org))
        #expect(first.rows.map { $0["id"] } == ["4876876000001000500", "4876876000001000501"])
        #expect(first.moreRecords)
    }

    @Test func idsOfMixedLengthsAreOrderedAsNumbers() throws {
        let yaml = """
            records:
              Accounts:
                - { id: "300", Account_Name: C }
                - { id: "7", Account_Name: A }
                - { id: "40", Account_Name: B }
            """
        let org = try OrgState(fixture: try EmulatorFixture(yaml: yaml), now: Self.now)
        #expect(org.tables["Accounts"]?.idsAreUniform == false)
        let query = "select id from Accounts where Account_Name is not null order by id limit 2"
        let result = try COQLRunner.run(query, catalog: OrgCatalog(org: org))
        #expect(result.rows.map { $0["id"] } == ["7", "40"])
        #expect(result.moreRecords)
        #expect(result == (try COQLRunner.run(query, catalog: Self.reference(org))))
        let byID = try COQLRunner.run("select id from Accounts where id = 40", catalog: OrgCatalog(org: org))
        #expect(byID.rows.map { $0["id"] } == ["40"])
    }

    @Test func alreadyConvertedFollowsDeletes() throws {
        var org = try Self.org()
        // A live order links back to 506; the only order of 504 is deleted.
        #expect(org.alreadyConverted(parent: "Quotes", id: "4876876000001000506", target: "Sales_Orders"))
        #expect(!org.alreadyConverted(parent: "Quotes", id: "4876876000001000504", target: "Sales_Orders"))
        let child = try org.convertInventory(
            parent: "Quotes",
            id: "4876876000001000504",
            target: "Sales_Orders",
            carryTags: true,
            assignTo: nil,
            relatedModules: [],
            now: Self.now
        )
        #expect(org.alreadyConverted(parent: "Quotes", id: "4876876000001000504", target: "Sales_Orders"))
        // Deleting the new order makes the quote convertible again.
        var deleted = try #require(org.stored("Sales_Orders", child.id))
        deleted["$deleted"] = true
        org.put("Sales_Orders", deleted, id: child.id)
        #expect(!org.alreadyConverted(parent: "Quotes", id: "4876876000001000504", target: "Sales_Orders"))
        #expect(org.inventoryRefusal(parent: "Quotes", id: "4876876000001000504", target: "Sales_Orders") == nil)
    }

    @Test func lookupsFollowUpdates() throws {
        var org = try Self.org()
        _ = try org.updateRecord(
            module: "Sales_Orders",
            item: ["id": "4876876000001000602", "Quote_Name": ["id": "4876876000001000501"]],
            index: 0,
            now: Self.now
        )
        #expect(!org.alreadyConverted(parent: "Quotes", id: "4876876000001000506", target: "Sales_Orders"))
        #expect(org.alreadyConverted(parent: "Quotes", id: "4876876000001000501", target: "Sales_Orders"))
        #expect(org.liveChildren("Sales_Orders", field: "Quote_Name", parent: "4876876000001000506").isEmpty)
        let query = "select id from Sales_Orders where Quote_Name = '4876876000001000501'"
        let rows = try COQLRunner.run(query, catalog: OrgCatalog(org: org)).rows
        #expect(rows.map { $0["id"] } == ["4876876000001000602"])
    }

    @Test func uniqueValuesFollowUpdatesAndRefusalsChangeNothing() throws {
        var org = try Self.org()
        // Two contacts share a phone in the fixture: the clash names the lower id.
        let clash = org.duplicate(module: "Contacts", candidate: ["Phone": "555"], excluding: nil)
        #expect(clash?.record["id"] == "4876876000001000301")
        let serial = org.serial
        #expect(throws: ZohoAPIError.self) {
            _ = try org.insertRecord(
                module: "Contacts",
                item: ["Last_Name": "X", "Phone": "555"],
                index: 0,
                now: Self.now
            )
        }
        #expect(org.serial == serial)
        _ = try org.updateRecord(
            module: "Contacts",
            item: ["id": "4876876000001000301", "Phone": "777"],
            index: 0,
            now: Self.now
        )
        let remaining = org.duplicate(module: "Contacts", candidate: ["Phone": "555"], excluding: nil)
        #expect(remaining?.record["id"] == "4876876000001000302")
        #expect(
            org.duplicate(module: "Contacts", candidate: ["Phone": "777"], excluding: nil)?.record["id"]
                == "4876876000001000301"
        )
        _ = try org.updateRecord(
            module: "Contacts",
            item: ["id": "4876876000001000302", "Phone": "888"],
            index: 0,
            now: Self.now
        )
        #expect(org.duplicate(module: "Contacts", candidate: ["Phone": "555"], excluding: nil) == nil)
        #expect(org.duplicateCount(module: "Contacts", field: "Phone", value: "777") == 1)
    }

    @Test func aFixtureIsBuiltOnceAndStampedWithTheServersClock() async throws {
        let fixture = try EmulatorFixture(yaml: Self.yaml)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let served = try EmulatorStore(
            configuration: EmulatorConfiguration(fixture: fixture, clock: clock.emulatorClock)
        )
        // A second server from the same fixture builds its own org, the same one.
        let again = try EmulatorStore(
            configuration: EmulatorConfiguration(fixture: fixture, clock: clock.emulatorClock)
        )
        let direct = try OrgState(fixture: fixture, now: clock.now())
        for store in [served, again] {
            let org = await store.org
            #expect(org.live("Quotes") == direct.live("Quotes"))
            #expect(
                org.stored("Quotes", "4876876000001000501")?["Created_Time"] == .string(ZohoTime.dateTime(clock.now()))
            )
        }
    }
}

@Suite struct ZohoTimeTests {
    /// The computed date-time is the one ISO8601DateFormatter writes, leap days and fractions included.
    @Test(arguments: [
        0, 59.999, 86_399.5, 951_782_400, 951_868_799.9, 1_709_164_800, 1_795_000_000, 4_107_542_400, 4_102_444_799,
    ])
    func dateTimeMatchesTheFormatter(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let expected = formatter.string(from: date).replacingOccurrences(of: "Z", with: "+00:00")
        #expect(ZohoTime.dateTime(date) == expected)
        #expect(ZohoTime.date(date) == String(expected.prefix(10)))
    }
}
