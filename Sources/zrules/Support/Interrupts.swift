import Dispatch
import Engine
import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM during `run`: the first asks the run to stop sending and to finish what is in
/// flight, the second exits at once with 130 (what was in flight is then reconciled by the next run).
final class Interrupts: Sendable {
    /// Shared with the executor.
    let stop = StopRequest()
    private let count = Atomic<Int>(0)
    private let sources: SignalSources

    /// Starts listening; the default actions of SIGINT and SIGTERM are replaced for the life of the process.
    init() {
        sources = SignalSources()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in received() }
            source.resume()
            sources.keep(source)
        }
    }

    private func received() {
        let seen = count.wrappingAdd(1, ordering: .relaxed).newValue
        if seen == 1 {
            stop.request()
            Console.error(
                "\nzrules: stopping: no new writes are sent; waiting for the calls in flight and the jobs already "
                    + "submitted to be confirmed (press Ctrl-C again to quit at once)\n"
            )
        } else {
            Console.error(
                "\nzrules: quit at once; what was in flight is checked by the next run before anything is sent\n"
            )
            exit(ExitStatus.interrupted.rawValue)
        }
    }
}

/// Keeps the dispatch sources alive (they are cancelled when released).
private final class SignalSources: @unchecked Sendable {
    // Written only in `Interrupts.init`, before any handler can run; read never.
    private var sources: [any DispatchSourceSignal] = []

    func keep(_ source: any DispatchSourceSignal) { sources.append(source) }
}
