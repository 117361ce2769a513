import Foundation

/// What a lead conversion asks for (single convert's `data[0]` or mass convert's body).
struct LeadConversionOptions: Sendable {
    var overwrite = false
    var notifyLeadOwner = false
    var notifyNewEntityOwner = false
    /// Contacts, Accounts or Deals; Zoho's default is Contacts.
    var moveAttachmentsTo: String?
    var accountID: String?
    var contactID: String?
    var assignTo: String?
    var deal: EmulatorRecord?
    /// Single convert: tag names to put on each new record, by module.
    var tagsByModule: [String: [String]] = [:]
    /// Mass convert: modules that receive all of the lead's tags.
    var carryAllTagsTo: [String] = []
    /// Mass convert: activity modules whose records follow the lead and go to `assignTo`.
    var relatedModules: [String] = []
    /// Where errors point in the request body (`$.data[0]` or `$`).
    var jsonPathRoot = "$.data[0]"
}

extension OrgState {
    /// Why a lead cannot be converted, checked in Zoho's order.
    func leadRefusal(id: String, pathIndex: Int = 1) -> ZohoAPIError? {
        guard let lead = record("Leads", id) else {
            return .invalidData(["resource_path_index": .int(Int64(pathIndex))]
            )
        }
        // The lead is named in the URL, so the OAS points at it with `resource_path_index`.
        if lead["Converted__s"] == .bool(true) { return .urlRecord("ID_ALREADY_CONVERTED", "id already converted") }
        if lead["$approval_state"].stringValue.map({ $0 != "approved" }) ?? false {
            return .urlRecord("NOT_APPROVED", "record not approved")
        }
        if lead["Locked__s"] == .bool(true) {
            return ZohoAPIError(.badRequest, "RECORD_LOCKED", "Record is locked", details: ["id": .string(id)])
        }
        return nil
    }

    /// Fields of the lead mapped into `target` by the Leads fields' `convert_mapping`.
    func mapped(lead: EmulatorRecord, to target: String) -> EmulatorRecord {
        var out: EmulatorRecord = [:]
        for field in metadata.module("Leads")?.fields ?? [] {
            if let dest = field.convertMapping[target], !lead[field.apiName].isNull {
                out[dest] = lead[field.apiName]
            }
        }
        return out
    }

    /// Converts a lead into a Contact, an Account (when it has a Company or one is given) and optionally a Deal.
    /// Returns the `details` object of Zoho's success answer. Nothing changes unless everything succeeds.
    mutating func convertLead(
        id: String,
        options: LeadConversionOptions,
        now: Date
    ) throws(ZohoAPIError)
        -> JSONValue
    {
        if let refusal = leadRefusal(id: id) { throw refusal }
        // Kaizen 137: with Contacts removed from Organize Modules, leads cannot be converted.
        if let denied = metadata.permission("Contacts") { throw denied }
        guard let lead = record("Leads", id) else { throw .invalidData(["resource_path_index": 1]) }
        // Everything is checked before anything is written.
        let newOwner = try conversionOwner(lead: lead, options: options)
        let given = try mergeTargets(options)
        let dealFields = try dealDraft(lead: lead, options: options)
        // createPeople checks everything before it writes; only the ids it took need putting back on a refusal.
        let savedSerial = serial
        let created: (account: EmulatorRecord?, contact: EmulatorRecord)
        do throws(ZohoAPIError) {
            created = try createPeople(lead: lead, given: given, options: options, owner: newOwner, now: now)
        } catch {
            serial = savedSerial
            throw error
        }
        var deal: EmulatorRecord?
        if var d = dealFields {
            d["id"] = .string(nextID())
            stampCreated(&d, owner: newOwner, now: now)
            if let a = created.account { d["Account_Name"] = lookupValue("Accounts", a["id"].idString) }
            d["Contact_Name"] = lookupValue("Contacts", created.contact["id"].idString)
            put("Deals", d, id: d["id"].idString)
            deal = d
        }
        carryTags(
            lead: lead,
            options: options,
            to: [
                ("Contacts", created.contact), ("Accounts", created.account), ("Deals", deal),
            ]
        )
        let converted = ConvertedRecords(contact: created.contact, account: created.account, deal: deal)
        moveRelated(leadID: id, to: converted, options: options, owner: newOwner)
        markConverted(lead: lead, into: converted, now: now)
        func summary(_ module: String, _ r: EmulatorRecord?) -> JSONValue {
            guard let r, let rid = r["id"].stringValue else { return .null }
            return ["name": .string(displayName(module, stored(module, rid) ?? r)), "id": .string(rid)]
        }
        return [
            "Contacts": summary("Contacts", created.contact), "Accounts": summary("Accounts", created.account),
            "Deals": summary("Deals", deal),
        ]
    }

