public import Foundation

/// The metadata snapshot `zrules metadata pull` writes and `zrules lint --metadata` reads (docs/ARCHITECTURE.md).
extension ZohoClient {
    /// The modules pulled when none are named: every module a conversion rule can read or create.
    public static let defaultSnapshotModules = [
        "Leads", "Contacts", "Accounts", "Deals", "Quotes", "Sales_Orders", "Invoices",
    ]

    /// Pulls modules, the fields of `modules` and the active users, and returns the snapshot file's bytes.
    ///
    /// Zoho's bodies are embedded byte for byte as they came, so the snapshot is a plain save; only a users
    /// list longer than one page is re-serialised (its pages are merged into one `users` array).
    public func metadataSnapshot(modules: [String] = defaultSnapshotModules, pulledAt: Date) async throws -> Data {
        let modulesBody = try await rawModulesJSON()
        var fieldBodies: [(String, Data)] = []
        for module in modules {
            fieldBodies.append((module, try await rawFieldsJSON(module: module)))
        }
        let usersBody = try await allUsersBody()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var out = Data()
        func append(_ text: String) { out.append(contentsOf: Array(text.utf8)) }
        append("{\n\"zrules_metadata\": 1,\n\"pulled_at\": \"\(formatter.string(from: pulledAt))\",\n\"modules\": ")
        out.append(modulesBody)
        append(",\n\"fields\": {")
        for (index, (module, body)) in fieldBodies.enumerated() {
            append(index == 0 ? "\n" : ",\n")
            // Module names passed `segment` validation: letters, digits, '_' and '-' need no JSON escaping.
            append("\"\(module)\": ")
            out.append(body)
        }
        append("\n},\n\"users\": ")
        out.append(usersBody)
        append("\n}\n")
        return out
    }

    private func allUsersBody() async throws -> Data {
        var pages: [Data] = []
        for page in 1...100 {
            guard let raw = try await rawUsersJSON(type: .activeUsers, page: page) else { break }
            pages.append(raw)
            guard let json = try? ZohoJSON(data: raw), json["info"]["more_records"].boolValue == true else { break }
        }
        if pages.count == 1 { return pages[0] }
        var users: [ZohoJSON] = []
        var info: ZohoJSON = [:]
        for page in pages {
            let json = try ZohoJSON(data: page)
            users += json["users"].arrayValue ?? []
            info = json["info"]
        }
        if pages.isEmpty { info = [:] }
        return try ZohoJSON.object(["users": .array(users), "info": info]).encoded()
    }
}
