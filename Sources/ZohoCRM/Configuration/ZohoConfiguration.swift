public import Foundation

/// Which Zoho org to talk to and how: data centre, environment, API version, edition limits, timeouts.
///
/// A plain value with a memberwise initialiser, so project configuration (`zrules.yaml`) can build one.
/// `apiURL` points the client at a local emulator; it must be a loopback address, and any other non-Zoho host
/// is refused, so a typo cannot send an org's tokens somewhere else.
public struct ZohoConfiguration: Sendable, Hashable {
    /// A Zoho data centre; each has its own accounts server and API domain.
    public enum DataCenter: String, Sendable, Hashable, CaseIterable {
        case us, eu, `in`, au, jp, ca, sa, cn

        /// The accounts server that issues tokens (Canada uses zohocloud.ca, not zoho.ca).
        public var accountsURL: URL {
            let host: String
            switch self {
            case .us: host = "accounts.zoho.com"
            case .eu: host = "accounts.zoho.eu"
            case .in: host = "accounts.zoho.in"
            case .au: host = "accounts.zoho.com.au"
            case .jp: host = "accounts.zoho.jp"
            case .ca: host = "accounts.zohocloud.ca"
            case .sa: host = "accounts.zoho.sa"
            case .cn: host = "accounts.zoho.com.cn"
            }
            return httpsURL(host: host)
        }

        /// The domain suffix of this data centre's API hosts, e.g. `zohoapis.com.au`.
        public var apiDomainSuffix: String {
            switch self {
            case .us: "zohoapis.com"
            case .eu: "zohoapis.eu"
            case .in: "zohoapis.in"
            case .au: "zohoapis.com.au"
            case .jp: "zohoapis.jp"
            case .ca: "zohoapis.ca"
            case .sa: "zohoapis.sa"
            case .cn: "zohoapis.com.cn"
            }
        }
    }

    /// Production org, or one of Zoho's sandbox or developer orgs (their own API hosts, the same accounts server).
    public enum Environment: String, Sendable, Hashable, CaseIterable {
        case production, sandbox, developer

        /// The first label of the API host: `www`, `sandbox` or `developer`.
        var hostPrefix: String {
            switch self {
            case .production: "www"
            case .sandbox: "sandbox"
            case .developer: "developer"
            }
        }
    }

    /// The CRM API version in request paths.
    public enum APIVersion: String, Sendable, Hashable, CaseIterable {
        case v7, v8
    }

    /// The org's Zoho CRM edition; it sets the concurrency limit.
    public enum Edition: String, Sendable, Hashable, CaseIterable {
        case free, standard, professional, enterprise, ultimate

        /// Simultaneous in-flight calls Zoho allows (Kaizen #35).
        public var concurrencyLimit: Int {
            switch self {
            case .free: 5
            case .standard: 10
            case .professional: 15
            case .enterprise: 20
            case .ultimate: 25
            }
        }

        /// Simultaneous in-flight calls to the complex APIs, in every edition.
        public static let complexConcurrencyLimit = 10
    }

    /// Time limits for single calls.
    public struct Timeouts: Sendable, Hashable {
        /// Connection set-up.
        public var connect: Duration
        /// A whole CRM call, from sending to the last byte of the response.
        public var request: Duration
        /// A call to the token endpoint.
        public var token: Duration

        /// Timeouts with defaults that suit Zoho's slowest documented calls.
        public init(connect: Duration = .seconds(10), request: Duration = .seconds(60), token: Duration = .seconds(30))
        {
            self.connect = connect
            self.request = request
            self.token = token
        }
    }

    /// The data centre.
    public var dataCenter: DataCenter
    /// Production, sandbox or developer org.
    public var environment: Environment
    /// `v7` (default) or `v8`.
    public var apiVersion: APIVersion
    /// The edition, for the concurrency limit.
    public var edition: Edition
    /// A loopback base URL (the emulator) that replaces both the accounts server and the API domain.
    public var apiURL: URL?
    /// Call timeouts.
    public var timeouts: Timeouts
    /// Retries for reads.
    public var retryPolicy: RetryPolicy
    /// Where the access token may be cached (mode 0600); nil keeps it in memory only.
    public var tokenCacheFile: URL?
    /// Overrides the edition's limit when set lower (for shared API budgets); never raises it.
    public var maxConcurrency: Int?

    /// A configuration; everything but the data centre has Zoho's defaults.
    public init(
        dataCenter: DataCenter = .us,
        environment: Environment = .production,
        apiVersion: APIVersion = .v7,
        edition: Edition = .standard,
        apiURL: URL? = nil,
        timeouts: Timeouts = Timeouts(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        tokenCacheFile: URL? = nil,
        maxConcurrency: Int? = nil
    ) {
        self.dataCenter = dataCenter
        self.environment = environment
        self.apiVersion = apiVersion
        self.edition = edition
        self.apiURL = apiURL
        self.timeouts = timeouts
        self.retryPolicy = retryPolicy
        self.tokenCacheFile = tokenCacheFile
        self.maxConcurrency = maxConcurrency
    }

    /// In-flight calls allowed at once.
    public var concurrencyLimit: Int {
        min(edition.concurrencyLimit, max(1, maxConcurrency ?? edition.concurrencyLimit))
    }

    /// In-flight calls to complex APIs allowed at once.
    public var complexConcurrencyLimit: Int {
        min(Edition.complexConcurrencyLimit, concurrencyLimit)
    }

    /// The token endpoint: the data centre's accounts server, or `{apiURL}/oauth/v2/token`.
    public var tokenURL: URL {
        (apiURL ?? dataCenter.accountsURL).appendingPathComponent("oauth/v2/token")
    }

    /// The API domain to use before a token response names one.
    public var defaultAPIDomain: URL {
        if let apiURL { return apiURL }
        return httpsURL(host: "\(environment.hostPrefix).\(dataCenter.apiDomainSuffix)")
    }

    /// Checks the configuration: a set `apiURL` must be http(s) on a loopback host.
    public func validate() throws(ZohoError) {
        if let apiURL {
            guard let scheme = apiURL.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                throw Self.refusal("api_url must be an http:// or https:// URL")
            }
            guard let host = apiURL.host, Self.isLoopback(host: host) else {
                throw Self.refusal(
                    "api_url must be a loopback address (127.0.0.0/8, ::1 or localhost); "
                        + "other hosts are refused so tokens only ever go to Zoho or a local emulator"
                )
            }
            guard apiURL.user == nil, apiURL.password == nil else {
                throw Self.refusal("api_url must not carry user information")
            }
        }
        if let maxConcurrency, maxConcurrency < 1 {
            throw Self.refusal("max concurrency must be at least 1")
        }
    }

