import Foundation
import Testing

@testable import ZohoEmulator

@Suite struct LeadConversionTests {
    static let patLead = "4876876000001000401"
    static let freshLead = "4876876000001000402"
    static let patContact = "4876876000001000301"
    static let emailContact = "4876876000001000302"
    static let biotech = "4876876000001000201"

    @Test func optionsMatchUniqueFieldsThenEmailAndCompany() async throws {
        try await withSession { s in
            let reply = try await s.call(.get, "/Leads/\(Self.patLead)/__conversion_options")
            #expect(reply.status == 200)
            let options = reply.json["__conversion_options"]
            #expect(options["module_preference"]["api_name"] == "Contacts")
            let contacts = options["Contacts"].arrayValue?.compactMap { $0["id"].stringValue } ?? []
            // Phone (the unique field) first, then Email.
            #expect(contacts == [Self.patContact, Self.emailContact])
            #expect(options["Contacts"][0]["Account_Name"]["id"] == .string(Self.biotech))
            #expect(options["Accounts"].arrayValue?.map { $0["id"] } == [.string(Self.biotech)])
            let matched = options["preference_field_matched_value"]["Contacts"].arrayValue?.map {
                $0["field"]["api_name"]
            }
            #expect(matched == ["Phone", "Email"])
            #expect(options["preference_field_matched_value"]["Accounts"][0]["matched_lead_value"] == "Zylker Biotech")
        }
    }

    @Test func optionsAnswer204WhenNothingMatches() async throws {
        try await withSession { s in
            let reply = try await s.call(.get, "/Leads/\(Self.freshLead)/__conversion_options")
            #expect(reply.status == 204)
            #expect(reply.json.isNull)
        }
    }

    @Test(arguments: [
        ("4876876000001000403", "RECORD_LOCKED"), ("4876876000001000404", "NOT_APPROVED"),
        ("4876876000001000405", "INVALID_DATA"), ("4876876000009999999", "INVALID_DATA"),
    ])
    func optionsRefusals(id: String, code: String) async throws {
        try await withSession { s in
            let reply = try await s.call(.get, "/Leads/\(id)/__conversion_options")
            #expect(reply.status == 400)
            #expect(reply.json["code"].stringValue == code)
        }
    }

