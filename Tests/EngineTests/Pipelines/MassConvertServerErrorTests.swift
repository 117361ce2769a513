import Engine
import Foundation
import Testing
import ZohoEmulator

/// A mass convert Zoho answers with its own 500 INTERNAL_ERROR scheduled no job (a scheduled job is answered 202
/// with its id): its records go back to pending, and the very next run converts them, once each (issue 12).
struct MassConvertServerErrorTests {
    static let quotes = ["4876876000001000501", "4876876000001000502"]

    @Test func aMassConvertAnswered500LeavesItsQuotesPendingAndAnImmediateRerunConvertsThemOnce() async throws {
        try await withEngine { harness in
            // Every write is answered 500 before Zoho does anything; reads go through.
            try await harness.setFaults(["spec": "5xx_write=1"])
            let refused = try await harness.execute(InventoryPipelineTests.quotesToOrders)
            for quote in Self.quotes {
                let outcome = try #require(refused.records.first { $0.recordID == quote })
                #expect(outcome.status == .skipped, "\(outcome)")
                #expect(outcome.reason?.hasPrefix("pending:") == true, "\(outcome.reason ?? "")")
            }
            let none = try await FaultTests.children(harness)
            #expect(Self.quotes.allSatisfy { none[$0] == nil }, "\(none)")
            try await harness.setFaults(["spec": ""])
            // The default 15-minute grace: nothing waits for it, since nothing was left unknown.
            let rerun = try await harness.execute(InventoryPipelineTests.quotesToOrders)
            for quote in Self.quotes {
                #expect(rerun.records.first { $0.recordID == quote }?.status == .converted, "\(rerun.records)")
            }
            let children = try await FaultTests.children(harness)
            #expect(Self.quotes.allSatisfy { children[$0] == 1 }, "\(children)")
        }
    }

    /// A lead rule with an owner and a deal that uses no lead field, so clean leads go through mass convert.
    static let leadRule = """
        version: 1
        rules:
          - name: mass-leads
            when: { module: Leads, where: { Lead_Status: Qualified, Email: { is_null: false } } }
            do:
              - convert_lead:
                  duplicates: skip
                  owner: billing@zylker.com
                  deal: { Deal_Name: Pipeline, Stage: Qualification, Pipeline: Standard (Standard), Closing_Date: "{{ today + 30d }}" }
        """

    @Test func aLeadMassConvertAnswered500LeavesItsLeadsPendingAndAnImmediateRerunConvertsThem() async throws {
        try await withEngine { harness in
            try await harness.setFaults(["spec": "5xx_write=1"])
            let refused = try await harness.execute(Self.leadRule)
            #expect(refused.records.allSatisfy { $0.status != .unknown }, "\(refused.records)")
            // The clean lead went to the mass convert, which Zoho answered 500: pending, sent again next run.
            let clean = "4876876000001000402"
            let pending = try #require(refused.records.first { $0.recordID == clean })
            #expect(pending.method == "lead-mass" && pending.status == .skipped, "\(pending)")
            #expect(pending.reason?.contains("scheduled no job") == true, "\(pending.reason ?? "")")
            try await harness.setFaults(["spec": ""])
            let rerun = try await harness.execute(Self.leadRule)
            #expect(rerun.records.first { $0.recordID == clean }?.status == .converted, "\(rerun.records)")
            #expect(try await harness.records("Leads")[clean]?["Converted__s"] == .bool(true))
        }
    }
}

/// A run killed after recording its mass-convert intents but before sending them (no `convert sent` event) left
/// nothing for Zoho to do: the next run sends them at once, not after the 15-minute grace (issue 12).
struct NeverSentMassIntentTests {
    @Test func aMassIntentWithoutItsSentEventIsSentAgainAtOnce() async throws {
        try await withEngine { harness in
            for quote in MassConvertServerErrorTests.quotes {
                let key = LedgerKey(
                    rule: "order-accepted-quotes",
                    sourceModule: "Quotes",
                    sourceID: quote,
                    targetModule: "Sales_Orders"
                )
                try harness.store.recordIntents([
                    LedgerEntry(key: key, method: .mass, runID: "killed", updatedAt: Date().addingTimeInterval(-5))
                ])
            }
            let rerun = try await harness.execute(InventoryPipelineTests.quotesToOrders)
            for quote in MassConvertServerErrorTests.quotes {
                #expect(rerun.records.first { $0.recordID == quote }?.status == .converted, "\(rerun.records)")
            }
            let children = try await FaultTests.children(harness)
            #expect(MassConvertServerErrorTests.quotes.allSatisfy { children[$0] == 1 }, "\(children)")
        }
    }

    @Test func aMassIntentWhoseSentEventIsOnDiskStillWaits() async throws {
        try await withEngine { harness in
            let quote = MassConvertServerErrorTests.quotes[0]
            let key = LedgerKey(
                rule: "order-accepted-quotes",
                sourceModule: "Quotes",
                sourceID: quote,
                targetModule: "Sales_Orders"
            )
            try harness.store.recordIntents([
                LedgerEntry(key: key, method: .mass, runID: "killed", updatedAt: Date().addingTimeInterval(-5))
            ])
            try harness.store.append([
                AuditEvent(
                    time: Date(),
                    runID: "killed",
                    rule: "order-accepted-quotes",
                    ruleFile: "rules.yaml",
                    ruleLine: 3,
                    recordID: quote,
                    module: "Quotes",
                    step: "convert",
                    outcome: "sent",
                    dryRun: false
                )
            ])
            // It may have gone out: it waits for the grace period, never resent blindly.
            let rerun = try await harness.execute(InventoryPipelineTests.quotesToOrders)
            #expect(rerun.records.first { $0.recordID == quote }?.status == .unknown, "\(rerun.records)")
            #expect(try await FaultTests.children(harness)[quote] == nil)
        }
    }
}
