import Foundation
import Testing

@testable import ZohoEmulator

/// The corrections of the second research pass (`zoho-crm-api-findings.md`) that change what the emulator answers.
@Suite struct FindingsTests {
    /// K35: concurrency is counted per user per OAuth app, so a second client has its own five on the free edition.
    @Test func concurrencyIsCountedPerUserAndClient() async throws {
        let store = try EmulatorStore(configuration: emulatorConfiguration(yaml: LimitsAndFaultsTests.freeEdition))
        func caller(_ client: String) async throws -> String {
            let minted = await store.token(
                ["grant_type": "refresh_token", "client_id": client, "client_secret": "s", "refresh_token": "r"],
                apiDomain: "http://127.0.0.1"
            )
            let token = try #require(minted.body["access_token"].stringValue)
            return try await store.authorize("Zoho-oauthtoken \(token)", scope: nil).get()
        }
        let first = try await caller("1000.FIRST")
        let second = try await caller("1000.SECOND")
        #expect(first != second)
        for expected in 0..<5 { #expect(await store.admit(complex: false, caller: first) == expected) }
        #expect(await store.admit(complex: false, caller: first) == nil)
        #expect(await store.admit(complex: false, caller: second) == 0)
        await store.release(complex: false, caller: first)
        #expect(await store.admit(complex: false, caller: first) == 4)
    }

    /// OASX convertLead response-202-scheduledconversion, behind the `convert_lead=scheduled` switch.
    @Test func convertLeadMayBeScheduled() async throws {
        let clock = ManualClock()
        let faults = try FaultConfiguration(spec: "convert_lead=scheduled")
        #expect(faults.spec.contains("convert_lead=scheduled"))
        try await withSession(try emulatorConfiguration(clock: clock, faults: faults)) { s in
            let lead = LeadConversionTests.freshLead
            let reply = try await s.call(.post, "/Leads/\(lead)/actions/convert", ["data": [["overwrite": false]]])
            #expect(reply.status == 202, "\(reply.json)")
            #expect(reply.json["data"][0]["code"] == "SCHEDULED")
            #expect(reply.json["data"][0]["message"] == "Convert lead scheduled successfully")
            #expect(reply.json["data"][0]["details"]["job_id"].stringValue?.count == 19)
            let before = try await s.call(.get, "/Leads/\(lead)").json["data"][0]
            #expect(before["Converted__s"] == false)
            clock.advance(5)
            let after = try await s.call(.get, "/Leads/\(lead)").json["data"][0]
            #expect(after["Converted__s"] == true)
            #expect(!after["Converted_Contact"]["id"].isNull)
            // Refusals still come at once, not as a job that fails later.
            let refused = try await s.call(
                .post,
                "/Leads/\(lead)/actions/convert",
                ["data": [["overwrite": false]]]
            )
            #expect(refused.json["code"] == "ID_ALREADY_CONVERTED")
            let badOwner = try await s.call(
                .post,
                "/Leads/4876876000001000406/actions/convert",
                ["data": [["assign_to": ["id": "4876876000000409999"]]]]
            )
            #expect(badOwner.json["data"][0]["code"] == "INVALID_DATA")
        }
    }

    @Test func leadJobStatusValuesAreLowerCaseAndAddUp() async throws {
        let clock = ManualClock()
        try await withSession(try emulatorConfiguration(clock: clock)) { s in
            let ids: JSONValue = [.string(LeadConversionTests.freshLead), "4876876000001000403"]
            let job = try await s.call(.post, "/Leads/actions/mass_convert", ["ids": ids])
            let id = try #require(job.json["details"]["job_id"].stringValue)
            for (advance, phase) in [(0.0, "scheduled"), (2.5, "in progress"), (2.0, "completed")] {
                clock.advance(advance)
                let status = try await s.call(.get, "/Leads/actions/mass_convert?job_id=\(id)").json["data"][0]
                #expect(status["Status"].stringValue == phase)
                let parts = ["Converted_Count", "Not_Converted_Count", "Failed_Count"].compactMap {
                    status[$0].doubleValue
                }
                #expect(parts.reduce(0, +) == status["Total_Count"].doubleValue)
            }
        }
    }

    /// Kaizen #171 over HTTP: `''` works, `\'` is refused as real Zoho refuses it.
    @Test func coqlEscapesQuotesOnlyByDoubling() async throws {
        try await withSession { s in
            let doubled = try await s.call(
                .post,
                "/coql",
                ["select_query": "select Last_Name from Leads where Company = 'Zylker''s' or Last_Name = 'Boyle'"]
            )
            #expect(doubled.status == 200)
            let backslash = try await s.call(
                .post,
                "/coql",
                ["select_query": "select Last_Name from Leads where Company = 'Zylker\\'s'"]
            )
            #expect(backslash.status == 400)
            #expect(backslash.json["code"] == "SYNTAX_ERROR")
            let noWhere = try await s.call(.post, "/coql", ["select_query": "select Last_Name from Leads"])
            #expect(
                noWhere.json == [
                    "code": "SYNTAX_ERROR", "details": ["clause": "where"], "message": "missing clause",
                    "status": "error",
                ]
            )
        }
    }

    /// OASX: no match is 204 with an empty body for COQL, Get Records and Search.
    @Test func emptyResultsAre204WithAnEmptyBody() async throws {
        try await withSession { s in
            let replies = [
                try await s.call(
                    .post,
                    "/coql",
                    ["select_query": "select Last_Name from Leads where Last_Name = 'Nobody'"]
                ),
                try await s.call(.get, "/Invoices?fields=Subject"),
                try await s.call(.get, "/Leads/search?criteria=(Last_Name:equals:Nobody)"),
            ]
            for reply in replies {
                #expect(reply.status == 204)
                #expect(reply.json == .null)
                #expect(reply.headers[.contentLength].map { $0 == "0" } ?? true)
            }
        }
    }
}
