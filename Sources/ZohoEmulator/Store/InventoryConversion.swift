import Foundation

extension OrgState {
    /// The legal inventory conversions (Zoho's mass-convert page).
    static let inventoryTargets: [String: [String]] = [
        "Quotes": ["Sales_Orders", "Invoices"], "Sales_Orders": ["Invoices"],
    ]
    static let lineItemsKey = ["Quotes": "Quoted_Items", "Sales_Orders": "Ordered_Items", "Invoices": "Invoiced_Items"]
    /// The lookup a child carries back to its parent. Zoho's standard Invoices have no Quote lookup (reference
    /// note Q1), so a Quote converted to an Invoice leaves no back-link; only `Sales_Order` links an Invoice back.
    static let backLinks: [String: (parent: String, field: String)] = [
        "Sales_Orders": ("Quotes", "Quote_Name"), "Invoices": ("Sales_Orders", "Sales_Order"),
    ]
    private static let notCopied: Set<String> = [
        "id", "Owner", "Created_By", "Modified_By", "Created_Time", "Modified_Time", "Tag", "Locked__s", "Status",
        "Sub_Total", "Grand_Total",
    ]

    /// Why a parent record cannot be converted to `target`, or nil.
    func inventoryRefusal(parent: String, id: String, target: String) -> ZohoAPIError? {
        guard let record = record(parent, id) else {
            return .invalidData(["id": .string(id)])
        }
        // The single convert names the record in its URL: the OAS answers these top level, `resource_path_index`.
        if record["$approval_state"].stringValue.map({ $0 != "approved" }) ?? false {
            return .urlRecord("NOT_APPROVED", "record not approved")
        }
        if record["Locked__s"] == .bool(true) {
            return ZohoAPIError(.badRequest, "RECORD_LOCKED", "Record is locked", details: ["id": .string(id)])
        }
        if alreadyConverted(parent: parent, id: id, target: target) {
            return .urlRecord("ID_ALREADY_CONVERTED", "id already converted")
        }
        return nil
    }

    func alreadyConverted(parent: String, id: String, target: String) -> Bool {
        if let child = inventoryConversions["\(parent)/\(id)/\(target)"], record(target, child) != nil { return true }
        guard let link = Self.backLinks[target], link.parent == parent else { return false }
        // Through the back-link index: this runs for every record a mass convert names.
        return !liveChildren(target, field: link.field, parent: id).isEmpty
    }

    /// Converts one Quote or Sales Order: creates the child with its back-link, line items, owner and (when asked)
    /// tags, and hands the parent's related activities of `relatedModules` to the child.
    mutating func convertInventory(
        parent: String,
        id: String,
        target: String,
        carryTags: Bool,
        assignTo: String?,
        relatedModules: [String],
        now: Date
    ) throws(ZohoAPIError) -> (id: String, name: String) {
        if let refusal = inventoryRefusal(parent: parent, id: id, target: target) { throw refusal }
        guard let source = record(parent, id), let targetSpec = metadata.module(target) else {
            throw .invalidData(["id": .string(id)])
        }
        let owner: JSONValue
        if let assignTo {
            guard let u = user(id: assignTo) else {
                throw .invalidData(["api_name": "assign_to", "json_path": "$.assign_to"])
            }
            owner = u.ownerValue
        } else {
            owner = source["Owner"].orNull
        }
        // Building the child takes ids and may create tags; a refusal puts both back, so nothing changes. (A copy
        // of the whole org would do the same, at the price of copying the target module on every conversion.)
        let (savedSerial, savedTags) = (serial, tags)
        let child = inventoryChild(
            of: (parent, id, source),
            spec: targetSpec,
            owner: owner,
            carryTags: carryTags,
            now: now
        )
        if let duplicate = duplicate(module: target, candidate: child, excluding: nil) {
            (serial, tags) = (savedSerial, savedTags)
            // HTTP 400, as the v8 example shows (the v7 page's 401 is outdated; findings, contradiction 1).
            throw ZohoAPIError(
                .badRequest,
                "DUPLICATE_DATA",
                "duplicate data",
                details: duplicateDetails(
                    module: target,
                    field: duplicate.field,
                    existing: duplicate.record,
                    path: "$.\(duplicate.field)"
                )
            )
        }
        let childID = child["id"].idString
        put(target, child, id: childID)
        inventoryConversions["\(parent)/\(id)/\(target)"] = childID
        moveActivities(
            from: (parent, id),
            to: (target, childID),
            modules: relatedModules,
            owner: assignTo.flatMap { user(id: $0) }
        )
        return (childID, displayName(target, child))
    }

