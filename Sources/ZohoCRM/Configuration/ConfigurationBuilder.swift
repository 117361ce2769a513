public import Foundation

/// Where one resolved configuration value came from, for `zrules config` and for messages.
public enum ConfigurationSource: Sendable, Hashable, CustomStringConvertible {
    /// A command-line flag, e.g. `--dc`.
    case flag(String)
    /// An environment variable, e.g. `ZOHO_DC`.
    case environment(String)
    /// A key in `zrules.yaml` at a 1-based line and column.
    case projectFile(path: String, line: Int, column: Int)
    /// The data centre recorded in a credentials file by `zrules auth login`.
    case credentialsFile(String)
    /// Nothing set it.
    case `default`

    /// `--dc`, `ZOHO_DC`, `zrules.yaml:3:14`, `credentials file ~/.config/...`, `default`.
    public var description: String {
        switch self {
        case .flag(let name): name
        case .environment(let name): name
        case .projectFile(let path, let line, let column): "\(path):\(line):\(column)"
        case .credentialsFile(let path): "credentials file \(path)"
        case .default: "default"
        }
    }
}

/// One value as text, with where it was written; validated by `ConfigurationBuilder`.
public struct ConfigurationSetting: Sendable, Hashable {
    /// The text as written.
    public var value: String
    /// Where it was written.
    public var source: ConfigurationSource

    /// A value from a source.
    public init(_ value: String, from source: ConfigurationSource) {
        self.value = value
        self.source = source
    }
}

/// The values one layer (flags, or `zrules.yaml`) sets; nil means the layer leaves it to the next one.
public struct ConfigurationLayer: Sendable, Hashable {
    /// `--dc` / `data_center`.
    public var dataCenter: ConfigurationSetting?
    /// `--environment` / `environment`.
    public var environment: ConfigurationSetting?
    /// `--api-version` / `api_version`.
    public var apiVersion: ConfigurationSetting?
    /// `--edition` / `edition`.
    public var edition: ConfigurationSetting?
    /// `--api-url` / `api_url`: a loopback emulator.
    public var apiURL: ConfigurationSetting?
    /// `--credentials` / `credentials: { file: PATH }`.
    public var credentialsFile: ConfigurationSetting?
    /// `--state` / `state_dir`.
    public var stateDirectory: ConfigurationSetting?

    /// A layer that sets nothing.
    public init() {}
}

/// The one place that decides which Zoho org a command talks to, and with which credentials.
///
/// Precedence, for every value: command-line flags, then environment variables (`ZOHO_DC`, `ZOHO_ENVIRONMENT`,
/// `ZOHO_API_VERSION`, `ZOHO_EDITION`, `ZRULES_API_URL`, `ZOHO_CLIENT_ID`/`_SECRET`/`REFRESH_TOKEN`,
/// `ZOHO_CREDENTIALS_FILE`), then `zrules.yaml`, then the data centre recorded in the credentials file by
/// `zrules auth login`, then the defaults (us, production, v7, enterprise, `.zrules`). Credentials: a
/// `--credentials` file, else the three variables, else `ZOHO_CREDENTIALS_FILE`, else zrules.yaml's file, else
/// `~/.config/zrules/credentials.json`; against a loopback emulator with none of these, placeholders.
public struct ConfigurationBuilder: Sendable {
    /// Values from command-line flags.
    public var flags: ConfigurationLayer
    /// The process environment.
    public var environment: [String: String]
    /// Values from `zrules.yaml`, with their positions.
    public var projectFile: ConfigurationLayer
    /// The state directory when nothing sets one; nil for commands that keep no state (no token cache then).
    public var defaultStateDirectory: String?
    /// Whether `ZOHO_CLIENT_ID`, `ZOHO_CLIENT_SECRET` and `ZOHO_REFRESH_TOKEN` are credentials; `auth login`
    /// reads the first two for itself and looks only at the credentials file.
    public var readsCredentialVariables = true

