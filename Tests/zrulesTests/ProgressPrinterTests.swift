import Engine
import Synchronization
import Testing

@testable import zrules

/// The progress bar: job state and elapsed time while a mass-convert job runs, and lines that fit the terminal.
struct ProgressPrinterTests {
    /// Everything a printer wrote, in order.
    final class Captured: Sendable {
        let text = Mutex("")

        func write(_ piece: String) { text.withLock { $0 += piece } }

        /// The bar as drawn each time (the text after each clear-line sequence), and the lines that stay.
        var draws: [String] {
            text.withLock { $0 }.components(separatedBy: "\r\u{1B}[K").dropFirst().map { String($0) }
        }
    }

    static func printer(terminal: Bool = true, columns: Int) -> (ProgressPrinter, Captured) {
        let captured = Captured()
        return (ProgressPrinter(terminal: terminal, columns: { columns }, write: captured.write), captured)
    }

    static let events: [ProgressEvent] = [
        .ruleStarted(rule: "accepted-quotes-to-sales-orders", total: 2),
        .note(rule: "accepted-quotes-to-sales-orders", message: "job 4876876000009000123 scheduled for 2 records"),
        .jobSubmitted(rule: "accepted-quotes-to-sales-orders", jobID: "4876876000009000123", records: 2),
        .jobStatus(
            rule: "accepted-quotes-to-sales-orders",
            jobID: "4876876000009000123",
            state: "IN PROGRESS",
            elapsed: .seconds(12),
            converted: 0,
            total: 2
        ),
        .advanced(rule: "accepted-quotes-to-sales-orders", done: 2, total: 2),
        .ruleFinished(rule: "accepted-quotes-to-sales-orders"),
    ]

    @Test func theBarShowsTheJobStateAndElapsedTime() {
        let (printer, captured) = Self.printer(columns: 120)
        for event in Self.events.prefix(4) { printer.handle(event) }
        let last = try? #require(captured.draws.last)
        #expect(last?.contains("0/2") == true && last?.contains("IN PROGRESS 12s") == true, "\(captured.draws)")
        #expect(last?.contains("job …000123") == true, "\(last ?? "")")
    }

    @Test(arguments: [20, 40, 60, 80, 200])
    func everyRedrawnLineFitsTheTerminal(_ columns: Int) {
        let (printer, captured) = Self.printer(columns: columns)
        for event in Self.events { printer.handle(event) }
        // Each draw clears the line first, and a bar never reaches the last column (no wrap, nothing stale).
        for draw in captured.draws where !draw.hasSuffix("\n") {
            #expect(draw.count < columns, "\(columns) columns: \(draw.count) characters: \(draw)")
        }
        #expect(captured.draws.count > 4)
    }

    @Test func aWideTerminalGetsTheWholeBar() {
        let bar = ProgressPrinter.Bar(rule: "r", done: 1, total: 2)
        #expect(
            bar.line(columns: 200) == "[" + String(repeating: "=", count: 15) + String(repeating: " ", count: 15)
                + "] 1/2 r"
        )
        // Too narrow for a bar: the count and the rule, cut to fit.
        #expect(ProgressPrinter.Bar(rule: "a-long-rule-name", done: 1, total: 2).line(columns: 12) == "1/2 a-long…")
    }

    @Test func offATerminalJobStatusIsAPlainLine() {
        let (printer, captured) = Self.printer(terminal: false, columns: 60)
        for event in Self.events { printer.handle(event) }
        let text = captured.text.withLock { $0 }
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("job 4876876000009000123: IN PROGRESS, 12 s, 0 of 2 converted so far\n"), "\(text)")
        #expect(text.components(separatedBy: "scheduled for 2 records").count == 2, "said once: \(text)")
    }
}
