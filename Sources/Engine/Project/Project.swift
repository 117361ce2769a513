public import Foundation
public import Logging
public import RuleKit
public import ZohoCRM

/// What `plan`, `run` and `daemon` are asked to do, as flags and the environment say it.
public struct ProjectOptions: Sendable {
    /// Rule files or folders; `rules/` when empty.
    public var paths: [String]
    /// Only these rules (by name); all when empty.
    public var ruleNames: [String]
    /// `zrules.yaml`; `./zrules.yaml` is used when present and this is nil.
    public var configPath: String?
    /// The state directory; overrides `state_dir`.
    public var stateDirectory: String?
    /// A loopback base URL to use instead of Zoho (the emulator); overrides `api_url` and `ZRULES_API_URL`.
    public var apiURL: URL?
    /// The process environment (credentials, `ZRULES_API_URL`, `ZOHO_*`).
    public var environment: [String: String]
    /// Start every plan or run with an empty state directory (the built-in emulator starts from its fixture each
    /// time, so an old ledger would lie about it). The reset happens under the run lock.
    public var resetsState: Bool = false
    /// The process's one clock, given to the client, the executor, the state store and the compiler.
    public var clock: any ZohoClock

    /// Options for a plan or run.
    public init(
        paths: [String] = [],
        ruleNames: [String] = [],
        configPath: String? = nil,
        stateDirectory: String? = nil,
        apiURL: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: any ZohoClock = ZohoSystemClock()
    ) {
        self.paths = paths
        self.ruleNames = ruleNames
        self.configPath = configPath
        self.stateDirectory = stateDirectory
        self.apiURL = apiURL
        self.environment = environment
        self.clock = clock
    }
}

/// A plan's or run's inputs, checked: settings, the rules (linted), and where state lives.
public struct Project: Sendable {
    /// `zrules.yaml`, or defaults.
    public var settings: ProjectSettings
    /// The lint result; the run goes ahead only when it has no errors.
    public var lint: LintResult
    /// The rules selected to run.
    public var rules: [Rule]
    /// The configuration every value of which is decided by `ConfigurationBuilder`, with its sources.
    public var resolved: ResolvedConfiguration
    /// The state directory.
    public var stateDirectory: URL
    /// The state directory as resolved (per API endpoint for a loopback emulator), for messages.
    public var stateDirectoryPath: String
    /// The time zone relative dates and schedules use.
    public var timeZone: TimeZone
    /// Options as given.
    public var options: ProjectOptions