    /// A builder over the given layers.
    public init(
        flags: ConfigurationLayer = ConfigurationLayer(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        projectFile: ConfigurationLayer = ConfigurationLayer(),
        defaultStateDirectory: String? = ".zrules"
    ) {
        self.flags = flags
        self.environment = environment
        self.projectFile = projectFile
        self.defaultStateDirectory = defaultStateDirectory
    }

    /// The edition when nothing names one.
    public static let defaultEdition = ZohoConfiguration.Edition.enterprise

    /// Resolves every value, reading the credentials file (never connecting).
    ///
    /// - Throws: `ZohoError` with `.configuration` for a bad value (naming its source and the accepted values) and
    ///   `.credentials` for missing, incomplete or unreadable credentials.
    public func resolve() throws(ZohoError) -> ResolvedConfiguration {
        var sources: [ResolvedConfiguration.Key: ConfigurationSource] = [:]
        let apiURL = try pick(\.apiURL, ZohoConfiguration.EnvironmentKey.apiURL).map { setting throws(ZohoError) in
            sources[.apiURL] = setting.source
            guard let url = URL(string: setting.value) else {
                throw Self.refusal("\(Self.describe(setting.source)) is not a URL: '\(setting.value)'")
            }
            return url
        }
        let credentials = try resolveCredentials(loopback: apiURL != nil)
        sources[.credentials] = credentials.source
        let recorded = credentials.value?.dataCenter.map {
            ConfigurationSetting($0.rawValue, from: .credentialsFile(credentials.file?.path ?? ""))
        }
        var configuration = ZohoConfiguration(apiURL: apiURL)
        configuration.dataCenter = try choose(
            .dataCenter,
            pick(\.dataCenter, ZohoConfiguration.EnvironmentKey.dataCenter) ?? recorded,
            ZohoConfiguration.DataCenter.us,
            &sources
        )
        configuration.environment = try choose(
            .environment,
            pick(\.environment, ZohoConfiguration.EnvironmentKey.environment),
            .production,
            &sources
        )
        configuration.apiVersion = try choose(
            .apiVersion,
            pick(\.apiVersion, ZohoConfiguration.EnvironmentKey.apiVersion),
            .v7,
            &sources
        )
        configuration.edition = try choose(
            .edition,
            pick(\.edition, ZohoConfiguration.EnvironmentKey.edition),
            Self.defaultEdition,
            &sources
        )
        try configuration.validate()
        let state = stateDirectory(apiURL: apiURL, sources: &sources)
        configuration.tokenCacheFile = state.map { URL(fileURLWithPath: $0).appendingPathComponent("zoho-token.json") }
        return ResolvedConfiguration(
            configuration: configuration,
            credentials: credentials,
            stateDirectory: state,
            sources: sources
        )
    }

    /// The flag's value, else the environment variable's, else zrules.yaml's.
    private func pick(
        _ key: KeyPath<ConfigurationLayer, ConfigurationSetting?>,
        _ variable: String?
    )
        -> ConfigurationSetting?
    {
        if let setting = flags[keyPath: key] { return setting }
        if let variable, let value = Self.nonEmpty(environment[variable]) {
            return ConfigurationSetting(value, from: .environment(variable))
        }
        return projectFile[keyPath: key]
    }

    private func choose<T: RawRepresentable & CaseIterable>(
        _ key: ResolvedConfiguration.Key,
        _ setting: ConfigurationSetting?,
        _ fallback: T,
        _ sources: inout [ResolvedConfiguration.Key: ConfigurationSource]
    ) throws(ZohoError) -> T where T.RawValue == String {
        guard let setting else {
            sources[key] = .default
            return fallback
        }
        sources[key] = setting.source
        if let value = T(rawValue: setting.value.lowercased()) { return value }
        throw Self.invalidChoice(setting, T.allCases.map(\.rawValue))
    }

    /// An explicit `--state` is used as given; otherwise a loopback endpoint gets its own subfolder, so an emulator
    /// never writes into the ledger and audit log of the real org.
    private func stateDirectory(
        apiURL: URL?,
        sources: inout [ResolvedConfiguration.Key: ConfigurationSource]
    ) -> String? {
        if let flag = flags.stateDirectory {
            sources[.stateDirectory] = flag.source
            return flag.value
        }
        let base: String
        if let file = projectFile.stateDirectory {
            sources[.stateDirectory] = file.source
            base = file.value
        } else if let defaultStateDirectory {
            sources[.stateDirectory] = .default
            base = defaultStateDirectory
        } else {
            return nil
        }
        guard let apiURL else { return base }
        return (base.hasSuffix("/") ? base : base + "/") + Self.endpointFolder(apiURL)
    }

    /// `endpoint-127.0.0.1-8080`: the folder of one loopback API endpoint's state.
    public static func endpointFolder(_ url: URL) -> String {
        let host = (url.host ?? "local").filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }
        return "endpoint-\(host)-\(url.port ?? (url.scheme == "https" ? 443 : 80))"
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s else { return nil }
        let trimmed = s.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func refusal(_ message: String) -> ZohoError {
        ZohoError(code: .configuration, operation: "configuration", message: message)
    }

    /// `--dc`, `ZOHO_DC`, `data_center at zrules.yaml:3:14`.
    static func describe(_ source: ConfigurationSource) -> String {
        switch source {
        case .projectFile: "the value at \(source)"
        default: source.description
        }
    }

    static func invalidChoice(_ setting: ConfigurationSetting, _ choices: [String]) -> ZohoError {
        let list = choices.joined(separator: ", ")
        let hint = closest(to: setting.value.lowercased(), in: choices).map { "; did you mean '\($0)'?" } ?? ""
        return refusal("\(describe(setting.source)) must be one of \(list); found '\(setting.value)'\(hint)")
    }

    /// The choice within edit distance 2, for did-you-mean hints.
    static func closest(to text: String, in choices: [String]) -> String? {
        choices.map { ($0, editDistance(Array(text), Array($0))) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var previous = row[0]
            row[0] = i + 1
            for (j, y) in b.enumerated() {
                let current = row[j + 1]
                row[j + 1] = min(current + 1, row[j] + 1, previous + (x == y ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
