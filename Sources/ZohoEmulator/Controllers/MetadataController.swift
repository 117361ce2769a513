import Foundation
import Hummingbird

/// Users, modules and fields metadata.
struct MetadataController: Sendable {
    let store: EmulatorStore

    /// `users`, `users/{id}`, `org`, `settings/modules`, `settings/modules/{name}` and `settings/fields`.
    func addRoutes(to routes: CRMRoutes) {
        routes.on("users", CRMRoute(.get, scope: "ZohoCRM.users.READ") { c in try await users(c.crm, id: nil) })
        routes.on(
            "users/{id}",
            CRMRoute(.get, scope: "ZohoCRM.users.READ") { c in try await users(c.crm, id: c.parameters.require("id")) }
        )
        routes.on("org", CRMRoute(.get, scope: "ZohoCRM.org.READ") { _ in try await org() })
        let modulesScope = "ZohoCRM.settings.modules.READ"
        routes.on("settings/modules", CRMRoute(.get, scope: modulesScope) { c in try await modules(c.crm, name: nil) })
        routes.on(
            "settings/modules/{name}",
            CRMRoute(.get, scope: modulesScope) { c in try await modules(c.crm, name: c.parameters.require("name")) }
        )
        routes.on(
            "settings/fields",
            CRMRoute(.get, scope: "ZohoCRM.settings.fields.READ") { c in try await fields(c.crm) }
        )
    }

    func users(_ r: CRMRequest, id: String?) async throws -> Response {
        try await store.read { org, _ throws(ZohoAPIError) in
            if let id {
                guard let u = org.user(id: id) else {
                    throw ZohoAPIError.invalidData(["resource_path_index": 1])
                }
                return JSONResponse.make([
                    "users": [Self.userJSON(u, org: org)],
                    "info": ["per_page": 200, "count": 1, "page": 1, "more_records": false],
                ])
            }
            let type = r.query["type"] ?? "AllUsers"
            let filters: [String: (OrgUser) -> Bool] = [
                "AllUsers": { _ in true }, "ActiveUsers": { $0.status == "active" },
                "DeactiveUsers": { $0.status != "active" }, "ConfirmedUsers": { _ in true },
                "NotConfirmedUsers": { _ in false }, "DeletedUsers": { $0.status == "deleted" },
                "ActiveConfirmedUsers": { $0.status == "active" }, "AdminUsers": { $0.profile == "Administrator" },
                "ActiveConfirmedAdmins": { $0.profile == "Administrator" && $0.status == "active" },
                "CurrentUser": { $0.id == org.users[0].id }, "ConfirmedReportingUsers": { _ in true },
            ]
            guard let filter = filters[type] else { throw ZohoAPIError.invalidParam("type") }
            let (page, perPage) = try r.paging()
            var users = org.users.filter(filter)
            if let ids = r.query["ids"] {
                let wanted = Set(ids.split(separator: ",").map(String.init))
                users = users.filter { wanted.contains($0.id) }
            }
            let start = (page - 1) * perPage
            guard start < users.count else { return JSONResponse.noContent() }
            let slice = users[start..<min(users.count, start + perPage)]
            return JSONResponse.make([
                "users": .array(slice.map { Self.userJSON($0, org: org) }),
                "info": [
                    "per_page": .int(Int64(perPage)), "count": .int(Int64(slice.count)), "page": .int(Int64(page)),
                    "more_records": .bool(start + perPage < users.count),
                ],
            ])
        }
    }

    /// `GET /org`: the organization, in Zoho's `{"org":[...]}` shape; Zoho's SDKs call it after every token grant.
    func org() async throws -> Response {
        try await store.read { org, _ throws(ZohoAPIError) in
            JSONResponse.make(["org": [Self.orgJSON(org, fixture: store.configuration.fixture)]])
        }
    }

