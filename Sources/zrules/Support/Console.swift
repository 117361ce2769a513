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
}

/// Draws progress on standard error: a bar on a terminal, plain lines otherwise.
final class ProgressPrinter: Sendable {
    private let terminal: Bool
    private let state = Mutex<(rule: String, done: Int, total: Int)>(("", 0, 0))

    init(terminal: Bool = Console.isTerminal) {
        self.terminal = terminal
    }

    func handle(_ event: ProgressEvent) {
        switch event {
        case .ruleStarted(let rule, let total):
            state.withLock { $0 = (rule, 0, total) }
            if terminal { draw() } else { Console.error("\(rule): \(total) record(s) to process\n") }
        case .advanced(let rule, let done, let total):
            let current = state.withLock { state -> Int in
                state.done = max(state.done, min(done, total))
                state.rule = rule
                return state.done
            }
            if terminal { draw() } else if current == total { Console.error("\(rule): \(current)/\(total)\n") }
        case .note(let rule, let message):
            if terminal { Console.error("\r\u{1B}[K") }
            Console.error("\(rule): \(message)\n")
            if terminal { draw() }
        case .ruleFinished(let rule):
            if terminal { Console.error("\r\u{1B}[K") }
            Console.error("\(rule): done\n")
        }
    }

    private func draw() {
        let (rule, done, total) = state.withLock { $0 }
        let width = 30
        let filled = total == 0 ? width : width * done / max(total, 1)
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        Console.error("\r\u{1B}[K[\(bar)] \(done)/\(total) \(rule)")
    }
}
