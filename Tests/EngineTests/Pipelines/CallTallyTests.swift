import Engine
import Foundation
import Testing
import ZohoCRM
import ZohoEmulator

/// The plan and run reports count what the client actually sent, per rule (issue 9, §1).
struct CallTallyTests {
    /// The emulator's requests to the CRM API (the token endpoint is not a CRM call).
    static func crmRequests(_ harness: EngineHarness) async throws -> [(method: String, path: String)] {
        try await harness.requests().filter { $0.path.contains("/crm/") }
    }

    static func total(_ report: RunReport) -> Int {
        report.rules.flatMap(\.callsMade).reduce(0) { $0 + $1.calls }
    }

    @Test func aPlanWhoseTokenCallFailedReportsNoCallsMade() async throws {
        // Zoho Accounts knows only another client: the token call fails, so no CRM call can be sent.
        let fixture = engineFixture + "\nclients:\n  - { client_id: \"1000.OTHER\", client_secret: other }\n"
        try await withEngine(fixture: fixture) { harness in
            let report = try await harness.execute(InventoryPipelineTests.quotesToOrders, dryRun: true)
            let rule = try #require(report.rules.first)
            #expect(rule.error != nil)
            #expect(rule.callsMade.isEmpty, "\(rule.callsMade)")
            #expect(try await Self.crmRequests(harness).isEmpty)
        }
    }

    @Test func aPlanCountsExactlyWhatZohoReceivedWithCredits() async throws {
        try await withEngine { harness in
            let report = try await harness.execute(InventoryPipelineTests.quotesToOrders, dryRun: true)
            let calls = try #require(report.rules.first?.callsMade)
            #expect(Self.total(report) == (try await Self.crmRequests(harness)).count)
            let coql = try #require(calls.first { $0.endpoint == "POST /coql" })
            // The selection pages with LIMIT 2000 (3 credits); the back-link guard queries with LIMIT 200 (1 credit).
            #expect(coql.calls == 2 && coql.credits == 3 + 1, "\(coql)")
            // Under load a read may time out and be retried: each attempt is a call, 1 credit each.
            let fields = try #require(calls.first { $0.endpoint == "GET /settings/fields" })
            #expect(fields.calls >= 1 && fields.credits == fields.calls)
            #expect(calls.map(\.endpoint) == calls.map(\.endpoint).sorted())
        }
    }

    @Test func retriedCallsAreCountedEachTimeTheyAreSent() async throws {
        try await withEngine { harness in
            try await harness.setFaults(["spec": "429=0.3,seed=5"])
            let report = try await harness.execute(InventoryPipelineTests.quotesToOrders)
            let sent = try await Self.crmRequests(harness)
            #expect(sent.count > 0)
            #expect(Self.total(report) == sent.count)
            let jobs = report.rules.flatMap(\.callsMade).first { $0.endpoint == "POST /Quotes/actions/mass_convert" }
            #expect(
                jobs?.calls
                    == sent.filter { $0.method == "POST" && $0.path.hasSuffix("/Quotes/actions/mass_convert") }.count
            )
            #expect(jobs?.assumedCost == true)
        }
    }

    @Test func eachRuleCountsOnlyItsOwnCallsOnOneSharedClient() async throws {
        let tally = ZohoCallTally()
        let other = ZohoCallTally()
        await withTaskGroup(of: Void.self) { group in
            for (owner, count) in [(tally, 30), (other, 7)] {
                group.addTask {
                    await ZohoCallTally.$current.withValue(owner) {
                        await withTaskGroup(of: Void.self) { inner in
                            for _ in 0..<count {
                                inner.addTask { ZohoCallTally.current?.record(endpoint: "POST /coql", credits: 2) }
                            }
                        }
                    }
                }
            }
        }
        #expect(tally.counts == [ZohoCallCount(endpoint: "POST /coql", calls: 30, credits: 60)])
        #expect(other.counts == [ZohoCallCount(endpoint: "POST /coql", calls: 7, credits: 14)])
    }
}
