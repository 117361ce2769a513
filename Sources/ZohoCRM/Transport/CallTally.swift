import Synchronization

/// Calls and credits spent on one endpoint.
public struct ZohoCallCount: Sendable, Hashable, Codable {
    /// Method and path below `/crm/{version}`, ids as `{id}`: `POST /coql`, `GET /Quotes/actions/mass_convert`.
    public var endpoint: String
    /// Requests sent, retries included.
    public var calls: Int
    /// API credits they cost, by `ZohoAPICost`.
    public var credits: Int

    /// A count with every field given.
    public init(endpoint: String, calls: Int, credits: Int) {
        self.endpoint = endpoint
        self.calls = calls
        self.credits = credits
    }
}

/// Counts the CRM calls a client actually sent, by endpoint, for whoever set it as `current`.
///
/// One client serves many rules at once, so the tally is task-local rather than the client's: each rule runs inside
/// `ZohoCallTally.$current.withValue(tally) { ... }` and its child tasks inherit it. A call refused before it was
/// sent (no access token, no connection) is not counted; every attempt that went out is, retries included.
public final class ZohoCallTally: Sendable {
    /// The tally calls made by the current task are recorded into; nil records nothing.
    @TaskLocal public static var current: ZohoCallTally?

    private let storage = Mutex<[String: ZohoCallCount]>([:])

    /// An empty tally.
    public init() {}

    /// Records one call sent to `endpoint`, costing `credits`.
    public func record(endpoint: String, credits: Int) {
        storage.withLock { counts in
            var count = counts[endpoint] ?? ZohoCallCount(endpoint: endpoint, calls: 0, credits: 0)
            count.calls += 1
            count.credits += credits
            counts[endpoint] = count
        }
    }

    /// Everything recorded so far, sorted by endpoint.
    public var counts: [ZohoCallCount] {
        storage.withLock { counts in counts.values.sorted { $0.endpoint < $1.endpoint } }
    }
}

/// API credits, as Zoho documents them, for the tally and for the plan's estimates.
///
/// Where Zoho's table is silent (mass convert, inventory convert, status and conversion-options calls) 1 credit is
/// counted, and `isAssumed` says so; see the reference's open question Q10.
public enum ZohoAPICost {
    /// Credits for one COQL call returning up to `limit` rows: 1 up to 200, 2 up to 1000, 3 up to 2000.
    public static func coql(limit: Int) -> Int {
        switch limit {
        case ...200: return 1
        case ...1000: return 2
        default: return 3
        }
    }

    /// Credits for updating `records` records: 1 per 10.
    public static func update(records: Int) -> Int { (records + 9) / 10 }

    /// Credits for tagging `records` records: 1 per 50.
    public static func addTags(records: Int) -> Int { (records + 49) / 50 }

    /// Credits for one convert-lead call.
    public static let convertLead = 5

    /// Credits assumed for a call whose cost Zoho does not document.
    public static let undocumented = 1

    /// True when Zoho does not document `endpoint`'s cost and `undocumented` is assumed.
    public static func isAssumed(_ endpoint: String) -> Bool {
        endpoint.hasSuffix("/actions/mass_convert") || endpoint.hasSuffix("/__conversion_options")
            || (endpoint.hasSuffix("/{id}/actions/convert") && endpoint != "POST /Leads/{id}/actions/convert")
    }
}

extension ZohoClient.Call {
    /// The endpoint as the tally names it: the template below `/crm/{v}`, the module filled in from the path.
    var tallyEndpoint: String {
        let template = self.template.replacingOccurrences(of: "/crm/{v}", with: "")
        guard template.contains("{module}") else { return template }
        let module = path.split(separator: "/").first.map(String.init) ?? "{module}"
        return template.replacingOccurrences(of: "{module}", with: module)
    }

    /// What this call costs: COQL by its LIMIT, updates and tags by their record counts, convert lead 5, else 1.
    var credits: Int {
        let endpoint = tallyEndpoint
        switch endpoint {
        case "POST /coql":
            let query = body?["select_query"].stringValue ?? ""
            return ZohoAPICost.coql(limit: Self.limit(of: query) ?? 200)
        case "POST /Leads/{id}/actions/convert":
            return ZohoAPICost.convertLead
        default:
            if method == .PUT, let records = body?["data"].arrayValue {
                return ZohoAPICost.update(records: records.count)
            }
            if endpoint.hasSuffix("/actions/add_tags"), let ids = body?["ids"].arrayValue {
                return ZohoAPICost.addTags(records: ids.count)
            }
            return ZohoAPICost.undocumented
        }
    }

    /// The row count of a COQL query's `limit` clause (`limit 2000`, `limit 2000 offset 0`, or the offset-first
    /// `limit 0, 2000`); nil without one, where Zoho's default of 200 applies.
    static func limit(of query: String) -> Int? {
        let words = query.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "," })
        guard let index = words.lastIndex(of: "limit") else { return nil }
        let numbers = words[(index + 1)...].prefix { $0 != "offset" }.compactMap { Int($0) }
        return numbers.last
    }

    /// Counts this call in the current task's tally: it was sent.
    func tally() {
        ZohoCallTally.current?.record(endpoint: tallyEndpoint, credits: credits)
    }
}