    @Test func convertMergesIntoExistingContactAndAccountAndCreatesADeal() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/Leads/\(Self.patLead)/actions/convert",
                [
                    "data": [
                        [
                            "overwrite": true, "notify_lead_owner": true, "notify_new_entity_owner": true,
                            "Accounts": ["id": .string(Self.biotech)], "Contacts": ["id": .string(Self.patContact)],
                            "assign_to": ["id": "4876876000000400004"],
                            "Deals": [
                                "Deal_Name": "Zylker Deal", "Closing_Date": "2026-12-20", "Stage": "Negotiation/Review",
                                "Amount": 20000, "Pipeline": "Standard (Standard)",
                            ],
                            "carry_over_tags": ["Contacts": ["vip"], "Deals": ["vip", "trade-show"]],
                            "move_attachments_to": ["api_name": "Deals", "id": "4876876000000002181"],
                        ]
                    ]
                ]
            )
            #expect(reply.status == 200, "\(reply.json)")
            let details = reply.json["data"][0]["details"]
            #expect(reply.json["data"][0]["code"] == "SUCCESS")
            #expect(details["Contacts"] == ["name": "Pat Boyle", "id": .string(Self.patContact)])
            #expect(details["Accounts"] == ["name": "Zylker Biotech", "id": .string(Self.biotech)])
            let dealID = try #require(details["Deals"]["id"].stringValue)
            let deal = try await s.call(.get, "/Deals/\(dealID)").json["data"][0]
            #expect(deal["Contact_Name"]["id"] == .string(Self.patContact))
            #expect(deal["Account_Name"]["id"] == .string(Self.biotech))
            #expect(deal["Owner"]["id"] == "4876876000000400004")
            #expect(deal["Tag"].arrayValue?.compactMap { $0["name"].stringValue }.sorted() == ["trade-show", "vip"])
            let contact = try await s.call(.get, "/Contacts/\(Self.patContact)").json["data"][0]
            #expect(contact["Tag"].arrayValue?.map { $0["name"] } == ["vip"])
            // The lead leaves default reads but stays readable with converted=true.
            let leads = try await s.call(.get, "/Leads?fields=Last_Name")
            #expect(leads.json["data"].arrayValue?.contains { $0["id"] == .string(Self.patLead) } == false)
            let converted = try await s.call(
                .get,
                "/Leads?fields=Converted__s,Converted_Contact,Converted_Deal&converted=true"
            )
            let lead = try #require(converted.json["data"].arrayValue?.first)
            #expect(lead["Converted__s"] == true)
            #expect(lead["Converted_Contact"]["id"] == .string(Self.patContact))
            #expect(lead["Converted_Deal"]["id"] == .string(dealID))
            let again = try await s.call(.post, "/Leads/\(Self.patLead)/actions/convert", ["data": [[:]]])
            #expect(again.status == 400)
            #expect(again.json["code"] == "ID_ALREADY_CONVERTED")
            #expect(again.json["details"] == ["resource_path_index": 1])
        }
    }

    @Test func convertCreatesContactAndAccountFromTheLead() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/Leads/\(Self.freshLead)/actions/convert",
                ["data": [["overwrite": false]]]
            )
            #expect(reply.status == 200)
            let details = reply.json["data"][0]["details"]
            #expect(details["Deals"].isNull)
            #expect(details["Accounts"]["name"] == "Fresh Ltd")
            #expect(details["Contacts"]["name"] == "New Person")
            let contactID = try #require(details["Contacts"]["id"].stringValue)
            let contact = try await s.call(.get, "/Contacts/\(contactID)").json["data"][0]
            #expect(contact["Email"] == "new@fresh.io")
            #expect(contact["Account_Name"]["id"] == details["Accounts"]["id"])
            #expect(contact["Owner"]["id"] == "4876876000000400001")
        }
    }

    @Test func leadWithoutCompanyGetsNoAccount() async throws {
        try await withSession { s in
            let reply = try await s.call(.post, "/Leads/4876876000001000406/actions/convert", ["data": [[:]]])
            #expect(reply.json["data"][0]["details"]["Accounts"].isNull)
            #expect(!reply.json["data"][0]["details"]["Contacts"]["id"].isNull)
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var lead: String
        var item: JSONValue
        var code: String
        var detailKey: String?
        var topLevel = false
        var testDescription: String { name }
    }

    @Test(arguments: [
        Refusal(
            name: "unique phone clash",
            lead: "4876876000001000407",
            item: [:],
            code: "DUPLICATE_DATA",
            detailKey: "duplicate_record"
        ),
        Refusal(
            name: "contact not in account",
            lead: patLead,
            item: ["Accounts": ["id": "4876876000001000202"], "Contacts": ["id": .string(patContact)]],
            code: "INVALID_DATA",
            detailKey: "json_path"
        ),
        Refusal(
            name: "locked account",
            lead: patLead,
            item: ["Accounts": ["id": "4876876000001000203"]],
            code: "RECORD_LOCKED"
        ),
        Refusal(
            name: "unknown contact",
            lead: patLead,
            item: ["Contacts": ["id": "4876876000009999999"]],
            code: "INVALID_DATA"
        ),
        Refusal(
            name: "stage outside pipeline",
            lead: freshLead,
            item: [
                "Deals": [
                    "Deal_Name": "D", "Closing_Date": "2026-12-01", "Stage": "Won Big",
                    "Pipeline": "Standard (Standard)",
                ]
            ],
            code: "MAPPING_MISMATCH",
            detailKey: "mapped_field"
        ),
        Refusal(
            name: "deal without a name",
            lead: freshLead,
            item: ["Deals": ["Closing_Date": "2026-12-01", "Stage": "Qualification"]],
            code: "MANDATORY_NOT_FOUND",
            detailKey: "json_path"
        ),
        Refusal(
            name: "unknown owner",
            lead: freshLead,
            item: ["assign_to": ["id": "4876876000000409999"]],
            code: "INVALID_DATA"
        ),
        Refusal(name: "locked lead", lead: "4876876000001000403", item: [:], code: "RECORD_LOCKED", topLevel: true),
        Refusal(name: "unapproved lead", lead: "4876876000001000404", item: [:], code: "NOT_APPROVED", topLevel: true),
        Refusal(
            name: "deleted lead",
            lead: "4876876000001000405",
            item: [:],
            code: "INVALID_DATA",
            detailKey: "resource_path_index",
            topLevel: true
        ),
        Refusal(
            name: "bad boolean",
            lead: freshLead,
            item: ["overwrite": "yes"],
            code: "INVALID_DATA",
            detailKey: "expected_data_type"
        ),
    ])
    func convertRefusals(_ r: Refusal) async throws {
        try await withSession { s in
            let reply = try await s.call(.post, "/Leads/\(r.lead)/actions/convert", ["data": [r.item]])
            #expect(reply.status == 400, "\(reply.json)")
            let error = r.topLevel ? reply.json : reply.json["data"][0]
            #expect(error["code"].stringValue == r.code, "\(reply.json)")
            if r.code == "NOT_APPROVED" { #expect(error["details"] == ["resource_path_index": 1]) }
            if let key = r.detailKey { #expect(!error["details"][key].isNull, "\(reply.json)") }
            // convert_lead.json omits RECORD_LOCKED, NOT_APPROVED and DUPLICATE_DATA, which the v7 page lists (400).
            if !["RECORD_LOCKED", "NOT_APPROVED", "DUPLICATE_DATA"].contains(r.code) {
                let violations = try OASValidator.bundled().validate(
                    reply.json,
                    file: "convert_lead.json",
                    path: "/Leads/\(r.lead)/actions/convert",
                    method: "POST",
                    status: 400
                )
                #expect(violations.isEmpty, "\(violations)")
            }
            // Nothing was written.
            let state = try await s.raw(.get, "/__emulator/state")
            #expect(state.json["records"]["Contacts"].arrayValue?.count == 3)
        }
    }

    @Test func duplicateDataNamesTheExistingRecord() async throws {
        try await withSession { s in
            let reply = try await s.call(.post, "/Leads/4876876000001000407/actions/convert", ["data": [[:]]])
            let details = reply.json["data"][0]["details"]
            #expect(details["api_name"] == "Phone")
            #expect(details["duplicate_record"]["id"] == .string(Self.patContact))
            #expect(details["duplicate_record"]["module"]["api_name"] == "Contacts")
        }
    }

    @Test func massConvertLeadsReportsCapitalisedCounts() async throws {
        let clock = ManualClock()
        try await withSession(try emulatorConfiguration(clock: clock)) { s in
            let reply = try await s.call(
                .post,
                "/Leads/actions/mass_convert",
                [
                    "ids": [.string(Self.freshLead), "4876876000001000403", "4876876000001000407"],
                    "assign_to": ["id": "4876876000000400004"],
                    "carry_over_tags": [["api_name": "Contacts", "id": "4876876000000002177"]],
                    "Deals": ["Deal_Name": "Mass deal", "Closing_Date": "2026-12-31", "Stage": "Qualification"],
                ]
            )
            // HTTP 202 (OASX massConvert response-202-success).
            #expect(reply.status == 202, "\(reply.json)")
            #expect(reply.json["code"] == "SCHEDULED")
            let job = try #require(reply.json["details"]["job_id"].stringValue)
            let scheduled = try await s.call(.get, "/Leads/actions/mass_convert?job_id=\(job)")
            #expect(scheduled.json["data"][0]["Status"] == "scheduled")
            clock.advance(5)
            let done = try await s.call(.get, "/Leads/actions/mass_convert?job_id=\(job)")
            #expect(
                done.json["data"][0] == [
                    "Status": "completed", "Total_Count": 3, "Converted_Count": 1, "Not_Converted_Count": 0,
                    "Failed_Count": 2,
                ]
            )
            let lead = try await s.call(.get, "/Leads/\(Self.freshLead)").json["data"][0]
            #expect(lead["Converted__s"] == true)
            let contact = try await s.call(.get, "/Contacts/\(lead["Converted_Contact"]["id"].stringValue ?? "")").json[
                "data"
            ][0]
            #expect(contact["Owner"]["id"] == "4876876000000400004")
            #expect(!lead["Converted_Deal"].isNull)
        }
    }

    @Test func massConvertLeadsValidatesTheRequest() async throws {
        try await withSession { s in
            let tooMany = try await s.call(
                .post,
                "/Leads/actions/mass_convert",
                ["ids": .array((0..<51).map { _ in .string(Self.freshLead) })]
            )
            #expect(tooMany.json["code"] == "LIMIT_EXCEEDED")
            let missing = try await s.call(
                .post,
                "/Leads/actions/mass_convert",
                ["assign_to": ["id": "4876876000000400004"]]
            )
            #expect(missing.json["code"] == "MANDATORY_NOT_FOUND")
            let badRelated = try await s.call(
                .post,
                "/Leads/actions/mass_convert",
                ["ids": [.string(Self.freshLead)], "related_modules": [["api_name": "Tasks", "id": "1"]]]
            )
            #expect(badRelated.json["code"] == "AMBIGUITY_DURING_PROCESSING")
            let badStage = try await s.call(
                .post,
                "/Leads/actions/mass_convert",
                [
                    "ids": [.string(Self.freshLead)],
                    "Deals": ["Deal_Name": "D", "Closing_Date": "2026-12-01", "Stage": "Nope"],
                ]
            )
            #expect(badStage.json["code"] == "MAPPING_MISMATCH")
            let noJob = try await s.call(.get, "/Leads/actions/mass_convert")
            #expect(noJob.json["code"] == "REQUIRED_PARAM_MISSING")
        }
    }

    @Test func attachmentsNotesAndActivitiesFollowTheLead() async throws {
        let yaml =
            testFixtureYAML + """

                  Attachments:
                    - { id: "4876876000001000901", File_Name: brief.pdf, Parent_Id: { module: Leads, id: "4876876000001000402" } }
                  Notes:
                    - { id: "4876876000001000911", Note_Title: Call notes, Parent_Id: { module: Leads, id: "4876876000001000402" } }
                  Events:
                    - { id: "4876876000001000921", Event_Title: Demo, Start_DateTime: "2026-12-01T10:00:00+00:00", End_DateTime: "2026-12-01T11:00:00+00:00", Who_Id: "4876876000001000402" }
                """
        try await withSession(try emulatorConfiguration(yaml: yaml)) { s in
            let reply = try await s.call(
                .post,
                "/Leads/\(Self.freshLead)/actions/convert",
                ["data": [["move_attachments_to": ["api_name": "Accounts"]]]]
            )
            let account = reply.json["data"][0]["details"]["Accounts"]["id"]
            let contact = reply.json["data"][0]["details"]["Contacts"]["id"]
            let state = try await s.raw(.get, "/__emulator/state").json["records"]
            #expect(state["Attachments"][0]["Parent_Id"]["id"] == account)
            #expect(state["Notes"][0]["Parent_Id"]["id"] == contact)
            #expect(state["Events"][0]["Who_Id"]["id"] == contact)
        }
    }
}
