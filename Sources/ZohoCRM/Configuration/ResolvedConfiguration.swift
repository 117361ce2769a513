public import Foundation

/// What `ConfigurationBuilder` decided: the client configuration, the credentials, the state directory, and where
/// each value came from.
public struct ResolvedConfiguration: Sendable {
    /// The values `sources` names.
    public enum Key: String, Sendable, Hashable, CaseIterable {
        case dataCenter = "data_center"
        case environment
        case apiVersion = "api_version"
        case edition
        case apiURL = "api_url"
        case credentials
        case stateDirectory = "state_dir"
    }

    /// The client configuration (the token cache lives in the state directory when there is one).
    public var configuration: ZohoConfiguration
    /// The credentials, or nil when none could be found (`credentialProblem` says why).
    public var credentials: ZohoCredentials?
    /// The credentials file read (or that would be read), when credentials come from a file.
    public var credentialsFile: URL?
    /// Why there are no credentials.
    public var credentialProblem: ZohoError?
    /// The state directory, or nil for commands that keep none.
    public var stateDirectory: String?
    /// Where each value came from.
    public var sources: [Key: ConfigurationSource]

    init(
        configuration: ZohoConfiguration,
        credentials: ResolvedCredentials,
        stateDirectory: String?,
        sources: [Key: ConfigurationSource]
    ) {
        self.configuration = configuration
        self.credentials = credentials.value
        self.credentialsFile = credentials.file
        self.credentialProblem = credentials.problem
        self.stateDirectory = stateDirectory
        self.sources = sources
    }

    /// The credentials, or the reason there are none.
    public func requireCredentials() throws(ZohoError) -> ZohoCredentials {
        if let credentials { return credentials }
        throw credentialProblem
            ?? ZohoError(code: .credentials, operation: "load credentials", message: "no credentials were found")
    }

    /// Where the credentials come from, in words; never the secret or the token.
    public var credentialsDescription: String {
        guard let credentials else { return "none (\(credentialProblem?.message ?? "not found"))" }
        if credentials == .emulatorPlaceholder { return "placeholder credentials for the loopback emulator" }
        if let credentialsFile { return "file \(credentialsFile.path) (mode 600)" }
        return "environment (ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN)"
    }
}

/// Credentials as `ConfigurationBuilder` found them.
struct ResolvedCredentials: Sendable {
    var value: ZohoCredentials?
    var file: URL?
    var problem: ZohoError?
    var source: ConfigurationSource
}

extension ConfigurationBuilder {
    private static let variablesSource = ConfigurationSource.environment(
        "ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN"
    )

    /// A `--credentials` file, else the three variables, else `ZOHO_CREDENTIALS_FILE`, else zrules.yaml's file,
    /// else the default file; on a loopback endpoint with no file, the emulator's placeholders.
    func resolveCredentials(loopback: Bool) -> ResolvedCredentials {
        if flags.credentialsFile == nil && readsCredentialVariables {
            do {
                if let variables = try ZohoCredentials.fromEnvironment(environment) {
                    return ResolvedCredentials(value: variables, source: Self.variablesSource)
                }
            } catch {
                return ResolvedCredentials(problem: error, source: Self.variablesSource)
            }
        }
        let fileVariable = ZohoCredentials.EnvironmentKey.file
        let named =
            flags.credentialsFile
            ?? Self.nonEmpty(environment[fileVariable]).map {
                ConfigurationSetting($0, from: .environment(fileVariable))
            }
            ?? projectFile.credentialsFile
        let file = named.map { URL(fileURLWithPath: $0.value) } ?? ZohoCredentials.defaultFile(environment: environment)
        let source = named?.source ?? .default
        guard FileManager.default.fileExists(atPath: file.path) else {
            if loopback { return ResolvedCredentials(value: .emulatorPlaceholder, source: .default) }
            return ResolvedCredentials(file: file, problem: missingFile(file, named: named), source: source)
        }
        do {
            return ResolvedCredentials(value: try ZohoCredentials.load(file: file), file: file, source: source)
        } catch {
            return ResolvedCredentials(file: file, problem: error, source: source)
        }
    }

    private func missingFile(_ file: URL, named: ConfigurationSetting?) -> ZohoError {
        let message: String
        if let named {
            message =
                "the credentials file \(file.path) (named by \(ConfigurationBuilder.describe(named.source))) does "
                + "not exist; create it with `zrules auth login --credentials \(file.path)`, or remove the setting "
                + "and set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN"
        } else {
            message =
                "no credentials: set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN, "
                + "or run `zrules auth login` to create \(file.path)"
        }
        return ZohoError(code: .credentials, operation: "load credentials", message: message)
    }
}
