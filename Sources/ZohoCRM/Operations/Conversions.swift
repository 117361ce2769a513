/// Inventory and lead conversions, single and mass, and their job status.
///
/// Which module converts to which is not checked here: lint and the compiler refuse an illegal pair with the one
/// list in RuleKit's `ZohoFacts` (which this module cannot import), and Zoho refuses it with INVALID_DATA.
extension ZohoClient {
    /// Schedules a mass inventory conversion of up to 50 records (`POST /crm/{v}/{from}/actions/mass_convert`);
    /// returns the job id. Zoho reports counts only: find the children by their back-links afterwards.
    public func massConvertInventory(
        from: String,
        ids: [String],
        to target: ZohoModuleRef,
        carryTags: Bool,
        assignTo: String? = nil,
        related: [ZohoModuleRef] = []
    ) async throws -> String {
        let op = "POST /crm/{v}/{module}/actions/mass_convert"
        let from = try segment(from, "module", op)
        guard (1...50).contains(ids.count) else { throw invalidArgument(op, "mass convert takes 1 to 50 ids") }
        guard target.id != nil else { throw invalidArgument(op, "the target module's id (Modules API) is required") }
        var body: [String: ZohoJSON] = [
            "convert_to": [["module": target.json, "carry_over_tags": .bool(carryTags)]],
            "ids": .array(ids.map(ZohoJSON.string)),
        ]
        if let assignTo { body["assign_to"] = ["id": .string(assignTo)] }
        if !related.isEmpty { body["related_modules"] = .array(related.map(\.json)) }
        let reply = try await send(
            Call(
                template: op,
                method: .POST,
                path: "/\(from)/actions/mass_convert",
                body: .object(body),
                kind: .write,
                complex: true
            )
        )
        return try jobID(reply, op)
    }

    /// The status of a mass inventory conversion (`GET /crm/{v}/{from}/actions/mass_convert?job_id=`).
    public func inventoryMassConvertStatus(from: String, jobID: String) async throws -> MassConvertStatus {
        let op = "GET /crm/{v}/{module}/actions/mass_convert"
        let from = try segment(from, "module", op)
        let reply = try await send(
            Call(
                template: op,
                method: .GET,
                path: "/\(from)/actions/mass_convert",
                query: [("job_id", jobID)],
                kind: .read
            )
        )
        return try status(reply, op, capitalised: false)
    }

    /// Converts one Quote or Sales Order (`POST /crm/{v}/{from}/{id}/actions/convert`); the result names the child.
    public func convertInventory(
        from: String,
        id: String,
        to target: ZohoModuleRef,
        carryTags: Bool? = nil
    ) async throws -> ConversionResult {
        let op = "POST /crm/{v}/{module}/{id}/actions/convert"
        let from = try segment(from, "module", op)
        let id = try segment(id, "record id", op)
        var convertTo: [String: ZohoJSON] = ["module": target.json]
        if let carryTags { convertTo["carry_over_tags"] = .bool(carryTags) }
        let body: ZohoJSON = ["data": [["convert_to": [.object(convertTo)]]]]
        let reply = try await send(
            Call(
                template: op,
                method: .POST,
                path: "/\(from)/\(id)/actions/convert",
                body: body,
                kind: .write,
                complex: true,
                recordEnvelopeOnError: true
            )
        )
        return try conversionResult(reply, op, id: id)
    }

    /// The Contacts/Accounts/Deals a lead could merge into (`GET /crm/{v}/Leads/{id}/__conversion_options`);
    /// nil when Zoho answers 204 (nothing to offer).
    public func conversionOptions(leadID: String) async throws -> LeadConversionOptions? {
        let op = "GET /crm/{v}/Leads/{id}/__conversion_options"
        let id = try segment(leadID, "lead id", op)
        let reply = try await send(
            Call(template: op, method: .GET, path: "/Leads/\(id)/__conversion_options", kind: .read)
        )
        guard let body = reply.body else { return nil }
        let options = body["__conversion_options"]
        guard options.objectValue != nil else { throw decodingError(op, "no __conversion_options object") }
        func records(_ key: String) -> [ZohoRecord]? {
            options[key].arrayValue?.compactMap { $0.objectValue.map(ZohoRecord.init(json:)) }
        }
        func ref(_ value: ZohoJSON) -> ZohoModuleRef? {
            value["api_name"].stringValue.map { ZohoModuleRef(apiName: $0, id: value["id"].idValue) }
        }
        var matched: [String: [LeadConversionOptions.MatchedValue]] = [:]
        for (module, items) in options["preference_field_matched_value"].objectValue ?? [:] {
            guard let items = items.arrayValue else { continue }
            matched[module] = items.compactMap { item in
                item["field"]["api_name"].stringValue.map {
                    LeadConversionOptions.MatchedValue(
                        fieldAPIName: $0,
                        fieldID: item["field"]["id"].idValue,
                        matchedLeadValue: item["matched_lead_value"].stringValue
                    )
                }
            }
        }
        return LeadConversionOptions(
            modulePreference: ref(options["module_preference"]),
            contacts: records("Contacts"),
            accounts: records("Accounts"),
            deals: records("Deals"),
            preferenceFieldMatchedValue: matched,
            modulesWithMultipleLayouts: (options["modules_with_multiple_layouts"].arrayValue ?? []).compactMap(ref)
        )
    }

