public import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// An access token and the API domain it is valid for; `description` never shows the token.
public struct AccessToken: Sendable, Hashable, CustomStringConvertible {
    /// The bearer value; internal so it cannot be printed or logged by accident.
    let value: String
    /// The CRM base URL the token response named (validated against the data centre).
    public let apiDomain: URL
    /// When the token stops working.
    public let expiresAt: Date
    /// When it was requested; with `expiresAt` it gives the token's life, which sets how early it is renewed.
    public let issuedAt: Date?

    init(value: String, apiDomain: URL, expiresAt: Date, issuedAt: Date? = nil) {
        self.value = value
        self.apiDomain = apiDomain
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
    }

    /// Seconds from issue to expiry, when the issue time is known.
    public var lifetime: TimeInterval? { issuedAt.map { expiresAt.timeIntervalSince($0) } }

    /// API domain and expiry only.
    public var description: String {
        "AccessToken(apiDomain: \(apiDomain.absoluteString), expiresAt: \(expiresAt), value: <redacted>)"
    }
}

/// The result of a token request: an access token and, for a grant-code exchange, the refresh token.
public struct TokenGrant: Sendable, CustomStringConvertible {
    /// The access token.
    public let accessToken: AccessToken
    /// The refresh token, returned when a grant code is exchanged.
    public let refreshToken: String?
    /// The scopes granted, when Zoho reports them.
    public let scope: String?

    /// Never shows the tokens.
    public var description: String {
        "TokenGrant(\(accessToken), refreshToken: \(refreshToken == nil ? "none" : "<redacted>"))"
    }
}

/// Zoho's OAuth token endpoint for the configured data centre (or the emulator's, with a loopback `apiURL`).
public struct ZohoTokenEndpoint: Sendable {
    let configuration: ZohoConfiguration
    let httpClient: HTTPClient
    let clock: any ZohoClock
    let logger: Logger

    /// An endpoint client; the configuration is validated first.
    public init(
        configuration: ZohoConfiguration,
        httpClient: HTTPClient,
        clock: any ZohoClock = ZohoSystemClock(),
        logger: Logger
    ) throws(ZohoError) {
        try configuration.validate()
        self.configuration = configuration
        self.httpClient = httpClient
        self.clock = clock
        self.logger = logger
    }

    /// Exchanges a Self Client grant code (valid a few minutes) for a refresh token and a first access token.
    public func exchange(
        grantCode: String,
        clientID: String,
        clientSecret: String,
        redirectURI: String? = nil
    ) async throws(ZohoError) -> TokenGrant {
        var form = [
            ("grant_type", "authorization_code"), ("client_id", clientID), ("client_secret", clientSecret),
            ("code", grantCode),
        ]
        if let redirectURI { form.append(("redirect_uri", redirectURI)) }
        let grant = try await post(form, operation: "POST /oauth/v2/token (authorization_code)")
        guard grant.refreshToken != nil else {
            throw ZohoError(
                code: .authentication,
                operation: "POST /oauth/v2/token (authorization_code)",
                message: "the token endpoint returned no refresh token; generate a new grant code "
                    + "(Self Client codes are single-use and expire within minutes)"
            )
        }
        return grant
    }

    /// Uses the refresh token for a new access token.
    public func refresh(_ credentials: ZohoCredentials) async throws(ZohoError) -> TokenGrant {
        try await post(
            [
                ("grant_type", "refresh_token"), ("client_id", credentials.clientID),
                ("client_secret", credentials.clientSecret), ("refresh_token", credentials.refreshToken),
            ],
            operation: "POST /oauth/v2/token (refresh_token)"
        )
    }

