import ArgumentParser
import Engine
import Foundation
import Logging
import RuleKit
import ZohoCRM

/// Flags that say which Zoho org to talk to; shared by `auth` and `metadata`.
struct ZohoConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("dc"),
        help: "Data centre: us, eu, in, au, jp, ca, sa, cn (default: ZOHO_DC, else the credentials file, else us)."
    )
    var dataCenter: String?

    @Option(help: "production, sandbox or developer (default: ZOHO_ENVIRONMENT, else production).")
    var environment: String?

    @Option(name: .customLong("api-version"), help: "v7 or v8 (default: ZOHO_API_VERSION, else v7).")
    var apiVersion: String?

    @Option(
        help:
            "free, standard, professional, enterprise or ultimate; sets the concurrency limit (default: ZOHO_EDITION, else zrules.yaml, else enterprise)."
    )
    var edition: String?

    @Option(
        name: .customLong("api-url"),
        help: "Loopback base URL of a local emulator (default: ZRULES_API_URL); other hosts are refused."
    )
    var apiURL: String?

    @Option(
        name: .customLong("credentials"),
        help: "Credentials file (default: ZOHO_CREDENTIALS_FILE, else ~/.config/zrules/credentials.json)."
    )
    var credentialsFile: String?

    @Option(
        name: .customLong("state"),
        help: "State directory; the access token is cached there (mode 0600) when given."
    )
    var stateDirectory: String?

    @Option(help: "The org configuration file (default: ./zrules.yaml when present).")
    var config: String?

    /// The flags as the configuration builder's top layer.
    var layer: ConfigurationLayer {
        func flag(_ value: String?, _ name: String) -> ConfigurationSetting? {
            value.map { ConfigurationSetting($0, from: .flag(name)) }
        }
        var layer = ConfigurationLayer()
        layer.dataCenter = flag(dataCenter, "--dc")
        layer.environment = flag(environment, "--environment")
        layer.apiVersion = flag(apiVersion, "--api-version")
        layer.edition = flag(edition, "--edition")
        layer.apiURL = flag(apiURL, "--api-url")
        layer.credentialsFile = flag(credentialsFile, "--credentials")
        layer.stateDirectory = flag(stateDirectory, "--state")
        return layer
    }

    /// Flags over the environment over zrules.yaml over the credentials file over defaults.
    func resolve(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        readsCredentialVariables: Bool = true
    ) throws -> ResolvedConfiguration {
        var builder = ConfigurationBuilder(
            flags: layer,
            environment: env,
            projectFile: try ProjectSettings.load(configPath: config)
                .configurationLayer(file: config ?? ProjectSettings.defaultPath),
            defaultStateDirectory: nil
        )
        builder.readsCredentialVariables = readsCredentialVariables
        return try builder.resolve()
    }
}

extension ZRules {
    /// `zrules auth`: connect zrules to a Zoho org and check the connection.
    struct Auth: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect zrules to a Zoho CRM org (OAuth) and check the connection.",
            subcommands: [Login.self, Status.self]
        )
    }
}

extension ZRules.Auth {
    /// `zrules auth login`: exchanges a Self Client grant code for a refresh token and stores it.
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exchange a Self Client grant code for a refresh token and store it in a 0600 credentials file.",
            discussion: """
                Generate the code in the Zoho API Console (Self Client → Generate Code) with the scopes of \
                `zrules scopes`, then run this within the code's validity. The client secret is read from \
                ZOHO_CLIENT_SECRET or, with --client-secret-stdin, from the first line of standard input; it is \
                never taken as a flag, so it stays out of shell history and process lists.
                """
        )

        @OptionGroup var connection: ZohoConnectionOptions

        @Option(name: .customLong("code"), help: "The grant code from the Self Client.")
        var grantCode: String

        @Option(name: .customLong("client-id"), help: "The Self Client's client id (default: ZOHO_CLIENT_ID).")
        var clientID: String?

        @Flag(name: .customLong("client-secret-stdin"), help: "Read the client secret from standard input.")
        var clientSecretFromStdin = false

        func validate() throws {
            let env = ProcessInfo.processInfo.environment
            if (clientID ?? env["ZOHO_CLIENT_ID"] ?? "").isEmpty {
                throw ValidationError("give --client-id or set ZOHO_CLIENT_ID")
            }
            if !clientSecretFromStdin && (env["ZOHO_CLIENT_SECRET"] ?? "").isEmpty {
                throw ValidationError("set ZOHO_CLIENT_SECRET or pass --client-secret-stdin")
            }
        }

        func run() async throws {
            let env = ProcessInfo.processInfo.environment
            let clientID = clientID ?? env["ZOHO_CLIENT_ID"] ?? ""
            let secret = clientSecretFromStdin ? readLine(strippingNewline: true) : env["ZOHO_CLIENT_SECRET"]
            guard let secret, !secret.isEmpty else {
                throw ValidationError("set ZOHO_CLIENT_SECRET or pass --client-secret-stdin")
            }
            let resolved = try connection.resolve(env, readsCredentialVariables: false)
            let file = resolved.credentialsFile ?? ZohoCredentials.defaultFile(environment: env)
            let login = ZohoLogin(configuration: resolved.configuration, file: file)
            let outcome = try await ZohoHTTPClient.with { http in
                try await login.run(
                    grantCode: grantCode,
                    clientID: clientID,
                    clientSecret: secret,
                    httpClient: http,
                    logger: Logger(label: "zrules.auth")
                )
            }
            print("stored the refresh token in \(outcome.file.path) (mode 600)")
            print("data centre:   \(outcome.dataCenter.rawValue) (from \(resolved.sources[.dataCenter] ?? .default))")
            print("API domain:    \(outcome.apiDomain.absoluteString)")
            if let scope = outcome.scope { print("scopes:        \(scope)") }
        }
    }

    /// `zrules auth status`: which org the credentials reach and until when the access token is valid.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the data centre, API domain and token expiry; never the token.",
            discussion:
                "Obtains an access token (from the state directory's cache when valid). Exit 0 when Zoho accepts the credentials, 1 otherwise."
        )

        @OptionGroup var connection: ZohoConnectionOptions

        func run() async throws {
            let env = ProcessInfo.processInfo.environment
            let resolved = try connection.resolve(env)
            let configuration = resolved.configuration
            let credentials = try resolved.requireCredentials()
            let token = try await ZohoHTTPClient.with { http in
                let client = try ZohoClient(
                    configuration: configuration,
                    credentials: credentials,
                    sharing: http,
                    logger: Logger(label: "zrules.auth")
                )
                return try await client.tokens.token()
            }
            let minutes = Int(token.expiresAt.timeIntervalSinceNow / 60)
            print("data centre:    \(configuration.dataCenter.rawValue)")
            print("environment:    \(configuration.environment.rawValue)")
            print("API version:    \(configuration.apiVersion.rawValue)")
            print("token endpoint: \(configuration.tokenURL.absoluteString)")
            print("API domain:     \(token.apiDomain.absoluteString)")
            print("token expires:  \(ISO8601DateFormatter().string(from: token.expiresAt)) (in \(minutes) min)")
            print("client id:      \(credentials.clientID)")
            print("credentials:    \(resolved.credentialsDescription)")
        }
    }
}
