public import Foundation

/// Every lint check, in code order; `zrules explain` and the docs read it, and the tests run its examples.
public enum CheckRegistry {
    /// All checks.
    public static let all: [any LintCheck.Type] = [
        YAMLSyntax.self, FileTooLarge.self, NotText.self, YAMLAlias.self, NestingTooDeep.self, EmptyFile.self,
        DuplicateKey.self, UnknownKey.self, WrongType.self, MissingKey.self, UnsupportedVersion.self,
        EmptyRules.self, InvalidChoice.self, NumberOutOfRange.self, RuleName.self, DuplicateRuleName.self,
        UnknownModule.self,
        IllegalConversion.self, UnknownOperator.self, OperatorValue.self, BadSchedule.self, BadTimeZone.self,
        BadDate.self, TemplateProblem.self, DealMissingField.self, BadOwner.self, UnknownRelated.self,
        BadLimit.self, OverlappingRules.self, TagsCarriedAnyway.self, UnknownField.self, UnknownPicklistValue.self,
        OperatorFieldType.self,
        InactiveOwner.self, ReadOnlyField.self, FieldValueType.self,
    ]

    /// The checks that read the org's metadata (ZR040–ZR045); `plan` and `run` run them on metadata read live.
    public static let metadataChecks: [any LintCheck.Type] = [
        UnknownField.self, UnknownPicklistValue.self, OperatorFieldType.self, InactiveOwner.self,
        ReadOnlyField.self, FieldValueType.self,
    ]

    /// The check with `code` (`ZR010`) or name (`unknown-key`), case-insensitively.
    public static func check(named code: String) -> (any LintCheck.Type)? {
        all.first {
            $0.description.code.caseInsensitiveCompare(code) == .orderedSame
                || $0.description.name.caseInsensitiveCompare(code) == .orderedSame
        }
    }
}

/// What to lint.
public struct LintOptions: Sendable {
    /// Files or folders; folders are searched recursively for `*.yaml` and `*.yml` (hidden folders skipped).
    public var paths: [String]
    /// A metadata snapshot file for the org checks, if any.
    public var metadataPath: String?
    /// Files larger than this are refused with ZR002.
    public var maximumFileSize: Int

    /// Options for `paths`.
    public init(paths: [String], metadataPath: String? = nil, maximumFileSize: Int = 1024 * 1024) {
        self.paths = paths
        self.metadataPath = metadataPath
        self.maximumFileSize = maximumFileSize
    }
}

/// The outcome of a lint: every finding, and every rule that parsed.
public struct LintResult: Sendable {
    /// Findings, sorted by file, line and column.
    public var diagnostics: [Diagnostic]
    /// Rules that parsed (possibly with findings); the engine runs them only when `errorCount` is 0.
    public var ruleSet: RuleSet
    /// The files linted, in order.
    public var files: [String]
    /// Each linted file's text, for showing source lines under findings.
    public var sources: [String: String]

    /// A result from parts (renderer tests, callers that merge results).
    public init(diagnostics: [Diagnostic], ruleSet: RuleSet, files: [String], sources: [String: String]) {
        self.diagnostics = diagnostics
        self.ruleSet = ruleSet
        self.files = files
        self.sources = sources
    }

    /// Number of error findings.
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    /// Number of warning findings.
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// 0 clean, 1 findings (errors; warnings too when `strict`).
    public func exitCode(strict: Bool) -> Int32 {
        errorCount > 0 || (strict && warningCount > 0) ? 1 : 0
    }
}

/// Loads rule files, parses them and runs every check.
public struct Linter: Sendable {
    /// What to lint.
    public var options: LintOptions

    /// A linter for `options`.
    public init(_ options: LintOptions) {
        self.options = options
    }

    /// Finds the files, reads the metadata and lints; throws only when linting cannot run at all.
    public func run() throws(RuleKitError) -> LintResult {
        let metadata = try options.metadataPath.map { path throws(RuleKitError) in try MetadataSnapshot.load(path: path)
        }
        let files = try Linter.ruleFiles(in: options.paths)
        var inputs: [(file: String, data: Data)] = []
        for file in files {
            do {
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
                defer { try? handle.close() }
                // Read one byte past the cap, so size is judged without loading a huge file.
                let data = try handle.read(upToCount: options.maximumFileSize + 1) ?? Data()
                inputs.append((file, data))
            } catch {
                throw RuleKitError(.unreadablePath, "cannot read the file", path: file)
            }
        }
        return Linter.lint(inputs, metadata: metadata, maximumFileSize: options.maximumFileSize)
    }

