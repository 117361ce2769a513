import Foundation
import ZohoCRM

/// One conversion path the benchmark can measure.
enum BenchPath: String, CaseIterable {
    /// Quotes → Sales_Orders, which zrules sends as mass-convert jobs of 50.
    case mass
    /// Quotes → Invoices, which Zoho converts only one record at a time.
    case single
    /// Leads converted by mass-convert jobs (the rule names an owner, so it is mass-eligible).
    case leadMass = "lead-mass"
    /// Leads converted one at a time (no owner, so every lead goes singly).
    case leadSingle = "lead-single"

    /// The module the rule selects from.
    var module: String { self == .mass || self == .single ? "Quotes" : "Leads" }
}

/// The command line, parsed by hand: the benchmark has no argument-parser dependency and few flags.
struct BenchmarkOptions {
    /// Records of each module in the generated fixture.
    var records = 1_000
    /// The paths to measure, one after another, each from a freshly reset emulator.
    var paths: [BenchPath] = [.mass, .single]
    /// Latency the emulator adds to every CRM call.
    var latency: Duration = .milliseconds(100)
    /// How long a mass-convert job stays in each of SCHEDULED and IN PROGRESS.
    var jobStep: Duration = .seconds(1)
    /// The edition: the emulator's concurrency limit and the client's.
    var edition: ZohoConfiguration.Edition = .enterprise
    /// Serve the generated fixture and print its URL instead of running anything (for the scripts).
    var serve = false
    /// The longest a `--serve` emulator stays up, so a forgotten one ends by itself.
    var serveSeconds = 7_200
    /// Run against this emulator (started with `--serve`) instead of one in this process.
    var url: URL?
    /// Print one JSON object per path instead of text.
    var json = false

    static let usage = """
        usage: engine-benchmark [--records N] [--path mass|single|lead-mass|lead-single|all[,...]]
                                [--latency 100ms] [--job-step 1s] [--edition enterprise]
                                [--serve [--serve-seconds S]] [--url http://127.0.0.1:PORT] [--json]
        """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws(BenchmarkError) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "--serve" {
                serve = true
                continue
            }
            if flag == "--json" {
                json = true
                continue
            }
            if flag == "--help" || flag == "-h" { throw BenchmarkError(Self.usage) }
            guard let value = rest.popFirst() else { throw BenchmarkError("\(flag) needs a value\n\(Self.usage)") }
            try set(flag, value)
        }
    }

    private mutating func set(_ flag: String, _ value: String) throws(BenchmarkError) {
        switch flag {
        case "--records":
            guard let n = Int(value), n > 0, n <= 100_000 else {
                throw BenchmarkError("--records must be 1 to 100000")
            }
            records = n
        case "--path": paths = try Self.paths(value)
        case "--latency": latency = try Self.duration(value, flag)
        case "--job-step": jobStep = try Self.duration(value, flag)
        case "--edition":
            guard let e = ZohoConfiguration.Edition(rawValue: value) else {
                throw BenchmarkError("--edition must be free, standard, professional, enterprise or ultimate")
            }
            edition = e
        case "--serve-seconds":
            guard let s = Int(value), s > 0 else { throw BenchmarkError("--serve-seconds must be positive") }
            serveSeconds = s
        case "--url":
            guard let u = URL(string: value), u.host == "127.0.0.1" || u.host == "localhost" else {
                throw BenchmarkError("--url must be a loopback URL")
            }
            url = u
        default: throw BenchmarkError("unknown flag \(flag)\n\(Self.usage)")
        }
    }

    private static func paths(_ value: String) throws(BenchmarkError) -> [BenchPath] {
        if value == "all" { return BenchPath.allCases }
        var result: [BenchPath] = []
        for name in value.split(separator: ",") {
            guard let path = BenchPath(rawValue: String(name)) else {
                throw BenchmarkError("unknown path \(name); known: mass, single, lead-mass, lead-single, all")
            }
            result.append(path)
        }
        return result
    }

    /// `100ms`, `1s`, `1.5s`, `2m`.
    static func duration(_ value: String, _ flag: String) throws(BenchmarkError) -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where value.hasSuffix(suffix) {
            if let number = Double(value.dropLast(suffix.count)), number >= 0 {
                return .milliseconds(Int64((number * scale * 1000).rounded()))
            }
        }
        throw BenchmarkError("\(flag) takes a duration such as 100ms or 1s, found '\(value)'")
    }
}

/// A benchmark that cannot run; the message says why.
struct BenchmarkError: Error, CustomStringConvertible {
    /// What went wrong.
    var description: String
    /// Whatever failed underneath, kept for the message.
    var underlying: (any Error)?

    init(_ description: String, underlying: (any Error)? = nil) {
        self.description = underlying.map { "\(description): \($0)" } ?? description
        self.underlying = underlying
    }
}

extension Duration {
    /// The duration in seconds, as a Double, for printing and arithmetic.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// `100ms` or `1s`, as the emulator's fault spec writes durations.
    var specText: String {
        let ms = Int((seconds * 1000).rounded())
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}
