import Foundation
import RuleKit
import Testing

@Suite struct MetadataSnapshotTests {
    @Test func theFixtureLoadsModulesFieldsPicklistsAndUsers() throws {
        let snapshot = Fixtures.metadata
        #expect(snapshot.module("Sales_Orders") != nil)
        let stage = try #require(snapshot.field("Quote_Stage", in: "Quotes"))
        #expect(stage.dataType == "picklist")
        #expect(stage.picklistValues.contains("Accepted"))
        #expect(snapshot.field("Grand_Total", in: "Quotes")?.writable == false)
        #expect(snapshot.users.contains { $0.email == "former@zylker.com" && $0.status == "disabled" })
    }

    @Test func unknownKeysAreIgnoredSoNewerZohoResponsesLoad() throws {
        let json = """
            {"zrules_metadata": 1, "pulled_at": "2026-11-23T09:00:00Z", "extra": {"a": 1},
             "modules": {"modules": [{"api_name": "Quotes", "id": "1", "new_key": true}]},
             "fields": {"Quotes": {"fields": [{"api_name": "Quote_Stage", "data_type": "picklist",
               "pick_list_values": [{"display_value": "Angenommen", "actual_value": "Accepted"}]}]}},
             "users": {"users": [{"id": "4150868000000225013", "email": "a@b.co", "status": "active"}], "info": {}}}
            """
        let snapshot = try MetadataSnapshot.decode(Data(json.utf8))
        #expect(snapshot.field("Quote_Stage", in: "Quotes")?.picklistValues == ["Accepted", "Angenommen"])
        #expect(snapshot.users.first?.id == "4150868000000225013")
    }

    @Test(arguments: ["[]", "{\"zrules_metadata\": 2}", "not json", "{\"modules\": {}}"])
    func refusesWhatIsNotASnapshot(_ json: String) {
        #expect {
            try MetadataSnapshot.decode(Data(json.utf8))
        } throws: { ($0 as? RuleKitError)?.code == .badMetadata }
    }

    @Test func withoutFieldsForAModuleItsFieldsAreNotChecked() throws {
        let snapshot = MetadataSnapshot(modules: [.init(apiName: "Quotes", id: "1")], fields: [:], users: [])
        let result = Linter.lint(
            text: """
                version: 1
                rules:
                  - name: a
                    when: { module: Quotes, where: { Anything_Goes: x } }
                    do: [{ convert: { to: Invoices, owner: someone@zylker.com } }]
                """,
            metadata: snapshot
        )
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }
}
