public import Foundation
public import Logging

/// Hands out the current access token to every concurrent caller and refreshes it when needed.
///
/// One refresh at a time: callers that arrive during a refresh wait for the same result. Zoho blocks a refresh
/// token that is used more than 10 times in 10 minutes, so the provider refuses an 11th refresh in that window
/// rather than get the org's token blocked. The token may be cached on disk (mode 0600) so that consecutive
/// runs reuse it instead of spending refreshes.
public actor AccessTokenProvider {
    /// Zoho's limit: refreshes per refresh token per window.
    public static let maxRefreshesPerWindow = 10
    /// Zoho's window for that limit.
    public static let refreshWindow: TimeInterval = 600
    /// A token this close to expiry is refreshed before use.
    static let expiryMargin: TimeInterval = 60

    private let endpoint: ZohoTokenEndpoint
    private let credentials: ZohoCredentials
    private let cacheFile: URL?
    private let clock: any ZohoClock
    private let logger: Logger
    private var current: AccessToken?
    private var refreshing: Task<AccessToken, any Error>?
    private var refreshTimes: [Date] = []
    private var triedDiskCache = false

    /// A provider; `cacheFile` (optional) keeps the token between runs.
    public init(
        endpoint: ZohoTokenEndpoint,
        credentials: ZohoCredentials,
        cacheFile: URL?,
        clock: any ZohoClock,
        logger: Logger
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.cacheFile = cacheFile
        self.clock = clock
        self.logger = logger
    }

    /// Refreshes made in the current 10-minute window.
    public var refreshesInWindow: Int {
        let now = clock.now()
        return refreshTimes.filter { now.timeIntervalSince($0) < Self.refreshWindow }.count
    }

    /// The token's expiry and API domain, without the token; nil before the first token.
    public var currentToken: AccessToken? { current }

    /// A valid token: the cached one, or a fresh one shared with every concurrent caller.
    public func token() async throws -> AccessToken {
        if let current, current.expiresAt.timeIntervalSince(clock.now()) > Self.expiryMargin { return current }
        if !triedDiskCache {
            triedDiskCache = true
            if let cached = readCache(), cached.expiresAt.timeIntervalSince(clock.now()) > Self.expiryMargin {
                current = cached
                return cached
            }
        }
        if let refreshing { return try await refreshing.value }
        let task = Task { try await self.performRefresh() }
        refreshing = task
        defer { refreshing = nil }
        return try await task.value
    }

    /// Drops `stale` after Zoho answered INVALID_TOKEN for it; a newer token is kept.
    public func invalidate(_ stale: AccessToken) {
        if current == stale { current = nil }
    }

    private func performRefresh() async throws -> AccessToken {
        let now = clock.now()
        refreshTimes.removeAll { now.timeIntervalSince($0) >= Self.refreshWindow }
        guard refreshTimes.count < Self.maxRefreshesPerWindow else {
            throw ZohoError(
                code: .authentication,
                operation: "POST /oauth/v2/token (refresh_token)",
                message: "refusing an 11th access-token refresh within 10 minutes; Zoho would block the refresh "
                    + "token for the rest of the window"
            )
        }
        refreshTimes.append(now)
        let grant = try await endpoint.refresh(credentials)
        current = grant.accessToken
        logger.debug("access token refreshed", metadata: ["zoho.refreshes_in_window": "\(refreshTimes.count)"])
        writeCache(grant.accessToken)
        return grant.accessToken
    }

    // MARK: - Disk cache

    /// Ties a cached token to the credentials and host it came from, so a token of one org is never used for
    /// another after the credentials change. A fingerprint, not the secret itself.
    private var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let material =
            credentials.clientID + "\u{0}" + credentials.refreshToken + "\u{0}"
            + endpoint.configuration.tokenURL.absoluteString + "\u{0}"
            + endpoint.configuration.environment.rawValue
        for byte in material.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    private func readCache() -> AccessToken? {
        guard let cacheFile, FileManager.default.fileExists(atPath: cacheFile.path) else { return nil }
        do {
            try PrivateFile.checkPrivate(cacheFile, what: "token cache")
        } catch {
            logger.warning("ignoring the token cache: \(error.message)")
            return nil
        }
        guard let data = try? Data(contentsOf: cacheFile), let json = try? ZohoJSON(data: data),
            json["fingerprint"].stringValue == fingerprint, let value = json["access_token"].stringValue,
            let expires = json["expires_at"].doubleValue, let domain = json["api_domain"].stringValue,
            let apiDomain = try? endpoint.configuration.resolveAPIDomain(domain)
        else { return nil }
        return AccessToken(value: value, apiDomain: apiDomain, expiresAt: Date(timeIntervalSince1970: expires))
    }

    private func writeCache(_ token: AccessToken) {
        guard let cacheFile else { return }
        let json: ZohoJSON = [
            "access_token": .string(token.value),
            "api_domain": .string(token.apiDomain.absoluteString),
            "expires_at": .double(token.expiresAt.timeIntervalSince1970),
            "fingerprint": .string(fingerprint),
        ]
        do {
            if FileManager.default.fileExists(atPath: cacheFile.path) {
                try PrivateFile.checkPrivate(cacheFile, what: "token cache")
            }
            try PrivateFile.write(try json.encoded(), to: cacheFile, what: "token cache")
        } catch {
            logger.warning("could not write the token cache", metadata: ["zoho.cache": "\(cacheFile.path)"])
        }
    }
}
