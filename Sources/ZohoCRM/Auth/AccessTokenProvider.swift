public import Foundation
public import Logging

/// Hands out the current access token to every concurrent caller and refreshes it when needed.
///
/// One refresh at a time: callers that arrive during a refresh wait for the same result. Zoho blocks a refresh
/// token that is used more than 10 times in 10 minutes, so the provider never makes an 11th refresh in that
/// window: it waits briefly for the window to free a slot, or reports `ZohoError.Code.refreshLimited` (transient).
/// The token and the times of recent refreshes may be cached on disk (mode 0600), so that other clients and later
/// runs with the same credentials reuse the token and count against the same window. A token endpoint that could
/// not be reached is tried once: the provider (one per client, so one per plan, run or daemon tick) keeps that
/// error and answers it at once to every later caller, so the rules after the first fail in no time instead of
/// each waiting out the connection timeout again.
public actor AccessTokenProvider {
    /// Zoho's limit: refreshes per refresh token per window.
    public static let maxRefreshesPerWindow = 10
    /// Zoho's window for that limit.
    public static let refreshWindow: TimeInterval = 600
    /// The longest margin before expiry at which a token is renewed early.
    static let maximumExpiryMargin: TimeInterval = 60
    /// The share of a token's life kept as margin, when that is less than `maximumExpiryMargin`.
    static let expiryMarginShare = 0.1
    /// How long a caller waits for the refresh window to free a slot before the refusal is reported.
    static let maximumWindowWait: TimeInterval = 60

    private let endpoint: ZohoTokenEndpoint
    private let credentials: ZohoCredentials
    private let cacheFile: URL?
    private let clock: any ZohoClock
    private let logger: Logger
    private var current: AccessToken?
    private var refreshing: Task<AccessToken, any Error>?
    private var refreshTimes: [Date] = []
    /// The token Zoho last refused: the disk cache may still hold it and must not bring it back.
    private var rejected: String?
    /// Why the token endpoint could not be reached, once it could not: answered to every later caller.
    private var unreachable: ZohoError?

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

    /// Refreshes made in the current 10-minute window (by this provider, or recorded in the shared cache file).
    public var refreshesInWindow: Int {
        pruneWindow()
        return refreshTimes.count
    }

    /// The token's expiry and API domain, without the token; nil before the first token.
    public var currentToken: AccessToken? { current }

    /// How long before expiry a token is renewed: min(60 s, 10 % of its life).
    ///
    /// 60 s (the old fixed margin) is ample for clock skew and transit with Zoho's one-hour tokens, and stays so.
    /// A fixed 60 s on a token that lives 60 s (the emulator's `token_ttl` fault, short-lived proxy tokens) made
    /// every call refresh, and the 11th refresh blocked the refresh token; 10 % keeps a token in use for 90 % of
    /// its life. A token whose issue time is unknown (an old cache file) gets the 60 s.
    static func expiryMargin(for token: AccessToken) -> TimeInterval {
        guard let lifetime = token.lifetime, lifetime > 0 else { return maximumExpiryMargin }
        return min(maximumExpiryMargin, lifetime * expiryMarginShare)
    }

    /// A valid token: the cached one, or a fresh one shared with every concurrent caller.
    ///
    /// - Throws: `ZohoError.Code.transport` at once, without a new attempt, when an earlier refresh of this
    ///   provider found the token endpoint unreachable.
    public func token() async throws -> AccessToken {
        if let current, remaining(current) > Self.expiryMargin(for: current) { return current }
        if let refreshing { return try await refreshing.value }
        if let unreachable { throw unreachable }
        // Another client or an earlier run with the same credentials may have refreshed already.
        if let cached = readCache(), cached.value != rejected, remaining(cached) > Self.expiryMargin(for: cached) {
            current = cached
            return cached
        }
        if let current, remaining(current) > 0, !mayRenewEarly(current) { return current }
        let task = Task { try await self.performRefresh() }
        refreshing = task
        defer { refreshing = nil }
        return try await task.value
    }

    /// Drops `stale` after Zoho answered INVALID_TOKEN for it; a newer token is kept.
    public func invalidate(_ stale: AccessToken) {
        if current == stale { current = nil }
        rejected = stale.value
    }

    private func remaining(_ token: AccessToken) -> TimeInterval { token.expiresAt.timeIntervalSince(clock.now()) }

    /// Renewing a still-valid token early spends a refresh; only do it while the window keeps room for the
    /// refreshes that expiry itself will need in the next 10 minutes (one per lifetime). A token that lives a
    /// minute therefore serves to its end: ten of them fill the window exactly, and an early one would leave a gap.
    private func mayRenewEarly(_ token: AccessToken) -> Bool {
        let lifetime = max(1, token.lifetime ?? 3600)
        let neededByExpiry = Int((Self.refreshWindow / lifetime).rounded(.up))
        return refreshesInWindow + neededByExpiry < Self.maxRefreshesPerWindow
    }

    private func pruneWindow() {
        let now = clock.now()
        refreshTimes.removeAll { now.timeIntervalSince($0) >= Self.refreshWindow }
    }

    private func performRefresh() async throws -> AccessToken {
        try await waitForWindow()
        refreshTimes.append(clock.now())
        let grant: TokenGrant
        switch await refreshResult() {
        case .success(let value):
            grant = value
        case .failure(let error) where error.code == .refreshLimited:
            // Zoho counts refreshes we cannot see (another machine with the same refresh token): wait it out.
            throw Self.refreshLimited(
                "Zoho refused an access-token refresh (Access Denied): the refresh token was used 10 times "
                    + "within 10 minutes, possibly elsewhere. Nothing was sent; retry once the window has passed.",
                cause: error
            )
        case .failure(let error) where error.code == .transport && ZohoTokenEndpoint.isUnreachable(error.underlying):
            unreachable = error
            logger.warning(
                "\(error.message); later calls of this client get the same answer without trying again",
                metadata: ["zoho.operation": "\(error.operation)"]
            )
            throw error
        case .failure(let error):
            throw error
        }
        current = grant.accessToken
        logger.debug("access token refreshed", metadata: ["zoho.refreshes_in_window": "\(refreshTimes.count)"])
        writeCache(grant.accessToken)
        return grant.accessToken
    }

    private func refreshResult() async -> Result<TokenGrant, ZohoError> {
        do {
            return .success(try await endpoint.refresh(credentials))
        } catch {
            return .failure(error)
        }
    }

    /// Sleeps (on the injected clock) until the window frees a slot, when that is within `maximumWindowWait`.
    private func waitForWindow() async throws {
        pruneWindow()
        guard refreshTimes.count >= Self.maxRefreshesPerWindow, let oldest = refreshTimes.min() else { return }
        let wait = oldest.addingTimeInterval(Self.refreshWindow).timeIntervalSince(clock.now())
        guard wait <= Self.maximumWindowWait else {
            throw Self.refreshLimited(
                "Zoho allows 10 access-token refreshes per refresh token within 10 minutes and they are spent; "
                    + "an 11th would get the refresh token blocked, so none was made. Nothing was sent; the next "
                    + "refresh is possible in \(Int(wait.rounded(.up))) s.",
                cause: nil
            )
        }
        logger.debug("waiting for the token refresh window", metadata: ["zoho.wait_s": "\(Int(wait.rounded(.up)))"])
        try await clock.sleep(for: .milliseconds(Int64((max(0, wait) * 1000).rounded(.up))))
        pruneWindow()
    }

    private static func refreshLimited(_ message: String, cause: ZohoError?) -> ZohoError {
        ZohoError(
            code: .refreshLimited,
            operation: "POST /oauth/v2/token (refresh_token)",
            message: message,
            httpStatus: cause?.httpStatus,
            zohoCode: cause?.zohoCode,
            underlying: cause,
            delivery: .notSent
        )
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

    /// The cached token, if it belongs to these credentials; also merges the refresh times recorded there.
    private func readCache() -> AccessToken? {
        guard let cacheFile, FileManager.default.fileExists(atPath: cacheFile.path) else { return nil }
        do {
            try PrivateFile.checkPrivate(cacheFile, what: "token cache")
        } catch {
            logger.warning("ignoring the token cache: \(error.message)")
            return nil
        }
        guard let data = try? Data(contentsOf: cacheFile), let json = try? ZohoJSON(data: data),
            json["fingerprint"].stringValue == fingerprint
        else { return nil }
        let recorded = (json["refreshes"].arrayValue ?? []).compactMap(\.doubleValue).map(
            Date.init(timeIntervalSince1970:)
        )
        mergeRefreshTimes(recorded)
        guard let value = json["access_token"].stringValue, let expires = json["expires_at"].doubleValue,
            let domain = json["api_domain"].stringValue,
            let apiDomain = try? endpoint.configuration.resolveAPIDomain(domain)
        else { return nil }
        return AccessToken(
            value: value,
            apiDomain: apiDomain,
            expiresAt: Date(timeIntervalSince1970: expires),
            issuedAt: json["issued_at"].doubleValue.map(Date.init(timeIntervalSince1970:))
        )
    }

    /// Both lists may hold the same refreshes (this provider wrote the file) and several at one instant: keep each
    /// instant as often as the list that has it most often.
    private func mergeRefreshTimes(_ recorded: [Date]) {
        var counts: [Date: Int] = [:]
        for time in refreshTimes { counts[time, default: 0] += 1 }
        var fileCounts: [Date: Int] = [:]
        for time in recorded { fileCounts[time, default: 0] += 1 }
        counts.merge(fileCounts) { max($0, $1) }
        refreshTimes = counts.flatMap { Array(repeating: $0.key, count: $0.value) }.sorted()
        pruneWindow()
    }

    private func writeCache(_ token: AccessToken) {
        guard let cacheFile else { return }
        var json: [String: ZohoJSON] = [
            "access_token": .string(token.value),
            "api_domain": .string(token.apiDomain.absoluteString),
            "expires_at": .double(token.expiresAt.timeIntervalSince1970),
            "fingerprint": .string(fingerprint),
            "refreshes": .array(refreshTimes.map { .double($0.timeIntervalSince1970) }),
        ]
        if let issuedAt = token.issuedAt { json["issued_at"] = .double(issuedAt.timeIntervalSince1970) }
        do {
            if FileManager.default.fileExists(atPath: cacheFile.path) {
                try PrivateFile.checkPrivate(cacheFile, what: "token cache")
            }
            try PrivateFile.write(try ZohoJSON.object(json).encoded(), to: cacheFile, what: "token cache")
        } catch {
            logger.warning("could not write the token cache", metadata: ["zoho.cache": "\(cacheFile.path)"])
        }
    }
}