    /// Converts one lead (`POST /crm/{v}/Leads/{id}/actions/convert`); the result names the Contact, Account and
    /// Deal. Field-level refusals (DUPLICATE_DATA, ...) come back as a failed result, not a throw.
    public func convertLead(id: String, request: ConvertLeadRequest) async throws -> ConversionResult {
        let op = "POST /crm/{v}/Leads/{id}/actions/convert"
        let id = try segment(id, "lead id", op)
        let reply = try await send(
            Call(
                template: op,
                method: .POST,
                path: "/Leads/\(id)/actions/convert",
                body: ["data": [request.json]],
                kind: .write,
                complex: true,
                recordEnvelopeOnError: true
            )
        )
        return try conversionResult(reply, op, id: id)
    }

    /// Schedules a mass lead conversion of up to 50 leads (`POST /crm/{v}/Leads/actions/mass_convert`); returns the
    /// job id.
    public func massConvertLeads(request: MassConvertLeadsRequest) async throws -> String {
        let op = "POST /crm/{v}/Leads/actions/mass_convert"
        guard (1...50).contains(request.ids.count) else { throw invalidArgument(op, "mass convert takes 1 to 50 ids") }
        let reply = try await send(
            Call(
                template: op,
                method: .POST,
                path: "/Leads/actions/mass_convert",
                body: request.json,
                kind: .write,
                complex: true
            )
        )
        return try jobID(reply, op)
    }

    /// The status of a mass lead conversion (`GET /crm/{v}/Leads/actions/mass_convert?job_id=`).
    public func leadMassConvertStatus(jobID: String) async throws -> MassConvertStatus {
        let op = "GET /crm/{v}/Leads/actions/mass_convert"
        let reply = try await send(
            Call(
                template: op,
                method: .GET,
                path: "/Leads/actions/mass_convert",
                query: [("job_id", jobID)],
                kind: .read
            )
        )
        return try status(reply, op, capitalised: true)
    }

    /// Reads a job status; the lead API capitalises its keys (`Total_Count`), the inventory one does not.
    func status(_ reply: Reply, _ op: String, capitalised: Bool) throws(ZohoError) -> MassConvertStatus {
        guard let body = reply.body else { throw decodingError(op, "no content", status: reply.status) }
        // The docs wrap the status in data[]; the OAS file does not. Accept both.
        let item = body["data"].arrayValue?.first ?? body
        func count(_ key: String) -> Int? {
            let capital = key.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(
                separator: "_"
            )
            return
                (capitalised
                ? item[capital].intValue ?? item[key].intValue : item[key].intValue ?? item[capital].intValue)
        }
        guard let state = item["status"].stringValue ?? item["Status"].stringValue, let total = count("total_count")
        else { throw decodingError(op, "no status or total_count", status: reply.status) }
        return MassConvertStatus(
            state: MassConvertJobState(rawValue: state),
            totalCount: total,
            convertedCount: count("converted_count") ?? 0,
            notConvertedCount: count("not_converted_count") ?? 0,
            failedCount: count("failed_count") ?? 0
        )
    }

    func conversionResult(_ reply: Reply, _ op: String, id: String) throws(ZohoError) -> ConversionResult {
        guard let result = try recordResults(reply, op, ids: [id]).first else {
            throw decodingError(op, "an empty data array", status: reply.status)
        }
        var fixed = result
        // details of a successful conversion name the created records, not the converted one.
        fixed.id = id
        // Convert lead may answer 202 {"code":"SCHEDULED","details":{"job_id":...}}: accepted, not yet done.
        let made = result.isSuccess ? created(from: result.details) : [:]
        if result.isSuccess, result.code.uppercased() == "SCHEDULED" || (reply.status == 202 && made.isEmpty) {
            return ConversionResult(
                result: fixed,
                created: [:],
                outcome: .scheduled(jobID: result.details["job_id"]?.idValue)
            )
        }
        return ConversionResult(result: fixed, created: made)
    }
}

extension ZohoClient {
    /// Polls a mass inventory conversion until it finishes, sleeping `interval` (on the client's clock) between
    /// status calls; at most `maxPolls` calls. Returns the last status, finished or not.
    public func waitForInventoryMassConvert(
        from: String,
        jobID: String,
        interval: Duration = .seconds(5),
        maxPolls: Int = 120
    ) async throws -> MassConvertStatus {
        try await poll(interval: interval, maxPolls: maxPolls) {
            try await self.inventoryMassConvertStatus(from: from, jobID: jobID)
        }
    }

    /// Polls a mass lead conversion until it finishes; see `waitForInventoryMassConvert`.
    public func waitForLeadMassConvert(
        jobID: String,
        interval: Duration = .seconds(5),
        maxPolls: Int = 120
    ) async throws -> MassConvertStatus {
        try await poll(interval: interval, maxPolls: maxPolls) { try await self.leadMassConvertStatus(jobID: jobID) }
    }

    private func poll(
        interval: Duration,
        maxPolls: Int,
        _ status: () async throws -> MassConvertStatus
    ) async throws -> MassConvertStatus {
        var last = try await status()
        var polls = 1
        while !last.state.isFinished, polls < max(1, maxPolls) {
            try await clock.sleep(for: interval)
            last = try await status()
            polls += 1
        }
        return last
    }
}
