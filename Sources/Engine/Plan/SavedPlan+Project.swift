import Foundation

extension SavedPlan {
    /// The plan `report` (a dry-run of `project`) amounts to, with the digest of the project's files.
    ///
    /// - Throws: `EngineError.Code.configuration` when a rule file cannot be read for its digest.
    public init(project: Project, report: RunReport) throws(EngineError) {
        self.init(
            createdAt: report.startedAt,
            paths: project.options.paths,
            ruleNames: project.options.ruleNames,
            files: try Self.files(of: project),
            configuration: PlanConfiguration(project: project),
            orgID: report.target?.orgID,
            rules: report.rules.map(PlannedRule.init(report:))
        )
    }

    /// What differs between this plan's inputs and `project` (and the org `orgID` read now), one sentence each;
    /// empty when the plan may be applied.
    ///
    /// - Throws: `EngineError.Code.configuration` when a rule file cannot be read.
    public func changes(against project: Project, orgID currentOrg: String?) throws(EngineError) -> [String] {
        var changes: [String] = []
        let now = Dictionary(try Self.files(of: project).map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        let then = Dictionary(files.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        for (path, hash) in then.sorted(by: { $0.key < $1.key }) {
            if let current = now[path] {
                if current != hash { changes.append("rule file \(path) changed since the plan was made") }
            } else {
                changes.append("rule file \(path) is gone")
            }
        }
        for path in now.keys.sorted() where then[path] == nil {
            changes.append("rule file \(path) is new since the plan was made")
        }
        let current = PlanConfiguration(project: project)
        for (old, new) in zip(configuration.lines, current.lines) where old.value != new.value {
            changes.append("configuration \(old.key) was \(old.value), is now \(new.value)")
        }
        if let orgID, let currentOrg, orgID != currentOrg {
            changes.append("the org was \(orgID), is now \(currentOrg)")
        }
        return changes
    }

    /// The planned record ids and their `Modified_Time`, per rule, for `ExecutionOptions.plannedRecords`.
    public var selection: [String: PlannedRecords] {
        var byRule: [String: PlannedRecords] = [:]
        for rule in rules {
            byRule[rule.name] = PlannedRecords(
                planned: rule.records.filter { $0.decision == .planned },
                decided: rule.records.filter { $0.decision != .planned }
            )
        }
        return byRule
    }

    /// Planned records whose `Modified_Time` the plan could not read, so apply cannot tell if they changed.
    public var uncheckedRecords: Int {
        rules.reduce(0) { $0 + $1.records.count { $0.decision == .planned && $0.modifiedTime == nil } }
    }

    /// Every rule file of `project`, with the digest of its bytes.
    static func files(of project: Project) throws(EngineError) -> [PlannedFile] {
        var files: [PlannedFile] = []
        for path in project.lint.files.sorted() {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                files.append(PlannedFile(path: path, sha256: SHA256.hex(data)))
            } catch {
                throw EngineError(
                    .configuration,
                    operation: "read \(path)",
                    message: "cannot read the rule file for the plan's digest",
                    underlying: error
                )
            }
        }
        return files
    }
}

extension PlanConfiguration {
    /// The configuration `project` resolved: the header's data centre, environment and host (decided once, in
    /// `PlanTarget`), without the emulator's port, which changes at every start.
    public init(project: Project) {
        let zoho = project.zohoConfiguration()
        let target = PlanTarget(configuration: zoho, organization: nil)
        var host = target.apiHost
        if zoho.apiURL != nil, var components = URLComponents(string: host) {
            components.port = nil
            components.path = ""
            host = components.string ?? host
        }
        self.init(
            dataCentre: target.dataCentre,
            environment: target.environment,
            apiHost: host,
            apiVersion: target.apiVersion,
            edition: target.edition,
            stateDirectory: project.stateDirectoryPath
        )
    }

    /// True for a real production org: not a sandbox or developer org, not an emulator on loopback.
    public var isProduction: Bool { environment == "production" && !isLoopback }
}

extension PlannedRule {
    /// The rule as a dry-run reported it.
    init(report rule: RuleReport) {
        self.init(
            name: rule.rule,
            file: rule.file,
            line: rule.line,
            module: rule.module,
            target: rule.target,
            method: rule.method,
            endpoints: rule.callsToCome.map { "\($0.endpoint) × \($0.calls)" },
            batches: rule.batches,
            records: rule.records.map { record in
                PlannedRecord(
                    id: record.recordID,
                    name: record.name,
                    decision: record.status,
                    method: record.method,
                    reason: record.reason,
                    modifiedTime: record.modifiedTime,
                    merges: record.merges
                )
            },
            error: rule.error
        )
    }
}
