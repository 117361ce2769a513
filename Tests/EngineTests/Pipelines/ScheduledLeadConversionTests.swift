import Engine
import Foundation
import Testing
import ZohoEmulator

/// Zoho may answer convert lead with 202 SCHEDULED and a job id: the lead is converted later. The engine never
/// counts that as converted or failed, never resends it, and confirms it through Converted__s on the next run.
struct ScheduledLeadConversionTests {
    @Test func aScheduledConversionIsConfirmedLaterAndNeverResent() async throws {
        try await withEngine { harness in
            try await harness.setFaults(["spec": "convert_lead=scheduled"])
            // notify_lead_owner forces the single convert, the endpoint that may answer 202.
            let rules = LeadPipelineTests.rules(duplicates: "skip", notify: true)
            let first = try await harness.execute(rules)
            let lead = LeadPipelineTests.clean
            let scheduled = try #require(first.records.first { $0.recordID == lead })
            #expect(scheduled.status == .unknown, "\(scheduled)")
            #expect(scheduled.reason?.contains("scheduled") == true, "\(scheduled)")

            // The emulator's job converts it a few job steps later (bounded wait).
            var converted = false
            for _ in 0..<100 where !converted {
                converted = try await harness.records("Leads")[lead]?["Converted__s"].boolValue == true
                if !converted { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(converted, "the scheduled conversion never happened in the emulator")

            try await harness.setFaults(["spec": ""])
            let second = try await harness.execute(rules)
            let confirmed = try #require(second.records.first { $0.recordID == lead })
            #expect(confirmed.status == .converted, "\(confirmed)")
            let converts = try await harness.requests().filter {
                $0.method == "POST" && $0.path.hasSuffix("/Leads/\(lead)/actions/convert")
            }
            #expect(converts.count == 1, "convert lead was sent \(converts.count) times")
        }
    }
}
