import Engine
import Foundation
import Logging
import Synchronization
import Testing
import ZohoCRM
import ZohoEmulator

/// `zrules plan --out` then `zrules apply`, through the engine and the emulator: exactly the planned records are
/// converted, a record modified in between is skipped, and a plan whose rules or configuration changed is refused.
struct SavedPlanTests {
    static let rules = """
        version: 1
        rules:
          - name: order-accepted-quotes
            when:
              module: Quotes
              where:
                Quote_Stage: Accepted
                Valid_Till: { gte: today }
            do:
              - convert: { to: Sales_Orders }
              - update: { Quote_Stage: Closed Won }
        """

    @Test func applyConvertsExactlyThePlannedRecordsAndSkipsOneModifiedSince() async throws {
        try await withPlanEmulator { org in
            let project = try org.project()
            let planReport = try await project.execute(dryRun: true, logger: org.logger, httpClient: org.http)
            let plan = try SavedPlan(project: project, report: planReport)
            let planned = Set(plan.rules.flatMap(\.records).filter { $0.decision == .planned }.map(\.id))
            #expect(planned == ["4876876000001000501", "4876876000001000502"])
            #expect(
                plan.rules.flatMap(\.records).filter { $0.decision == .planned }.allSatisfy { $0.modifiedTime != nil }
            )
            #expect(try SavedPlan.read(from: try org.save(plan)) == plan)

            // In between: one planned quote is edited, and a draft becomes selectable (it was never planned).
            org.clock.advance(seconds: 5)
            try await org.update("4876876000001000502", ["Grand_Total": .int(51)])
            try await org.update(
                "4876876000001000504",
                ["Quote_Stage": .string("Accepted"), "Valid_Till": .string("2099-12-31")]
            )
            let before = try await org.admin("requests")["requests"].arrayValue?.count ?? 0

            let applied = try await project.execute(
                dryRun: false,
                logger: org.logger,
                httpClient: org.http,
                planned: plan.selection
            )
            let byID = Dictionary(uniqueKeysWithValues: applied.records.map { ($0.recordID, $0) })
            #expect(byID["4876876000001000501"]?.status == .converted, "\(applied.records)")
            #expect(byID["4876876000001000502"]?.status == .skipped)
            #expect(byID["4876876000001000502"]?.reason?.contains("modified since the plan") == true)
            #expect(byID["4876876000001000504"]?.status == .skipped)
            #expect(byID["4876876000001000504"]?.reason?.contains("not in the saved plan") == true)
            #expect(byID["4876876000001000506"]?.reason?.contains("the plan decided to skip it") == true)

            // The emulator's state and request log: one mass convert, and only the planned quote has a sales order
            // and was updated.
            let state = try await org.admin("state")
            let parents = (state["records"]["Sales_Orders"].arrayValue ?? []).compactMap {
                $0["Quote_Name"]["id"].stringValue
            }
            #expect(parents.filter { $0 != "4876876000001000506" } == ["4876876000001000501"])
            let quotes = Dictionary(
                uniqueKeysWithValues: (state["records"]["Quotes"].arrayValue ?? []).map {
                    ($0["id"].stringValue ?? "", $0["Quote_Stage"].stringValue ?? "")
                }
            )
            #expect(quotes["4876876000001000501"] == "Closed Won")
            #expect(quotes["4876876000001000502"] == "Accepted")
            #expect(quotes["4876876000001000504"] == "Accepted")
            let sent = (try await org.admin("requests")["requests"].arrayValue ?? []).dropFirst(before).filter {
                $0["method"].stringValue != "GET" && !($0["path"].stringValue ?? "").hasSuffix("/coql")
                    && !($0["path"].stringValue ?? "").hasPrefix("/oauth")
            }
            let paths = sent.map { $0["path"].stringValue ?? "" }
            #expect(paths.count { $0.hasSuffix("/Quotes/actions/mass_convert") } == 1, "\(paths)")
            #expect(!paths.contains { $0.contains("4876876000001000502") || $0.contains("4876876000001000504") })
        }
    }

    @Test func aPlannedRecordNoLongerSelectedIsSkippedAndReported() async throws {
        try await withPlanEmulator { org in
            let project = try org.project()
            let plan = try SavedPlan(
                project: project,
                report: try await project.execute(dryRun: true, logger: org.logger, httpClient: org.http)
            )
            org.clock.advance(seconds: 5)
            try await org.update("4876876000001000502", ["Quote_Stage": .string("Draft")])
            let applied = try await project.execute(
                dryRun: false,
                logger: org.logger,
                httpClient: org.http,
                planned: plan.selection
            )
            let outcome = try #require(applied.records.first { $0.recordID == "4876876000001000502" })
            #expect(outcome.status == .skipped)
            #expect(outcome.reason?.contains("no longer selects it") == true)
            #expect(applied.records.first { $0.recordID == "4876876000001000501" }?.status == .converted)
        }
    }

    @Test func aPlanMadeAgainstAnotherOrgSendsNothing() async throws {
        try await withPlanEmulator { org in
            let project = try org.project()
            var plan = try SavedPlan(
                project: project,
                report: try await project.execute(dryRun: true, logger: org.logger, httpClient: org.http)
            )
            #expect(plan.orgID == "4876876", "the plan names the org GET /org returned")
            plan.orgID = "111"
            let before = try await org.admin("requests")["requests"].arrayValue?.count ?? 0
            await #expect {
                try await project.execute(
                    dryRun: false,
                    logger: org.logger,
                    httpClient: org.http,
                    planned: plan.selection,
                    planOrgID: plan.orgID
                )
            } throws: { error in
                "\(error)".contains("made against org 111, but this is org 4876876, so nothing was sent")
            }
            let sent = (try await org.admin("requests")["requests"].arrayValue ?? []).dropFirst(before)
            #expect(!sent.contains { ($0["path"].stringValue ?? "").contains("/coql") }, "no query after the org read")
            #expect(
                !sent.contains {
                    ($0["path"].stringValue ?? "").contains("/crm/") && $0["method"].stringValue != "GET"
                },
                "nothing written"
            )
        }
    }

    @Test func aPlanIsRefusedAfterARuleFileOrTheConfigurationChanged() async throws {
        try await withPlanEmulator { org in
            let project = try org.project()
            let plan = try SavedPlan(
                project: project,
                report: try await project.execute(dryRun: true, logger: org.logger, httpClient: org.http)
            )
            #expect(try plan.changes(against: project, orgID: nil).isEmpty)

            try (Self.rules + "      - tag: [late]\n").write(to: org.rulesFile, atomically: true, encoding: .utf8)
            let edited = try org.project()
            let changes = try plan.changes(against: edited, orgID: nil)
            #expect(changes == ["rule file \(org.rulesFile.path) changed since the plan was made"])

            let elsewhere = try org.project(state: org.folder.appendingPathComponent("other").path)
            #expect(
                try plan.changes(against: elsewhere, orgID: nil).contains {
                    $0.hasPrefix("configuration state_directory")
                }
            )
            var named = plan
            named.orgID = "111"
            #expect(try named.changes(against: project, orgID: "222").contains("the org was 111, is now 222"))
        }
    }

    @Test func theMarkdownPlanListsWillFailRecordsFirstInsideDetails() async throws {
        try await withPlanEmulator { org in
            var report = try await org.project().execute(dryRun: true, logger: org.logger, httpClient: org.http)
            // A refusal the plan foresees (locked, unapproved, an empty template field).
            let last = try #require(report.rules[0].records.indices.last)
            report.rules[0].records[last].status = .failed
            report.rules[0].records[last].reason = "locked: Zoho will refuse it"
            let markdown = MarkdownRenderer.plan(report)
            #expect(markdown.contains("| Rule | Would convert | Will fail | Skipped |"))
            #expect(markdown.contains("| `order-accepted-quotes` | 1 | 1 | 1 |"))
            #expect(markdown.contains("<details><summary><code>order-accepted-quotes</code>"))
            #expect(markdown.contains("> **emulator** · **Zylker**"), "the header names the environment and the org")
            let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| `4876876") }
            let firstConvert = try #require(rows.firstIndex { $0.contains("| convert") })
            let lastFail = try #require(rows.lastIndex { $0.contains("**will fail**") })
            #expect(lastFail < firstConvert, "will-fail records come first")

            report.target = PlanTarget(
                dataCentre: "eu",
                environment: "sandbox",
                apiHost: "https://sandbox.zohoapis.eu",
                apiVersion: "v8",
                edition: "professional",
                orgName: "Zylker | Labs",
                orgID: "777"
            )
            #expect(MarkdownRenderer.plan(report).contains("> **sandbox** · **Zylker \\| Labs** (`777`)"))
        }
    }

    @Test func aPlanOfAnotherFormatIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zrules-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("plan.json")
        try #"{"format": 99}"#.write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try SavedPlan.read(from: file)
        } throws: { error in
            (error as? EngineError)?.message.contains("format 99") == true
        }
        try "{}".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: EngineError.self) { try SavedPlan.read(from: file) }
    }

    @Test func theLoopbackEmulatorIsNeverProduction() {
        let emulator = PlanConfiguration(
            dataCentre: "us",
            environment: "production",
            apiHost: "http://127.0.0.1",
            apiVersion: "v8",
            edition: "professional",
            stateDirectory: ".zrules"
        )
        #expect(!emulator.isProduction)
        var real = emulator
        real.apiHost = "https://www.zohoapis.com"
        #expect(real.isProduction)
        real.environment = "sandbox"
        #expect(!real.isProduction)
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            String(repeating: "a", count: 1_000),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
        ),
    ])
    func sha256MatchesKnownDigests(_ input: String, _ expected: String) {
        #expect(SHA256.hex(input) == expected)
    }
}

/// Two quotes to convert, a draft, and one converted already: nothing locked or unapproved, so what the plan
/// converts does not depend on how it predicts Zoho's refusals.
let planFixture = """
    edition: professional
    org: { name: Zylker, id_prefix: "4876876" }
    picklist_values: { Quotes.Quote_Stage: [Accepted] }
    users:
      - { id: "4876876000000400001", email: admin@zylker.com, full_name: Patricia Boyle }
    records:
      Products:
        - { id: "4876876000001000101", Product_Name: Widget, Unit_Price: 100 }
      Accounts:
        - { id: "4876876000001000202", Account_Name: Other Corp }
      Quotes:
        - { id: "4876876000001000501", Subject: Accepted quote, Quote_Stage: Accepted, Grand_Total: 200, Account_Name: Other Corp, Valid_Till: 2099-12-31, Quoted_Items: [{ Product_Name: Widget, Quantity: 2 }] }
        - { id: "4876876000001000502", Subject: Second, Quote_Stage: Accepted, Grand_Total: 50, Account_Name: Other Corp, Valid_Till: 2099-12-31, Quoted_Items: [{ Product_Name: Widget, Quantity: 1 }] }
        - { id: "4876876000001000504", Subject: Draft quote, Quote_Stage: Draft, Grand_Total: 80, Account_Name: Other Corp, Quoted_Items: [{ Product_Name: Widget }] }
        - { id: "4876876000001000506", Subject: Converted already, Quote_Stage: Accepted, Grand_Total: 60, Account_Name: Other Corp, Valid_Till: 2099-12-31, Quoted_Items: [{ Product_Name: Widget }] }
      Sales_Orders:
        - { id: "4876876000001000601", Subject: Existing order, Quote_Name: "4876876000001000506", Status: Created, Account_Name: Other Corp, Ordered_Items: [{ Product_Name: Widget }] }
    """

/// A manual clock for the emulator: Modified_Time has whole seconds, so a test moves time on instead of waiting.
final class AdvancingClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    func advance(seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

/// An emulator seeded with the engine fixture, a rules file and a state folder, and a client to edit records.
struct PlanOrg: Sendable {
    let url: URL
    let folder: URL
    let rulesFile: URL
    let clock: AdvancingClock
    let client: ZohoClient
    let http: ZohoHTTPClient
    let logger: Logger

    func project(state: String? = nil) throws -> Project {
        try Project.load(
            ProjectOptions(
                paths: [rulesFile.path],
                stateDirectory: state ?? folder.appendingPathComponent("state").path,
                apiURL: url,
                environment: [:]
            )
        )
    }

    func update(_ id: String, _ fields: [String: ZohoJSON]) async throws {
        let results = try await client.updateRecords(module: "Quotes", records: [ZohoRecord(id: id, fields: fields)])
        let succeeded = results.allSatisfy { $0.isSuccess }
        try #require(succeeded, "\(results)")
    }

    func save(_ plan: SavedPlan) throws -> URL {
        let file = folder.appendingPathComponent("plan.json")
        try plan.encoded().write(to: file)
        return file
    }

    func admin(_ path: String) async throws -> ZohoEmulator.JSONValue {
        try await EngineHarness(baseURL: url, client: client, store: try StateStore.inMemory(), now: Date()).admin(path)
    }
}

func withPlanEmulator(_ body: (PlanOrg) async throws -> Void) async throws {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let clock = AdvancingClock()
    let configuration = EmulatorConfiguration(
        fixture: try EmulatorFixture(yaml: planFixture),
        jobStepDuration: .milliseconds(30),
        clock: EmulatorClock(now: { clock.now() })
    )
    let folder = temporaryDirectory()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let rulesFile = folder.appendingPathComponent("rules.yaml")
    try SavedPlanTests.rules.write(to: rulesFile, atomically: true, encoding: .utf8)
    try await withEmulator(configuration: configuration, logger: logger) { url in
        try await ZohoHTTPClient.with { http in
            var zoho = ZohoConfiguration(edition: .professional, apiURL: url)
            zoho.timeouts.request = .seconds(10)
            let client = try ZohoClient(
                configuration: zoho,
                credentials: ZohoCredentials(
                    clientID: "1000.TEST",
                    clientSecret: "test-secret",
                    refreshToken: "1000.refresh"
                ),
                logger: logger
            )
            let org = PlanOrg(
                url: url,
                folder: folder,
                rulesFile: rulesFile,
                clock: clock,
                client: client,
                http: http,
                logger: logger
            )
            do {
                try await body(org)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}