    /// Resolves the CRM base URL from a token response's `api_domain`, refusing hosts that are not this
    /// data centre's Zoho API hosts (or loopback, with `apiURL`).
    func resolveAPIDomain(_ reported: String?) throws(ZohoError) -> URL {
        guard let reported, !reported.isEmpty else { return defaultAPIDomain }
        guard let url = URL(string: reported), let host = url.host?.lowercased(), let scheme = url.scheme?.lowercased()
        else {
            throw ZohoError(
                code: .authentication,
                operation: "POST /oauth/v2/token",
                message: "the token response's api_domain is not a URL"
            )
        }
        if apiURL != nil {
            guard Self.isLoopback(host: host), scheme == "http" || scheme == "https" else {
                throw ZohoError(
                    code: .authentication,
                    operation: "POST /oauth/v2/token",
                    message: "the emulator's token response named a non-loopback api_domain; refused"
                )
            }
            return url
        }
        let suffix = dataCenter.apiDomainSuffix
        guard scheme == "https", host == suffix || host.hasSuffix("." + suffix) else {
            throw ZohoError(
                code: .authentication,
                operation: "POST /oauth/v2/token",
                message:
                    "the token response's api_domain is not a \(suffix) host of data centre \(dataCenter.rawValue); refused"
            )
        }
        // The token endpoint reports the production host; sandbox and developer orgs have their own.
        if environment != .production, host.hasPrefix("www.") {
            return httpsURL(host: "\(environment.hostPrefix).\(host.dropFirst(4))")
        }
        return url
    }

    /// True for `localhost`, 127.0.0.0/8 and ::1.
    public static func isLoopback(host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        let numbers = octets.compactMap { part -> Int? in
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber) else {
                return nil
            }
            return Int(part).flatMap { $0 <= 255 ? $0 : nil }
        }
        return numbers.count == 4 && numbers[0] == 127
    }

    private static func refusal(_ message: String) -> ZohoError {
        ZohoError(code: .configuration, operation: "configuration", message: message)
    }
}

extension ZohoConfiguration {
    /// The environment variables read by `fromEnvironment`.
    public enum EnvironmentKey {
        /// A loopback base URL for the emulator.
        public static let apiURL = "ZRULES_API_URL"
        /// Data centre: us, eu, in, au, jp, ca, sa, cn.
        public static let dataCenter = "ZOHO_DC"
        /// production, sandbox or developer.
        public static let environment = "ZOHO_ENVIRONMENT"
        /// v7 or v8.
        public static let apiVersion = "ZOHO_API_VERSION"
        /// free, standard, professional, enterprise, ultimate.
        public static let edition = "ZOHO_EDITION"
    }

    /// Applies `ZRULES_API_URL`, `ZOHO_DC`, `ZOHO_ENVIRONMENT`, `ZOHO_API_VERSION` and `ZOHO_EDITION` over `self`.
    public func applying(environment env: [String: String]) throws(ZohoError) -> ZohoConfiguration {
        var c = self
        if let v = Self.nonEmpty(env[EnvironmentKey.apiURL]) {
            guard let url = URL(string: v) else { throw Self.refusal("\(EnvironmentKey.apiURL) is not a URL") }
            c.apiURL = url
        }
        if let v = Self.nonEmpty(env[EnvironmentKey.dataCenter]) {
            c.dataCenter = try Self.parse(v, EnvironmentKey.dataCenter)
        }
        if let v = Self.nonEmpty(env[EnvironmentKey.environment]) {
            c.environment = try Self.parse(v, EnvironmentKey.environment)
        }
        if let v = Self.nonEmpty(env[EnvironmentKey.apiVersion]) {
            c.apiVersion = try Self.parse(v, EnvironmentKey.apiVersion)
        }
        if let v = Self.nonEmpty(env[EnvironmentKey.edition]) { c.edition = try Self.parse(v, EnvironmentKey.edition) }
        try c.validate()
        return c
    }

    /// Parses one of the enums from its lower-case name, naming the accepted values on failure.
    public static func parse<T: RawRepresentable & CaseIterable>(_ text: String, _ what: String) throws(ZohoError) -> T
    where T.RawValue == String {
        if let value = T(rawValue: text.lowercased()) { return value }
        let known = T.allCases.map(\.rawValue).joined(separator: ", ")
        throw refusal("\(what) must be one of \(known); found '\(text)'")
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return s.trimmingCharacters(in: .whitespaces)
    }
}

/// An https URL for a host name we built from constants; such a string always parses.
private func httpsURL(host: String) -> URL {
    var components = URLComponents()
    components.scheme = "https"
    components.host = host
    guard let url = components.url else { preconditionFailure("a constant host name must form a URL") }
    return url
}
