import Foundation
import Testing
import ZohoEmulator

@testable import ZohoCRM

struct RedactionAndFaultRunTests {
    static let fixture = """
        records:
          Leads:
        \((1...30).map { "    - { id: \"12345670000003\(String(format: "%05d", $0))\", Last_Name: Secretname\($0), Company: Hidden Corp \($0), Email: private\($0)@hidden.example }" }.joined(separator: "\n"))
        """

    /// Runs operations that succeed and fail with recognisable secrets and record values, then searches every log
    /// line (trace level) and every error description for them.
    @Test func noSecretOrRecordValueReachesLogsOrErrors() async throws {
        try await Harness.run(fixture: Self.fixture, faults: FaultConfiguration(tooManyRequests: 0.2, seed: 11)) {
            (h: Harness) async throws in
            var descriptions: [String] = []
            func attempt(_ body: () async throws -> Void) async {
                do { try await body() } catch {
                    descriptions.append("\(error)"); descriptions.append(String(reflecting: error))
                }
            }
            await attempt {
                _ = try await h.client.coqlAll(
                    "select id, Last_Name, Email from Leads where id is not null order by id"
                )
            }
            await attempt {
                _ = try await h.client.search(
                    module: "Leads",
                    criteria: .field("Email", .equals, "private3@hidden.example")
                )
            }
            await attempt {
                _ = try await h.client.coql("select id from Leads where Last_Name = 'Secretname1' and and")
            }
            await attempt {
                _ = try await h.client.updateRecords(
                    module: "Leads",
                    records: [ZohoRecord(id: "1234567000000300001", fields: ["Email": "not an email Secretname1"])]
                )
            }
            await attempt { _ = try await h.client.getRecord(module: "Leads", id: "1") }
            await attempt {
                _ = try await h.client.convertLead(
                    id: "1234567000000300002",
                    request: ConvertLeadRequest(deal: ["Deal_Name": "Secretname deal"])
                )
            }
            let token = try await h.client.tokens.token()
            descriptions.append("\(token)")
            descriptions.append("\(TestSecrets.credentials)")
            let needles = [
                TestSecrets.clientSecret, TestSecrets.refreshToken, token.value, "Secretname", "hidden.example",
                "Hidden Corp",
            ]
            let haystack = h.logText + descriptions
            #expect(!h.logText.isEmpty)
            #expect(descriptions.count >= 4)
            for needle in needles {
                let leaks = haystack.filter { $0.contains(needle) }
                #expect(leaks.isEmpty, "leaked \(needle.prefix(6))…: \(leaks.count) lines")
            }
            // The emulator never saw the secrets in a URL either (the token request is a form body).
            let log = try await h.requests()
            #expect(!log.contains { $0.query.values.contains(TestSecrets.clientSecret) })
        }
    }

    /// The issue's acceptance run: 20 % injected 429/5xx faults; every read succeeds after retries, and no write
    /// is sent twice (the request log counts them).
    @Test func twentyPercentFaultsEveryReadRetriedNoWriteSentTwice() async throws {
        try await Harness.run(
            fixture: Self.fixture,
            faults: FaultConfiguration(tooManyRequests: 0.1, serverErrors: 0.1, seed: 2026),
            retryPolicy: RetryPolicy(maxAttempts: 8)
        ) { (h: Harness) async throws in
            var reads = 0
            var writesSent = 0
            var writeFailures = 0
            let ids = (1...30).map { "12345670000003\(String(format: "%05d", $0))" }
            for (index, id) in ids.enumerated() {
                let record = try await h.client.getRecord(module: "Leads", id: id)
                #expect(record?.id == id)
                reads += 1
                if index % 3 == 0 {
                    _ = try await h.client.coql("select id from Leads where id = \(try COQL.quote(id))")
                    reads += 1
                }
                writesSent += 1
                do {
                    let results = try await h.client.updateRecords(
                        module: "Leads",
                        records: [ZohoRecord(id: id, fields: ["Lead_Status": "Contacted"])]
                    )
                    #expect(results.first?.isSuccess == true)
                } catch let error as ZohoError {
                    // A write that drew a 5xx fails once (it may have been applied); only a 429, which Zoho answers
                    // before doing anything, is retried, and then only within the retry budget.
                    #expect(
                        (error.httpStatus == 429 && error.code == .rateLimited)
                            || (error.httpStatus == 500 && error.code == .unknownOutcome && error.attempts == 1)
                    )
                    writeFailures += 1
                }
            }
            let log = try await h.crmRequests()
            let readLog = log.filter { $0.method == "GET" || $0.path.hasSuffix("/coql") }
            let writeLog = log.filter { $0.method == "PUT" }
            #expect(readLog.filter { $0.status == 200 || $0.status == 204 }.count == reads)
            #expect(readLog.contains { $0.status == 429 || $0.status == 500 })
            // Every write reached Zoho's processing at most once: all its other answers were 429 refusals.
            #expect(writeLog.filter { $0.status != 429 }.count <= writesSent)
            #expect(writeFailures > 0)
            // Each successful write was applied exactly once.
            #expect(writeLog.filter { $0.status == 200 }.count == writesSent - writeFailures)
        }
    }
}