    /// The child a conversion creates (not yet stored): the parent's fields the target has, fresh line items,
    /// the back-link, the owner, tags when carried, and new system fields; ids come from this org's sequence.
    private mutating func inventoryChild(
        of parent: (module: String, id: String, record: EmulatorRecord),
        spec: ModuleSpec,
        owner: JSONValue,
        carryTags: Bool,
        now: Date
    ) -> EmulatorRecord {
        let source = parent.record
        let target = spec.apiName
        var child: EmulatorRecord = [:]
        for field in spec.fields where !Self.notCopied.contains(field.apiName) {
            if let value = source[field.apiName], !value.isNull {
                child[field.apiName] = value
            }
        }
        if let from = Self.lineItemsKey[parent.module], let to = Self.lineItemsKey[target],
            let items = source[from].arrayValue
        {
            child[from] = nil
            child[to] = .array(
                items.map { item in
                    var row = item.objectValue ?? [:]
                    row["id"] = .string(nextID())
                    return .object(row)
                }
            )
        }
        if let link = Self.backLinks[target], link.parent == parent.module {
            child[link.field] = lookupValue(parent.module, parent.id)
        }
        child["id"] = .string(nextID())
        child["Owner"] = owner
        child["Status"] = "Created"
        if target == "Invoices" { child["Invoice_Date"] = .string(ZohoTime.date(now)) }
        child["Sub_Total"] = source["Sub_Total"].orNull
        child["Grand_Total"] = source["Grand_Total"].orNull
        let tagNames = carryTags ? Self.tagNames(source["Tag"]) : []
        child["Tag"] = .array(tagObjects(module: target, names: tagNames))
        child["Locked__s"] = false
        child["$approval_state"] = "approved"
        child["Created_Time"] = .string(ZohoTime.dateTime(now))
        child["Modified_Time"] = child["Created_Time"]
        child["Created_By"] = users[0].minified
        child["Modified_By"] = users[0].minified
        return child
    }

    /// Re-points activities related to a record (What_Id) at another, optionally handing them to a new owner.
    mutating func moveActivities(from: (String, String), to: (String, String), modules: [String], owner: OrgUser?) {
        for module in modules {
            guard let spec = metadata.module(module), spec.field("What_Id") != nil else { continue }
            for var r in children(spec.apiName, field: "What_Id", parent: from.1) {
                r["What_Id"] = lookupValue(to.0, to.1)
                r["$se_module"] = .string(to.0)
                if let owner { r["Owner"] = owner.ownerValue }
                put(spec.apiName, r, id: r["id"].idString)
            }
        }
    }

    /// The first unique-field clash a new or changed record would cause, by the module's unique fields in order.
    func duplicate(
        module: String,
        candidate: EmulatorRecord,
        excluding: String?
    ) -> (field: String, record: EmulatorRecord)? {
        let fields = metadata.uniqueFields[module] ?? []
        guard !fields.isEmpty else { return nil }
        // Through the value index; the clash reported is the lowest id, as `live` order would give.
        guard let table = tables[module] else { return nil }
        for field in fields {
            guard let value = Self.comparable(candidate[field]) else { continue }
            let ids = table.ids(field: field, comparable: value)?.sorted() ?? table.sortedIDs
            let found = ids.first { id in
                guard id != excluding, let r = table[id], r["$deleted"] != .bool(true) else { return false }
                return Self.comparable(r[field]) == value
            }
            if let found, let record = table[found] { return (field, record) }
        }
        return nil
    }

    static func comparable(_ v: JSONValue?) -> String? {
        switch v ?? .null {
        case .string(let s) where !s.isEmpty: s.lowercased()
        case .int(let i): String(i)
        case .double(let d): String(d)
        default: nil
        }
    }

    /// DUPLICATE_DATA details as Zoho's examples give them: the clashing field and the record it clashes with
    /// (`duplicate_record {id, Owner{name,id,zuid}, module{api_name,id}}`), and `more_records`.
    func duplicateDetails(module: String, field: String, existing: EmulatorRecord, path: String) -> [String: JSONValue]
    {
        let ownerID = existing["Owner"]["id"]
        let zuid = ownerID.stringValue.flatMap { user(id: $0) }?.zuid
        return [
            "api_name": .string(field), "json_path": .string(path),
            "duplicate_record": [
                "id": existing["id"].orNull,
                "module": ["api_name": .string(module), "id": .string(metadata.moduleID(module))],
                "Owner": [
                    "name": existing["Owner"]["name"], "id": ownerID, "zuid": zuid.map(JSONValue.string) ?? .null,
                ],
            ],
            "more_records": .bool(duplicateCount(module: module, field: field, value: existing[field]) > 1),
        ]
    }

    /// How many live records of `module` hold `value` in `field` (compared as unique fields are).
    func duplicateCount(module: String, field: String, value: JSONValue?) -> Int {
        guard let key = Self.comparable(value) else { return 0 }
        return liveMatching(module, field: field, comparable: key) { Self.comparable($0[field]) == key }.count
    }
}
