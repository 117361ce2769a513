/// The org's metadata: standard modules with the fixture's picklist values and unique fields, and stable ids.
struct OrgMetadata: Sendable {
    let idPrefix: String
    let modules: [ModuleSpec]
    let uniqueFields: [String: [String]]
    let disabled: Set<String>

    init(fixture: EmulatorFixture) {
        disabled = Set(fixture.disabledModules)
        idPrefix = fixture.idPrefix
        uniqueFields = fixture.uniqueFields
        modules = StandardMetadata.modules.map { spec in
            var spec = spec
            let extra = fixture.picklistValues[spec.apiName] ?? [:]
            for (index, field) in spec.fields.enumerated() {
                if let values = extra[field.apiName] {
                    var merged = field.picklist
                    for v in values where !merged.contains(v) { merged.append(v) }
                    spec.fields[index].picklist = merged
                    if field.dataType != "picklist" && field.dataType != "multiselectpicklist" {
                        spec.fields[index].dataType = "picklist"
                    }
                }
            }
            return spec
        }
    }

    /// Zoho's answer for a module removed in Organize Modules.
    func permission(_ modules: String...) -> ZohoAPIError? {
        let off = modules.filter { disabled.contains($0) }
        guard !off.isEmpty else { return nil }
        return ZohoAPIError(
            .forbidden,
            "NO_PERMISSION",
            "permission denied",
            details: ["permissions": .array(off.map { .string("Crm_Implied_View_\($0)") })]
        )
    }

    /// A 19-digit id from the org prefix and a serial.
    func id(_ serial: Int64) -> String {
        let digits = String(serial)
        return idPrefix + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    func module(_ name: String) -> ModuleSpec? {
        modules.first { $0.apiName.caseInsensitiveCompare(name) == .orderedSame }
    }

    func moduleIndex(_ name: String) -> Int? {
        modules.firstIndex { $0.apiName == name }
    }

    /// Module ids are fixed per module position so they are stable within (and across loads of) a fixture.
    func moduleID(_ name: String) -> String {
        id(2_175 + 2 * Int64(moduleIndex(name) ?? 99))
    }

    /// The line-item sub-modules of the inventory modules, which Zoho names in a subform's `associated_module`.
    static let lineItemModules = ["Quoted_Items", "Ordered_Items", "Invoiced_Items"]

    /// A line-item sub-module's id, after the range module ids use.
    func lineItemModuleID(_ name: String) -> String {
        id(2_375 + Int64(Self.lineItemModules.firstIndex(of: name) ?? 9))
    }

    func fieldID(module: String, field: String) -> String {
        let m = Int64(moduleIndex(module) ?? 99)
        let f = Int64(self.module(module)?.fields.firstIndex { $0.apiName == field } ?? 999)
        return id(100_000 + m * 1_000 + f)
    }

    func pipelineStages(_ pipeline: String) -> [String]? {
        guard pipeline == StandardMetadata.standardPipeline else { return nil }
        return module("Deals")?.field("Stage")?.picklist.filter { $0 != "-None-" }
    }
}

/// The read-only view of the org the query code evaluates against.
struct CatalogSnapshot: QueryCatalog {
    let metadata: OrgMetadata
    let live: [String: [EmulatorRecord]]

    func canonicalModule(_ name: String) -> String? {
        metadata.module(name)?.apiName ?? (name.lowercased() == "users" ? "users" : nil)
    }

    /// The fields of the `users` module as COQL and lookups (`Owner.email`) see them.
    static let userFields: [String: String] = [
        "id": "bigint", "email": "email", "full_name": "text", "first_name": "text", "last_name": "text",
        "status": "picklist", "role": "lookup", "profile": "lookup", "name": "text",
    ]

    func fieldType(module: String, field: String) -> String? {
        if module.lowercased() == "users" {
            return Self.userFields.first { $0.key.caseInsensitiveCompare(field) == .orderedSame }?.value
        }
        return metadata.module(module)?.fields.first { $0.apiName.caseInsensitiveCompare(field) == .orderedSame }?
            .dataType
    }

    func lookupModule(module: String, field: String) -> String? {
        metadata.module(module)?.fields.first { $0.apiName.caseInsensitiveCompare(field) == .orderedSame }?
            .lookupModule
    }

    func records(module: String) -> [EmulatorRecord] {
        live[canonicalModule(module) ?? module] ?? []
    }

    func record(module: String, id: String) -> EmulatorRecord? {
        records(module: module).first { $0["id"].stringValue == id }
    }
}
