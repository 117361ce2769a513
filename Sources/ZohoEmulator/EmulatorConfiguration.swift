public import Foundation

/// How an emulator instance is set up: where it listens, what org it serves and how it misbehaves.
public struct EmulatorConfiguration: Sendable {
    /// The address to bind; loopback unless an admin deliberately widens it.
    public var host: String
    /// The port to bind; 0 picks a free one.
    public var port: Int
    /// The org the emulator serves.
    public var fixture: EmulatorFixture
    /// Faults injected into responses and jobs.
    public var faults: FaultConfiguration
    /// How long a mass-convert job stays in each of SCHEDULED and IN PROGRESS.
    public var jobStepDuration: Duration
    /// Lifetime of the access tokens the token endpoint issues (Zoho: one hour).
    public var tokenLifetime: Duration
    /// Replaces the edition's daily API credit budget when set.
    public var dailyCreditBudget: Int?
    /// How long a "timeout that still performs the write" fault holds the response back.
    public var writeTimeoutDelay: Duration
    /// The clock jobs, tokens and credits read; inject a manual one in tests.
    public var clock: EmulatorClock

    /// A configuration with Zoho's defaults and the given fixture.
    public init(
        fixture: EmulatorFixture = EmulatorFixture(),
        host: String = "127.0.0.1",
        port: Int = 0,
        faults: FaultConfiguration = FaultConfiguration(),
        jobStepDuration: Duration = .seconds(1),
        tokenLifetime: Duration = .seconds(3600),
        dailyCreditBudget: Int? = nil,
        writeTimeoutDelay: Duration = .seconds(5),
        clock: EmulatorClock = .system
    ) {
        self.host = host
        self.port = port
        self.fixture = fixture
        self.faults = faults
        self.jobStepDuration = jobStepDuration
        self.tokenLifetime = tokenLifetime
        self.dailyCreditBudget = dailyCreditBudget
        self.writeTimeoutDelay = writeTimeoutDelay
        self.clock = clock
    }
}

/// The wall clock the emulator reads, injectable so tests never wait for jobs or token expiry.
public struct EmulatorClock: Sendable {
    /// Returns the current time.
    public let now: @Sendable () -> Date

    /// A clock reading `now`.
    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    /// The system clock.
    public static var system: EmulatorClock { EmulatorClock(now: { Date() }) }
}

/// A Zoho CRM edition; it sets the concurrency limit and the daily credit budget.
public enum ZohoEdition: String, Sendable, CaseIterable, Codable {
    case free, standard, professional, enterprise, ultimate

    /// Simultaneous in-flight calls allowed (Kaizen #35).
    public var concurrencyLimit: Int {
        switch self {
        case .free: 5
        case .standard: 10
        case .professional: 15
        case .enterprise: 20
        case .ultimate: 25
        }
    }

    /// Simultaneous in-flight calls to the complex APIs (COQL, search, convert lead, ...), every edition.
    public static let complexConcurrencyLimit = 10

    /// The daily credit allowance for an org with `users` licences (Zoho's API limits page, add-ons excluded).
    public func dailyCredits(users: Int) -> Int {
        switch self {
        case .free: 5_000
        case .standard: min(50_000 + 250 * users, 100_000)
        case .professional: min(50_000 + 500 * users, 3_000_000)
        case .enterprise: min(50_000 + 1_000 * users, 5_000_000)
        case .ultimate: 50_000 + 2_000 * users
        }
    }
}
