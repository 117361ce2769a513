internal import AsyncHTTPClient
public import Foundation
public import Logging

/// `zrules auth login` as a library call: exchange a Self Client grant code and store the refresh token.
public struct ZohoLogin: Sendable {
    /// What a login stored and learnt.
    public struct Outcome: Sendable {
        /// The credentials file written (mode 0600).
        public var file: URL
        /// The data centre recorded in it.
        public var dataCenter: ZohoConfiguration.DataCenter
        /// The API domain Zoho named for the org.
        public var apiDomain: URL
        /// The scopes granted, when Zoho reports them.
        public var scope: String?
    }

    /// The configuration to log in with (its data centre is the one the grant code belongs to).
    public var configuration: ZohoConfiguration
    /// The credentials file to write.
    public var file: URL

    /// A login against `configuration`, storing into `file`.
    public init(configuration: ZohoConfiguration, file: URL) {
        self.configuration = configuration
        self.file = file
    }

    /// Exchanges the grant code and writes the credentials file.
    ///
    /// The file is checked before the exchange: a grant code works once, and must not be spent on credentials
    /// that could not be stored.
    public func run(
        grantCode: String,
        clientID: String,
        clientSecret: String,
        httpClient: ZohoHTTPClient,
        logger: Logger
    ) async throws(ZohoError) -> Outcome {
        try ZohoCredentials.checkWritable(file)
        let endpoint = try ZohoTokenEndpoint(configuration: configuration, httpClient: httpClient.http, logger: logger)
        let grant = try await endpoint.exchange(grantCode: grantCode, clientID: clientID, clientSecret: clientSecret)
        guard let refreshToken = grant.refreshToken, !refreshToken.isEmpty else {
            throw ZohoError(
                code: .authentication,
                operation: "POST /oauth/v2/token (authorization_code)",
                message: "\(configuration.tokenURL.host ?? "the token endpoint") returned no refresh token; "
                    + "generate a new code (a code can be exchanged once)"
            )
        }
        let credentials = ZohoCredentials(
            clientID: clientID,
            clientSecret: clientSecret,
            refreshToken: refreshToken,
            dataCenter: configuration.dataCenter
        )
        try credentials.write(to: file)
        return Outcome(
            file: file,
            dataCenter: configuration.dataCenter,
            apiDomain: grant.accessToken.apiDomain,
            scope: grant.scope
        )
    }
}