    static func orgJSON(_ org: OrgState, fixture: EmulatorFixture) -> JSONValue {
        let admin = org.users[0]
        let name = fixture.orgName
        let edition = fixture.edition.rawValue
        return [
            "id": .string(org.metadata.id(9_011)), "company_name": .string(name), "alias": .null,
            "primary_email": .string(admin.email), "primary_zuid": .string(admin.zuid),
            "zgid": .string(org.metadata.idPrefix), "domain_name": .string("org\(org.metadata.idPrefix)"),
            "time_zone": "UTC", "currency": "US Dollar - USD", "iso_code": "USD", "currency_symbol": "$",
            "currency_locale": "en_US", "country_code": "US", "country": .null, "city": .null, "state": .null,
            "street": .null, "zip": .null, "phone": .null, "mobile": .null, "fax": .null, "website": .null,
            "description": .null, "employee_count": .null, "photo_id": .null, "zia_portal_id": .null,
            "mc_status": false, "gapps_enabled": false, "translation_enabled": false, "privacy_settings": false,
            "hipaa_compliance_enabled": false, "lite_users_enabled": false, "max_per_page": 200,
            "type": "production",
            "license_details": [
                "paid": true, "paid_type": .string(edition), "paid_expiry": .null, "trial_type": .null,
                "trial_expiry": .null, "trial_action": .null,
                "users_license_purchased": .int(Int64(org.users.count)),
            ],
        ]
    }

    static func userJSON(_ u: OrgUser, org: OrgState) -> JSONValue {
        let admin = org.users[0]
        return [
            "id": .string(u.id), "email": .string(u.email), "full_name": .string(u.fullName),
            "first_name": .string(u.firstName), "last_name": .string(u.lastName), "name": .string(u.fullName),
            "status": .string(u.status), "confirm": true, "zuid": .string(u.zuid),
            "role": ["name": .string(u.role), "id": .string(org.metadata.id(3_000 + Int64(u.role.count)))],
            "profile": [
                "name": .string(u.profile),
                "id": .string(org.metadata.id(u.profile == "Administrator" ? 3_101 : 3_103)),
            ],
            "locale": "en_US", "country_locale": "en_US", "language": "en_US",
            "time_format": "HH:mm", "date_format": "MMM d, yyyy", "decimal_separator": "Period",
            "name_format__s": "Salutation,First Name,Last Name", "sort_order_preference__s": "First Name,Last Name",
            "type__s": "Paid", "status_reason__s": .null, "isonline": false, "microsoft": false,
            "offset": 0, "country": .null, "city": .null, "state": .null, "zip": .null, "street": .null,
            "phone": .null, "mobile": .null, "fax": .null, "website": .null, "alias": .null, "signature": .null,
            "dob": .null, "personal_account": false, "default_tab_group": "0", "sandboxDeveloper": false,
            "created_by": Self.ownerJSON(admin), "Modified_By": Self.ownerJSON(admin),
            "created_time": "2024-01-01T00:00:00+00:00",
            "Modified_Time": "2024-01-01T00:00:00+00:00", "territories": [],
            "Currency": "USD", "Isonline": false, "image_link": .null, "ezuid": .null,
        ]
    }

    /// The `owner` shape of the users schema.
    static func ownerJSON(_ u: OrgUser) -> JSONValue {
        [
            "name": .string(u.fullName), "id": .string(u.id), "first_name": .string(u.firstName),
            "last_name": .string(u.lastName),
        ]
    }

    func modules(_ r: CRMRequest, name: String?) async throws -> Response {
        try await store.read { org, _ throws(ZohoAPIError) in
            if let name {
                guard let spec = org.metadata.module(name) else { throw ZohoAPIError.invalidModule(pathIndex: 2) }
                return JSONResponse.make(["modules": [Self.moduleJSON(spec, org: org, detailed: true)]])
            }
            return JSONResponse.make([
                "modules": .array(org.metadata.modules.map { Self.moduleJSON($0, org: org, detailed: false) })
            ])
        }
    }

