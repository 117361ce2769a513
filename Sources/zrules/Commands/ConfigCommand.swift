import ArgumentParser
import Engine
import Foundation
import ZohoCRM

extension ZRules {
    /// `zrules config`: the resolved configuration and where each value came from.
    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the configuration plan and run would use, and where each value came from.",
            discussion: """
                Precedence: flags, then environment variables, then zrules.yaml, then the data centre recorded in \
                the credentials file, then defaults. Nothing is sent to Zoho and no secret is printed.
                Exit codes: 0 printed, 2 the configuration is invalid.
                """
        )

        @OptionGroup var project: ProjectArguments

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            do {
                Console.out(try render(environment: ProcessInfo.processInfo.environment))
            } catch {
                Console.error("zrules config: \(error)\n")
                throw ExitCode(2)
            }
        }

        /// The report for `environment`; in-process tests call this.
        func render(environment: [String: String]) throws -> String {
            // The built-in emulator is not started: any loopback URL resolves the same way.
            var options = project.projectOptions(apiURL: project.emulator == nil ? nil : Self.emulatorURL)
            options.environment = environment
            let resolved = try Project.configuration(options)
            let rows = ConfigReport.rows(resolved, emulator: project.emulator)
            return format == .json ? ConfigReport.json(rows) : ConfigReport.text(rows)
        }

        /// Stands in for the built-in emulator's URL, which is only known once it listens.
        static let emulatorURL = URL(string: "http://127.0.0.1")
    }
}

/// The rows of `zrules config`: a name, a value, and where the value came from.
enum ConfigReport {
    struct Row {
        var key: String
        var label: String
        var value: String
        var source: String?
    }

    static func rows(_ resolved: ResolvedConfiguration, emulator: String?) -> [Row] {
        let c = resolved.configuration
        func source(_ key: ResolvedConfiguration.Key) -> String { (resolved.sources[key] ?? .default).description }
        let limits = "\(c.concurrencyLimit) calls at once, \(c.complexConcurrencyLimit) to complex APIs"
        var api = c.apiURL?.absoluteString ?? "none (Zoho's own hosts)"
        if let emulator { api = "the built-in emulator from \(emulator) (a free loopback port, chosen at start)" }
        return [
            Row(key: "data_center", label: "data centre", value: c.dataCenter.rawValue, source: source(.dataCenter)),
            Row(key: "environment", label: "environment", value: c.environment.rawValue, source: source(.environment)),
            Row(key: "api_version", label: "API version", value: c.apiVersion.rawValue, source: source(.apiVersion)),
            Row(key: "edition", label: "edition", value: c.edition.rawValue, source: source(.edition)),
            Row(key: "concurrency", label: "concurrency", value: limits, source: nil),
            Row(key: "api_url", label: "API URL", value: api, source: c.apiURL == nil ? nil : source(.apiURL)),
            Row(key: "accounts_host", label: "accounts host", value: c.tokenURL.host ?? "", source: nil),
            Row(key: "api_host", label: "API host", value: c.defaultAPIDomain.host ?? "", source: nil),
            Row(
                key: "state_dir",
                label: "state directory",
                value: resolved.stateDirectory ?? "",
                source: source(.stateDirectory)
            ),
            Row(
                key: "credentials",
                label: "credentials",
                value: resolved.credentialsDescription,
                source: source(.credentials)
            ),
        ]
    }

    static func text(_ rows: [Row]) -> String {
        let width = (rows.map(\.label.count).max() ?? 0) + 3
        return rows.map { row in
            let label = (row.label + ":").padding(toLength: width, withPad: " ", startingAt: 0)
            return label + row.value + (row.source.map { "  (from \($0))" } ?? "") + "\n"
        }.joined()
    }

    static func json(_ rows: [Row]) -> String {
        var object: [String: Any] = [:]
        for row in rows {
            var entry: [String: Any] = ["value": row.value]
            if let source = row.source { entry["source"] = source }
            object[row.key] = entry
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
