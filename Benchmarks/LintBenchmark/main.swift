// lint-benchmark: lints 1,000 generated rule files and prints rules per second and peak memory, beside
// yamllint on the same files when it is on PATH. A benchmark, not a test: numbers depend on the machine.
//
//   swift run -c release lint-benchmark [FILES]

import Foundation
import RuleKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let fileCount = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000
let rulesPerFile = 3

/// A realistic file: an invoice rule, a sales-order rule and a lead rule, each with a unique name.
func ruleFile(_ index: Int) -> String {
    """
    # yaml-language-server: $schema=../docs/rules.schema.json
    version: 1
    rules:
      - name: invoice-accepted-quotes-\(index)
        description: Invoice accepted quotes of region \(index).
        schedule: "\(index % 60) 7 * * 1-5"
        timezone: Europe/Berlin
        when:
          module: Quotes
          where:
            Quote_Stage: Accepted
            Grand_Total: { gt: \(index * 10) }
            Valid_Till: { gte: today-7d }
            any:
              - Subject: { starts_with: "R\(index)-" }
              - Carrier: { in: [FedEX, UPS, DHL] }
        do:
          - convert: { to: Invoices, carry_tags: true, owner: billing@zylker.com, related: [Calls, Tasks] }
          - update: { Quote_Stage: Closed Won }
          - tag: [invoiced, region-\(index)]
        limits: { max_records: 500 }
      - name: order-confirmed-quotes-\(index)
        when:
          module: Quotes
          where: { Quote_Stage: Confirmed, Grand_Total: { between: [\(index), \(index + 10_000)] } }
        do:
          - convert: { to: Sales_Orders, related: [Tasks] }
      - name: convert-qualified-leads-\(index)
        when:
          module: Leads
          where: { Lead_Status: Qualified, Company: { starts_with: "R\(index)-" }, Created_Time: { gte: now-72h } }
        do:
          - convert_lead:
              duplicates: merge
              owner: sales@zylker.com
              carry_tags: [Contacts, Deals]
              deal:
                Deal_Name: "{{ Company | default(\\"Direct\\") }} — {{ Last_Name | upper }}"
                Stage: Qualification
                Pipeline: Standard (Standard)
                Closing_Date: "{{ today + 30d }}"

    """
}

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

func findOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

let clock = ContinuousClock()
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zrules-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
for index in 0..<fileCount {
    let name = String(format: "rules-%04d.yaml", index)
    try Data(ruleFile(index).utf8).write(to: directory.appendingPathComponent(name))
}

print("lint-benchmark: \(fileCount) files, \(fileCount * rulesPerFile) rules in \(directory.path)")

var timings: [Duration] = []
var last: LintResult?
for _ in 0..<3 {
    let start = clock.now
    last = try Linter(LintOptions(paths: [directory.path])).run()
    timings.append(clock.now - start)
}
guard let result = last else { exit(1) }
guard result.diagnostics.isEmpty else {
    FileHandle.standardError.write(Data(LintRenderer.text(result).prefix(4_000).utf8))
    FileHandle.standardError.write(Data("lint-benchmark: the generated files should be clean\n".utf8))
    exit(1)
}
let best = timings.min() ?? .zero
let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
let rules = result.ruleSet.rules.count
print(
    String(
        format: "zrules lint: best of 3 %.3f s, %.0f rules/s, %.0f files/s",
        seconds,
        Double(rules) / seconds,
        Double(fileCount) / seconds
    )
)
print(String(format: "peak memory (ru_maxrss): %.1f MiB", peakMemoryMiB()))

if let yamllint = findOnPath("yamllint") {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: yamllint)
    process.arguments = ["-f", "parsable", "-d", "relaxed", directory.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = clock.now
    try process.run()
    process.waitUntilExit()
    let elapsed = clock.now - start
    let yamlSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(
        String(
            format: "yamllint (relaxed, syntax and style only): %.3f s, %.0f rules/s; zrules is %.1fx faster",
            yamlSeconds,
            Double(rules) / yamlSeconds,
            yamlSeconds / seconds
        )
    )
} else {
    print("yamllint: not on PATH (pip install yamllint to compare)")
}