    static func moduleJSON(_ spec: ModuleSpec, org: OrgState, detailed: Bool) -> JSONValue {
        let metadata = org.metadata
        let admin = org.users[0]
        let index = Int64(metadata.moduleIndex(spec.apiName) ?? 0)
        let isInventory = ["Quotes", "Sales_Orders", "Invoices"].contains(spec.apiName)
        let profiles: JSONValue = [
            ["name": "Administrator", "id": .string(metadata.id(3_101))],
            ["name": "Standard", "id": .string(metadata.id(3_103))],
        ]
        var module: [String: JSONValue] = [
            "api_name": .string(spec.apiName), "module_name": .string(spec.apiName),
            "id": .string(metadata.moduleID(spec.apiName)),
            "singular_label": .string(spec.singular), "plural_label": .string(spec.plural),
            "api_supported": .bool(spec.apiSupported), "generated_type": "default", "status": "visible",
            "visible": true, "visibility": 1, "creatable": .bool(spec.creatable), "editable": .bool(spec.creatable),
            "deletable": .bool(spec.creatable), "viewable": true, "convertable": .bool(spec.convertable),
            "show_as_tab": .bool(spec.apiSupported), "sequence_number": .int(index + 1), "profiles": profiles,
            "modified_time": .null, "modified_by": admin.minified, "description": .null,
            "common.search_supported": true, "recycle_bin_on_delete": true,
            "inventory_template_supported": .bool(isInventory), "presence_sub_menu": false, "triggers_supported": true,
            "chart_view": false, "isBlueprintSupported": true, "emailTemplate_support": true,
            "email_parser_supported": false, "filter_supported": true, "web_link": .null, "quick_create": true,
            "feeds_required": false, "scoring_supported": true,
            "webform_supported": spec.apiName == "Leads" || spec.apiName == "Contacts" ? true : false,
            "arguments": [], "chart_view_supported": true, "profile_count": 2, "business_card_field_limit": 5,
            "track_current_data": false, "parent_module": .null, "activity_badge": .null, "$field_states": [],
            "business_card_fields": [], "per_page": 200, "$properties": [], "$on_demand_properties": [],
            "search_layout_fields": [], "kanban_view_supported": true, "lookup_field_properties": ["fields": []],
            "kanban_view": false, "related_lists": [], "filter_status": true,
            "related_list_properties": [
                "sort_by": ["api_name": .null, "id": .null], "fields": [], "sort_order": .null,
            ],
            "display_field": [
                "api_name": .string(spec.displayField),
                "id": .string(metadata.fieldID(module: spec.apiName, field: spec.displayField)),
            ],
            "layouts": [["name": "Standard", "id": .string(metadata.id(91_029 + index))]],
            "fields": [], "custom_view": .null, "zia_view": false, "default_mapping_fields": [],
            "layout_associations": [],
        ]
        if detailed {
            module["fields"] = .array(
                spec.fields.map { fieldJSON($0, module: spec, org: org) }
            )
        }
        return .object(module)
    }

    func fields(_ r: CRMRequest) async throws -> Response {
        guard let name = r.query["module"], !name.isEmpty else { throw ZohoAPIError.requiredParam("module") }
        return try await store.read { org, _ throws(ZohoAPIError) in
            guard let spec = org.metadata.module(name) else { throw ZohoAPIError.invalidModule(param: "module") }
            let type = r.query["type"] ?? "all"
            guard ["all", "used", "unused"].contains(type) else { throw ZohoAPIError.invalidParam("type") }
            let fields = type == "unused" ? [] : spec.fields
            return JSONResponse.make(["fields": .array(fields.map { Self.fieldJSON($0, module: spec, org: org) })])
        }
    }

