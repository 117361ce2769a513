import Engine
import Foundation
import Testing

/// The plan's and run's header (where they read from), and Zoho's refusals as sentences (issue 11).
struct PlanHeaderTests {
    static let accepted = """
        version: 1
        rules:
          - name: orders
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do: [{ convert: { to: Sales_Orders } }]
        """

    /// A client whose token carries only `scopes`.
    static func fixture(scopes: String) -> String {
        engineFixture
            + "\nclients:\n  - { client_id: \"1000.TEST\", client_secret: test-secret, refresh_token: 1000.refresh, "
            + "scopes: \"\(scopes)\" }\n"
    }

    static let credentials = [
        "ZOHO_CLIENT_ID": "1000.TEST", "ZOHO_CLIENT_SECRET": "test-secret", "ZOHO_REFRESH_TOKEN": "1000.refresh",
    ]

    @Test func thePlanNamesTheEmulatorTheOrgAndTheAPIFromOneCall() async throws {
        try await withProject(rules: Self.accepted) { harness in
            let report = try await harness.execute()
            let target = try #require(report.target)
            #expect(target.environment == "emulator" && target.dataCentre == "loopback")
            #expect(target.apiHost == harness.baseURL.absoluteString.trimmingCharacters(in: ["/"]))
            #expect(target.apiVersion == "v7" && target.edition == "enterprise")
            #expect(target.orgName == "Zylker" && target.orgID == "4876876")
            let orgReads = try await harness.requests(endingWith: "/org")
            #expect(orgReads == 1)
            let text = ReportRenderer.plan(report)
            #expect(text.contains("org:          Zylker (id 4876876)\n"), "\(text)")
            #expect(text.contains("environment:  emulator (loopback)\n"))
            #expect(text.contains("API:          \(target.apiHost), v7, edition enterprise\n"))
        }
    }

    @Test func aRunSummaryStartsWithTheHeader() async throws {
        try await withProject(rules: Self.accepted) { harness in
            let report = try await harness.execute(dryRun: false)
            #expect(report.records.contains { $0.status == .converted })
            let summary = ReportRenderer.summary(report, stateDirectory: "state")
            #expect(summary.hasPrefix("org:          Zylker (id 4876876)\nenvironment:  emulator (loopback)\n"))
        }
    }

    @Test func aTokenWithoutTheOrgScopeStillPlansAndTheHeaderSaysTheOrgWasNotRead() async throws {
        let scopes = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.coql.READ"
        try await withProject(
            fixture: Self.fixture(scopes: scopes),
            rules: Self.accepted,
            environment: Self.credentials
        ) { harness in
            let report = try await harness.execute()
            let rule = try #require(report.rules.first)
            #expect(rule.error == nil, "\(rule.error ?? "")")
            #expect(rule.count(.planned) > 0)
            let target = try #require(report.target)
            #expect(target.orgName == nil && target.orgID == nil && target.environment == "emulator")
            #expect(ReportRenderer.plan(report).contains("org:          could not be read (GET /org;"))
        }
    }

    @Test func aQueryZohoRefusesIsASentenceNamingTheRuleItsLineAndZohosCode() async throws {
        // Without the fields scope the rules cannot be checked against the fields, so the typo reaches Zoho.
        let scopes = "ZohoCRM.modules.ALL,ZohoCRM.settings.modules.READ,ZohoCRM.users.READ,ZohoCRM.coql.READ"
        let rules = """
            version: 1
            rules:
              - name: typo-field
                when: { module: Quotes, where: { Quote_Stag: Accepted } }
                do: [{ convert: { to: Sales_Orders } }]
            """
        try await withProject(
            fixture: Self.fixture(scopes: scopes),
            rules: rules,
            environment: Self.credentials
        ) { harness in
            let report = try await harness.execute()
            let error = try #require(report.rules.first?.error)
            #expect(!error.contains("ZohoError("), "\(error)")
            #expect(error.hasPrefix("Zoho refused the rule's COQL query with INVALID_QUERY (HTTP 400): "), "\(error)")
            #expect(error.contains("column_name Quote_Stag"), "\(error)")
            let text = ReportRenderer.plan(report)
            #expect(text.contains("rule typo-field (\(harness.rulesFile.path):3): Zoho refused"), "\(text)")
            #expect(!text.contains("ZohoError("))
        }
    }
}
