import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the emulator's request log says about one run.
struct RequestStats {
    /// Calls by `METHOD endpoint`, ids replaced by `{id}`.
    var byEndpoint: [String: Int] = [:]
    /// Every logged call, the token endpoint included.
    var total = 0
    /// The most CRM calls the emulator had admitted at once (its `in_flight` at admission, plus the call itself).
    var peakInFlight = 0
    /// Calls answered 429 TOO_MANY_REQUESTS.
    var tooManyRequests = 0

    /// Reads `{"requests": [{method, path, status, in_flight, ...}]}`.
    init(log: Data) throws(BenchmarkError) {
        let entries: [[String: Any]]
        do {
            let object = try JSONSerialization.jsonObject(with: log) as? [String: Any]
            entries = object?["requests"] as? [[String: Any]] ?? []
        } catch {
            throw BenchmarkError("cannot read the emulator's request log", underlying: error)
        }
        for entry in entries {
            let path = entry["path"] as? String ?? ""
            let status = Self.int(entry["status"])
            byEndpoint["\(entry["method"] as? String ?? "") \(Self.endpoint(path))", default: 0] += 1
            total += 1
            if status == 429 { tooManyRequests += 1 }
            // A call refused for concurrency was never admitted; the token endpoint is not limited.
            if path.hasPrefix("/crm/"), status != 429 {
                peakInFlight = max(peakInFlight, Self.int(entry["in_flight"]) + 1)
            }
        }
    }

    /// A JSON number as Foundation's JSONSerialization hands it over on either platform.
    static func int(_ value: Any?) -> Int {
        (value as? Int) ?? (value as? NSNumber)?.intValue ?? Int((value as? Double) ?? 0)
    }

    /// `/crm/v7/Quotes/4876…/actions/convert` → `Quotes/{id}/actions/convert`.
    static func endpoint(_ path: String) -> String {
        var parts = path.split(separator: "/").map(String.init)
        if parts.first == "crm", parts.count > 1 { parts.removeFirst(2) }
        return parts.map { $0.allSatisfy(\.isNumber) && $0.count > 6 ? "{id}" : $0 }.joined(separator: "/")
    }
}

/// The least time the API allows for a path: fewest calls × latency ÷ usable concurrency + unavoidable job time.
struct LowerBound {
    /// Calls of any kind the work cannot do without.
    var calls: Int
    /// Of those, calls Zoho counts against the complex-API limit (10 in flight).
    var complexCalls: Int
    /// The job time nothing can overlap away: one job's SCHEDULED plus IN PROGRESS.
    var jobSeconds: Double
    /// The bound in seconds.
    var seconds: Double

    /// The bound for `records` records of `path` at `latency`, with `limit` calls in flight (`complexLimit` complex).
    init(path: BenchPath, records: Int, latency: Double, jobStep: Double, limit: Int, complexLimit: Int = 10) {
        let pages = (records + 1_999) / 2_000  // COQL LIMIT 2000, the most one call returns
        let jobs = (records + 49) / 50  // 50 ids per mass convert; at least one status read sees each job end
        let counts: (calls: Int, complex: Int, jobs: Double)
        switch path {
        case .mass: counts = (pages + 2 * jobs, pages, 2 * jobStep)
        case .single: counts = (pages + records, pages, 0)
        // duplicates: skip needs each lead's conversion options; Zoho has no batch form of that read.
        case .leadMass: counts = (pages + records + 2 * jobs, pages, 2 * jobStep)
        // Convert lead is a complex API: at most 10 in flight whatever the edition.
        case .leadSingle: counts = (pages + 2 * records, pages + records, 0)
        }
        calls = counts.calls
        complexCalls = counts.complex
        jobSeconds = counts.jobs
        let callSeconds = max(Double(complexCalls) / Double(complexLimit), Double(calls) / Double(limit)) * latency
        seconds = callSeconds + jobSeconds
    }
}

/// Peak resident memory of this process (getrusage's ru_maxrss), in MiB.
func peakMemoryMiB() -> Double {
    var usage = rusage()
    #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
    #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    #endif
}
