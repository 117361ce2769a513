import AsyncHTTPClient
import Foundation
import Testing
import ZohoEmulator

/// One line of the emulator's request log.
struct SoakRequest: Sendable {
    var method: String
    var path: String
    var status: Int

    /// True for a call on CRM data (not metadata, users or OAuth).
    var isData: Bool {
        path.contains("/crm/") && !path.contains("/settings/") && !path.hasSuffix("/users")
            && !path.contains("/users/")
    }

    var isCOQL: Bool { method == "POST" && path.hasSuffix("/coql") }

    /// `POST /{module}/{id}/actions/convert`.
    func isSingleConvert(of module: String) -> Bool {
        method == "POST" && path.contains("/\(module)/") && path.hasSuffix("/actions/convert")
            && !path.hasSuffix("/mass_convert")
    }
}

/// The phase of a run a kill is aimed at, recognised from the emulator's request log.
enum SoakPhase: String, CaseIterable, Sendable {
    case selection
    case leadOptions = "lead options"
    case jobWait = "job wait"
    case singleConverts = "single converts"
    case owners = "owner updates"
    case followUps = "follow-ups"
    case reconciliation

    /// The phases a rule goes through (so a kill aimed at one can land).
    static func phases(of rule: SoakRule) -> [SoakPhase] {
        switch rule {
        case .quotesToOrders: [.selection, .jobWait, .followUps, .reconciliation]
        case .quotesToInvoices: [.selection, .singleConverts, .owners, .followUps, .reconciliation]
        case .ordersToInvoices: [.selection, .jobWait, .followUps, .reconciliation]
        case .leadsMass: [.leadOptions, .jobWait, .singleConverts, .reconciliation]
        case .leadsSingle: [.leadOptions, .singleConverts, .reconciliation]
        }
    }
}

/// Where one kill is aimed: a rule (run alone with `--rule`), a phase, and how far into it.
struct SoakEpisode: Sendable {
    var rule: SoakRule
    var phase: SoakPhase
    /// How many matching requests must be seen first (single converts, owners, options, reconciliation).
    var count: Int
    /// A pause after the trigger, so kills spread over a job's whole wait.
    var delay: Duration

    /// True when the requests the run has made so far put it in the aimed phase.
    func fires(_ log: ArraySlice<SoakRequest>) -> Bool {
        let source = rule.sourceModule
        switch phase {
        case .selection:
            return log.contains { $0.isCOQL }
        case .leadOptions:
            return log.count { $0.path.hasSuffix("/__conversion_options") } >= count
        case .jobWait:
            return log.contains { $0.method == "POST" && $0.path.hasSuffix("/\(source)/actions/mass_convert") }
        case .singleConverts:
            return log.count { $0.isSingleConvert(of: source) } >= count
        case .owners:
            return log.count { $0.method == "PUT" && $0.path.hasSuffix("/\(rule.targetModule)") } >= count
        case .followUps:
            return log.contains {
                ($0.method == "PUT" && $0.path.hasSuffix("/\(source)"))
                    || $0.path.hasSuffix("/\(source)/actions/add_tags")
            }
        case .reconciliation:
            return log.count(where: \.isData) >= count
        }
    }
}

/// What one kill episode did.
struct SoakKill: Sendable {
    var episode: SoakEpisode
    /// False when the run finished before the aimed moment came (no kill).
    var killed: Bool
    /// The last request the emulator had answered when the signal was sent.
    var lastRequest: String
}

/// One run without kills, summed up from its `--format json` report.
struct SoakRun: Sendable {
    var status: Int32
    var converted = 0
    var unknown = 0
    var failed = 0
    var transientFailures = 0
    var followUpFailures = 0
    var ruleErrors: [String] = []
    var report: JSONValue = .null
    var stderr = ""

    /// Nothing left for another run: no unknowns, no follow-up failures, no rule errors, no failure but Zoho's
    /// refusal of a record.
    var settled: Bool {
        unknown == 0 && transientFailures == 0 && followUpFailures == 0 && ruleErrors.isEmpty
            && (status == 0 || status == 1)
    }

