import Foundation
import Yams

/// Settings read from `zrules.yaml`: which Zoho org zrules talks to, and how.
///
/// Every key is optional and nil when absent; the defaults and the lists of data centres, environments, API
/// versions and editions live once, in ZohoCRM's configuration builder, which checks these values and names their
/// `file:line:col` (kept in `positions`). Here only the shape, unknown keys and time zones are checked.
public struct ProjectSettings: Sendable, Equatable {
    /// Where a value was written: 1-based line and column.
    public struct Position: Sendable, Equatable {
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int

        /// A position from its parts.
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    /// Zoho data centre, as written.
    public var dataCenter: String?
    /// production, sandbox or developer, as written.
    public var environment: String?
    /// v7 or v8, as written.
    public var apiVersion: String?
    /// The edition, as written; sets the concurrency limit.
    public var edition: String?
    /// Where runs, the ledger and the audit log are kept.
    public var stateDirectory: String?
    /// IANA time zone for schedules and relative dates; nil means the machine's.
    public var timeZone: String?
    /// A loopback base URL (the emulator); nil means Zoho's own hosts.
    public var apiURL: String?
    /// A credentials file (mode 0600); nil means the `ZOHO_*` environment variables.
    public var credentialsFile: String?
    /// The position of each key's value, by key (`data_center`, `credentials`, ...).
    public var positions: [String: Position] = [:]

    /// Settings with nothing set.
    public init() {}

    static let keys = [
        "data_center", "environment", "api_version", "edition", "state_dir", "timezone", "api_url", "credentials",
    ]
}

/// Reads `zrules.yaml`.
public enum ProjectFile {
    /// The largest configuration file read; anything bigger is not a configuration file.
    static let maximumSize = 64 * 1024

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws(RuleKitError) -> ProjectSettings {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw RuleKitError.projectFile(
                file: path,
                problems: [.init(line: 1, column: 1, message: "cannot read the file")],
                underlying: error
            )
        }
        guard data.count <= maximumSize else {
            throw RuleKitError.projectFile(
                file: path,
                problems: [.init(line: 1, column: 1, message: "the file is larger than \(maximumSize / 1024) KiB")]
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleKitError.projectFile(
                file: path,
                problems: [.init(line: 1, column: 1, message: "the file is not UTF-8 text")]
            )
        }
        return try parse(text, file: path)
    }

    /// Checks configuration text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(RuleKitError) -> ProjectSettings {
        var problems: [RuleKitError.Problem] = []
        var settings = ProjectSettings()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw RuleKitError.projectFile(file: file, problems: [problem(from: error)], underlying: error)
        } catch {
            throw RuleKitError.projectFile(
                file: file,
                problems: [.init(line: 1, column: 1, message: "not valid YAML")],
                underlying: error
            )
        }
        guard let root else { return settings }
        guard case .mapping(let mapping) = root else {
            throw RuleKitError.projectFile(file: file, problems: [at(root, "expected a mapping of settings")])
        }
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                problems.append(at(keyNode, "keys must be plain strings"))
                continue
            }
            if key == "credentials" {
                readCredentials(value, into: &settings, problems: &problems)
                continue
            }
            guard ProjectSettings.keys.contains(key) else {
                let suffix =
                    Suggestion.closest(to: key, in: ProjectSettings.keys).map { "; did you mean '\($0)'?" } ?? ""
                problems.append(at(keyNode, "unknown setting '\(key)'\(suffix)"))
                continue
            }
            guard let string = value.scalar?.string, !string.isEmpty else {
                problems.append(at(value, "'\(key)' takes a plain value"))
                continue
            }
            settings.positions[key] = position(value)
            switch key {
            case "data_center": settings.dataCenter = string
            case "environment": settings.environment = string
            case "api_version": settings.apiVersion = string
            case "edition": settings.edition = string
            case "state_dir": settings.stateDirectory = string
            case "timezone":
                if TimeZone(identifier: string) == nil {
                    problems.append(at(value, "unknown time zone '\(string)'; use an IANA name such as Europe/Berlin"))
                } else {
                    settings.timeZone = string
                }
            case "api_url": settings.apiURL = string
            default: break
            }
        }
        if !problems.isEmpty { throw RuleKitError.projectFile(file: file, problems: problems) }
        return settings
    }

    private static func readCredentials(
        _ value: Node,
        into settings: inout ProjectSettings,
        problems: inout [RuleKitError.Problem]
    ) {
        if let string = value.scalar?.string {
            if string != "env" {
                problems.append(at(value, "credentials is 'env' or a mapping { file: PATH }"))
            }
            return
        }
        guard case .mapping(let mapping) = value else {
            problems.append(at(value, "credentials is 'env' or a mapping { file: PATH }"))
            return
        }
        for (keyNode, inner) in mapping {
            if keyNode.scalar?.string == "file", let path = inner.scalar?.string, !path.isEmpty {
                settings.credentialsFile = path
                settings.positions["credentials"] = position(inner)
            } else {
                problems.append(at(keyNode, "credentials takes only 'file: PATH'"))
            }
        }
    }

    private static func position(_ node: Node) -> ProjectSettings.Position {
        ProjectSettings.Position(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    private static func at(_ node: Node, _ message: String) -> RuleKitError.Problem {
        RuleKitError.Problem(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message)
    }

    private static func problem(from error: YamlError) -> RuleKitError.Problem {
        switch error {
        case .parser(_, let problem, let mark, _), .scanner(_, let problem, let mark, _):
            return .init(line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
        default:
            return .init(line: 1, column: 1, message: "not valid YAML")
        }
    }
}

extension ProjectSettings {
    /// The configuration file read when `--config` is not given (and only if it exists).
    public static let defaultPath = "zrules.yaml"

    /// Reads `configPath`, or `./zrules.yaml` when it exists; nothing set when neither is there.
    public static func load(configPath: String?) throws(RuleKitError) -> ProjectSettings {
        let path = configPath ?? defaultPath
        guard configPath != nil || FileManager.default.fileExists(atPath: path) else { return ProjectSettings() }
        return try ProjectFile.load(path: path)
    }
}
