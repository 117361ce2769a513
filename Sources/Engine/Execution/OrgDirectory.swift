import Foundation
import RuleKit
import ZohoCRM

/// What a run resolves once and reuses: module ids, users, field types.
actor OrgDirectory {
    private let client: ZohoClient
    private var modules: [String: ZohoModule]?
    private var users: [ZohoUser]?
    private var fieldTypes: [String: [String: String]] = [:]

    init(client: ZohoClient) {
        self.client = client
        // What `plan` and `run` read before the executor started (Project/LiveMetadata.swift): read once.
        if let known = LiveMetadata.current { (fieldTypes, users) = (known.fieldTypes, known.users) }
    }

    /// The module with `apiName`, with its id for conversion bodies.
    func module(_ apiName: String) async throws -> ZohoModuleRef {
        if modules == nil {
            let list = try await client.modules()
            modules = Dictionary(list.map { ($0.apiName, $0) }, uniquingKeysWith: { first, _ in first })
        }
        guard let module = modules?[apiName] else {
            throw EngineError(
                .api,
                operation: "resolve module",
                message: "the org has no module named \(apiName) (Modules API)"
            )
        }
        return module.ref
    }

    /// The user id for an `owner:` value: an email among active users, or an id that is one.
    func userID(for owner: Owner) async throws -> String {
        try await user(for: owner).id
    }

    /// The active user an `owner:` value names, with the name and email a plan shows.
    func user(for owner: Owner) async throws -> ZohoUser {
        if users == nil {
            users = try await client.users(type: .activeUsers)
        }
        let active = users ?? []
        switch owner.kind {
        case .email:
            if let user = active.first(where: { $0.email?.lowercased() == owner.value.lowercased() }) {
                return user
            }
            throw EngineError(
                .api,
                operation: "resolve owner",
                message: "owner \(owner.value) is not an active user of the org"
            )
        case .userID:
            guard let user = active.first(where: { $0.id == owner.value }) else {
                throw EngineError(
                    .api,
                    operation: "resolve owner",
                    message: "owner \(owner.value) is not the id of an active user"
                )
            }
            return user
        }
    }

    /// Field API names to Zoho data types for `module`; empty when the Fields API cannot be read.
    func fieldTypes(of module: String) async -> [String: String] {
        if let known = fieldTypes[module] { return known }
        let types: [String: String]
        do {
            let fields = try await client.fields(module: module)
            types = Dictionary(fields.map { ($0.apiName, $0.dataType) }, uniquingKeysWith: { first, _ in first })
        } catch {
            // Without field types the query builder infers literals from the rule's values.
            types = [:]
        }
        fieldTypes[module] = types
        return types
    }
}