    /// Lints in-memory files (name and bytes), as `run()` does after reading them.
    public static func lint(
        _ files: [(file: String, data: Data)],
        metadata: MetadataSnapshot? = nil,
        maximumFileSize: Int = 1024 * 1024
    ) -> LintResult {
        var diagnostics: [Diagnostic] = []
        var rules: [Rule] = []
        var sources: [String: String] = [:]
        for (file, data) in files {
            let text: String
            switch InputGuard.text(of: data, file: file, maximumSize: maximumFileSize) {
            case .refused(let finding):
                diagnostics.append(finding)
                continue
            case .text(let decoded):
                text = decoded
            }
            sources[file] = text
            let guardFindings = InputGuard.scan(text, file: file)
            if !guardFindings.isEmpty {
                diagnostics.append(contentsOf: guardFindings)
                continue
            }
            var parser = RuleParser(file: file)
            rules.append(contentsOf: parser.parse(text))
            diagnostics.append(contentsOf: parser.diagnostics)
        }
        let ruleSet = RuleSet(rules: rules)
        let context = CheckContext(ruleSet: ruleSet, metadata: metadata)
        for check in CheckRegistry.all {
            diagnostics.append(contentsOf: check.check(context))
        }
        diagnostics.sort { ($0.location, $0.code) < ($1.location, $1.code) }
        return LintResult(diagnostics: diagnostics, ruleSet: ruleSet, files: files.map(\.file), sources: sources)
    }

    /// The metadata checks alone (`CheckRegistry.metadataChecks`) over rules already parsed and linted, sorted as
    /// `lint` sorts: the findings `zrules lint --metadata` adds, for metadata read live.
    ///
    /// A module whose fields are not in `metadata` is not checked, and owners are not checked without users.
    public static func metadataFindings(_ ruleSet: RuleSet, metadata: MetadataSnapshot) -> [Diagnostic] {
        let context = CheckContext(ruleSet: ruleSet, metadata: metadata)
        var diagnostics = CheckRegistry.metadataChecks.flatMap { $0.check(context) }
        diagnostics.sort { ($0.location, $0.code) < ($1.location, $1.code) }
        return diagnostics
    }

    /// Lints one text (tests, editors); `file` names it in findings.
    public static func lint(text: String, file: String = "rules.yaml", metadata: MetadataSnapshot? = nil) -> LintResult
    {
        lint([(file, Data(text.utf8))], metadata: metadata)
    }

    /// The rule files under `paths`: files as given, folders searched for `*.yaml`/`*.yml`, sorted per folder.
    public static func ruleFiles(in paths: [String]) throws(RuleKitError) -> [String] {
        let manager = FileManager.default
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw RuleKitError(.unreadablePath, "no such file or folder", path: path)
            }
            guard isDirectory.boolValue else {
                guard manager.isReadableFile(atPath: path) else {
                    throw RuleKitError(.unreadablePath, "the file is not readable", path: path)
                }
                files.append(path)
                continue
            }
            guard manager.isReadableFile(atPath: path), let enumerator = manager.enumerator(atPath: path) else {
                throw RuleKitError(.unreadablePath, "the folder is not readable", path: path)
            }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    enumerator.skipDescendants()
                    continue
                }
                let full = (path as NSString).appendingPathComponent(relative)
                if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
                    var nestedDirectory: ObjCBool = false
                    if manager.fileExists(atPath: full, isDirectory: &nestedDirectory), !nestedDirectory.boolValue {
                        found.append(full)
                    }
                }
            }
            files.append(contentsOf: found.sorted())
        }
        guard !files.isEmpty else {
            throw RuleKitError(
                .noRuleFiles,
                "no rule files (*.yaml, *.yml) found in \(paths.joined(separator: ", "))",
                path: paths.first
            )
        }
        var seen: Set<String> = []
        return files.filter { seen.insert($0).inserted }
    }
}
