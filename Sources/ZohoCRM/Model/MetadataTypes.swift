/// A CRM user, as the Users API describes them.
public struct ZohoUser: Sendable, Hashable {
    /// The user id (what `Owner` and `assign_to` take).
    public var id: String
    /// The login email.
    public var email: String?
    /// The display name.
    public var fullName: String?
    /// `active`, `inactive`, `deleted`, ...
    public var status: String?
    /// Whether the user confirmed their invitation.
    public var confirmed: Bool?
    /// The role name.
    public var role: String?
    /// The profile name.
    public var profile: String?

    /// A user built from its parts.
    public init(
        id: String,
        email: String?,
        fullName: String? = nil,
        status: String? = nil,
        confirmed: Bool? = nil,
        role: String? = nil,
        profile: String? = nil
    ) {
        self.id = id
        self.email = email
        self.fullName = fullName
        self.status = status
        self.confirmed = confirmed
        self.role = role
        self.profile = profile
    }
}

/// The `type` filter of the Users API.
public struct ZohoUserType: RawRepresentable, Sendable, Hashable {
    /// Zoho's spelling, e.g. `ActiveUsers`.
    public var rawValue: String
    /// A type by Zoho's spelling.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Every user.
    public static let allUsers = ZohoUserType(rawValue: "AllUsers")
    /// Active users (the default for owner resolution).
    public static let activeUsers = ZohoUserType(rawValue: "ActiveUsers")
    /// Active users who confirmed their invitation.
    public static let activeConfirmedUsers = ZohoUserType(rawValue: "ActiveConfirmedUsers")
    /// Deactivated users.
    public static let deactiveUsers = ZohoUserType(rawValue: "DeactiveUsers")
    /// Administrators.
    public static let adminUsers = ZohoUserType(rawValue: "AdminUsers")
    /// The user the token belongs to.
    public static let currentUser = ZohoUserType(rawValue: "CurrentUser")
}

/// A CRM module, as the Modules API describes it.
public struct ZohoModule: Sendable, Hashable {
    /// The API name, e.g. `Sales_Orders`.
    public var apiName: String
    /// The module id: what conversion bodies need in `module.id`.
    public var id: String
    /// The module name shown in the UI.
    public var moduleName: String?
    /// Singular label.
    public var singularLabel: String?
    /// Plural label.
    public var pluralLabel: String?
    /// Whether the module is usable through the API.
    public var apiSupported: Bool?
    /// `visible`, `user_hidden`, `system_hidden`, `scheduled_for_deletion`.
    public var status: String?
    /// Whether records of this module can be converted.
    public var convertable: Bool?
    /// `default` or `custom`.
    public var generatedType: String?

    /// A module built from its parts.
    public init(
        apiName: String,
        id: String,
        moduleName: String? = nil,
        singularLabel: String? = nil,
        pluralLabel: String? = nil,
        apiSupported: Bool? = nil,
        status: String? = nil,
        convertable: Bool? = nil,
        generatedType: String? = nil
    ) {
        self.apiName = apiName
        self.id = id
        self.moduleName = moduleName
        self.singularLabel = singularLabel
        self.pluralLabel = pluralLabel
        self.apiSupported = apiSupported
        self.status = status
        self.convertable = convertable
        self.generatedType = generatedType
    }

    /// A reference for conversion bodies.
    public var ref: ZohoModuleRef { ZohoModuleRef(apiName: apiName, id: id) }
}

/// A field of a module, as the Fields API describes it.
public struct ZohoField: Sendable, Hashable {
    /// The API name, e.g. `Quote_Stage`.
    public var apiName: String
    /// The field id.
    public var id: String?
    /// The label shown in the UI.
    public var label: String?
    /// Zoho's `data_type`: text, picklist, lookup, ownerlookup, date, datetime, ...
    public var dataType: String
    /// Zoho's `json_type`: string, integer, double, boolean, jsonobject, jsonarray.
    public var jsonType: String?
    /// Whether the field cannot be written.
    public var readOnly: Bool
    /// Whether Zoho requires the field on every record.
    public var systemMandatory: Bool
    /// The lookup target module's API name, for lookup fields.
    public var lookupModule: String?
    /// The picklist's `actual_value`s (what must be written), for picklists.
    public var pickListValues: [String]
    /// Zoho's `convert_mapping` (Leads fields): target module → field API name.
    public var convertMapping: [String: String]
    /// Maximum length, when Zoho gives one.
    public var length: Int?

    /// A field built from its parts.
    public init(
        apiName: String,
        id: String? = nil,
        label: String? = nil,
        dataType: String,
        jsonType: String? = nil,
        readOnly: Bool = false,
        systemMandatory: Bool = false,
        lookupModule: String? = nil,
        pickListValues: [String] = [],
        convertMapping: [String: String] = [:],
        length: Int? = nil
    ) {
        self.apiName = apiName
        self.id = id
        self.label = label
        self.dataType = dataType
        self.jsonType = jsonType
        self.readOnly = readOnly
        self.systemMandatory = systemMandatory
        self.lookupModule = lookupModule
        self.pickListValues = pickListValues
        self.convertMapping = convertMapping
        self.length = length
    }
}
