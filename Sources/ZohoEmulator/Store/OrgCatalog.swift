/// The org as COQL reads it, without copying anything: one module at a time, in id order, through the tables'
/// indexes. Converted leads are left out, and the org's users answer as the `users` module.
///
/// It holds the org by value, so it is only cheap while the store does not write meanwhile: evaluate inside
/// `EmulatorStore.read`, where nothing else runs.
struct OrgCatalog: QueryCatalog {
    let org: OrgState

    private var shape: CatalogSnapshot { CatalogSnapshot(metadata: org.metadata, live: [:]) }

    func canonicalModule(_ name: String) -> String? { shape.canonicalModule(name) }

    func fieldType(module: String, field: String) -> String? { shape.fieldType(module: module, field: field) }

    func lookupModule(module: String, field: String) -> String? { shape.lookupModule(module: module, field: field) }

    func records(module: String) -> [EmulatorRecord] {
        var out: [EmulatorRecord] = []
        visitRecords(module: module, reversed: false) { record in
            out.append(record)
            return true
        }
        return out
    }

    func record(module: String, id: String) -> EmulatorRecord? {
        let name = canonicalModule(module) ?? module
        if name == "users" { return userRecords.first { $0["id"].stringValue == id } }
        guard let record = org.stored(name, id), Self.visible(record, module: name) else { return nil }
        return record
    }

    func visitRecords(module: String, reversed: Bool, _ visit: (EmulatorRecord) -> Bool) {
        let name = canonicalModule(module) ?? module
        if name == "users" {
            for user in reversed ? userRecords.reversed() : userRecords where !visit(user) { return }
            return
        }
        org.tables[name]?.visit(reversed: reversed) { record in
            Self.visible(record, module: name) ? visit(record) : true
        }
    }

    func idOrderIsNumeric(module: String) -> Bool {
        org.tables[canonicalModule(module) ?? module]?.idsAreUniform ?? false
    }

    func records(module: String, keys: Set<RecordKey>) -> [EmulatorRecord]? {
        let name = canonicalModule(module) ?? module
        guard let table = org.tables[name], let spec = org.metadata.module(name) else { return nil }
        var ids: Set<String> = []
        for key in keys {
            switch key {
            case .id(let id):
                // Numeric equality is string equality only for plain ids.
                guard table.idsAreUniform else { return nil }
                ids.insert(id)
            case .lookup(let field, let parent):
                guard let canonical = spec.fields.first(where: { $0.apiName.lowercased() == field.lowercased() }),
                    table.lookupFields.contains(canonical.apiName)
                else { return nil }
                ids.formUnion(table.children(field: canonical.apiName, parent: parent))
            }
        }
        return table.records(ids).filter { Self.visible($0, module: name) }
    }

    /// Live, and for Leads not converted: what COQL, search and default reads see.
    static func visible(_ record: EmulatorRecord, module: String) -> Bool {
        record["$deleted"] != .bool(true) && (module != "Leads" || record["Converted__s"] != .bool(true))
    }

    /// The org's users as records of the `users` module.
    var userRecords: [EmulatorRecord] {
        org.users.map { u in
            [
                "id": .string(u.id), "email": .string(u.email), "full_name": .string(u.fullName),
                "name": .string(u.fullName), "first_name": .string(u.firstName), "last_name": .string(u.lastName),
                "status": .string(u.status), "role": ["name": .string(u.role)], "profile": ["name": .string(u.profile)],
            ]
        }
    }
}
