import Engine
import Foundation
import Testing
import ZohoEmulator

struct LeadPipelineTests {
    static func rules(duplicates: String, stage: String = "Qualification", notify: Bool = false) -> String {
        """
        version: 1
        rules:
          - name: convert-qualified-leads
            when:
              module: Leads
              where: { Lead_Status: Qualified, Email: { is_null: false } }
            do:
              - convert_lead:
                  duplicates: \(duplicates)
                  overwrite_account_name: false
                  notify_lead_owner: \(notify)
                  notify_new_owner: false
                  owner: billing@zylker.com
                  carry_tags: [Contacts, Deals]
                  deal:
                    Deal_Name: "{{ Company }} - {{ Last_Name }}"
                    Stage: \(stage)
                    Pipeline: Standard (Standard)
                    Closing_Date: "{{ today + 30d }}"
        """
    }

    /// Matches Contact 301 by Phone, Contact 302 by Email, and Account 201 by Company (the seed's scenario).
    static let pat = "4876876000001000401"
    static let clean = "4876876000001000402"
    static let locked = "4876876000001000403"
    static let unapproved = "4876876000001000404"
    static let mia = "4876876000001000405"  // matches Contact 303 by Email, whose Account 202 matches the Company
    static let ann = "4876876000001000406"  // matches Account 202 by Company only

