import ArgumentParser
import Foundation
import Logging
import ZohoEmulator

extension ZRules {
    /// `zrules emulator`: the built-in local Zoho CRM.
    struct Emulator: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the built-in Zoho CRM emulator.",
            subcommands: [Serve.self]
        )
    }
}

extension ZRules.Emulator {
    /// `zrules emulator serve --fixture FILE`: serves a fixture org on loopback until interrupted.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a local Zoho CRM seeded from a fixture file.",
            discussion: """
                Prints `listening on http://HOST:PORT` as its first line, then serves Zoho's OAuth token endpoint \
                (/oauth/v2/token), the CRM API under /crm/v7 and /crm/v8, and test helpers under /__emulator/ \
                until SIGINT or SIGTERM. Faults: 429=SHARE,5xx=SHARE,latency=200ms,token_ttl=5s,job=slow|fail,\
                timeout_write=SHARE,seed=N. See docs/EMULATOR.md.
                """
        )

        @Option(name: .long, help: "The fixture YAML file (users, records, unique fields, clients).")
        var fixture: String

        @Option(name: .long, help: "Port to listen on; 0 picks a free one.")
        var port: Int = 0

        @Option(name: .long, help: "Address to bind.")
        var host: String = "127.0.0.1"

        @Option(name: .long, help: "Faults to inject, e.g. \"429=0.2,5xx=0.1,latency=200ms,job=slow,seed=7\".")
        var faults: String?

        @Option(name: .long, help: "Seconds a mass-convert job spends in SCHEDULED and again in IN PROGRESS.")
        var jobStep: Double = 1

        @Option(name: .long, help: "Override the edition's daily API credit budget.")
        var credits: Int?

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard jobStep >= 0 else { throw ValidationError("--job-step must not be negative") }
        }

        func run() async throws {
            let configuration: EmulatorConfiguration
            do {
                var c = EmulatorConfiguration(
                    fixture: try EmulatorFixture.load(from: URL(fileURLWithPath: fixture)),
                    host: host,
                    port: port,
                    jobStepDuration: .milliseconds(Int64(jobStep * 1000)),
                    dailyCreditBudget: credits
                )
                if let faults { c.faults = try FaultConfiguration(spec: faults) }
                configuration = c
            } catch let error as EmulatorError {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            var logger = Logger(label: "zrules.emulator")
            logger.logLevel = .warning
            do {
                try await serveEmulator(configuration: configuration, logger: logger) { url in
                    // FileHandle writes unbuffered, so a parent process reading our stdout sees the line at once.
                    FileHandle.standardOutput.write(Data("listening on \(url.absoluteString)\n".utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("zrules emulator serve: \(sentence(for: error))\n".utf8))
                throw ExitCode(2)
            }
        }

        /// NIO's bind error (`bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`) as a sentence
        /// naming the host and port.
        func sentence(for error: any Error) -> String {
            let text = String(describing: error)
            if text.contains("Address already in use") || text.contains("errno: 98") || text.contains("errno: 48") {
                return
                    "port \(port) on \(host) is already in use; choose another with --port, or --port 0 for a free one"
            }
            if text.contains("Cannot assign requested address") || text.contains("errno: 99") {
                return "cannot listen on \(host):\(port): the address is not on this machine"
            }
            return "cannot serve on \(host):\(port): \(text)"
        }
    }
}
