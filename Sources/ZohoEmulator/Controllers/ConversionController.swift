import Foundation
import Hummingbird

/// Inventory mass convert and single convert, lead conversion options, convert lead, lead mass convert.
struct ConversionController: Sendable {
    let store: EmulatorStore

    /// `{module}/actions/mass_convert` (Quotes, Sales Orders, Leads), `Leads/{id}/__conversion_options` and
    /// `{module}/{id}/actions/convert` (Leads, Quotes, Sales Orders).
    func addRoutes(to routes: CRMRoutes) {
        routes.module(only: ["Quotes", "Sales_Orders", "Leads"]).on(
            "actions/mass_convert",
            CRMRoute(.post, writes: true, cost: { c in CRMCost(scope: Self.massConvertScope(c.module, "CREATE")) }) {
                c in
                c.module == "Leads"
                    ? try await massConvertLeads(c.crm) : try await massConvertInventory(c.crm, module: c.module)
            },
            CRMRoute(.get, cost: { c in CRMCost(scope: Self.massConvertScope(c.module, "READ")) }) { c in
                try await jobStatus(c.crm, module: c.module)
            }
        )
        // The emulator's own helper, so other modules get Zoho's answer for a path that does not exist.
        routes.module(only: ["Leads"], otherwise: .invalidURL()).on(
            "{id}/__conversion_options",
            CRMRoute(.get, cost: { c in CRMCost(scope: c.moduleScope("READ")) }) { c in
                try await conversionOptions(leadID: c.parameters.require("id"))
            }
        )
        routes.module(only: ["Leads", "Quotes", "Sales_Orders"]).on(
            "{id}/actions/convert",
            CRMRoute(.post, writes: true, cost: Self.convertCost) { c in
                let id = try c.parameters.require("id")
                return c.module == "Leads"
                    ? try await convertLead(c.crm, id: id) : try await convertInventory(c.crm, module: c.module, id: id)
            }
        )
    }

    /// `ZohoCRM.mass_convert.leads.*` for leads, `ZohoCRM.mass_convert.<Module>.*` for inventory.
    static func massConvertScope(_ module: String, _ operation: String) -> String {
        "ZohoCRM.mass_convert.\(module == "Leads" ? "leads" : module.replacingOccurrences(of: "_", with: "")).\(operation)"
    }

    /// Convert lead is a complex API costing 5 credits; an inventory conversion is an ordinary create.
    static func convertCost(_ c: CRMRequestContext) -> CRMCost {
        c.module == "Leads"
            ? CRMCost(scope: "ZohoCRM.modules.leads.CREATE", complex: true, credits: 5)
            : CRMCost(scope: c.moduleScope("CREATE"))
    }

    // MARK: - Body checks shared by the conversion endpoints