    /// What one conversion produced or merged into.
    struct ConvertedRecords {
        var contact: EmulatorRecord
        var account: EmulatorRecord?
        var deal: EmulatorRecord?
    }

    /// The owner of what is created: `assign_to`, else the lead's owner.
    private func conversionOwner(lead: EmulatorRecord, options: LeadConversionOptions) throws(ZohoAPIError) -> OrgUser {
        guard let assign = options.assignTo else { return user(matching: lead["Owner"]) ?? users[0] }
        guard let u = user(id: assign) else {
            throw .invalidData(["api_name": "assign_to", "json_path": .string("\(options.jsonPathRoot).assign_to")])
        }
        return u
    }

    /// The Account and Contact the request names to merge into: live, unlocked, and the contact not tied to
    /// another account.
    private func mergeTargets(
        _ options: LeadConversionOptions
    ) throws(ZohoAPIError) -> (account: EmulatorRecord?, contact: EmulatorRecord?) {
        let root = options.jsonPathRoot
        func target(_ module: String, _ id: String?) throws(ZohoAPIError) -> EmulatorRecord? {
            guard let id else { return nil }
            let details: [String: JSONValue] = ["api_name": .string(module), "json_path": .string("\(root).\(module)")]
            guard let r = record(module, id) else { throw .invalidData(details) }
            if r["Locked__s"] == .bool(true) {
                throw ZohoAPIError(.badRequest, "RECORD_LOCKED", "Record is locked", details: details)
            }
            return r
        }
        let account = try target("Accounts", options.accountID)
        let contact = try target("Contacts", options.contactID)
        if let account, let contact, let linked = contact["Account_Name"]["id"].stringValue,
            linked != account["id"].stringValue
        {
            throw .invalidData(["api_name": "Contacts", "json_path": .string("\(root).Contacts")])
        }
        return (account, contact)
    }

    /// The deal's fields (mapped from the lead, then the request's), after Zoho's checks: Deal_Name, Closing_Date
    /// and Stage required, the Stage in the Pipeline.
    private func dealDraft(
        lead: EmulatorRecord,
        options: LeadConversionOptions
    ) throws(ZohoAPIError)
        -> EmulatorRecord?
    {
        guard let deal = options.deal else { return nil }
        let dealsPath = "\(options.jsonPathRoot).Deals"
        for required in ["Deal_Name", "Closing_Date", "Stage"] where deal[required]?.isNull ?? true {
            throw ZohoAPIError.mandatoryNotFound(required, "\(dealsPath).\(required)")
        }
        let pipeline = deal["Pipeline"]?.stringValue ?? StandardMetadata.standardPipeline
        guard let stages = metadata.pipelineStages(pipeline) else {
            throw .invalidData(["api_name": "Pipeline", "json_path": .string("\(dealsPath).Pipeline")])
        }
        guard let stage = deal["Stage"]?.stringValue, stages.contains(stage) else {
            throw ZohoAPIError(
                .badRequest,
                "MAPPING_MISMATCH",
                "Pipeline doesn`t contain the Stage",
                details: [
                    "mapped_field": "Pipeline",
                    "api_name": "Stage", "json_path": .string("\(dealsPath).Stage"),
                ]
            )
        }
        guard let spec = metadata.module("Deals") else { throw ZohoAPIError.invalidModule() }
        var fields = mapped(lead: lead, to: "Deals")
        for (k, v) in deal where spec.field(k) != nil && !(spec.field(k)?.readOnly ?? false) { fields[k] = v }
        fields["Pipeline"] = .string(pipeline)
        return fields
    }

