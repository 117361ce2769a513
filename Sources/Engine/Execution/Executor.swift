public import Foundation
public import Logging
public import RuleKit
public import ZohoCRM

/// How a plan or run behaves.
public struct ExecutionOptions: Sendable {
    /// True for `zrules plan`: read everything, write nothing to the CRM, keep the ledger as it is.
    public var dryRun: Bool
    /// How long to wait for one mass-convert job before leaving it to the next run's reconciliation.
    public var jobPollTimeout: Duration
    /// The first wait between job-status polls; it doubles up to `maxPollInterval`.
    public var jobPollInterval: Duration
    /// The longest wait between job-status polls.
    public var maxPollInterval: Duration
    /// How long after an unconfirmed write the engine keeps waiting for Zoho to show its result before it concludes
    /// the write never happened and sends it again.
    public var reconcileGrace: Duration
    /// Set by Ctrl-C or SIGTERM: no new write is sent once it is requested (see `StopRequest`).
    public var stop: StopRequest?
    /// How long, once a stop is requested, the run still waits for jobs it already submitted to be confirmed.
    public var stopGrace: Duration = .seconds(30)
    /// `zrules apply`: the records a saved plan decided on, by rule name; only its planned records are converted.
    /// Nil (plan, run, daemon) converts whatever the rules select.
    public var plannedRecords: [String: PlannedRecords]?

    /// Options with production defaults.
    public init(
        dryRun: Bool = false,
        jobPollTimeout: Duration = .seconds(600),
        jobPollInterval: Duration = .milliseconds(500),
        maxPollInterval: Duration = .seconds(10),
        reconcileGrace: Duration = .seconds(900)
    ) {
        self.dryRun = dryRun
        self.jobPollTimeout = jobPollTimeout
        self.jobPollInterval = jobPollInterval
        self.maxPollInterval = maxPollInterval
        self.reconcileGrace = reconcileGrace
    }
}

/// Runs compiled rules against Zoho: for real, or as a dry-run that writes nothing to the CRM.
///
/// Every selected record ends converted, skipped (with a reason) or failed (with Zoho's code), in the report and in
/// the audit log. Before each write the ledger records the intent; on start, intents left unfinished by an earlier
/// run are reconciled (job status, back-links, Converted__s) before anything new is sent.
public struct Executor: Sendable {
    let client: ZohoClient
    let store: StateStore
    let timeZone: TimeZone
    let options: ExecutionOptions
    let logger: Logger
    /// The process's one clock: "today" for relative dates, ledger and report times, waits between job polls.
    let clock: any ZohoClock
    let progress: @Sendable (ProgressEvent) -> Void

    /// An executor over one client and one state store.
    ///
    /// - Parameters:
    ///   - timeZone: for relative dates and templates, unless a rule names its own.
    ///   - clock: the process's clock (the one the client and the state store were given); injected so tests
    ///     control "today" and the waits between job-status polls.
    ///   - progress: receives progress events (the CLI draws them).
    public init(
        client: ZohoClient,
        store: StateStore,
        timeZone: TimeZone,
        options: ExecutionOptions = ExecutionOptions(),
        logger: Logger,
        clock: any ZohoClock = ZohoSystemClock(),
        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }
    ) {
        self.client = client
        self.store = store
        self.timeZone = timeZone
        self.options = options
        self.logger = logger
        self.clock = clock
        self.progress = progress
    }

    /// The current time on the executor's clock.
    func now() -> Date { clock.now() }

    /// Waits `duration` on the executor's clock (between job-status polls).
    func sleep(_ duration: Duration) async throws { try await clock.sleep(for: duration) }

    /// Plans or runs `rules`, one after another, and records the run.
    ///
    /// - Throws: `EngineError.Code.state` when the state directory cannot record the run; per-rule problems are in
    ///   the report, not thrown.
    public func execute(_ rules: [Rule]) async throws(EngineError) -> RunReport {
        let startedAt = now()
        let runID = RunRecord.makeID(startedAt: startedAt)
        do {
            if !options.dryRun { _ = try store.markInterruptedRuns(finishedAt: startedAt) }
            try store.startRun(
                RunRecord(id: runID, startedAt: startedAt, dryRun: options.dryRun, rules: rules.map(\.name))
            )
        } catch {
            throw EngineError(.state, operation: "start run", message: "cannot record the run", underlying: error)
        }
        let directory = OrgDirectory(client: client)
        // Rules run in the order given (files in order, rules in file order); a plan carries each rule's effects to
        // the rules after it.
        let overlay = PlanOverlay()
        var reports: [RuleReport] = []
        for rule in rules {
            // A stop between rules leaves the remaining rules untouched for the next run.
            if options.stop?.isRequested == true { break }
            reports.append(await runRule(rule, runID: runID, directory: directory, overlay: overlay))
        }
        var report = RunReport(
            runID: runID,
            dryRun: options.dryRun,
            startedAt: startedAt,
            finishedAt: now(),
            rules: reports
        )
        report.stopped = options.stop?.isRequested == true
        report.notStarted = rules.dropFirst(reports.count).map(\.name)
        do {
            try store.finishRun(
                id: runID,
                status: report.hasFailures ? .partial : .succeeded,
                finishedAt: report.finishedAt,
                summary: report.summary
            )
        } catch {
            throw EngineError(.state, operation: "finish run", message: "cannot record the run", underlying: error)
        }
        return report
    }

    /// One rule, inside its own call tally: the shared client counts what it sends for this rule alone.
    private func runRule(
        _ rule: Rule,
        runID: String,
        directory: OrgDirectory,
        overlay: PlanOverlay
    ) async -> RuleReport {
        let tally = ZohoCallTally()
        var report = await ZohoCallTally.$current.withValue(tally) {
            await compileAndRun(rule, runID: runID, directory: directory, overlay: overlay)
        }
        report.callsMade = tally.counts.map {
            CallEstimate(
                endpoint: $0.endpoint,
                calls: $0.calls,
                credits: $0.credits,
                assumedCost: ZohoAPICost.isAssumed($0.endpoint)
            )
        }
        return report
    }

    private func compileAndRun(
        _ rule: Rule,
        runID: String,
        directory: OrgDirectory,
        overlay: PlanOverlay
    ) async -> RuleReport {
        let zone = rule.timeZone.flatMap { TimeZone(identifier: $0.value) } ?? timeZone
        let module = rule.module.value
        let fieldTypes = await directory.fieldTypes(of: module)
        let pipeline: Pipeline
        do {
            pipeline = try Compiler(now: now(), timeZone: zone, fieldTypes: [module: fieldTypes]).compile(rule)
        } catch {
            return RuleReport.failed(rule, message: error.message)
        }
        let audit = AuditTrail(store: store, pipeline: pipeline, runID: runID, dryRun: options.dryRun, now: now)
        let context = RuleContext(
            executor: self,
            pipeline: pipeline,
            runID: runID,
            timeZone: zone,
            directory: directory,
            audit: audit,
            overlay: overlay
        )
        let report = await RuleRun(context: context).execute()
        audit.flush(logger: logger)
        return report
    }
}

extension RuleReport {
    static func failed(_ rule: Rule, message: String) -> RuleReport {
        RuleReport(
            rule: rule.name,
            file: rule.location.file,
            line: rule.location.line,
            module: rule.module.value,
            target: "",
            method: "",
            methodReason: "",
            query: "",
            serverSide: [],
            localOnly: [],
            steps: [],
            scopes: [],
            records: [],
            excludedByRecheck: 0,
            batches: [],
            callsMade: [],
            callsToCome: [],
            error: message
        )
    }
}