    var line: String {
        "exit \(status), \(converted) converted, \(unknown) unknown, \(failed) failed (\(transientFailures) not a "
            + "refusal), \(followUpFailures) follow-ups failed"
            + (ruleErrors.isEmpty ? "" : ", rule errors: \(ruleErrors.joined(separator: " | "))")
    }
}

/// Zoho's refusals of a record: the only failures a soak accepts.
let soakRefusalCodes: Set<String> = ["RECORD_LOCKED", "NOT_APPROVED"]

/// The folder, emulator and state one campaign works in, and how it starts `zrules`.
struct SoakWorld: Sendable {
    var url: URL
    var folder: URL
    var fixture: SoakFixture
    var scale: SoakScale
    /// One refresh token for every run (as an operator has), or a new one per process.
    var sharedRefreshToken: Bool

    var state: URL { folder.appendingPathComponent("state") }
    var rulesFile: URL { folder.appendingPathComponent("rules.yaml") }

    /// Writes the rule file, the org fixture (for a person reading a failure) and `zrules.yaml`.
    static func prepare(fixture: SoakFixture, edition: String) throws -> URL {
        let folder = try temporaryFolder()
        try fixture.rulesYAML.write(to: folder.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        try fixture.fixtureYAML.write(to: folder.appendingPathComponent("org.yaml"), atomically: true, encoding: .utf8)
        try "edition: \(edition)\ntimezone: UTC\n".write(
            to: folder.appendingPathComponent("zrules.yaml"),
            atomically: true,
            encoding: .utf8
        )
        return folder
    }

    private func environment(process: Int) -> [String: String] {
        [
            "ZRULES_API_URL": url.absoluteString,
            "ZOHO_CLIENT_ID": "1000.SOAK",
            "ZOHO_CLIENT_SECRET": "soak-secret",
            "ZOHO_REFRESH_TOKEN": sharedRefreshToken ? "1000.soak-refresh" : "1000.soak-refresh-\(process)",
        ]
    }

    private func arguments(_ rule: SoakRule?) -> [String] {
        ["run", rulesFile.path, "--state", state.path, "--format", "json"]
            + (rule.map { ["--rule", $0.rawValue] } ?? [])
    }

    /// The emulator's request log (decoded into plain structs: the log is read many times a second).
    func requests() async throws -> [SoakRequest] {
        struct Log: Decodable {
            struct Entry: Decodable {
                var method: String
                var path: String
                var status: Int
            }
            var requests: [Entry]
        }
        let request = HTTPClientRequest(url: url.appendingPathComponent("__emulator/requests").absoluteString)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return try JSONDecoder().decode(Log.self, from: Data(buffer: bytes)).requests.map {
            SoakRequest(method: $0.method, path: $0.path, status: $0.status)
        }
    }

    /// Starts a run of `episode.rule` and kills it with SIGKILL once the request log shows the aimed phase.
    func aimKill(_ episode: SoakEpisode, process: Int) async throws -> SoakKill {
        let before = try await requests().count
        let running = try ZRulesProcess.start(
            arguments(episode.rule),
            in: folder,
            environment: environment(process: process)
        )
        let deadline = Date().addingTimeInterval(scale.runTimeout)
        var last = "-"
        var fired = false
        while running.process.isRunning, Date() < deadline, !fired {
            try await Task.sleep(for: .milliseconds(10))
            let log = try await requests().dropFirst(before)
            last = log.last.map { "\($0.method) \($0.path) \($0.status)" } ?? "-"
            fired = episode.fires(log)
        }
        if fired {
            try await Task.sleep(for: episode.delay)
            kill(running.process.processIdentifier, SIGKILL)
        } else if running.process.isRunning {
            kill(running.process.processIdentifier, SIGKILL)
            Issue.record("zrules run --rule \(episode.rule.rawValue) did not finish in \(scale.runTimeout)s")
        }
        running.process.waitUntilExit()
        return SoakKill(
            episode: episode,
            killed: fired && running.process.terminationReason == .uncaughtSignal,
            lastRequest: last
        )
    }

    /// Runs every rule to the end (bounded), and sums up its JSON report.
    func run(process: Int) async throws -> SoakRun {
        let running = try ZRulesProcess.start(arguments(nil), in: folder, environment: environment(process: process))
        let deadline = Date().addingTimeInterval(scale.runTimeout)
        while running.process.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        if running.process.isRunning {
            kill(running.process.processIdentifier, SIGKILL)
            Issue.record("zrules run did not finish in \(scale.runTimeout)s: \(running.stderr().suffix(2000))")
        }
        running.process.waitUntilExit()
        var run = SoakRun(status: running.process.terminationStatus, stderr: running.stderr())
        let stdout = running.stdout()
        guard let report = try? JSONDecoder().decode(JSONValue.self, from: Data(stdout.utf8)) else {
            run.ruleErrors.append("no JSON report (exit \(run.status)): \(run.stderr.suffix(500))")
            return run
        }
        run.report = report
        for rule in report["rules"].arrayValue ?? [] {
            if let error = rule["error"].stringValue {
                run.ruleErrors.append("\(rule["rule"].stringValue ?? ""): \(error)")
            }
            for record in rule["records"].arrayValue ?? [] {
                switch record["status"].stringValue {
                case "converted": run.converted += 1
                case "unknown": run.unknown += 1
                case "failed":
                    run.failed += 1
                    if !soakRefusalCodes.contains(record["zohoCode"].stringValue ?? "") { run.transientFailures += 1 }
                default: break
                }
                if record["followUpFailed"].boolValue == true { run.followUpFailures += 1 }
            }
        }
        return run
    }

    /// The whole audit log, as JSON Lines parsed.
    func audit() async throws -> [JSONValue] {
        let running = try ZRulesProcess.start(["audit", "--state", state.path, "--format", "jsonl"], in: folder)
        while running.process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        running.process.waitUntilExit()
        return running.stdout().split(separator: "\n").compactMap {
            try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8))
        }
    }
}