    /// System fields of a record the conversion creates.
    private func stampCreated(_ r: inout EmulatorRecord, owner: OrgUser, now: Date) {
        r["Owner"] = owner.ownerValue
        r["Created_By"] = users[0].minified
        r["Modified_By"] = users[0].minified
        r["Created_Time"] = .string(ZohoTime.dateTime(now))
        r["Modified_Time"] = r["Created_Time"]
        r["Locked__s"] = false
        r["$approval_state"] = "approved"
        if r["Tag"].isNull { r["Tag"] = [] }
    }

    /// A new record mapped from the lead, refused with DUPLICATE_DATA when it clashes on a unique field.
    private mutating func newFromLead(
        _ lead: EmulatorRecord,
        module: String,
        owner: OrgUser,
        options: LeadConversionOptions,
        now: Date
    ) throws(ZohoAPIError) -> EmulatorRecord {
        var r = mapped(lead: lead, to: module)
        r["id"] = .string(nextID())
        stampCreated(&r, owner: owner, now: now)
        if let dup = duplicate(module: module, candidate: r, excluding: nil) {
            throw ZohoAPIError(
                .badRequest,
                "DUPLICATE_DATA",
                "duplicate data",
                details: duplicateDetails(
                    module: module,
                    field: dup.field,
                    existing: dup.record,
                    path: "\(options.jsonPathRoot).\(module).\(dup.field)"
                )
            )
        }
        return r
    }

    /// The account (given, the merged contact's own, or new from the Company) and the contact (merged or new),
    /// written to the org and linked.
    private mutating func createPeople(
        lead: EmulatorRecord,
        given: (account: EmulatorRecord?, contact: EmulatorRecord?),
        options: LeadConversionOptions,
        owner: OrgUser,
        now: Date
    ) throws(ZohoAPIError) -> (account: EmulatorRecord?, contact: EmulatorRecord) {
        var account = given.account
        let company = lead["Company"].stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if account == nil, let contact = given.contact, let linked = contact["Account_Name"]["id"].stringValue,
            let a = record("Accounts", linked)
        {
            let differs =
                company.map { $0.caseInsensitiveCompare(a["Account_Name"].stringValue ?? "") != .orderedSame } ?? false
            if !(options.overwrite && differs) { account = a }
        }
        var createdAccount = false
        if account == nil, company != nil {
            account = try newFromLead(lead, module: "Accounts", owner: owner, options: options, now: now)
            createdAccount = true
        }
        let createdContact = given.contact == nil
        var contact: EmulatorRecord
        if let merged = given.contact {
            contact = merged
        } else {
            contact = try newFromLead(lead, module: "Contacts", owner: owner, options: options, now: now)
        }
        if let a = account, createdAccount { put("Accounts", a, id: a["id"].idString) }
        if let a = account {
            let linked = contact["Account_Name"]["id"].stringValue
            if linked == nil || options.overwrite || createdContact {
                contact["Account_Name"] = lookupValue("Accounts", a["id"].idString)
            }
        }
        OrgState.computeDerived(module: "Contacts", record: &contact)
        if !createdContact { contact["Modified_Time"] = .string(ZohoTime.dateTime(now)) }
        put("Contacts", contact, id: contact["id"].idString)
        return (account, contact)
    }

    /// Tags named per module in the request, and (mass convert) all the lead's tags for `carryAllTagsTo`.
    private mutating func carryTags(
        lead: EmulatorRecord,
        options: LeadConversionOptions,
        to targets: [(String, EmulatorRecord?)]
    ) {
        let leadTags = Self.tagNames(lead["Tag"])
        for (module, target) in targets {
            guard let target, let tid = target["id"].stringValue else { continue }
            var names = options.tagsByModule[module] ?? []
            if options.carryAllTagsTo.contains(module) { names += leadTags }
            guard !names.isEmpty, var r = stored(module, tid) else { continue }
            let existing = Self.tagNames(r["Tag"])
            r["Tag"] = .array(tagObjects(module: module, names: existing + names))
            put(module, r, id: tid)
        }
    }