    static func fieldJSON(_ f: FieldSpec, module: ModuleSpec, org: OrgState) -> JSONValue {
        let metadata = org.metadata
        let fieldID = metadata.fieldID(module: module.apiName, field: f.apiName)
        let unique = (metadata.uniqueFields[module.apiName] ?? []).contains(f.apiName)
        var lookup: JSONValue = [:]
        if let target = f.lookupModule, f.dataType == "lookup" {
            lookup = [
                "display_label": .string(f.label), "api_name": .string(f.apiName), "id": .string(fieldID),
                "module": ["api_name": .string(target), "id": .string(metadata.moduleID(target))],
                "query_details": [:], "revalidate_filter_during_edit": false, "show_fields": .null,
            ]
        }
        let picklist: JSONValue = .array(
            f.picklist.enumerated().map { i, v in
                [
                    "display_value": .string(v), "actual_value": .string(v), "reference_value": .string(v),
                    "id": .string(
                        metadata.id(10_000_000 + ((Int64(fieldID.suffix(12)) ?? 0) - 100_000) * 100 + Int64(i))
                    ),
                    "sequence_number": .int(Int64(i + 1)), "type": "used", "colour_code": .null,
                ]
            }
        )
        let minified: JSONValue = ["api_name": .null, "id": .null]
        var convertMapping: JSONValue = [:]
        if module.apiName == "Leads" {
            convertMapping = [
                "Contacts": f.convertMapping["Contacts"].map(JSONValue.string) ?? .null,
                "Accounts": f.convertMapping["Accounts"].map(JSONValue.string) ?? .null,
                "Deals": f.convertMapping["Deals"].map(JSONValue.string) ?? .null,
            ]
        }
        let mod: JSONValue = ["api_name": .string(module.apiName), "id": .string(metadata.moduleID(module.apiName))]
        let decimal: JSONValue = ["currency", "double", "percent"].contains(f.dataType) ? 2 : .null
        // Typed clients (Zoho's SDKs) type line items through the subform's associated module.
        var associated = minified
        if f.dataType == "subform", OrgMetadata.lineItemModules.contains(f.apiName) {
            associated = [
                "api_name": .string(f.apiName), "id": .string(metadata.lineItemModuleID(f.apiName)),
                "module": .string(f.apiName),
            ]
        }
        return [
            "api_name": .string(f.apiName), "id": .string(fieldID), "field_label": .string(f.label),
            "display_label": .string(f.label), "data_type": .string(f.dataType), "json_type": .string(f.jsonType),
            "length": .int(Int64(f.length)), "decimal_place": decimal, "system_mandatory": .bool(f.mandatory),
            "read_only": .bool(f.readOnly), "field_read_only": .bool(f.readOnly), "custom_field": false,
            "visible": true, "searchable": true, "sortable": true, "filterable": true,
            "unique": unique ? ["casesensitive": false] : [:], "lookup": lookup, "pick_list_values": picklist,
            "convert_mapping": convertMapping, "associated_module": associated, "webhook": true,
            "blueprint_supported": true, "virtual_field": false, "customizable_properties": [],
            "businesscard_supported": true, "available_in_user_layout": true,
            "display_field": .bool(f.apiName == module.displayField), "pick_list_values_sorted_lexically": false,
            "layout_associations": [], "separator": false, "enable_colour_code": false,
            "mass_update": !f.readOnly ? true : false,
            "created_source": "default", "type": "used", "column_name": .string(f.apiName.uppercased()),
            "display_type": -1, "ui_type": 1, "colour_code_enabled_by_system": false,
            "quick_sequence_number": "0",
            "email_parser": ["fields_update_supported": false, "record_operations_supported": false],
            "rollup_summary": [:], "refer_from_field": ["id": .null, "api_name": .null], "created_time": .null,
            "modified_time": .null,
            "show_type": 7, "category": 0, "multi_module_lookup": [:], "sharing_properties": [:],
            "currency": f.dataType == "currency" ? ["rounding_option": "normal", "precision": 2] : [:],
            "file_upolad_optionlist": [],
            "profiles": [
                [
                    "name": "Administrator", "id": .string(metadata.id(3_101)),
                    "permission_type": f.readOnly ? "read_only" : "read_write",
                ]
            ],
            "view_type": [
                "view": true, "edit": .bool(!f.readOnly), "quick_create": false, "create": .bool(!f.readOnly),
            ],
            "operation_type": [
                "web_update": .bool(!f.readOnly), "api_create": .bool(!f.readOnly), "web_create": .bool(!f.readOnly),
                "api_update": .bool(!f.readOnly),
            ],
            "sub_module": f.dataType == "subform" ? mod : minified, "subform": .null,
            "external": ["show": false, "type": .null],
            "formula": [:], "multiselectlookup": [:],
            "multiuserlookup": [
                "display_label": .null, "linking_module": minified, "connected_module": minified,
                "lookup_apiname": .null,
                "api_name": .null, "connectedfield_apiname": .null, "connectedlookup_apiname": .null, "id": .null,
                "record_access": .null,
            ],
            "autonumber": ["starting_number_length": 0, "prefix": .null, "suffix": .null, "start_number": .null],
            "auto_number": [:], "crypt": ["mode": .null, "status": .null], "tooltip": ["name": "", "value": ""],
            "history_tracking": ["module": [:], "duration_configured_field": minified],
            "association_details": ["related_field": minified, "lookup_field": minified],
            "allowed_modules": [], "additional_column": .null, "common.picklist": .null,
            "hipaa_compliance_enabled": false,
            "hipaa_compliance": ["restricted_in_export": false, "restricted": false], "_update_existing_records": false,
            "number_separator": false, "textarea": f.dataType == "textarea" ? ["type": "large"] : [:],
            "static_field": false,
        ]
    }
}