    /// Validates `ids`: present, an array, 1...50, each a long or a string of digits that is a live record of
    /// `module` (an id of another module is AMBIGUITY_DURING_PROCESSING; a deleted one INVALID_DATA).
    static func checkIDs(_ value: JSONValue, module: String, org: OrgState) throws(ZohoAPIError) -> [String] {
        guard !value.isNull else { throw .mandatoryNotFound("ids", "$.ids") }
        guard case .array(let items) = value else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": "ids", "json_path": "$.ids", "expected_data_type": "jsonarray"]
            )
        }
        if items.isEmpty { throw .mandatoryNotFound("ids", "$.ids") }
        if items.count > 50 {
            throw ZohoAPIError(
                .badRequest,
                "LIMIT_EXCEEDED",
                "Limit has been exceeded",
                details: ["limit": 50, "limit_due_to": [["api_name": "ids", "json_path": "$.ids"]]]
            )
        }
        var ids: [String] = []
        for (i, item) in items.enumerated() {
            let path = JSONValue.string("$.ids[\(i)]")
            guard let id = item.idText else {
                throw ZohoAPIError(
                    .badRequest,
                    "INVALID_DATA",
                    "invalid data",
                    details: ["api_name": "ids", "json_path": path, "expected_data_type": "long"]
                )
            }
            guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
                throw .invalidData(["api_name": "ids", "json_path": path]
                )
            }
            if org.exists(module, id) {
                if org.record(module, id) == nil {
                    throw .invalidData(["api_name": "ids", "json_path": path]
                    )
                }
            } else if org.metadata.modules.contains(where: { org.exists($0.apiName, id) }) {
                throw ZohoAPIError(
                    .badRequest,
                    "AMBIGUITY_DURING_PROCESSING",
                    "The ID given does not belong to the module",
                    details: ["ambiguity_due_to": [["api_name": "ids", "json_path": path]]]
                )
            } else {
                throw .invalidData(["api_name": "ids", "json_path": path]
                )
            }
            ids.append(id)
        }
        return ids
    }

    /// The one `convert_to` item: present, an array of exactly one object.
    static func convertToItem(_ value: JSONValue, path: String) throws(ZohoAPIError) -> [String: JSONValue] {
        let itemPath = "\(path)[0]"
        guard !value.isNull else { throw .mandatoryNotFound("convert_to", path) }
        guard case .array(let items) = value else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": "convert_to", "json_path": .string(path), "expected_data_type": "jsonarray"]
            )
        }
        guard let first = items.first else {
            throw ZohoAPIError(
                .badRequest,
                "EXPECTED_FIELD_MISSING",
                "Specify atleast one field",
                details: ["expected_fields": [["api_name": "convert_to", "json_path": .string(path)]]]
            )
        }
        if items.count > 1 {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": "convert_to", "json_path": .string(path), "maximum_length": 1]
            )
        }
        guard case .object(let item) = first else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": "convert_to", "json_path": .string(itemPath), "expected_data_type": "jsonobject"]
            )
        }
        return item
    }

    /// Validates `convert_to` and returns the target module and carry_over_tags.
    static func checkConvertTo(
        _ value: JSONValue,
        parent: String,
        root: String,
        org: OrgState,
        tagsRequired: Bool
    ) throws(ZohoAPIError) -> (target: String, carryTags: Bool) {
        let itemPath = "\(root).convert_to[0]"
        let item = try convertToItem(value, path: "\(root).convert_to")
        let modulePath = "\(itemPath).module"
        guard let module = item["module"], !module.isNull else { throw .mandatoryNotFound("module", modulePath) }
        guard case .object(let m) = module else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": "module", "json_path": .string(modulePath), "expected_data_type": "jsonobject"]
            )
        }
        guard let apiName = m["api_name"]?.stringValue else {
            throw .mandatoryNotFound("api_name", "\(modulePath).api_name")
        }
        guard let moduleID = m["id"]?.idText else {
            throw .mandatoryNotFound("id", "\(modulePath).id")
        }
        let legal = OrgState.inventoryTargets[parent] ?? []
        guard let target = legal.first(where: { $0 == apiName }) else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: [
                    "api_name": "api_name", "json_path": .string("\(modulePath).api_name"),
                    "supported_values": .array(legal.map { .string($0) }),
                ]
            )
        }
        if let denied = org.metadata.permission(parent, target) { throw denied }
        guard moduleID == org.metadata.moduleID(target) else {
            throw .invalidData(["api_name": "id", "json_path": .string("\(modulePath).id")]
            )
        }
        let tagsPath = "\(itemPath).carry_over_tags"
        guard let tags = item["carry_over_tags"], !tags.isNull else {
            if tagsRequired { throw .mandatoryNotFound("carry_over_tags", tagsPath) }
            return (target, true)
        }
        guard let carry = tags.boolValue else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: [
                    "api_name": "carry_over_tags", "json_path": .string(tagsPath), "expected_data_type": "boolean",
                ]
            )
        }
        if !tagsRequired && !carry {
            // Single convert always carries tags (OAS convertInventory: "must be set to true or omitted").
            throw ZohoAPIError(
                .badRequest,
                "NOT_ALLOWED",
                "carry over tags must be given as true",
                details: [
                    "reason": "Carry over tags will be automatically converted", "api_name": "carry_over_tags",
                    "json_path": .string(tagsPath),
                ]
            )
        }
        return (target, carry)
    }

    static func checkAssignTo(_ value: JSONValue, path: String, org: OrgState) throws(ZohoAPIError) -> String? {
        if value.isNull { return nil }
        let id = value["id"].idText ?? value.idText
        guard let id, org.user(id: id) != nil else {
            throw .invalidData(["api_name": "assign_to", "json_path": .string(path)]
            )
        }
        return id
    }

    /// `[{api_name, id}]` of module references; the id must be the module's id (Modules API).
    static func checkModuleRefs(
        _ value: JSONValue,
        key: String,
        allowed: [String],
        root: String,
        org: OrgState
    ) throws(ZohoAPIError) -> [String] {
        if value.isNull { return [] }
        let path = "\(root).\(key)"
        guard case .array(let items) = value else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: ["api_name": .string(key), "json_path": .string(path), "expected_data_type": "jsonarray"]
            )
        }
        var modules: [String] = []
        for (i, item) in items.enumerated() {
            let itemPath = JSONValue.string("\(path)[\(i)]")
            guard let name = item["api_name"].stringValue, let spec = org.metadata.module(name),
                allowed.contains(spec.apiName)
            else {
                throw ZohoAPIError(
                    .badRequest,
                    "INVALID_DATA",
                    "invalid data",
                    details: [
                        "api_name": "api_name", "json_path": itemPath,
                        "supported_values": .array(allowed.map { .string($0) }),
                    ]
                )
            }
            if let id = item["id"].idText, id != org.metadata.moduleID(spec.apiName) {
                throw ZohoAPIError(
                    .badRequest,
                    "AMBIGUITY_DURING_PROCESSING",
                    "the api_name and id given do not match",
                    details: ["ambiguity_due_to": [["api_name": "id", "json_path": itemPath]]]
                )
            }
            modules.append(spec.apiName)
        }
        return modules
    }

    // MARK: - Inventory

    func massConvertInventory(_ r: CRMRequest, module: String) async throws -> Response {
        let body = try r.bodyObject()
        let work = try await store.read { org, _ throws(ZohoAPIError) in
            let (target, carry) = try Self.checkConvertTo(
                body["convert_to"],
                parent: module,
                root: "$",
                org: org,
                tagsRequired: true
            )
            let ids = try Self.checkIDs(body["ids"], module: module, org: org)
            let assign = try Self.checkAssignTo(body["assign_to"], path: "$.assign_to", org: org)
            let related = try Self.checkModuleRefs(
                body["related_modules"],
                key: "related_modules",
                allowed: ["Calls", "Tasks", "Events"],
                root: "$",
                org: org
            )
            return (
                ids, ConversionJob.Work.inventory(target: target, carryTags: carry, assignTo: assign, related: related)
            )
        }
        let jobID = await store.schedule(module: module, ids: work.0, work: work.1)
        return JSONResponse.make(Self.scheduled(jobID), status: .accepted)
    }

    static func scheduled(_ jobID: String) -> JSONValue {
        [
            "code": "SCHEDULED", "details": ["job_id": .string(jobID)],
            "message": "Mass Convert scheduled successfully",
            "status": "success",
        ]
    }

    func jobStatus(_ r: CRMRequest, module: String) async throws -> Response {
        guard let jobID = r.query["job_id"], !jobID.isEmpty else { throw ZohoAPIError.requiredParam("job_id") }
        guard jobID.allSatisfy(\.isNumber), let status = await store.jobStatus(module: module, id: jobID) else {
            throw ZohoAPIError.invalidData(["param_name": "job_id"])
        }
        return JSONResponse.make(["data": [status]])
    }

    func convertInventory(_ r: CRMRequest, module: String, id: String) async throws -> Response {
        let body = try r.bodyObject()
        return try await store.withOrg { org, now throws(ZohoAPIError) in
            guard case .array(let data) = body["data"], let first = data.first else {
                throw ZohoAPIError.mandatoryNotFound("data", "$.data")
            }
            let target: String
            do throws(ZohoAPIError) {
                target = try Self.checkConvertTo(
                    first["convert_to"],
                    parent: module,
                    root: "$.data[0]",
                    org: org,
                    tagsRequired: false
                )
                .target
            } catch {
                throw error.inData()
            }
            // Problems with the record in the URL come top level with `resource_path_index` (OAS).
            guard id.allSatisfy(\.isNumber), org.exists(module, id) else {
                throw ZohoAPIError.invalidData(["resource_path_index": 1])
            }
            if let refusal = org.inventoryRefusal(parent: module, id: id, target: target),
                refusal.details["resource_path_index"] != nil
            {
                throw refusal
            }
            do throws(ZohoAPIError) {
                let assign = try Self.checkAssignTo(first["assign_to"], path: "$.data[0].assign_to", org: org)
                let child = try org.convertInventory(
                    parent: module,
                    id: id,
                    target: target,
                    carryTags: true,
                    assignTo: assign,
                    relatedModules: [],
                    now: now
                )
                return JSONResponse.make([
                    "data": [
                        [
                            "code": "SUCCESS",
                            "details": [target: ["name": .string(child.name), "id": .string(child.id)]],
                            "message": "The record has been converted successfully", "status": "success",
                        ]
                    ]
                ])
            } catch {
                throw error.inData()
            }
        }
    }

    // MARK: - Leads

    func conversionOptions(leadID: String) async throws -> Response {
        try await store.read { org, _ throws(ZohoAPIError) in
            guard let options = try org.conversionOptions(leadID: leadID) else { return JSONResponse.noContent() }
            return JSONResponse.make(["__conversion_options": options])
        }
    }

    /// `move_attachments_to {api_name[, id]}`: Contacts, Accounts or Deals; nil when absent.
    static func moveAttachmentsTarget(_ move: JSONValue, root: String, org: OrgState) throws(ZohoAPIError) -> String? {
        if move.isNull { return nil }
        let path = JSONValue.string("\(root).move_attachments_to")
        guard let name = move["api_name"].stringValue ?? move.stringValue,
            let spec = org.metadata.module(name), ["Contacts", "Accounts", "Deals"].contains(spec.apiName)
        else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: [
                    "api_name": "move_attachments_to", "json_path": path,
                    "supported_values": ["Contacts", "Accounts", "Deals"],
                ]
            )
        }
        if let id = move["id"].idText, id != org.metadata.moduleID(spec.apiName) {
            throw ZohoAPIError(
                .badRequest,
                "AMBIGUITY_DURING_PROCESSING",
                "the api_name and id given do not match",
                details: ["ambiguity_due_to": [["api_name": "move_attachments_to", "json_path": path]]]
            )
        }
        return spec.apiName
    }

    /// Single convert's `carry_over_tags {Contacts|Accounts|Deals: [names]}`: tag names by module.
    static func tagsByModule(_ tags: JSONValue, root: String) throws(ZohoAPIError) -> [String: [String]] {
        if tags.isNull { return [:] }
        var byModuleNames: [String: [String]] = [:]
        guard case .object(let byModule) = tags else {
            throw ZohoAPIError(
                .badRequest,
                "INVALID_DATA",
                "invalid data",
                details: [
                    "api_name": "carry_over_tags", "json_path": .string("\(root).carry_over_tags"),
                    "expected_data_type": "jsonobject",
                ]
            )
        }
        for (module, names) in byModule {
            guard ["Contacts", "Accounts", "Deals"].contains(module), case .array(let list) = names else {
                throw .invalidData([
                    "api_name": .string(module), "json_path": .string("\(root).carry_over_tags.\(module)"),
                ]
                )
            }
            byModuleNames[module] = list.compactMap { $0.stringValue ?? $0["name"].stringValue }
        }
        return byModuleNames
    }

    /// Reads the options shared by convert lead (`data[0]`) and mass convert (top level).
    static func leadOptions(
        _ item: JSONValue,
        root: String,
        org: OrgState,
        mass: Bool
    ) throws(ZohoAPIError)
        -> LeadConversionOptions
    {
        var options = LeadConversionOptions()
        options.jsonPathRoot = root
        func bool(_ key: String) throws(ZohoAPIError) -> Bool {
            let v = item[key]
            if v.isNull { return false }
            guard let b = v.boolValue else {
                throw ZohoAPIError(
                    .badRequest,
                    "INVALID_DATA",
                    "invalid data",
                    details: [
                        "api_name": .string(key), "json_path": .string("\(root).\(key)"),
                        "expected_data_type": "boolean",
                    ]
                )
            }
            return b
        }
        func recordID(_ key: String) throws(ZohoAPIError) -> String? {
            let v = item[key]
            if v.isNull { return nil }
            guard let id = v["id"].idText ?? v.idText, id.allSatisfy(\.isNumber) else {
                throw .invalidData(["api_name": .string(key), "json_path": .string("\(root).\(key)")])
            }
            return id
        }
        options.overwrite = try bool("overwrite")
        options.notifyLeadOwner = try bool("notify_lead_owner")
        options.notifyNewEntityOwner = try bool("notify_new_entity_owner")
        options.assignTo = try checkAssignTo(item["assign_to"], path: "\(root).assign_to", org: org)
        options.moveAttachmentsTo = try moveAttachmentsTarget(item["move_attachments_to"], root: root, org: org)
        let deal = item["Deals"]
        if !deal.isNull {
            guard case .object(let fields) = deal else {
                throw ZohoAPIError(
                    .badRequest,
                    "INVALID_DATA",
                    "invalid data",
                    details: [
                        "api_name": "Deals", "json_path": .string("\(root).Deals"), "expected_data_type": "jsonobject",
                    ]
                )
            }
            options.deal = fields
        }
        if mass {
            options.carryAllTagsTo = try checkModuleRefs(
                item["carry_over_tags"],
                key: "carry_over_tags",
                allowed: ["Contacts", "Accounts", "Deals"],
                root: root,
                org: org
            )
            options.relatedModules = try checkModuleRefs(
                item["related_modules"],
                key: "related_modules",
                allowed: ["Calls", "Tasks", "Events"],
                root: root,
                org: org
            )
        } else {
            options.accountID = try recordID("Accounts")
            options.contactID = try recordID("Contacts")
            options.tagsByModule = try tagsByModule(item["carry_over_tags"], root: root)
        }
        return options
    }

    func convertLead(_ r: CRMRequest, id: String) async throws -> Response {
        let body = try r.bodyObject()
        if await store.faults.convertLeadScheduled { return try await scheduleLeadConversion(body, id: id) }
        return try await store.withOrg { org, now throws(ZohoAPIError) in
            let options = try Self.checkLeadRequest(body, id: id, org: org)
            do throws(ZohoAPIError) {
                let details = try org.convertLead(id: id, options: options, now: now)
                return JSONResponse.make([
                    "data": [
                        [
                            "code": "SUCCESS", "details": details,
                            "message": "The record has been converted successfully",
                            "status": "success",
                        ]
                    ]
                ])
            } catch {
                throw error.inData()
            }
        }
    }

    /// The lead in the URL and the options of `data[0]`. Refusals about the lead come top level (OAS:
    /// ID_ALREADY_CONVERTED `{resource_path_index}`); body problems inside `data[]`.
    static func checkLeadRequest(
        _ body: JSONValue,
        id: String,
        org: OrgState
    ) throws(ZohoAPIError)
        -> LeadConversionOptions
    {
        guard id.allSatisfy(\.isNumber), org.record("Leads", id) != nil else {
            throw ZohoAPIError.invalidData(["resource_path_index": 1])
        }
        if let refusal = org.leadRefusal(id: id) { throw refusal }
        guard case .array(let data) = body["data"], let first = data.first else {
            throw ZohoAPIError.mandatoryNotFound("data", "$.data")
        }
        do throws(ZohoAPIError) {
            return try leadOptions(first, root: "$.data[0]", org: org, mass: false)
        } catch {
            throw error.inData()
        }
    }

    /// The `convert_lead=scheduled` mode: Zoho's 202 SCHEDULED `{job_id}` answer; the lead converts when the job
    /// runs. The request is checked in full first (on a copy of the org), so a refusal still comes at once.
    func scheduleLeadConversion(_ body: JSONValue, id: String) async throws -> Response {
        let options = try await store.read { org, now throws(ZohoAPIError) in
            let options = try Self.checkLeadRequest(body, id: id, org: org)
            var probe = org
            do throws(ZohoAPIError) {
                _ = try probe.convertLead(id: id, options: options, now: now)
            } catch {
                throw error.inData()
            }
            return options
        }
        let jobID = await store.schedule(module: "Leads", ids: [id], work: .leads(options))
        return JSONResponse.make(
            [
                "data": [
                    [
                        "code": "SCHEDULED", "details": ["job_id": .string(jobID)],
                        "message": "Convert lead scheduled successfully", "status": "success",
                    ]
                ]
            ],
            status: .accepted
        )
    }

    func massConvertLeads(_ r: CRMRequest) async throws -> Response {
        let body = try r.bodyObject()
        let work = try await store.read { org, _ throws(ZohoAPIError) in
            let ids = try Self.checkIDs(body["ids"], module: "Leads", org: org)
            var options = try Self.leadOptions(body, root: "$", org: org, mass: true)
            if let deal = options.deal {
                // Zoho validates the deal once for the whole job, so a bad stage fails the request, not each lead.
                let probe = deal
                for required in ["Deal_Name", "Closing_Date", "Stage"] where probe[required]?.isNull ?? true {
                    throw ZohoAPIError.mandatoryNotFound(required, "$.Deals.\(required)")
                }
                let pipeline = probe["Pipeline"]?.stringValue ?? StandardMetadata.standardPipeline
                guard let stages = org.metadata.pipelineStages(pipeline), let stage = probe["Stage"]?.stringValue,
                    stages.contains(stage)
                else {
                    throw ZohoAPIError(
                        .badRequest,
                        "MAPPING_MISMATCH",
                        "Pipeline doesn`t contain the Stage",
                        details: [
                            "mapped_field": "Pipeline",
                            "api_name": "Stage",
                            "json_path": "$.Deals.Stage",
                        ]
                    )
                }
            }
            options.jsonPathRoot = "$"
            return (ids, options)
        }
        let jobID = await store.schedule(module: "Leads", ids: work.0, work: .leads(work.1))
        // HTTP 202, as the v8 OAS example shows (the reference's 200 is outdated; findings, contradiction 3).
        return JSONResponse.make(Self.scheduled(jobID), status: .accepted)
    }
}
