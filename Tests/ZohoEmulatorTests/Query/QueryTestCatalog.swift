@testable import ZohoEmulator

/// A small org for the query tests: Accounts, Contacts, Deals and users, with lookups between them.
///
/// The users module's fields are deliberately not described, so the tests also cover the runner's built-in
/// fallback for `Owner.email`.
struct QueryTestCatalog: QueryCatalog {
    var fields: [String: [String: String]]
    var lookups: [String: [String: String]]
    var data: [String: [EmulatorRecord]]

    func canonicalModule(_ name: String) -> String? {
        data.keys.first { $0.lowercased() == name.lowercased() }
    }

    // Field names resolve ignoring case, as the emulator's own catalog does.
    func fieldType(module: String, field: String) -> String? {
        fields[module]?.first { $0.key.lowercased() == field.lowercased() }?.value
    }

    func lookupModule(module: String, field: String) -> String? {
        lookups[module]?.first { $0.key.lowercased() == field.lowercased() }?.value
    }

    func records(module: String) -> [EmulatorRecord] {
        data[module] ?? []
    }

    func record(module: String, id: String) -> EmulatorRecord? {
        data[module]?.first { $0["id"]?.stringValue == id }
    }

    static let userA = "5725767000000200001"
    static let userB = "5725767000000200002"
    static let zylker = "5725767000000300001"
    static let acme = "5725767000000300002"
    static let contact1 = "5725767000000400001"
    static let contact2 = "5725767000000400002"
    static let contact3 = "5725767000000400003"
    static let contact4 = "5725767000000400004"
    static let contact5 = "5725767000000400005"

    static func owner(_ id: String) -> JSONValue {
        id == userA
            ? ["id": .string(userA), "name": "Ann Admin", "email": "ann@zylker.com"]
            : ["id": .string(userB), "name": "Bob Sales", "email": "bob@zylker.com"]
    }

    static func account(_ id: String) -> JSONValue {
        ["id": .string(id), "name": id == zylker ? "Zylker" : "Acme Corp"]
    }

