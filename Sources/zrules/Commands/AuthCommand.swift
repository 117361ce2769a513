import ArgumentParser
import Foundation
import Logging
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
            "free, standard, professional, enterprise or ultimate; sets the concurrency limit (default: ZOHO_EDITION, else standard)."
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

    /// The credentials file this invocation uses.
    func credentialsURL(_ env: [String: String]) -> URL {
        credentialsFile.map { URL(fileURLWithPath: $0) } ?? ZohoCredentials.defaultFile(environment: env)
    }

    /// Flags over environment variables over the data centre recorded in the credentials file over defaults.
    func configuration(
        _ env: [String: String],
        recordedDataCenter: ZohoConfiguration.DataCenter?
    ) throws -> ZohoConfiguration {
        var c = ZohoConfiguration(dataCenter: recordedDataCenter ?? .us)
        c = try c.applying(environment: env)
        if let dataCenter { c.dataCenter = try ZohoConfiguration.parse(dataCenter, "--dc") }
        if let environment { c.environment = try ZohoConfiguration.parse(environment, "--environment") }
        if let apiVersion { c.apiVersion = try ZohoConfiguration.parse(apiVersion, "--api-version") }
        if let edition { c.edition = try ZohoConfiguration.parse(edition, "--edition") }
        if let apiURL {
            guard let url = URL(string: apiURL) else { throw ValidationError("--api-url is not a URL") }
            c.apiURL = url
        }
        if let stateDirectory {
            c.tokenCacheFile = URL(fileURLWithPath: stateDirectory).appendingPathComponent("zoho-token.json")
        }
        try c.validate()
        return c
    }

    /// Credentials (environment first, then the file) and the configuration that goes with them.
    func resolve(_ env: [String: String]) throws -> (ZohoConfiguration, ZohoCredentials, source: String) {
        let file = credentialsURL(env)
        let credentials: ZohoCredentials
        let source: String
        if credentialsFile == nil, let fromEnv = try ZohoCredentials.fromEnvironment(env) {
            credentials = fromEnv
            source = "environment (ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN)"
        } else {
            let loopback = try configuration(env, recordedDataCenter: nil).apiURL != nil
            credentials = try ZohoCredentials.resolve(environment: env, file: file, loopback: loopback)
            source =
                credentials == .emulatorPlaceholder
                ? "placeholder credentials for the loopback emulator" : "file \(file.path) (mode 600)"
        }
        return (try configuration(env, recordedDataCenter: credentials.dataCenter), credentials, source)
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
            if connection.dataCenter == nil && env["ZOHO_DC"] == nil {
                throw ValidationError("--dc is required: the grant code belongs to one data centre")
            }
            if (clientID ?? env["ZOHO_CLIENT_ID"] ?? "").isEmpty {
                throw ValidationError("give --client-id or set ZOHO_CLIENT_ID")
            }
            if !clientSecretFromStdin && (env["ZOHO_CLIENT_SECRET"] ?? "").isEmpty {
                throw ValidationError("set ZOHO_CLIENT_SECRET or pass --client-secret-stdin")
            }
        }

        func run() async throws {
            let env = ProcessInfo.processInfo.environment
            guard let clientID = clientID ?? env["ZOHO_CLIENT_ID"], !clientID.isEmpty else {
                throw ValidationError("give --client-id or set ZOHO_CLIENT_ID")
            }
            let secret = clientSecretFromStdin ? readLine(strippingNewline: true) : env["ZOHO_CLIENT_SECRET"]
            guard let secret, !secret.isEmpty else {
                throw ValidationError("set ZOHO_CLIENT_SECRET or pass --client-secret-stdin")
            }
            let configuration = try connection.configuration(env, recordedDataCenter: nil)
            let file = connection.credentialsURL(env)
            // Refuse before the exchange: a grant code works once, and must not be spent on unstorable credentials.
            try ZohoCredentials.checkWritable(file)
            let http = ZohoClient.makeHTTPClient(configuration)
            do {
                let endpoint = try ZohoTokenEndpoint(
                    configuration: configuration,
                    httpClient: http,
                    logger: Logger(label: "zrules.auth")
                )
                let grant = try await endpoint.exchange(grantCode: grantCode, clientID: clientID, clientSecret: secret)
                let credentials = ZohoCredentials(
                    clientID: clientID,
                    clientSecret: secret,
                    refreshToken: grant.refreshToken ?? "",
                    dataCenter: configuration.dataCenter
                )
                try credentials.write(to: file)
                try await http.shutdown()
                print("stored the refresh token in \(file.path) (mode 600)")
                print("data centre:   \(configuration.dataCenter.rawValue)")
                print("API domain:    \(grant.accessToken.apiDomain.absoluteString)")
                if let scope = grant.scope { print("scopes:        \(scope)") }
            } catch {
                try? await http.shutdown()
                throw error
            }
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
            let (configuration, credentials, source) = try connection.resolve(env)
            let client = try ZohoClient(
                configuration: configuration,
                credentials: credentials,
                logger: Logger(label: "zrules.auth")
            )
            do {
                let token = try await client.tokens.token()
                try await client.shutdown()
                let minutes = Int(token.expiresAt.timeIntervalSinceNow / 60)
                print("data centre:    \(configuration.dataCenter.rawValue)")
                print("environment:    \(configuration.environment.rawValue)")
                print("API version:    \(configuration.apiVersion.rawValue)")
                print("token endpoint: \(configuration.tokenURL.absoluteString)")
                print("API domain:     \(token.apiDomain.absoluteString)")
                print("token expires:  \(ISO8601DateFormatter().string(from: token.expiresAt)) (in \(minutes) min)")
                print("client id:      \(credentials.clientID)")
                print("credentials:    \(source)")
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }
}
