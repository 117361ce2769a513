import Engine
import Foundation
import Synchronization
import Testing
import ZohoEmulator

/// A transient fault (429, 5xx) is never a record's failure: the record stays pending or unknown, and reruns
/// convert every record exactly once with its owner and follow-ups (issue 12, defects 1 and 2).
struct TransientFaultTests {
    static let count = 20

    /// The engine's org with `count` more accepted quotes, each with its own Subject.
    static let fixture: String = {
        let quotes = (0..<count).map { index in
            let id = "4876876000002000" + String(format: "%03d", index)
            return "    - { id: \"\(id)\", Subject: Soak \(index), Quote_Stage: Accepted, Grand_Total: 10, "
                + "Account_Name: Other Corp, Valid_Till: 2099-12-31, Quoted_Items: [{ Product_Name: Widget }] }\n"
        }
        return FollowUpResumeTests.fixture.replacingOccurrences(
            of: "  Quotes:\n",
            with: "  Quotes:\n" + quotes.joined()
        )
    }()

    static let rule = """
        version: 1
        rules:
          - name: soak-quotes-to-invoices
            when: { module: Quotes, where: { Quote_Stage: Accepted, Grand_Total: 10 } }
            do:
              - convert: { to: Invoices, owner: billing@zylker.com }
              - update: { Quote_Stage: Closed Won }
              - tag: [invoiced]
        """

    @Test(arguments: ["429=0.4,5xx=0.1,seed=5", "429=0.2,5xx=0.2,seed=9"])
    func noRecordFailsAndRerunsConvertEachQuoteOnce(_ spec: String) async throws {
        try await withEngine(fixture: Self.fixture) { harness in
            try await harness.setFaults(["spec": .string(spec)])
            var settled = false
            for run in 1...10 where !settled {
                let report = try await harness.execute(Self.rule, options: FollowUpResumeTests.noGrace)
                let failed = report.records.filter { $0.status == .failed }
                #expect(failed.isEmpty, "\(spec) run \(run): \(failed.map { "\($0.recordID) \($0.reason ?? "")" })")
                settled =
                    report.rules.allSatisfy { $0.error == nil }
                    && report.records.allSatisfy { $0.status != .unknown && !$0.followUpFailed }
                    && report.records.count { $0.status == .skipped } == Self.count
            }
            try await harness.setFaults(["spec": ""])
            let final = try await harness.execute(Self.rule)
            #expect(final.records.allSatisfy { $0.status == .skipped && !$0.followUpFailed }, "\(final.records)")
            let invoices = try await harness.records("Invoices").values
            let bySubject = Dictionary(grouping: invoices, by: { $0["Subject"].stringValue ?? "" })
            for index in 0..<Self.count {
                #expect(bySubject["Soak \(index)"]?.count == 1, "\(spec): invoices of Soak \(index)")
            }
            #expect(invoices.allSatisfy { $0["Owner"]["id"].stringValue == FollowUpResumeTests.billing })
            for quote in try await harness.records("Quotes").values
            where quote["Subject"].stringValue?.hasPrefix("Soak") == true {
                let tags = quote["Tag"].arrayValue?.compactMap { $0["name"].stringValue } ?? []
                #expect(quote["Quote_Stage"].stringValue == "Closed Won" && tags == ["invoiced"], "\(quote)")
            }
        }
    }

    @Test func aRefusedTokenRefreshLeavesRecordsPendingAndAFreshRunFinishesThem() async throws {
        try await withEngine(fixture: Self.fixture) { harness in
            // Nine tokens are taken already; tokens now live a second, so the run soon needs an 11th, which Zoho
            // refuses (and blocks that refresh token for ten minutes).
            try await harness.setFaults(["spec": "token_ttl=1s,latency=100ms"])
            try await harness.issueTokens(9)
            let stopped = try await harness.execute(Self.rule)
            let failed = stopped.records.filter { $0.status == .failed }
            #expect(failed.isEmpty, "\(failed.map { "\($0.recordID) \($0.reason ?? "")" })")
            let rule = try #require(stopped.rules.first)
            #expect(rule.error != nil, "the refused refresh stops the rule")
            let converted = stopped.records.count { $0.status == .converted }
            #expect(converted < Self.count, "\(converted) converted")
            // The same rule, with a refresh token that is not blocked, carries on.
            try await harness.setFaults(["spec": ""])
            let client = try harness.makeClient(refreshToken: "1000.second")
            let rerun: RunReport
            do {
                rerun = try await harness.execute(Self.rule, options: FollowUpResumeTests.noGrace, client: client)
                try await client.shutdown()
            } catch {
                try await client.shutdown()
                throw error
            }
            #expect(rerun.records.allSatisfy { $0.status != .failed && $0.status != .unknown }, "\(rerun.records)")
            let invoices = try await harness.records("Invoices").values
            let bySubject = Dictionary(grouping: invoices, by: { $0["Subject"].stringValue ?? "" })
            for index in 0..<Self.count {
                #expect(bySubject["Soak \(index)"]?.count == 1, "invoices of Soak \(index)")
            }
            #expect(invoices.allSatisfy { $0["Owner"]["id"].stringValue == FollowUpResumeTests.billing })
        }
    }

    @Test func aRunStoppedInTheMiddleOfTheConvertsFailsNoRecord() async throws {
        try await withEngine(fixture: Self.fixture) { harness in
            // Stopped (as by Ctrl-C) once five quotes have an outcome: the calls in flight end cancelled.
            let handle = Mutex<Task<RunReport, any Error>?>(nil)
            let run = Task {
                try await harness.execute(Self.rule) { event in
                    if case .advanced(_, let done, _) = event, done == 5 { handle.withLock { $0?.cancel() } }
                }
            }
            handle.withLock { $0 = run }
            let stopped = try await run.value
            let failed = stopped.records.filter { $0.status == .failed }
            #expect(failed.isEmpty, "\(failed.map { "\($0.recordID) \($0.reason ?? "")" })")
            #expect(stopped.records.count { $0.status == .converted } < Self.count)
            #expect(
                stopped.rules.first?.error?.contains("transient fault") == true,
                "\(stopped.rules.first?.error ?? "")"
            )
            let rerun = try await harness.execute(Self.rule, options: FollowUpResumeTests.noGrace)
            #expect(rerun.records.allSatisfy { $0.status != .failed && $0.status != .unknown }, "\(rerun.records)")
            let invoices = try await harness.records("Invoices").values
            let bySubject = Dictionary(grouping: invoices, by: { $0["Subject"].stringValue ?? "" })
            for index in 0..<Self.count {
                #expect(bySubject["Soak \(index)"]?.count == 1, "invoices of Soak \(index)")
            }
            #expect(invoices.allSatisfy { $0["Owner"]["id"].stringValue == FollowUpResumeTests.billing })
        }
    }
}
