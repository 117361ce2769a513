import Engine
import Foundation
import Synchronization

/// Where commands write: results on standard output, progress and errors on standard error.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// True when standard error is a terminal, so a redrawn progress bar makes sense.
    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// The width of the terminal on standard error: the kernel's (TIOCGWINSZ, so a resize is seen at the next
    /// draw), else `COLUMNS`, else 80.
    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return columns
        }
        return 80
    }
}

/// Draws progress on standard error: a bar on a terminal, plain lines otherwise.
final class ProgressPrinter: Sendable {
    /// What the bar shows: the rule's records, and the mass-convert job it waits for, if any.
    struct Bar: Sendable, Equatable {
        var rule = ""
        var done = 0
        var total = 0
        var job: Job?

        /// A mass-convert job: its id, Zoho's last state of it and the seconds waited so far.
        struct Job: Sendable, Equatable {
            var id: String
            var state: String
            var seconds: Int

            /// Zoho's ids have 19 digits: the last six tell jobs of one run apart.
            var shortID: String { id.count > 8 ? "…" + id.suffix(6) : id }
        }

        /// The bar as one line of at most `columns - 1` characters (the last column would make some terminals
        /// wrap), so a carriage return always brings the cursor back to its start.
        func line(columns: Int) -> String {
            let count = "\(done)/\(total)"
            let jobText = job.map { " · job \($0.shortID) \($0.state) \($0.seconds)s" } ?? ""
            let room = max(columns - 1, 1)
            // The bar takes what the text leaves, between 10 and 30 cells; below that it is left out.
            let text = " \(count) \(rule)\(jobText)"
            let width = min(30, room - 2 - text.count)
            let line: String
            if width >= 10 {
                let filled = total == 0 ? width : width * min(done, total) / max(total, 1)
                line =
                    "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
                    + "]" + text
            } else {
                line = count + " " + rule + jobText
            }
            return line.count <= room ? line : String(line.prefix(room - 1)) + "…"
        }
    }

    private let terminal: Bool
    private let columns: @Sendable () -> Int
    private let write: @Sendable (String) -> Void
    private let state = Mutex(Bar())

    /// A printer for standard error; `columns` and `write` are for tests.
    init(
        terminal: Bool = Console.isTerminal,
        columns: @escaping @Sendable () -> Int = Console.terminalColumns,
        write: @escaping @Sendable (String) -> Void = Console.error
    ) {
        self.terminal = terminal
        self.columns = columns
        self.write = write
    }

    func handle(_ event: ProgressEvent) {
        switch event {
        case .ruleStarted(let rule, let total):
            state.withLock { $0 = Bar(rule: rule, total: total) }
            if terminal { draw() } else { write("\(rule): \(total) record(s) to process\n") }
        case .advanced(let rule, let done, let total):
            let current = state.withLock { state -> Int in
                state.done = max(state.done, min(done, total))
                state.rule = rule
                return state.done
            }
            if terminal { draw() } else if current == total { write("\(rule): \(current)/\(total)\n") }
        case .note(let rule, let message):
            line("\(rule): \(message)")
        case .ruleFinished(let rule):
            state.withLock { $0.job = nil }
            if terminal { write("\r\u{1B}[K") }
            write("\(rule): done\n")
        case .jobSubmitted(let rule, let jobID, let records):
            state.withLock { $0.job = Bar.Job(id: jobID, state: "SCHEDULED", seconds: 0) }
            // Off a terminal the `note` before it has said so already.
            _ = (rule, records)
            if terminal { draw() }
        case .jobStatus(let rule, let jobID, let jobState, let elapsed, let converted, let total):
            let seconds = Int(elapsed.components.seconds)
            state.withLock { $0.job = Bar.Job(id: jobID, state: jobState, seconds: seconds) }
            if terminal {
                draw()
            } else {
                write("\(rule): job \(jobID): \(jobState), \(seconds) s, \(converted) of \(total) converted so far\n")
            }
        }
    }

    /// A line that stays: on a terminal the bar is cleared first and drawn again below it.
    private func line(_ text: String) {
        if terminal { write("\r\u{1B}[K") }
        write(text + "\n")
        if terminal { draw() }
    }

    private func draw() {
        let bar = state.withLock { $0 }
        // Clear the line before drawing: a shorter line must not leave the end of a longer one behind.
        write("\r\u{1B}[K" + bar.line(columns: columns()))
    }
}
