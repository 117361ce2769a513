import ArgumentParser
import Foundation
import Logging
import ZohoCRM

extension ZRules {
    /// `zrules metadata`: org metadata snapshots for offline lint.
    struct Metadata: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save the org's modules, fields and users for `zrules lint --metadata`.",
            subcommands: [Pull.self]
        )
    }
}

extension ZRules.Metadata {
    /// `zrules metadata pull`: saves Zoho's own metadata responses as a snapshot file.
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pull modules, fields and active users from Zoho into a metadata snapshot (read-only calls).",
            discussion: "Writes to --output (atomically) or to standard output. Exit 0 on success, 1 on failure."
        )

        @OptionGroup var connection: ZohoConnectionOptions

        @Option(name: .shortAndLong, help: "Snapshot file to write (default: standard output).")
        var output: String?

        @Option(
            help:
                "Comma-separated module API names whose fields to pull (default: Leads, Contacts, Accounts, Deals, Quotes, Sales_Orders, Invoices).",
            transform: {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        )
        var modules: [String]?

        func run() async throws {
            let resolved = try connection.resolve()
            let credentials = try resolved.requireCredentials()
            let snapshot = try await ZohoHTTPClient.with { http in
                let client = try ZohoClient(
                    configuration: resolved.configuration,
                    credentials: credentials,
                    sharing: http,
                    logger: Logger(label: "zrules.metadata")
                )
                return try await client.metadataSnapshot(
                    modules: modules ?? ZohoClient.defaultSnapshotModules,
                    pulledAt: Date()
                )
            }
            if let output {
                try snapshot.write(to: URL(fileURLWithPath: output), options: .atomic)
                FileHandle.standardError.write(Data("wrote \(output) (\(snapshot.count) bytes)\n".utf8))
            } else {
                FileHandle.standardOutput.write(snapshot)
            }
        }
    }
}
