public import Foundation

/// Users, modules and fields; also their raw response bodies for `zrules metadata pull`.
extension ZohoClient {
    /// One page of the Users API (`GET /crm/{v}/users`) exactly as Zoho sent it; nil for 204.
    public func rawUsersJSON(type: ZohoUserType = .activeUsers, page: Int = 1) async throws -> Data? {
        let op = "GET /crm/{v}/users"
        let reply = try await send(
            Call(
                template: op,
                method: .GET,
                path: "/users",
                query: [("type", type.rawValue), ("page", String(page)), ("per_page", "200")],
                kind: .read
            )
        )
        return reply.body == nil ? nil : reply.raw
    }

    /// Every user of a type (all pages, at most 100 pages of 200).
    public func users(type: ZohoUserType = .activeUsers) async throws -> [ZohoUser] {
        let op = "GET /crm/{v}/users"
        var users: [ZohoUser] = []
        for page in 1...100 {
            guard let raw = try await rawUsersJSON(type: type, page: page) else { break }
            guard let body = try? ZohoJSON(data: raw), let items = body["users"].arrayValue else {
                throw decodingError(op, "no users array")
            }
            for item in items {
                guard let id = item["id"].idValue else { throw decodingError(op, "a user without id") }
                users.append(
                    ZohoUser(
                        id: id,
                        email: item["email"].stringValue,
                        fullName: item["full_name"].stringValue,
                        status: item["status"].stringValue,
                        confirmed: item["confirm"].boolValue,
                        role: item["role"]["name"].stringValue,
                        profile: item["profile"]["name"].stringValue
                    )
                )
            }
            guard body["info"]["more_records"].boolValue == true, !items.isEmpty else { break }
        }
        return users
    }

    /// The active user with this email (case-insensitive), or nil; Zoho has no user search, so this lists them.
    public func user(byEmail email: String) async throws -> ZohoUser? {
        let wanted = email.trimmingCharacters(in: .whitespaces).lowercased()
        return try await users(type: .activeUsers).first { $0.email?.lowercased() == wanted }
    }

    /// The Modules API body (`GET /crm/{v}/settings/modules`) exactly as Zoho sent it.
    public func rawModulesJSON() async throws -> Data {
        let op = "GET /crm/{v}/settings/modules"
        let reply = try await send(Call(template: op, method: .GET, path: "/settings/modules", kind: .read))
        guard reply.body != nil else { throw decodingError(op, "no content", status: reply.status) }
        return reply.raw
    }

    /// Every module of the org.
    public func modules() async throws -> [ZohoModule] {
        let op = "GET /crm/{v}/settings/modules"
        let raw = try await rawModulesJSON()
        guard let body = try? ZohoJSON(data: raw), let items = body["modules"].arrayValue else {
            throw decodingError(op, "no modules array")
        }
        var modules: [ZohoModule] = []
        for item in items {
            guard let apiName = item["api_name"].stringValue, let id = item["id"].idValue else {
                throw decodingError(op, "a module without api_name or id")
            }
            modules.append(
                ZohoModule(
                    apiName: apiName,
                    id: id,
                    moduleName: item["module_name"].stringValue,
                    singularLabel: item["singular_label"].stringValue,
                    pluralLabel: item["plural_label"].stringValue,
                    apiSupported: item["api_supported"].boolValue,
                    status: item["status"].stringValue,
                    convertable: item["convertable"].boolValue,
                    generatedType: item["generated_type"].stringValue
                )
            )
        }
        return modules
    }

    /// The Fields API body for one module (`GET /crm/{v}/settings/fields?module=`) exactly as Zoho sent it.
    public func rawFieldsJSON(module: String) async throws -> Data {
        let op = "GET /crm/{v}/settings/fields"
        let module = try segment(module, "module", op)
        let reply = try await send(
            Call(template: op, method: .GET, path: "/settings/fields", query: [("module", module)], kind: .read)
        )
        guard reply.body != nil else { throw decodingError(op, "no content", status: reply.status) }
        return reply.raw
    }

    /// Every field of a module.
    public func fields(module: String) async throws -> [ZohoField] {
        let op = "GET /crm/{v}/settings/fields"
        let raw = try await rawFieldsJSON(module: module)
        guard let body = try? ZohoJSON(data: raw), let items = body["fields"].arrayValue else {
            throw decodingError(op, "no fields array")
        }
        var fields: [ZohoField] = []
        for item in items {
            guard let apiName = item["api_name"].stringValue else {
                throw decodingError(op, "a field without api_name")
            }
            let picklist = (item["pick_list_values"].arrayValue ?? []).compactMap { $0["actual_value"].stringValue }
            var mapping: [String: String] = [:]
            for (module, target) in item["convert_mapping"].objectValue ?? [:] {
                if let target = target.stringValue { mapping[module] = target }
            }
            fields.append(
                ZohoField(
                    apiName: apiName,
                    id: item["id"].idValue,
                    label: item["field_label"].stringValue ?? item["display_label"].stringValue,
                    dataType: item["data_type"].stringValue ?? "",
                    jsonType: item["json_type"].stringValue,
                    readOnly: item["read_only"].boolValue ?? item["field_read_only"].boolValue ?? false,
                    systemMandatory: item["system_mandatory"].boolValue ?? false,
                    lookupModule: item["lookup"]["module"]["api_name"].stringValue,
                    pickListValues: picklist,
                    convertMapping: mapping,
                    length: item["length"].intValue
                )
            )
        }
        return fields
    }
}
