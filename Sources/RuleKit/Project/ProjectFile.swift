import Foundation
import Yams

/// Settings read from `zrules.yaml`: which Zoho org zrules talks to, and how.
///
/// Every key is optional; the defaults suit a US production org on the Enterprise edition with credentials in the
/// environment. Values are checked here so a typo is reported with its `file:line:col`, not as a failed request.
public struct ProjectSettings: Sendable, Equatable {
    /// Zoho data centre: us, eu, in, au, jp, ca, sa or cn.
    public var dataCenter: String = "us"
    /// production, sandbox or developer.
    public var environment: String = "production"
    /// v7 (default) or v8.
    public var apiVersion: String = "v7"
    /// free, standard, professional, enterprise or ultimate; sets the concurrency limit.
    public var edition: String = "enterprise"
    /// Where runs, the ledger and the audit log are kept.
    public var stateDirectory: String = ".zrules"
    /// IANA time zone for schedules and relative dates; nil means the machine's.
    public var timeZone: String?
    /// A loopback base URL (the emulator); nil means Zoho's own hosts.
    public var apiURL: String?
    /// A credentials file (mode 0600); nil means the `ZOHO_*` environment variables.
    public var credentialsFile: String?

    /// Settings with every default.
    public init() {}

    static let keys = [
        "data_center", "environment", "api_version", "edition", "state_dir", "timezone", "api_url", "credentials",
    ]
    static let choices: [String: [String]] = [
        "data_center": ["us", "eu", "in", "au", "jp", "ca", "sa", "cn"],
        "environment": ["production", "sandbox", "developer"],
        "api_version": ["v7", "v8"],
        "edition": ["free", "standard", "professional", "enterprise", "ultimate"],
    ]
}

/// Problems found in `zrules.yaml`, each with its position.
public struct ProjectFileError: Error, CustomStringConvertible, Sendable {
    /// One problem at one place.
    public struct Problem: Sendable, Equatable {
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int
        /// What is wrong and how to fix it.
        public var message: String
    }

    /// The file the problems are in.
    public var file: String
    /// Every problem found, in file order.
    public var problems: [Problem]

    public var description: String {
        problems.map { "\(file):\($0.line):\($0.column): error: \($0.message)" }.joined(separator: "\n")
    }
}

/// Reads `zrules.yaml`.
public enum ProjectFile {
    /// The largest configuration file read; anything bigger is not a configuration file.
    static let maximumSize = 64 * 1024

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws(ProjectFileError) -> ProjectSettings {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ProjectFileError(file: path, problems: [.init(line: 1, column: 1, message: "cannot read the file")])
        }
        guard data.count <= maximumSize else {
            throw ProjectFileError(
                file: path,
                problems: [.init(line: 1, column: 1, message: "the file is larger than \(maximumSize / 1024) KiB")]
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProjectFileError(
                file: path,
                problems: [.init(line: 1, column: 1, message: "the file is not UTF-8 text")]
            )
        }
        return try parse(text, file: path)
    }

    /// Checks configuration text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ProjectFileError) -> ProjectSettings {
        var problems: [ProjectFileError.Problem] = []
        var settings = ProjectSettings()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ProjectFileError(file: file, problems: [problem(from: error)])
        } catch {
            throw ProjectFileError(file: file, problems: [.init(line: 1, column: 1, message: "not valid YAML")])
        }
        guard let root else { return settings }
        guard case .mapping(let mapping) = root else {
            throw ProjectFileError(file: file, problems: [at(root, "expected a mapping of settings")])
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
            if let choices = ProjectSettings.choices[key], !choices.contains(string.lowercased()) {
                problems.append(
                    at(value, "'\(string)' is not a valid \(key); use one of \(choices.joined(separator: ", "))")
                )
                continue
            }
            switch key {
            case "data_center": settings.dataCenter = string.lowercased()
            case "environment": settings.environment = string.lowercased()
            case "api_version": settings.apiVersion = string.lowercased()
            case "edition": settings.edition = string.lowercased()
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
        if !problems.isEmpty { throw ProjectFileError(file: file, problems: problems) }
        return settings
    }

    private static func readCredentials(
        _ value: Node,
        into settings: inout ProjectSettings,
        problems: inout [ProjectFileError.Problem]
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
            } else {
                problems.append(at(keyNode, "credentials takes only 'file: PATH'"))
            }
        }
    }

    private static func at(_ node: Node, _ message: String) -> ProjectFileError.Problem {
        ProjectFileError.Problem(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message)
    }

    private static func problem(from error: YamlError) -> ProjectFileError.Problem {
        switch error {
        case .parser(_, let problem, let mark, _), .scanner(_, let problem, let mark, _):
            return .init(line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
        default:
            return .init(line: 1, column: 1, message: "not valid YAML")
        }
    }
}