    @Test func mergeOnlyWhenTheMatchIsUnambiguous() async throws {
        try await withEngine { harness in
            let report = try await harness.execute(Self.rules(duplicates: "merge"))
            let byID = Dictionary(uniqueKeysWithValues: report.records.map { ($0.recordID, $0) })
            let leads = try await harness.records("Leads")

            #expect(byID[Self.pat]?.status == .skipped)
            #expect(byID[Self.pat]?.reason?.contains("ambiguous") == true)
            #expect(
                byID[Self.pat]?.notes.contains { $0.contains("4876876000001000301") && $0.contains("Phone") } == true
            )

            #expect(byID[Self.clean]?.status == .converted)
            #expect(leads[Self.clean]?["Converted__s"].boolValue == true)
            let dealID = try #require(leads[Self.clean]?["Converted_Deal"]["id"].stringValue)
            let deal = try #require(try await harness.records("Deals")[dealID])
            #expect(deal["Deal_Name"].stringValue == "Fresh Ltd - Person")

            #expect(byID[Self.mia]?.status == .converted)
            #expect(byID[Self.mia]?.childID == "4876876000001000303")
            #expect(leads[Self.mia]?["Converted_Account"]["id"].stringValue == "4876876000001000202")

            #expect(byID[Self.ann]?.status == .converted)
            #expect(leads[Self.ann]?["Converted_Account"]["id"].stringValue == "4876876000001000202")

            #expect(byID[Self.locked]?.status == .failed)
            #expect(byID[Self.locked]?.zohoCode == "RECORD_LOCKED")
            #expect(byID[Self.unapproved]?.status == .failed)
            #expect(byID[Self.unapproved]?.zohoCode == "NOT_APPROVED")

            // A rerun converts nothing new.
            let contacts = try await harness.records("Contacts").count
            let rerun = try await harness.execute(Self.rules(duplicates: "merge"))
            #expect(rerun.records.allSatisfy { $0.status != .converted })
            #expect(try await harness.records("Contacts").count == contacts)
        }
    }

    @Test func skipLeavesEveryMatchedLeadAlone() async throws {
        try await withEngine { harness in
            let report = try await harness.execute(Self.rules(duplicates: "skip"))
            let byID = Dictionary(uniqueKeysWithValues: report.records.map { ($0.recordID, $0) })
            for id in [Self.pat, Self.mia, Self.ann] {
                #expect(byID[id]?.status == .skipped, "\(id)")
            }
            #expect(byID[Self.clean]?.status == .converted)
        }
    }

    @Test func createRecordsZohosDuplicateRefusal() async throws {
        try await withEngine { harness in
            let report = try await harness.execute(Self.rules(duplicates: "create", notify: true))
            let pat = try #require(report.records.first { $0.recordID == Self.pat })
            #expect(pat.status == .failed)
            #expect(pat.zohoCode == "DUPLICATE_DATA")
        }
    }

    @Test func failStopsTheRuleBeforeAnyWrite() async throws {
        try await withEngine { harness in
            let report = try await harness.execute(Self.rules(duplicates: "fail"))
            let rule = try #require(report.rules.first)
            #expect(rule.error?.contains("duplicates: fail") == true)
            // Leads Zoho itself refused keep their code; every other lead is skipped with the reason.
            let refused = Dictionary(
                uniqueKeysWithValues: rule.records.filter { $0.status == .failed }.map { ($0.recordID, $0.zohoCode) }
            )
            #expect(refused == [Self.locked: "RECORD_LOCKED", Self.unapproved: "NOT_APPROVED"])
            #expect(rule.records.allSatisfy { $0.status == .skipped || $0.status == .failed })
            // A lead that matches nothing is not said to match anything (issue 12, item 7).
            let clean = try #require(rule.records.first { $0.recordID == Self.clean })
            #expect(clean.reason?.contains("matches none") == true, "\(clean.reason ?? "")")
            #expect(clean.reason?.contains("Contact") != true, "\(clean.reason ?? "")")
            let converted = try await harness.records("Leads").values.filter { $0["Converted__s"].boolValue == true }
            #expect(converted.isEmpty)
        }
    }

    @Test func aStageOutsideThePipelineIsAMappingMismatch() async throws {
        try await withEngine { harness in
            let report = try await harness.execute(Self.rules(duplicates: "merge", stage: "Not A Stage"))
            let clean = try #require(report.records.first { $0.recordID == Self.clean })
            #expect(clean.status == .failed)
            #expect(clean.zohoCode == "MAPPING_MISMATCH")
            let leads = try await harness.records("Leads")
            #expect(leads[Self.clean]?["Converted__s"].boolValue != true)
        }
    }

    @Test func leadsWithoutMergeTargetsGoThroughMassConvert() async throws {
        let rules = """
            version: 1
            rules:
              - name: mass-convert-leads
                when: { module: Leads, where: { Lead_Status: Qualified } }
                do:
                  - convert_lead:
                      duplicates: merge
                      owner: billing@zylker.com
                      carry_tags: [Contacts]
                      deal: { Deal_Name: Inbound, Stage: Qualification, Pipeline: Standard (Standard), Closing_Date: "{{ today + 30d }}" }
            """
        try await withEngine { harness in
            let report = try await harness.execute(rules)
            let clean = try #require(report.records.first { $0.recordID == Self.clean })
            #expect(clean.status == .converted)
            #expect(clean.method == "lead-mass")
            #expect(clean.jobID != nil)
            let mia = try #require(report.records.first { $0.recordID == Self.mia })
            #expect(mia.method == "lead-single")
            #expect(mia.status == .converted)
            let lead = try #require(try await harness.records("Leads")[Self.clean])
            #expect(lead["Converted__s"].boolValue == true)
            let contact = try #require(try await harness.records("Contacts")[clean.childID ?? ""])
            #expect(contact["Owner"]["id"].stringValue == "4876876000000400004")
            let requests = try await harness.requests()
            #expect(requests.contains { $0.method == "POST" && $0.path.hasSuffix("/Leads/actions/mass_convert") })
        }
    }

    @Test func aLeadConvertedElsewhereIsNeverConvertedAgain() async throws {
        try await withEngine { harness in
            _ = try await harness.execute(Self.rules(duplicates: "skip"))
            let contactsBefore = try await harness.records("Contacts").count
            #expect(try await harness.records("Leads")[Self.clean]?["Converted__s"].boolValue == true)
            // Another rule, with its own (empty) ledger, over the same leads.
            let other = Self.rules(duplicates: "create").replacingOccurrences(
                of: "name: convert-qualified-leads",
                with: "name: convert-qualified-leads-again"
            )
            let report = try await harness.execute(other)
            #expect(report.records.allSatisfy { $0.recordID != Self.clean || $0.status != .converted })
            if let again = report.records.first(where: { $0.recordID == Self.clean }) {
                #expect(again.zohoCode == "ID_ALREADY_CONVERTED", "\(again)")
            }
            let contactsAfter = try await harness.records("Contacts").count
            let converted = report.records.count { $0.status == .converted }
            #expect(contactsAfter == contactsBefore + converted)
        }
    }

    @Test func thePlanShowsMatchesAndDecisions() async throws {
        try await withEngine { harness in
            let report = try await harness.execute(Self.rules(duplicates: "merge"), dryRun: true)
            let mia = try #require(report.records.first { $0.recordID == Self.mia })
            #expect(mia.status == .planned)
            #expect(mia.notes.contains("merge into Contact 4876876000001000303 and Account 4876876000001000202"))
            let writes = try await harness.requests().filter {
                $0.method != "GET" && !$0.path.hasSuffix("/coql") && !$0.path.hasPrefix("/oauth")
            }
            #expect(writes.isEmpty)
        }
    }
}
