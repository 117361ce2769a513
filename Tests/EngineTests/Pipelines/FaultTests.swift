import Engine
import Foundation
import Testing
import ZohoEmulator

/// Runs under injected faults: nothing converted twice, and reruns settle every unknown outcome.
struct FaultTests {
    static let rules = InventoryPipelineTests.quotesToOrders

    /// Parent quote id → number of sales orders linking back to it.
    static func children(_ harness: EngineHarness) async throws -> [String: Int] {
        var children: [String: Int] = [:]
        for order in try await harness.records("Sales_Orders").values {
            if let parent = order["Quote_Name"]["id"].stringValue { children[parent, default: 0] += 1 }
        }
        return children
    }

    @Test(arguments: ["429=0.1,5xx=0.1,seed=7", "429=0.2,5xx=0.2,seed=11", "timeout_write=0.5,seed=3"])
    func faultsNeverConvertTwice(_ spec: String) async throws {
        try await withEngine(timedOutWrites: spec.contains("timeout_write")) { harness in
            try await harness.setFaults(["spec": .string(spec)])
            // Zero grace: an unconfirmed write with no trace in Zoho is retried on the next run.
            let options = ExecutionOptions(
                jobPollInterval: .milliseconds(20),
                maxPollInterval: .milliseconds(100),
                reconcileGrace: .zero
            )
            var runs = 0
            var report = try await harness.execute(Self.rules, options: options)
            // Bounded: each rerun settles what the last one left unconfirmed.
            while report.records.contains(where: { $0.status == .unknown }) && runs < 6 {
                report = try await harness.execute(Self.rules, options: options)
                runs += 1
            }
            let children = try await Self.children(harness)
            #expect(children.values.allSatisfy { $0 == 1 }, "\(spec): \(children)")
            try await harness.setFaults(["spec": ""])
            let settled = try await harness.execute(Self.rules, options: options)
            #expect(
                settled.records.allSatisfy { $0.status != .unknown && $0.status != .converted },
                "\(settled.records.map { "\($0.recordID) \($0.status) \($0.reason ?? "")" })"
            )
            for quote in ["4876876000001000501", "4876876000001000502"] {
                #expect(try await Self.children(harness)[quote] == 1, "\(spec): quote \(quote)")
            }
        }
    }
}