    /// Five contacts, two accounts, two users, three deals, and `Bulk` records for paging.
    static func make(bulk: Int = 0) -> QueryTestCatalog {
        let contactFields: [String: String] = [
            "id": "bigint", "Last_Name": "text", "First_Name": "text", "Email": "email", "Phone": "phone",
            "Account_Name": "lookup", "Owner": "ownerlookup", "Date_of_Birth": "date", "Email_Opt_Out": "boolean",
            "Description": "textarea", "Languages": "multiselectpicklist", "Lead_Source": "picklist",
            "Created_Time": "datetime", "Photo": "profileimage", "Score": "integer",
        ]
        let accountFields: [String: String] = [
            "id": "bigint", "Account_Name": "text", "Industry": "picklist", "Annual_Revenue": "currency",
            "Owner": "ownerlookup", "Parent_Account": "lookup",
        ]
        let dealFields: [String: String] = [
            "id": "bigint", "Deal_Name": "text", "Amount": "currency", "Stage": "picklist", "Account_Name": "lookup",
            "Contact_Name": "lookup", "Closing_Date": "date", "Owner": "ownerlookup",
        ]
        let contacts: [EmulatorRecord] = [
            [
                "id": .string(contact1), "Last_Name": "Boyle", "First_Name": "Patricia", "Email": "p.boyle@zylker.com",
                "Phone": "555-0101", "Account_Name": account(zylker), "Owner": owner(userA),
                "Date_of_Birth": "1980-04-12", "Email_Opt_Out": false, "Description": "Met at the Zylker expo",
                "Languages": ["English", "German"], "Lead_Source": "Trade Show",
                "Created_Time": "2026-01-10T09:30:00+05:30", "Score": 40,
            ],
            [
                "id": .string(contact2), "Last_Name": "O'Brien", "First_Name": "Sean", "Email": "sean@acme.com",
                "Phone": nil, "Account_Name": account(acme), "Owner": owner(userB), "Date_of_Birth": "1975-11-02",
                "Email_Opt_Out": true, "Description": "Prefers phone", "Languages": ["English"],
                "Lead_Source": "Web Download", "Created_Time": "2026-02-01T00:00:00Z", "Score": 75,
            ],
            [
                "id": .string(contact3), "Last_Name": "Burns,B", "First_Name": "Back\\slash", "Email": "burns@acme.com",
                "Account_Name": account(acme), "Owner": owner(userA), "Date_of_Birth": "1990-01-01",
                "Email_Opt_Out": false, "Languages": [], "Lead_Source": "trade show",
                "Created_Time": "2026-03-15T18:45:00-05:00", "Score": 75,
            ],
            [
                "id": .string(contact4), "Last_Name": "boyle", "First_Name": "Paddy (jr)", "Email": nil,
                "Account_Name": nil, "Owner": owner(userB), "Email_Opt_Out": false, "Languages": ["French"],
                "Created_Time": "2026-03-16T01:00:00Z", "Score": -5,
            ],
            [
                "id": .string(contact5), "Last_Name": "Zylker Fan", "First_Name": "", "Email": "fan@example.com",
                "Account_Name": account(zylker), "Owner": owner(userA), "Date_of_Birth": "2000-02-29",
                "Email_Opt_Out": true, "Languages": ["German", "English"], "Lead_Source": "Trade Show",
                "Created_Time": "2026-03-16T00:30:00Z", "Score": 100,
            ],
        ]
        let accounts: [EmulatorRecord] = [
            [
                "id": .string(zylker), "Account_Name": "Zylker", "Industry": "Technology", "Annual_Revenue": 1_000_000,
                "Owner": owner(userA),
            ],
            [
                "id": .string(acme), "Account_Name": "Acme Corp", "Industry": "Manufacturing",
                "Annual_Revenue": 250_000.5, "Owner": owner(userB), "Parent_Account": account(zylker),
            ],
        ]
        let deals: [EmulatorRecord] = [
            [
                "id": "5725767000000500001", "Deal_Name": "Zylker renewal", "Amount": 1200, "Stage": "Closed Won",
                "Account_Name": account(zylker), "Contact_Name": ["id": .string(contact1), "name": "Patricia Boyle"],
                "Closing_Date": "2026-03-31", "Owner": owner(userA),
            ],
            [
                "id": "5725767000000500002", "Deal_Name": "Acme expansion", "Amount": 800, "Stage": "Qualification",
                "Account_Name": account(acme), "Contact_Name": ["id": .string(contact2), "name": "Sean O'Brien"],
                "Closing_Date": "2026-04-30", "Owner": owner(userB),
            ],
            [
                "id": "5725767000000500003", "Deal_Name": "Acme support", "Amount": 300, "Stage": "Closed Won",
                "Account_Name": account(acme), "Contact_Name": ["id": .string(contact3), "name": "B Burns"],
                "Closing_Date": "2026-05-15", "Owner": owner(userA),
            ],
        ]
        let users: [EmulatorRecord] = [
            ["id": .string(userA), "email": "ann@zylker.com", "full_name": "Ann Admin"],
            ["id": .string(userB), "email": "bob@zylker.com", "full_name": "Bob Sales"],
        ]
        let bulkRecords: [EmulatorRecord] = (0..<bulk).map { i in
            ["id": .string(String(5_725_767_000_000_900_000 + i)), "Name": .string("Bulk \(i)")]
        }
        return QueryTestCatalog(
            fields: [
                "Contacts": contactFields, "Accounts": accountFields, "Deals": dealFields,
                "Bulk": ["id": "bigint", "Name": "text"],
            ],
            lookups: [
                "Contacts": ["Account_Name": "Accounts", "Owner": "users"],
                "Accounts": ["Parent_Account": "Accounts", "Owner": "users"],
                "Deals": ["Account_Name": "Accounts", "Contact_Name": "Contacts", "Owner": "users"],
            ],
            data: ["Contacts": contacts, "Accounts": accounts, "Deals": deals, "users": users, "Bulk": bulkRecords]
        )
    }
}

/// Runs `body` and returns the `QueryError` it threw, or nil when it did not throw.
/// Runs `body` and returns the `QueryError` it threw, or nil when it threw nothing (or something else).
func queryError(_ body: () throws -> Void) -> QueryError? {
    do {
        try body()
        return nil
    } catch {
        return error as? QueryError
    }
}
