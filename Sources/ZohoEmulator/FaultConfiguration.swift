/// Faults the emulator injects, parsed from a spec such as
/// `429=0.2,5xx=0.1,latency=200ms,token_ttl=5s,job=slow,timeout_write=0.1,seed=7` (`5xx_write=1` answers every
/// write 500 without doing it).
///
/// Shares are probabilities per CRM call, drawn from a generator seeded with `seed`, so a test that fixes the
/// seed and the order of its calls sees the same faults every time.
public struct FaultConfiguration: Sendable, Equatable {
    /// How an injected job fault behaves.
    public enum JobFault: String, Sendable, Equatable {
        /// Jobs take ten times the configured step in each state.
        case slow
        /// Jobs end FAILED with every record counted as failed and nothing converted.
        case fail
    }

    /// Share of CRM calls answered 429 TOO_MANY_REQUESTS.
    public var tooManyRequests: Double
    /// Share of CRM calls answered 500 INTERNAL_ERROR, before the handler runs (Zoho did nothing).
    public var serverErrors: Double
    /// Share of CRM writes (on top of `serverErrors`) answered 500 INTERNAL_ERROR before the handler runs.
    public var writeServerErrors: Double = 0
    /// Latency added before every CRM call is handled.
    public var latency: Duration
    /// Overrides the access-token lifetime.
    public var tokenTTL: Duration?
    /// Makes mass-convert jobs slow or failing.
    public var job: JobFault?
    /// Share of CRM writes that are performed but answered only after the write-timeout delay.
    public var timeoutWrite: Double
    /// Convert lead answers 202 SCHEDULED with a job id and converts the lead later, like a job (OAS convertLead's
    /// second success shape); off by default.
    public var convertLeadScheduled: Bool
    /// Seed of the fault generator.
    public var seed: UInt64

    /// No faults.
    public init(
        tooManyRequests: Double = 0,
        serverErrors: Double = 0,
        latency: Duration = .zero,
        tokenTTL: Duration? = nil,
        job: JobFault? = nil,
        timeoutWrite: Double = 0,
        convertLeadScheduled: Bool = false,
        seed: UInt64 = 1
    ) {
        self.tooManyRequests = tooManyRequests
        self.serverErrors = serverErrors
        self.latency = latency
        self.tokenTTL = tokenTTL
        self.job = job
        self.timeoutWrite = timeoutWrite
        self.convertLeadScheduled = convertLeadScheduled
        self.seed = seed
    }

    /// Parses a comma-separated `key=value` spec; an empty spec means no faults.
    public init(spec: String) throws(EmulatorError) {
        self.init()
        for item in spec.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw EmulatorError(code: "FAULT_SPEC", message: "expected key=value, found '\(item)'")
            }
            try set(parts[0], parts[1])
        }
    }

    /// Sets one spec key; shared by the flag parser and the admin endpoint.
    mutating func set(_ key: String, _ value: String) throws(EmulatorError) {
        switch key.lowercased() {
        case "429": tooManyRequests = try Self.share(key, value)
        case "5xx", "500": serverErrors = try Self.share(key, value)
        case "5xx_write": writeServerErrors = try Self.share(key, value)
        case "latency": latency = try Self.duration(key, value)
        case "token_ttl": tokenTTL = try Self.duration(key, value)
        case "timeout_write": timeoutWrite = try Self.share(key, value)
        case "convert_lead":
            guard ["scheduled", "sync"].contains(value) else {
                throw EmulatorError(
                    code: "FAULT_SPEC",
                    message: "convert_lead must be scheduled or sync, found '\(value)'"
                )
            }
            convertLeadScheduled = value == "scheduled"
        case "seed":
            guard let s = UInt64(value) else {
                throw EmulatorError(
                    code: "FAULT_SPEC",
                    message: "seed must be a non-negative integer, found '\(value)'"
                )
            }
            seed = s
        case "job":
            if value == "none" || value.isEmpty {
                job = nil
            } else if let j = JobFault(rawValue: value) {
                job = j
            } else {
                throw EmulatorError(code: "FAULT_SPEC", message: "job must be slow, fail or none, found '\(value)'")
            }
        default:
            throw EmulatorError(
                code: "FAULT_SPEC",
                message:
                    "unknown fault '\(key)'; known: 429, 5xx, 5xx_write, latency, token_ttl, job, timeout_write, "
                    + "convert_lead, seed"
            )
        }
    }

    /// The spec string that parses back to this configuration.
    public var spec: String {
        var parts: [String] = []
        if tooManyRequests > 0 { parts.append("429=\(tooManyRequests)") }
        if serverErrors > 0 { parts.append("5xx=\(serverErrors)") }
        if writeServerErrors > 0 { parts.append("5xx_write=\(writeServerErrors)") }
        if latency > .zero { parts.append("latency=\(Self.format(latency))") }
        if let tokenTTL { parts.append("token_ttl=\(Self.format(tokenTTL))") }
        if let job { parts.append("job=\(job.rawValue)") }
        if timeoutWrite > 0 { parts.append("timeout_write=\(timeoutWrite)") }
        if convertLeadScheduled { parts.append("convert_lead=scheduled") }
        parts.append("seed=\(seed)")
        return parts.joined(separator: ",")
    }

    private static func share(_ key: String, _ value: String) throws(EmulatorError) -> Double {
        guard let d = Double(value), d >= 0, d <= 1 else {
            throw EmulatorError(code: "FAULT_SPEC", message: "\(key) must be a share between 0 and 1, found '\(value)'")
        }
        return d
    }

    /// Parses `200ms`, `5s`, `2m`; a bare number is seconds.
    static func duration(_ key: String, _ value: String) throws(EmulatorError) -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where value.hasSuffix(suffix) {
            if let n = Double(value.dropLast(suffix.count)), n >= 0 {
                return .milliseconds(Int64((n * factor * 1000).rounded()))
            }
        }
        if let n = Double(value), n >= 0 { return .milliseconds(Int64((n * 1000).rounded())) }
        throw EmulatorError(code: "FAULT_SPEC", message: "\(key) must be a duration like 200ms or 5s, found '\(value)'")
    }

    static func format(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}

/// A small deterministic generator (SplitMix64) so faults repeat under a seed.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
