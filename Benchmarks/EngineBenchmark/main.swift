// Converts N generated quotes through the emulator over loopback and prints throughput, calls and concurrency.
// Usage: swift run -c release engine-benchmark [QUOTES] [EDITION]   (default 2000 professional)
import AsyncHTTPClient
import Engine
import Foundation
import Logging
import RuleKit
import ZohoCRM
import ZohoEmulator

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2000 : 2000
let editionName = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "professional"
let edition = ZohoConfiguration.Edition(rawValue: editionName) ?? .professional

var fixture = """
    edition: \(edition.rawValue)
    users:
      - { id: "4876876000000400001", email: admin@zylker.com, full_name: Admin }
    picklist_values: { Quotes.Quote_Stage: [Accepted] }
    records:
      Products:
        - { id: "4876876000001000101", Product_Name: Widget, Unit_Price: 100 }
      Accounts:
        - { id: "4876876000001000201", Account_Name: Bench Corp }
      Quotes:

    """
for index in 0..<count {
    let id = 4_876_876_000_010_000_000 + index
    fixture +=
        "    - { id: \"\(id)\", Subject: Quote \(index), Quote_Stage: Accepted, Grand_Total: \(100 + index), "
        + "Account_Name: Bench Corp, Quoted_Items: [{ Product_Name: Widget, Quantity: 1 }] }\n"
}
let rules = """
    version: 1
    rules:
      - name: bench-orders
        when: { module: Quotes, where: { Quote_Stage: Accepted, Grand_Total: { gt: 0 } } }
        do:
          - convert: { to: Sales_Orders, carry_tags: true }
    """

let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
let configuration = EmulatorConfiguration(
    fixture: try EmulatorFixture(yaml: fixture),
    jobStepDuration: .milliseconds(100)
)
try await withEmulator(configuration: configuration, logger: logger) { url in
    let client = try ZohoClient(
        configuration: ZohoConfiguration(edition: edition, apiURL: url),
        credentials: ZohoCredentials(clientID: "1000.BENCH", clientSecret: "bench", refreshToken: "1000.bench"),
        logger: logger
    )
    let store = try StateStore.inMemory()
    let executor = Executor(
        client: client,
        store: store,
        timeZone: .gmt,
        options: ExecutionOptions(jobPollInterval: .milliseconds(50), maxPollInterval: .milliseconds(200)),
        logger: logger
    )
    let lint = Linter.lint(text: rules)
    let clock = ContinuousClock()
    let start = clock.now
    let report = try await executor.execute(lint.ruleSet.rules)
    let elapsed = clock.now - start
    try await client.shutdown()

    let request = HTTPClientRequest(url: url.appendingPathComponent("__emulator/requests").absoluteString)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 256 << 20)
    let log =
        try JSONDecoder().decode(ZohoEmulator.JSONValue.self, from: Data(buffer: body))["requests"].arrayValue ?? []
    var byEndpoint: [String: Int] = [:]
    var peak = 0
    var tooMany = 0
    for entry in log {
        var path = entry["path"].stringValue ?? ""
        path = path.split(separator: "/").map { $0.allSatisfy(\.isNumber) ? "{id}" : String($0) }.joined(separator: "/")
        byEndpoint["\(entry["method"].stringValue ?? "") \(path)", default: 0] += 1
        peak = max(peak, Int(entry["in_flight"].doubleValue ?? 0) + 1)
        if entry["status"].doubleValue == 429 { tooMany += 1 }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("engine benchmark: \(count) quotes → Sales_Orders, edition \(edition.rawValue)")
    print("converted \(report.summary.converted), failed \(report.summary.failed), unknown \(report.summary.unknown)")
    print(String(format: "elapsed %.2f s, %.0f records/s", seconds, Double(report.summary.converted) / seconds))
    print("requests \(log.count), peak in flight \(peak) (edition limit \(edition.concurrencyLimit)), 429s \(tooMany)")
    for (endpoint, calls) in byEndpoint.sorted(by: { $0.key < $1.key }) { print("  \(calls)\t\(endpoint)") }
}