    /// Attachments go to `move_attachments_to` (Contacts by default), notes to the contact, activities to the
    /// contact (Who_Id) and account (What_Id); `related_modules` activities also go to the new owner.
    private mutating func moveRelated(
        leadID: String,
        to converted: ConvertedRecords,
        options: LeadConversionOptions,
        owner: OrgUser
    ) {
        let contactID = converted.contact["id"].idString
        var attachmentTarget = ("Contacts", contactID)
        if options.moveAttachmentsTo == "Accounts", let a = converted.account {
            attachmentTarget = ("Accounts", a["id"].idString)
        }
        if options.moveAttachmentsTo == "Deals", let d = converted.deal {
            attachmentTarget = ("Deals", d["id"].idString)
        }
        for (module, target) in [("Attachments", attachmentTarget), ("Notes", ("Contacts", contactID))] {
            for var r in children(module, field: "Parent_Id", parent: leadID) {
                r["Parent_Id"] = lookupValue(target.0, target.1)
                r["$se_module"] = .string(target.0)
                put(module, r, id: r["id"].idString)
            }
        }
        for module in ["Calls", "Tasks", "Events"] {
            let newOwnerForActivity = options.relatedModules.contains(module) ? owner : nil
            let related = Set(
                (children(module, field: "Who_Id", parent: leadID) + children(module, field: "What_Id", parent: leadID))
                    .map { $0["id"].idString }
            )
            for rid in related.sorted() {
                guard var r = stored(module, rid) else { continue }
                if r["Who_Id"]["id"].stringValue == leadID { r["Who_Id"] = lookupValue("Contacts", contactID) }
                if r["What_Id"]["id"].stringValue == leadID {
                    if let a = converted.account {
                        r["What_Id"] = lookupValue("Accounts", a["id"].idString)
                        r["$se_module"] = "Accounts"
                    } else {
                        r["What_Id"] = .null
                    }
                }
                if let newOwnerForActivity { r["Owner"] = newOwnerForActivity.ownerValue }
                put(module, r, id: rid)
            }
        }
    }

    /// The lead itself: converted, with lookups to what it became.
    private mutating func markConverted(lead: EmulatorRecord, into converted: ConvertedRecords, now: Date) {
        var updated = lead
        updated["Converted__s"] = true
        updated["Converted_Date_Time"] = .string(ZohoTime.dateTime(now))
        updated["Converted_Contact"] = lookupValue("Contacts", converted.contact["id"].idString)
        updated["Converted_Account"] = converted.account.map { lookupValue("Accounts", $0["id"].idString) } ?? .null
        updated["Converted_Deal"] = converted.deal.map { lookupValue("Deals", $0["id"].idString) } ?? .null
        updated["$converted_detail"] = [
            "converted_by": users[0].minified, "converted_date_time": .string(ZohoTime.dateTime(now)),
        ]
        put("Leads", updated, id: lead["id"].idString)
    }

    /// The `__conversion_options` object, or nil when there is nothing to offer (Zoho answers 204).
    ///
    /// Matching follows Kaizen 137: Contacts by unique fields then Email (by name too when the org has no unique
    /// Contacts fields); Accounts by unique fields then Account_Name against the lead's Company.
    func conversionOptions(leadID: String) throws(ZohoAPIError) -> JSONValue? {
        if let refusal = leadRefusal(id: leadID) { throw refusal }
        guard let lead = record("Leads", leadID) else {
            throw .invalidData(["resource_path_index": 1])
        }
        // Kaizen 137: no Contacts module, nothing to offer; no Accounts module, no account matching.
        if metadata.disabled.contains("Contacts") { return nil }
        let contactUnique = metadata.uniqueFields["Contacts"] ?? []
        let accountUnique = metadata.uniqueFields["Accounts"] ?? []
        let contacts = matches(
            for: lead,
            in: "Contacts",
            criteria: contactUnique + ["Email"],
            byName: contactUnique.isEmpty
        )
        let hasCompany = !(lead["Company"].stringValue ?? "").isEmpty && !metadata.disabled.contains("Accounts")
        let accounts =
            hasCompany
            ? matches(for: lead, in: "Accounts", criteria: accountUnique + ["Account_Name"], byName: false)
            : ConversionMatches()
        guard !contacts.records.isEmpty || !accounts.records.isEmpty else { return nil }
        let contactRows = contacts.records.map(conversionContact)
        let accountRows = accounts.records.map(conversionAccount)
        let preferred = contacts.records.isEmpty ? "Accounts" : "Contacts"
        return [
            "module_preference": ["api_name": .string(preferred), "id": .string(metadata.moduleID(preferred))],
            "Contacts": contactRows.isEmpty ? .null : .array(contactRows),
            "Accounts": accountRows.isEmpty ? .null : .array(accountRows),
            "Deals": [],
            "preference_field_matched_value": [
                "Contacts": contacts.fields.isEmpty ? .null : .array(contacts.fields),
                "Accounts": accounts.fields.isEmpty ? .null : .array(accounts.fields),
                "Deals": [],
            ],
            "modules_with_multiple_layouts": [],
        ]
    }

