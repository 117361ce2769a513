import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
// Every file of the suite sees the shared helpers (the manual clock and its `emulatorClock`).
@_exported import TestSupport
import Testing

@testable import ZohoEmulator

/// A small org: two users, accounts, contacts, leads in every refusal state, quotes, a sales order, products.
let testFixtureYAML = """
    edition: professional
    org: { name: Zylker, id_prefix: "4876876" }
    users:
      - { id: "4876876000000400001", email: admin@zylker.com, full_name: Patricia Boyle }
      - { id: "4876876000000400004", email: billing@zylker.com, full_name: Ben Kowalski, profile: Standard, role: Manager }
      - { id: "4876876000000400007", email: gone@zylker.com, full_name: Old Timer, status: inactive }
    unique_fields: { Contacts: [Phone] }
    picklist_values: { Quotes.Quote_Stage: [Accepted], Leads.Lead_Status: [Qualified] }
    records:
      Products:
        - { id: "4876876000001000101", Product_Name: Widget, Unit_Price: 100 }
      Accounts:
        - { id: "4876876000001000201", Account_Name: Zylker Biotech, Phone: "555-0100" }
        - { id: "4876876000001000202", Account_Name: Other Corp }
        - { id: "4876876000001000203", Account_Name: Locked Inc, Locked__s: true }
      Contacts:
        - { id: "4876876000001000301", First_Name: Pat, Last_Name: Boyle, Phone: "9844444444", Account_Name: Zylker Biotech }
        - { id: "4876876000001000302", Last_Name: Boyle, Email: pat.boyle@zylker.com }
        - { id: "4876876000001000303", Last_Name: Stone, Email: stone@other.com, Account_Name: Other Corp }
      Leads:
        - { id: "4876876000001000401", First_Name: Pat, Last_Name: Boyle, Company: Zylker Biotech, Email: pat.boyle@zylker.com, Phone: "9844444444", Lead_Status: Qualified, Tag: [vip, trade-show] }
        - { id: "4876876000001000402", First_Name: New, Last_Name: Person, Company: Fresh Ltd, Email: new@fresh.io, Lead_Status: Qualified }
        - { id: "4876876000001000403", Last_Name: Locked, Company: Lock Co, Locked__s: true }
        - { id: "4876876000001000404", Last_Name: Pending, Company: Wait Co, $approval_state: approval_process_pending }
        - { id: "4876876000001000405", Last_Name: Gone, Company: Deleted Co, $deleted: true }
        - { id: "4876876000001000406", Last_Name: Solo, Email: solo@nowhere.net }
        - { id: "4876876000001000407", Last_Name: Dup, Phone: "9844444444" }
      Quotes:
        - id: "4876876000001000501"
          Subject: Accepted quote
          Quote_Stage: Accepted
          Account_Name: Zylker Biotech
          Contact_Name: "4876876000001000301"
          Valid_Till: 2099-12-31
          Owner: billing@zylker.com
          Tag: [priority]
          Quoted_Items: [{ Product_Name: Widget, Quantity: 2 }]
        - { id: "4876876000001000502", Subject: Second, Quote_Stage: Accepted, Account_Name: Other Corp, Quoted_Items: [{ Product_Name: Widget, Quantity: 1, List_Price: 50 }] }
        - { id: "4876876000001000503", Subject: Locked quote, Quote_Stage: Accepted, Account_Name: Other Corp, Locked__s: true, Quoted_Items: [{ Product_Name: Widget }] }
        - { id: "4876876000001000504", Subject: Unapproved, Quote_Stage: Draft, Account_Name: Other Corp, $approval_state: approval_process_pending, Quoted_Items: [{ Product_Name: Widget }] }
        - { id: "4876876000001000505", Subject: Deleted, Quote_Stage: Draft, Account_Name: Other Corp, $deleted: true, Quoted_Items: [{ Product_Name: Widget }] }
        - { id: "4876876000001000506", Subject: Converted already, Quote_Stage: Accepted, Account_Name: Other Corp, Quoted_Items: [{ Product_Name: Widget }] }
      Sales_Orders:
        - { id: "4876876000001000601", Subject: Existing order, Quote_Name: "4876876000001000506", Account_Name: Other Corp, Ordered_Items: [{ Product_Name: Widget }] }
      Calls:
        - { id: "4876876000001000701", Subject: Kick-off, Call_Type: Outbound, Call_Start_Time: "2026-11-01T10:00:00+00:00", What_Id: { module: Quotes, id: "4876876000001000501" } }
      Tasks:
        - { id: "4876876000001000801", Subject: Follow up, What_Id: { module: Quotes, id: "4876876000001000501" } }
    """

