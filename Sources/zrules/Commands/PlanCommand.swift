import ArgumentParser

// Placeholder: replaced by the owner of this command (see docs/ARCHITECTURE.md).
extension ZRules {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "(not built yet)")
        func run() async throws { throw ExitCode(2) }
    }
}