    /// Records of one module a lead would match, and the fields that matched (each once, in criteria order).
    struct ConversionMatches {
        var records: [EmulatorRecord] = []
        var fields: [JSONValue] = []

        mutating func add(_ hits: [EmulatorRecord], field: JSONValue) {
            fields.append(field)
            for h in hits where !records.contains(where: { $0["id"] == h["id"] }) { records.append(h) }
        }
    }

    /// The records of `module` whose `criteria` fields equal the lead's mapped values (and, `byName`, whose
    /// Full_Name equals the lead's).
    private func matches(
        for lead: EmulatorRecord,
        in module: String,
        criteria: [String],
        byName: Bool
    ) -> ConversionMatches {
        let leadFields = metadata.module("Leads")?.fields ?? []
        func fieldRef(_ field: String) -> JSONValue {
            ["api_name": .string(field), "id": .string(metadata.fieldID(module: module, field: field))]
        }
        var found = ConversionMatches()
        for field in criteria {
            // The lead field that converts into `field`, else the field of the same name.
            let source = leadFields.first { $0.convertMapping[module] == field }?.apiName ?? field
            let value = lead[source].orNull
            guard let key = Self.comparable(value) else { continue }
            let hits = liveMatching(module, field: field, comparable: key) { Self.comparable($0[field]) == key }
            guard !hits.isEmpty else { continue }
            found.add(hits, field: ["field": fieldRef(field), "matched_lead_value": .string(value.stringValue ?? key)])
        }
        if byName, let name = lead["Full_Name"].stringValue.map({ $0.lowercased() }), !name.isEmpty {
            let hits = liveMatching(module, field: "Full_Name", comparable: name) {
                $0["Full_Name"].stringValue?.lowercased() == name
            }
            if !hits.isEmpty {
                found.add(
                    hits,
                    field: ["field": fieldRef("Full_Name"), "matched_lead_value": lead["Full_Name"].orNull]
                )
            }
        }
        return found
    }

    private func conversionContact(_ c: EmulatorRecord) -> JSONValue {
        var account: JSONValue = .null
        if let aid = c["Account_Name"]["id"].stringValue, let a = record("Accounts", aid) {
            account = ["name": a["Account_Name"].orNull, "id": .string(aid), "Locked__s": a["Locked__s"].orNull]
        }
        return [
            "id": c["id"].orNull, "Full_Name": c["Full_Name"].orNull, "Email": c["Email"].orNull,
            "Phone": c["Phone"].orNull, "Locked__s": c["Locked__s"].orNull, "Account_Name": account,
            "$editable": true,
            "$approval_state": c["$approval_state"].orNull,
        ]
    }

    private func conversionAccount(_ a: EmulatorRecord) -> JSONValue {
        [
            "id": a["id"].orNull, "Account_Name": a["Account_Name"].orNull, "Phone": a["Phone"].orNull,
            "Website": a["Website"].orNull, "Account_Type": a["Account_Type"].orNull,
            "Locked__s": a["Locked__s"].orNull, "$editable": true, "$approval_state": a["$approval_state"].orNull,
            "Layout": ["name": "Standard", "id": .string(metadata.id(91_029))],
        ]
    }
}
