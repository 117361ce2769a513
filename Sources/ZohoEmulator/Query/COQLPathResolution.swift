/// A field reference resolved against the metadata: the module each hop lands in and the final field's type.
struct ResolvedPath: Sendable {
    /// The path as written.
    let path: COQLPath
    /// For each part, the module it is a field of.
    let modules: [String]
    /// The final field's Zoho `data_type`.
    let dataType: String

    var kind: FieldKind { FieldKind(dataType: dataType) }

    /// The value this path reaches from `record`, following lookups through the catalog.
    ///
    /// When the catalog has no record for a lookup's id (users, for instance, may live outside the record store),
    /// the lookup's embedded object (`{"id", "name", "email"}`) answers instead.
    func value(in record: EmulatorRecord, catalog: some QueryCatalog) -> JSONValue {
        var current: EmulatorRecord? = record
        var embedded: JSONValue = .null
        for (position, part) in path.parts.enumerated() {
            let value: JSONValue
            if let current {
                value = current.queryField(part)
            } else {
                value = embedded.objectValue?.queryField(part) ?? .null
            }
            if position == path.parts.count - 1 { return value }
            guard let id = value.lookupID else { return .null }
            current = catalog.record(module: modules[position + 1], id: id)
            embedded = value
        }
        return .null
    }
}

/// Built-in field types of the users module, used only when the catalog does not describe `users` itself.
let userFieldTypes: [String: String] = [
    "id": "bigint", "email": "email", "full_name": "text", "first_name": "text", "last_name": "text",
    "status": "picklist", "name": "text",
]

/// Resolves one dotted path against the catalog, or throws Zoho's error for it.
func resolvePath(
    _ path: COQLPath,
    module: String,
    catalog: some QueryCatalog
) throws(QueryError) -> ResolvedPath {
    guard path.parts.count - 1 <= COQLRunner.maxJoins else {
        throw .limitExceeded(
            by: "lookup",
            limit: COQLRunner.maxJoins,
            message: "lookup fields can be joined at most two levels deep"
        )
    }
    if let prefix = path.modulePrefix, catalog.canonicalModule(prefix) != module {
        throw .invalidColumn("!\(prefix).\(path.text)", module: module)
    }
    var modules = [module]
    var dataType = ""
    for (position, part) in path.parts.enumerated() {
        let current = modules[position]
        guard let type = fieldType(module: current, field: part, catalog: catalog) else {
            throw .invalidColumn(path.text, module: module)
        }
        dataType = type
        if position < path.parts.count - 1 {
            guard FieldKind(dataType: type).isLookup,
                let target = catalog.lookupModule(module: current, field: part)
                    ?? (FieldKind(dataType: type) == .owner ? "users" : nil)
            else {
                throw .invalidColumn(path.text, module: module)
            }
            modules.append(catalog.canonicalModule(target) ?? target)
        }
    }
    return ResolvedPath(path: path, modules: modules, dataType: dataType)
}

func fieldType(module: String, field: String, catalog: some QueryCatalog) -> String? {
    if let type = catalog.fieldType(module: module, field: field) { return type }
    if field == "id" { return "bigint" }
    if module.lowercased() == "users" { return userFieldTypes[field] }
    return nil
}