/// The kill schedule: the short campaign aims once at every phase of every rule, the long one at random phases,
/// each kill in a write phase often followed by a kill in the next run's reconciliation of the same rule.
enum SoakSchedule {
    static func episodes(scale: SoakScale, random: inout SeededRandom) -> [SoakEpisode] {
        let short: [(SoakRule, SoakPhase)] = [
            (.quotesToOrders, .selection), (.quotesToOrders, .jobWait), (.quotesToOrders, .reconciliation),
            (.quotesToInvoices, .singleConverts), (.quotesToInvoices, .reconciliation),
            (.quotesToInvoices, .owners), (.quotesToInvoices, .followUps),
            (.ordersToInvoices, .jobWait), (.ordersToInvoices, .followUps),
            (.leadsMass, .leadOptions), (.leadsMass, .jobWait), (.leadsMass, .reconciliation),
            (.leadsSingle, .singleConverts), (.leadsSingle, .reconciliation),
        ]
        var aims: [(SoakRule, SoakPhase)] = SoakScale.isLong ? [] : short
        while aims.count < scale.kills * 3 {
            let rule = SoakRule.allCases.randomElement(using: &random) ?? .quotesToOrders
            let phase = SoakPhase.phases(of: rule).randomElement(using: &random) ?? .selection
            aims.append((rule, phase))
            if phase != .selection, phase != .reconciliation, Bool.random(using: &random) {
                aims.append((rule, .reconciliation))
            }
        }
        return aims.map { rule, phase in
            // A third of the rule's records, or of its merges for the mass rule's single converts.
            let size =
                rule == .leadsMass && phase == .singleConverts
                ? max(1, scale.leadsMass / 8) : max(2, scale.size(of: rule) / 3)
            let count: Int
            switch phase {
            case .reconciliation: count = Int.random(in: 1...3, using: &random)
            case .singleConverts, .owners, .leadOptions: count = Int.random(in: 1...size, using: &random)
            default: count = 1
            }
            let delay: Duration = phase == .jobWait ? .milliseconds(Int.random(in: 0..<700, using: &random)) : .zero
            return SoakEpisode(rule: rule, phase: phase, count: count, delay: delay)
        }
    }
}

extension SoakScale {
    /// How many records the fixture holds for `rule`.
    func size(of rule: SoakRule) -> Int {
        switch rule {
        case .quotesToOrders: quotesToOrders
        case .quotesToInvoices: quotesToInvoices
        case .ordersToInvoices: ordersToInvoices
        case .leadsMass: leadsMass
        case .leadsSingle: leadsSingle
        }
    }
}
