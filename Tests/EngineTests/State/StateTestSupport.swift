import Engine
import Foundation

/// A fixed instant plus `seconds`, so stored dates compare exactly (SQLite keeps milliseconds).
func instant(_ seconds: Int) -> Date {
    Date(timeIntervalSince1970: 1_795_425_300 + TimeInterval(seconds))  // 2026-11-23T09:15:00Z
}

func key(_ sourceID: String, rule: String = "invoice-accepted-quotes", target: String = "Invoices") -> LedgerKey {
    LedgerKey(rule: rule, sourceModule: "Quotes", sourceID: sourceID, targetModule: target)
}

func intent(_ sourceID: String, rule: String = "invoice-accepted-quotes", run: String = "run-1") -> LedgerEntry {
    LedgerEntry(key: key(sourceID, rule: rule), method: .single, runID: run, updatedAt: instant(0))
}

func event(
    _ seconds: Int,
    run: String = "run-1",
    rule: String = "invoice-accepted-quotes",
    record: String? = nil,
    step: String = "convert",
    outcome: String = "converted",
    child: String? = nil
) -> AuditEvent {
    AuditEvent(
        time: instant(seconds),
        runID: run,
        rule: rule,
        ruleFile: "rules/quotes.yaml",
        ruleLine: 3,
        recordID: record,
        module: record == nil ? nil : "Quotes",
        step: step,
        outcome: outcome,
        childID: child,
        dryRun: false
    )
}