    private func post(_ form: [(String, String)], operation: String) async throws(ZohoError) -> TokenGrant {
        var request = HTTPClientRequest(url: configuration.tokenURL.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        // Form body rather than query string: secrets in URLs end up in proxy and server logs.
        let body = form.map { "\(FormEncoding.encode($0.0))=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: body))
        let started = clock.now()
        let status: Int
        let data: Data
        do {
            let deadline = ContinuousClock.now + configuration.timeouts.token
            let response = try await httpClient.execute(
                request,
                timeout: .init(configuration.timeouts.token),
                logger: nil
            )
            status = Int(response.status.code)
            data = try await ZohoClient.collectBody(response, upTo: 1 << 20, deadline: deadline)
        } catch {
            throw ZohoError(
                code: .transport,
                operation: operation,
                message: "the token endpoint \(Self.hostAndPort(configuration.tokenURL)) could not be reached: "
                    + Self.reason(error),
                attempts: 1,
                underlying: error
            )
        }
        guard let json = try? ZohoJSON(data: data) else {
            throw ZohoError(
                code: .decoding,
                operation: operation,
                message: "the token endpoint's answer is not JSON",
                httpStatus: status,
                attempts: 1
            )
        }
        // Zoho reports token errors as {"error": "invalid_code"} (often with HTTP 200).
        if let error = json["error"].stringValue ?? json["code"].stringValue, json["access_token"].isNull {
            logger.debug(
                "token request refused",
                metadata: ["zoho.operation": "\(operation)", "zoho.code": "\(error)"]
            )
            throw ZohoError(
                // Zoho's answer to an 11th refresh within 10 minutes: a window to wait out, not bad credentials.
                code: error.lowercased().replacingOccurrences(of: "_", with: " ") == "access denied"
                    ? .refreshLimited : .authentication,
                operation: operation,
                message: Self.explain(error),
                httpStatus: status,
                zohoCode: error,
                attempts: 1
            )
        }
        guard (200..<300).contains(status), let token = json["access_token"].stringValue, !token.isEmpty else {
            throw ZohoError(
                code: .authentication,
                operation: operation,
                message: "the token endpoint returned no access token",
                httpStatus: status,
                attempts: 1
            )
        }
        // `expires_in` is seconds; the legacy `expires_in_sec` wins when present (then `expires_in` is ms).
        let seconds = json["expires_in_sec"].intValue ?? json["expires_in"].intValue ?? 3600
        let apiDomain = try configuration.resolveAPIDomain(json["api_domain"].stringValue)
        logger.debug(
            "access token issued",
            metadata: ["zoho.api_domain": "\(apiDomain.absoluteString)", "zoho.expires_in": "\(seconds)"]
        )
        return TokenGrant(
            accessToken: AccessToken(
                value: token,
                apiDomain: apiDomain,
                expiresAt: started.addingTimeInterval(TimeInterval(seconds)),
                issuedAt: started
            ),
            refreshToken: json["refresh_token"].stringValue,
            scope: json["scope"].stringValue
        )
    }

    /// `https://accounts.zoho.eu (port 443)`: where the request went, as a person would look it up.
    static func hostAndPort(_ url: URL) -> String {
        let scheme = url.scheme ?? "https"
        let port = url.port ?? (scheme == "http" ? 80 : 443)
        return "\(scheme)://\(url.host ?? url.absoluteString) (port \(port))"
    }

    /// True when no connection could be made at all (refused, unresolvable, connect timeout), as opposed to a
    /// reachable endpoint that answered late: only the first is remembered for the rest of the run.
    static func isUnreachable(_ error: (any Error)?) -> Bool {
        switch error {
        case is NIOConnectionError, is IOError: return true
        case let error as HTTPClientError: return error == .connectTimeout || error == .getConnectionFromPoolTimeout
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        default: return false
        }
    }

    /// Why a connection failed, in words: `connection refused`, `the connection timed out`, not a NIO type name.
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.last { return reason(failure.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "the host name could not be resolved" }
            return "no address of the host answered"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout: return "the connection timed out"
            case .deadlineExceeded, .readTimeout: return "it did not answer in time"
            case .remoteConnectionClosed: return "it closed the connection without answering"
            default: return String(describing: error)
            }
        case let error as ChannelError:
            if case .connectTimeout = error { return "the connection timed out" }
            return String(describing: error)
        default:
            return String(describing: error)
        }
    }

    private static func explain(_ code: String) -> String {
        switch code {
        case "invalid_code":
            return "the grant code or refresh token was refused (expired, already used, or from another data centre)"
        case "invalid_client", "invalid_client_secret":
            return "the client id or secret was refused (check the data centre: clients are per data centre)"
        case "Access Denied", "access_denied":
            return "too many token requests; Zoho blocks a refresh token for the rest of a 10-minute window"
        default:
            return "the token endpoint refused the request"
        }
    }
}

/// `application/x-www-form-urlencoded` and query-string encoding: everything but RFC 3986 unreserved characters.
enum FormEncoding {
    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    static func encode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

extension TimeAmount {
    /// A NIO time amount from a Swift duration.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