/// A decoded answer.
struct Reply: Sendable {
    var status: Int
    var json: JSONValue
    var headers: HTTPFields

    var code: String? { json["code"].stringValue ?? json["data"].arrayValue?.first?["code"].stringValue }
}

/// A client session against one emulator under `app.test(.router)`, holding an access token.
struct Session: Sendable {
    let client: any TestClientProtocol
    var token: String = ""
    var version = "v8"

    func raw(
        _ method: HTTPRequest.Method,
        _ uri: String,
        body: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> Reply {
        let buffer = body.map { ByteBuffer(string: $0) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            let data = Data(response.body.readableBytesView)
            let json = data.isEmpty ? JSONValue.null : (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
            return Reply(status: Int(response.status.code), json: json, headers: response.headers)
        }
    }

    /// A CRM call with the session's token; `path` is below `/crm/{version}`.
    func call(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue? = nil) async throws -> Reply {
        var headers: HTTPFields = [.authorization: "Zoho-oauthtoken \(token)"]
        if body != nil { headers[.contentType] = "application/json" }
        var text: String?
        if let body { text = String(decoding: try JSONEncoder().encode(body), as: UTF8.self) }
        return try await raw(method, "/crm/\(version)\(path)", body: text, headers: headers)
    }

    func refreshToken(
        clientID: String = "1000.CLIENT",
        secret: String = "s3cret",
        refresh: String = "1000.refresh"
    )
        async throws -> Reply
    {
        try await raw(
            .post,
            "/oauth/v2/token",
            body: "grant_type=refresh_token&client_id=\(clientID)&client_secret=\(secret)&refresh_token=\(refresh)",
            headers: [.contentType: "application/x-www-form-urlencoded"]
        )
    }

    func authorized() async throws -> Session {
        let reply = try await refreshToken()
        var copy = self
        copy.token = try #require(reply.json["access_token"].stringValue)
        return copy
    }
}

func emulatorConfiguration(
    yaml: String = testFixtureYAML,
    clock: ManualClock = ManualClock(),
    faults: FaultConfiguration = FaultConfiguration(),
    budget: Int? = nil,
    step: Duration = .seconds(2)
) throws -> EmulatorConfiguration {
    EmulatorConfiguration(
        fixture: try EmulatorFixture(yaml: yaml, file: "test.yaml"),
        faults: faults,
        jobStepDuration: step,
        dailyCreditBudget: budget,
        writeTimeoutDelay: .milliseconds(300),
        clock: clock.emulatorClock
    )
}

/// Runs `body` against a fresh emulator through Hummingbird's router test client, already authorized.
func withSession(
    _ configuration: EmulatorConfiguration? = nil,
    _ body: @escaping @Sendable (Session) async throws -> Void
) async throws {
    let configuration = try configuration ?? emulatorConfiguration()
    let app = try await buildEmulator(configuration: configuration, logger: Logger(label: "test"))
    try await app.test(.router) { client in
        let session = try await Session(client: client).authorized()
        try await body(session)
    }
}

extension JSONValue {
    /// Array element access for tests; `.null` when out of range or not an array.
    subscript(index: Int) -> JSONValue {
        guard let items = arrayValue, items.indices.contains(index) else { return .null }
        return items[index]
    }
}
