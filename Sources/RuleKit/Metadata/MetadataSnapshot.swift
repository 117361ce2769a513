public import Foundation

/// The org's modules, fields and active users, as saved by `zrules metadata pull` (Zoho's own response bodies).
///
/// File shape: `{"zrules_metadata": 1, "pulled_at": "…", "modules": {"modules": [...]},
/// "fields": {"Quotes": {"fields": [...]}, ...}, "users": {"users": [...]}}`. Unknown keys are ignored so a
/// newer Zoho response still loads.
public struct MetadataSnapshot: Sendable, Hashable {
    /// One module of the org.
    public struct Module: Sendable, Hashable {
        /// API name, e.g. `Sales_Orders`.
        public var apiName: String
        /// Zoho's module id (what conversion calls need).
        public var id: String?

        /// A module from parts.
        public init(apiName: String, id: String?) {
            self.apiName = apiName
            self.id = id
        }
    }

    /// One field of a module.
    public struct Field: Sendable, Hashable {
        /// API name, e.g. `Quote_Stage`.
        public var apiName: String
        /// Zoho's `data_type`: text, picklist, multiselectpicklist, integer, currency, date, datetime, boolean,
        /// lookup, ownerlookup, ...
        public var dataType: String
        /// Picklist values (`actual_value`, then `display_value` when different); empty for other types.
        public var picklistValues: [String]
        /// False for fields Zoho computes (formula, auto-number) or marks read-only.
        public var writable: Bool

        /// A field from parts.
        public init(apiName: String, dataType: String, picklistValues: [String] = [], writable: Bool = true) {
            self.apiName = apiName
            self.dataType = dataType
            self.picklistValues = picklistValues
            self.writable = writable
        }
    }

    /// One active user.
    public struct User: Sendable, Hashable {
        /// Zoho user id.
        public var id: String
        /// Login email.
        public var email: String
        /// Zoho's `status` (`active`, `disabled`, ...).
        public var status: String

        /// A user from parts.
        public init(id: String, email: String, status: String) {
            self.id = id
            self.email = email
            self.status = status
        }
    }

    /// The modules, in Zoho's order.
    public var modules: [Module]
    /// Fields per module API name.
    public var fields: [String: [Field]]
    /// Users.
    public var users: [User]

    /// A snapshot from parts.
    public init(modules: [Module], fields: [String: [Field]], users: [User]) {
        self.modules = modules
        self.fields = fields
        self.users = users
    }

    /// Reads the snapshot file at `path`.
    public static func load(path: String) throws(RuleKitError) -> MetadataSnapshot {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RuleKitError(.badMetadata, "cannot read the metadata file", path: path)
        }
        return try decode(data, path: path)
    }

    /// Decodes snapshot JSON; `path` names it in errors.
    public static func decode(_ data: Data, path: String = "metadata") throws(RuleKitError) -> MetadataSnapshot {
        guard data.count <= 64 * 1024 * 1024 else {
            throw RuleKitError(.badMetadata, "the metadata file is larger than 64 MiB", path: path)
        }
        let file: SnapshotFile
        do {
            file = try JSONDecoder().decode(SnapshotFile.self, from: data)
        } catch {
            throw RuleKitError(
                .badMetadata,
                "not a zrules metadata snapshot (expected modules, fields and users as Zoho returns them): \(RuleKitError.sentence(for: error))",
                path: path
            )
        }
        guard file.zrules_metadata == 1 else {
            throw RuleKitError(
                .badMetadata,
                "unsupported snapshot version \(file.zrules_metadata); this zrules reads version 1",
                path: path
            )
        }
        let modules = (file.modules?.modules ?? []).map { Module(apiName: $0.api_name, id: $0.id) }
        var fields: [String: [Field]] = [:]
        for (module, body) in file.fields ?? [:] {
            fields[module] = (body.fields ?? []).map(Field.init(wire:))
        }
        let users = (file.users?.users ?? []).map {
            User(id: $0.id, email: $0.email ?? "", status: $0.status ?? "active")
        }
        return MetadataSnapshot(modules: modules, fields: fields, users: users)
    }

    /// The fields in one Fields API body (`GET /settings/fields?module=…`, as Zoho sent it), read exactly as a
    /// snapshot file's `fields` entries are: what `plan` and `run` lint against when they read fields live.
    public static func fields(fromFieldsBody data: Data, module: String) throws(RuleKitError) -> [Field] {
        let body: SnapshotFile.Fields
        do {
            body = try JSONDecoder().decode(SnapshotFile.Fields.self, from: data)
        } catch {
            throw RuleKitError(
                .badMetadata,
                "the Fields API answer for \(module) is not the documented shape: \(RuleKitError.sentence(for: error))",
                path: "GET /settings/fields?module=\(module)"
            )
        }
        return (body.fields ?? []).map(Field.init(wire:))
    }

    /// The module with API name `name`.
    public func module(_ name: String) -> Module? {
        modules.first { $0.apiName == name }
    }

    /// The field `name` of `module`; nil when the module's fields were not pulled or it has no such field.
    public func field(_ name: String, in module: String) -> Field? {
        fields[module]?.first { $0.apiName == name }
    }
}

extension MetadataSnapshot.Field {
    /// A field as the Fields API describes it: picklist values by actual then display value; computed and
    /// read-only fields are not writable.
    fileprivate init(wire field: SnapshotFile.Fields.Item) {
        var values: [String] = []
        for value in field.pick_list_values ?? [] {
            for text in [value.actual_value, value.display_value].compactMap(\.self) where !values.contains(text) {
                values.append(text)
            }
        }
        let computed = ["formula", "autonumber", "rollup_summary"].contains(field.data_type ?? "")
        self.init(
            apiName: field.api_name,
            dataType: field.data_type ?? "text",
            picklistValues: values,
            writable: !computed && field.read_only != true
        )
    }
}

// Zoho's response bodies, only the keys zrules reads; snake_case names mirror the wire format.
// swift-format-ignore: AlwaysUseLowerCamelCase
private struct SnapshotFile: Decodable {
    struct Modules: Decodable {
        struct Item: Decodable {
            var api_name: String
            var id: String?
        }

        var modules: [Item]?
    }

    struct Fields: Decodable {
        struct Item: Decodable {
            struct Value: Decodable {
                var actual_value: String?
                var display_value: String?
            }

            var api_name: String
            var data_type: String?
            var read_only: Bool?
            var pick_list_values: [Value]?
        }

        var fields: [Item]?
    }

    struct Users: Decodable {
        struct Item: Decodable {
            var id: String
            var email: String?
            var status: String?
        }

        var users: [Item]?
    }

    var zrules_metadata: Int
    var modules: Modules?
    var fields: [String: Fields]?
    var users: Users?
}