    /// Reads the configuration and lints the rules.
    ///
    /// - Throws: `EngineError` with `.configuration` for a bad zrules.yaml, unknown `--rule` names or unreadable
    ///   paths, and `.lintFailed` when the rules have errors (the lint result is in the message's file list).
    public static func load(_ options: ProjectOptions) throws(EngineError) -> Project {
        let settings = try loadSettings(options)
        let resolved = try resolve(settings, options)
        let paths = options.paths.isEmpty ? ["rules"] : options.paths
        let lint: LintResult
        do {
            lint = try Linter(LintOptions(paths: paths)).run()
        } catch {
            throw EngineError(.configuration, operation: "read rules", message: error.description, underlying: error)
        }
        if lint.files.isEmpty {
            throw EngineError(
                .configuration,
                operation: "read rules",
                message: "no rule files (*.yaml, *.yml) in \(paths.joined(separator: ", "))"
            )
        }
        var rules = lint.ruleSet.rules
        if !options.ruleNames.isEmpty {
            let known = Set(rules.map(\.name))
            let unknown = options.ruleNames.filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw EngineError(
                    .configuration,
                    operation: "select rules",
                    message: "no rule named \(unknown.joined(separator: ", ")); known: "
                        + known.sorted().joined(separator: ", ")
                )
            }
            rules = rules.filter { options.ruleNames.contains($0.name) }
        }
        let state = resolved.stateDirectory ?? StateStore.defaultDirectory
        return Project(
            settings: settings,
            lint: lint,
            rules: rules,
            resolved: resolved,
            stateDirectory: URL(fileURLWithPath: state),
            stateDirectoryPath: state,
            timeZone: settings.timeZone.flatMap(TimeZone.init(identifier:)) ?? .current,
            options: options
        )
    }

    private static func loadSettings(_ options: ProjectOptions) throws(EngineError) -> ProjectSettings {
        do {
            return try ProjectSettings.load(configPath: options.configPath)
        } catch {
            throw EngineError(
                .configuration,
                operation: "read \(error.path ?? ProjectSettings.defaultPath)",
                message: error.description,
                underlying: error
            )
        }
    }

    /// The configuration `load` would resolve, without reading the rules (for `zrules config`).
    public static func configuration(_ options: ProjectOptions) throws(EngineError) -> ResolvedConfiguration {
        try resolve(loadSettings(options), options)
    }

    /// Flags (`--state`, the emulator's URL) over the environment over zrules.yaml over the credentials file.
    private static func resolve(
        _ settings: ProjectSettings,
        _ options: ProjectOptions
    ) throws(EngineError) -> ResolvedConfiguration {
        var flags = ConfigurationLayer()
        flags.stateDirectory = options.stateDirectory.map { ConfigurationSetting($0, from: .flag("--state")) }
        flags.apiURL = options.apiURL.map { ConfigurationSetting($0.absoluteString, from: .flag("--emulator")) }
        let builder = ConfigurationBuilder(
            flags: flags,
            environment: options.environment,
            projectFile: settings.configurationLayer(file: options.configPath ?? ProjectSettings.defaultPath)
        )
        do {
            var resolved = try builder.resolve()
            // The built-in emulator starts from its fixture every run: a cached token would outlive it.
            if options.apiURL != nil { resolved.configuration.tokenCacheFile = nil }
            return resolved
        } catch {
            throw EngineError(
                .configuration,
                operation: "configure the Zoho client",
                message: error.message,
                underlying: error
            )
        }
    }

    /// The client configuration, as `ConfigurationBuilder` resolved it.
    public func zohoConfiguration() -> ZohoConfiguration { resolved.configuration }

    /// The credentials as resolved; against the emulator, placeholders when none are set.
    public func credentials() throws(EngineError) -> ZohoCredentials {
        do {
            return try resolved.requireCredentials()
        } catch {
            throw EngineError(.configuration, operation: "read credentials", message: error.message, underlying: error)
        }
    }

    /// Lints, then plans or runs the selected rules with one client and the state directory.
    ///
    /// Before any query it reads the org (for the report's `target`) and the fields and users the rules need, and
    /// lints the rules against them: errors stop it with `.lintFailed` and the findings as `zrules lint` prints
    /// them. `httpClient` is the process's one HTTP client (`ZohoHTTPClient.with` where the command starts); every
    /// plan, run and daemon tick shares it. A real run holds the state directory's lock, so two runs (or a run and
    /// the daemon) never overlap.
    /// `planned` (from a saved plan) limits the run to the records the plan would convert; `planOrgID` is the org
    /// that plan was made against: when the org read before any query is another one, nothing is sent.
    public func execute(
        dryRun: Bool,
        logger: Logger,
        httpClient: ZohoHTTPClient,
        stop: StopRequest? = nil,
        planned: [String: PlannedRecords]? = nil,
        planOrgID: String? = nil,
        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }
    ) async throws(EngineError) -> RunReport {
        try checkLint()
        let store: StateStore
        let lock: RunLock?
        do {
            try Self.createStateDirectory(stateDirectory)
            lock = dryRun && !options.resetsState ? nil : try RunLock.acquire(directory: stateDirectory)
            if options.resetsState { removeStateFiles() }
            store = try StateStore(directory: stateDirectory, clock: options.clock)
        } catch {
            throw EngineError(
                .state,
                operation: "open \(stateDirectory.path)",
                message: error.message,
                underlying: error
            )
        }
        defer { lock?.release() }
        let client: ZohoClient
        do {
            client = try ZohoClient(
                configuration: zohoConfiguration(),
                credentials: credentials(),
                sharing: httpClient,
                clock: options.clock,
                logger: logger
            )
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.configuration, operation: "create the client", message: error.message, underlying: error)
        }
        let prelude = await PlanPrelude.read(
            rules: rules,
            configuration: zohoConfiguration(),
            client: client,
            logger: logger
        )
        let executor = Executor(
            client: client,
            store: store,
            timeZone: timeZone,
            options: with(ExecutionOptions(dryRun: dryRun)) {
                $0.stop = stop
                $0.plannedRecords = planned
            },
            logger: logger,
            clock: options.clock,
            progress: progress
        )
        let result: Result<RunReport, EngineError>
        if let planOrgID, let orgID = prelude.target.orgID, orgID != planOrgID {
            result = .failure(
                EngineError(
                    .configuration,
                    operation: "check the plan",
                    message: "it was made against org \(planOrgID), but this is org \(orgID), so nothing was sent; "
                        + "make a new plan with `zrules plan --out`"
                )
            )
        } else {
            result = await execute(executor, after: prelude)
        }
        try? await client.shutdown()
        return try result.get()
    }

    /// Stops on the metadata checks' errors before anything is sent; otherwise runs the executor on what the
    /// prelude read and fills the report's header.
    private func execute(_ executor: Executor, after prelude: PlanPrelude) async -> Result<RunReport, EngineError> {
        if let findings = prelude.metadata.findings(for: rules, lint: lint), findings.errorCount > 0 {
            return .failure(lintFailure(findings, against: "the org's live metadata"))
        }
        return await LiveMetadata.$current.withValue(prelude.metadata) { () async -> Result<RunReport, EngineError> in
            do throws(EngineError) {
                var report = try await executor.execute(rules)
                report.target = prelude.target
                prelude.count(into: &report, rules: rules)
                return .success(report)
            } catch {
                return .failure(error)
            }
        }
    }

    /// Throws `.lintFailed` with every finding (as `zrules lint` prints them) when the rules have errors.
    public func checkLint() throws(EngineError) {
        guard lint.errorCount > 0 else { return }
        throw lintFailure(lint, against: nil)
    }

    /// `.lintFailed` with every finding of `result`, as `zrules lint` prints them, and how to check again.
    private func lintFailure(_ result: LintResult, against metadata: String?) -> EngineError {
        let paths = (options.paths.isEmpty ? ["rules"] : options.paths).joined(separator: " ")
        let findings = LintRenderer.render(result, format: .text)
        let checked = metadata.map { " checked against \($0)" } ?? ""
        let again =
            metadata == nil
            ? "`zrules lint \(paths)`"
            : "`zrules metadata pull --output metadata.json` and `zrules lint \(paths) --metadata metadata.json`"
        return EngineError(
            .lintFailed,
            operation: "lint",
            message: "the rule files\(checked) have \(result.errorCount) error(s), so nothing was sent:\n\(findings)"
                + "fix them and check with \(again)"
        )
    }

    /// Empties the state directory under its lock (for a daemon on the built-in emulator, once at start).
    ///
    /// - Throws: `EngineError.Code.state` when another run holds the lock.
    public func resetState() throws(EngineError) {
        do {
            try Self.createStateDirectory(stateDirectory)
            let lock = try RunLock.acquire(directory: stateDirectory)
            defer { lock.release() }
            removeStateFiles()
        } catch {
            throw EngineError(
                .state,
                operation: "reset \(stateDirectory.path)",
                message: error.message,
                underlying: error
            )
        }
    }

    /// The ledger and audit log are the org's business records: the directory is its owner's only (docs/STATE.md).
    static func createStateDirectory(_ directory: URL) throws {
        try FileManager.default.createDirectory(
            at: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }

    private func removeStateFiles() {
        for name in ["zrules.sqlite", "zrules.sqlite-wal", "zrules.sqlite-shm"] {
            try? FileManager.default.removeItem(at: stateDirectory.appendingPathComponent(name))
        }
    }

    /// The least OAuth scopes the selected rules need, without contacting Zoho.
    public func scopes() -> (all: [String], byRule: [(rule: String, scopes: [String])]) {
        let compiler = Compiler(now: options.clock.now(), timeZone: timeZone)
        var byRule: [(String, [String])] = []
        for rule in rules {
            if let pipeline = try? compiler.compile(rule) { byRule.append((rule.name, pipeline.scopes)) }
        }
        return (Set(byRule.flatMap(\.1)).sorted(), byRule)
    }
}

extension Error {
    /// The error's own message, for errors that carry one.
    var message: String {
        if let error = self as? ZohoError { return error.message }
        if let error = self as? EngineError { return error.message }
        return String(describing: self)
    }
}
