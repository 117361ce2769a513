import Foundation
import Logging
import Testing
import ZohoEmulator

/// The crash harness and the fault soak of issue 12: `zrules run` as a real process against the emulator, for the
/// three inventory pairs and both lead paths, checked record by record against what Zoho holds.
///
/// Both run only when asked: `ZRULES_SOAK=short swift test --filter Soak` (short), `ZRULES_SOAK=crash` (the crash
/// harness alone), `ZRULES_SOAK=long` (the issue's sizes). `.ci/run` runs the short ones after `swift test`, on its
/// build (BENCHMARKS.md, "Faults and kills").
/// Figures are printed as one `soak figures` line per test, for BENCHMARKS.md.
@Suite struct SoakTests {
    /// The faults of issue 12's soak.
    static let faultSpec = "429=0.1,5xx=0.05,token_ttl=60s,timeout_write=0.05,latency=30ms,seed=7"

    /// SIGKILLs aimed at every phase of a run (selection, lead options, job wait, single converts, owner updates,
    /// follow-ups, the next run's reconciliation), then runs without kills until one has nothing left.
    @Test(.enabled(if: SoakScale.runsCrashHarness, "ZRULES_SOAK=crash or long runs the crash harness"))
    func crashHarness() async throws {
        let scale = SoakScale.current
        let started = Date()
        let fixture = SoakFixture(scale: scale, edition: "enterprise")
        let folder = try SoakWorld.prepare(fixture: fixture, edition: "enterprise")
        let configuration = EmulatorConfiguration(
            fixture: try EmulatorFixture(
                yaml: fixture.fixtureYAML,
                file: folder.appendingPathComponent("org.yaml").path
            ),
            faults: try FaultConfiguration(spec: "latency=15ms"),
            jobStepDuration: .milliseconds(SoakScale.isLong ? 1500 : 400),
            dailyCreditBudget: 100_000_000
        )
        try await withEmulator(configuration: configuration, logger: Self.logger) { url in
            // A refresh token per process: this harness measures crashes, not Zoho's token-mint limit (the soak does).
            let world = SoakWorld(url: url, folder: folder, fixture: fixture, scale: scale, sharedRefreshToken: false)
            var random = SeededRandom(seed: 12)
            var figures = SoakFigures()
            var process = 0
            for episode in SoakSchedule.episodes(scale: scale, random: &random)
            where figures.killsSurvived < scale.kills {
                process += 1
                let kill = try await world.aimKill(episode, process: process)
                print(
                    "soak kill \(process): \(episode.rule.rawValue) \(episode.phase.rawValue) #\(episode.count): "
                        + "\(kill.killed ? "killed" : "missed (the run ended first)") after \(kill.lastRequest)"
                )
                if kill.killed {
                    figures.killsSurvived += 1
                    figures.killsByPhase[episode.phase.rawValue, default: 0] += 1
                } else {
                    figures.killsMissed += 1
                }
            }
            // Under load a run can finish a phase between two reads of the request log; two thirds must land.
            #expect(
                figures.killsSurvived >= scale.kills * 2 / 3,
                "only \(figures.killsSurvived) of \(scale.kills) aimed kills landed while the run was working"
            )
            let runs = try await Self.settle(world, after: process)
            try await Self.judge(world, runs: runs, figures: figures, started: started, name: "crash")
        }
    }

    /// Every rule against the faults of issue 12, rerun (one refresh token, as an operator has) until settled.
    @Test(.enabled(if: SoakScale.runsFaultSoak, "ZRULES_SOAK=short or long runs the fault soak"))
    func faultSoak() async throws {
        let scale = SoakScale.current
        let started = Date()
        let fixture = SoakFixture(scale: scale, edition: "enterprise")
        let folder = try SoakWorld.prepare(fixture: fixture, edition: "enterprise")
        let configuration = EmulatorConfiguration(
            fixture: try EmulatorFixture(
                yaml: fixture.fixtureYAML,
                file: folder.appendingPathComponent("org.yaml").path
            ),
            faults: try FaultConfiguration(spec: Self.faultSpec),
            jobStepDuration: .milliseconds(300),
            dailyCreditBudget: 100_000_000,
            // The short soak holds a timed-out write back 1 s instead of 5 s; the long one keeps Zoho-like 5 s.
            writeTimeoutDelay: .seconds(SoakScale.isLong ? 5 : 1)
        )
        try await withEmulator(configuration: configuration, logger: Self.logger) { url in
            let world = SoakWorld(url: url, folder: folder, fixture: fixture, scale: scale, sharedRefreshToken: true)
            let runs = try await Self.settle(world, after: 0)
            let transient = runs.enumerated().filter { $0.element.transientFailures > 0 }
                .map { "run \($0.offset + 1): \($0.element.line)" }.joined(separator: "; ")
            let runsWithTransientFailures = runs.count { $0.transientFailures > 0 }
            #expect(
                runsWithTransientFailures == 0,
                "runs marked records failed for a transient fault (429, 5xx, token, timeout): \(transient)"
            )
            try await Self.judge(world, runs: runs, figures: SoakFigures(), started: started, name: "fault soak")
        }
    }

    static let logger = Logger(label: "soak", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs every rule without kills until a run has nothing left (at most `settleRuns` runs).
    static func settle(_ world: SoakWorld, after processes: Int) async throws -> [SoakRun] {
        var runs: [SoakRun] = []
        for index in 0..<world.scale.settleRuns {
            let run = try await world.run(process: processes + index + 1)
            runs.append(run)
            if run.settled { break }
        }
        return runs
    }

    /// Compares Zoho's state with the audit log and the last report, prints the figures, and expects no problem.
    static func judge(
        _ world: SoakWorld,
        runs: [SoakRun],
        figures: SoakFigures,
        started: Date,
        name: String
    ) async throws {
        let state = try await emulatorAdmin(world.url, "state")
        let audit = try await world.audit()
        var verdict = SoakVerdict(
            fixture: world.fixture,
            state: state,
            audit: audit,
            lastReport: runs.last?.report ?? .null
        )
        verdict.figures.killsSurvived = figures.killsSurvived
        verdict.figures.killsMissed = figures.killsMissed
        verdict.figures.killsByPhase = figures.killsByPhase
        verdict.figures.transientFailures = max(
            verdict.figures.transientFailures,
            runs.map(\.transientFailures).max() ?? 0
        )
        verdict.figures.runs = runs.count
        verdict.figures.rerunsToSettle = runs.last?.settled == true ? runs.count : nil
        verdict.figures.seconds = Date().timeIntervalSince(started)
        let scale = SoakScale.isLong ? "long" : "short"
        print("soak figures (\(name), \(scale), \(world.fixture.sources.count) records): \(verdict.figures.line)")
        let history = runs.enumerated().map { "  run \($0.offset + 1): \($0.element.line)" }.joined(separator: "\n")
        print("soak runs (\(name)):\n\(history)")
        #expect(
            runs.last?.settled == true,
            "\(name): not settled after \(runs.count) runs without kills:\n\(history)\n\(runs.last?.stderr.suffix(1500) ?? "")"
        )
        for kind in [
            "duplicate", "dropped", "wrong credit", "unknown", "owner", "follow-ups", "audit",
            "failed for a transient fault", "refusal",
        ] {
            let lines = verdict.problems[kind] ?? []
            let shown = lines.prefix(15).joined(separator: "\n  ")
            let count = lines.count
            #expect(count == 0, "\(name): \(count) record(s) with \(kind) problems:\n  \(shown)")
        }
    }
}
