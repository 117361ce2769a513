/// The state of an asynchronous mass-convert job (leads or inventory).
public struct MassConvertJobState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// Zoho's spelling, upper-cased (`IN PROGRESS` keeps its space).
    public var rawValue: String
    /// A state from Zoho's text; compared case-insensitively because Zoho's docs disagree on case.
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    /// Waiting to start.
    public static let scheduled = MassConvertJobState(rawValue: "SCHEDULED")
    /// Running.
    public static let inProgress = MassConvertJobState(rawValue: "IN PROGRESS")
    /// Finished; see the counts for what converted.
    public static let completed = MassConvertJobState(rawValue: "COMPLETED")
    /// Finished without converting.
    public static let failed = MassConvertJobState(rawValue: "FAILED")

    /// True once the job will not change any more.
    public var isFinished: Bool { self == .completed || self == .failed }
    /// Zoho's spelling.
    public var description: String { rawValue }
}

/// What a mass-convert status call reports; Zoho gives counts only, never per-record results.
public struct MassConvertStatus: Sendable, Hashable {
    /// The job's state.
    public var state: MassConvertJobState
    /// Records in the job.
    public var totalCount: Int
    /// Records converted so far.
    public var convertedCount: Int
    /// Records not yet processed.
    public var notConvertedCount: Int
    /// Records that failed.
    public var failedCount: Int

    /// A status built from its parts.
    public init(
        state: MassConvertJobState,
        totalCount: Int,
        convertedCount: Int,
        notConvertedCount: Int,
        failedCount: Int
    ) {
        self.state = state
        self.totalCount = totalCount
        self.convertedCount = convertedCount
        self.notConvertedCount = notConvertedCount
        self.failedCount = failedCount
    }
}

/// A record a conversion created (from the `details` of a convert response).
public struct CreatedRecord: Sendable, Hashable {
    /// The new record's id.
    public var id: String
    /// The new record's display name (a record value: keep it out of logs).
    public var name: String?

    /// A created record built from its parts.
    public init(id: String, name: String?) {
        self.id = id
        self.name = name
    }
}

/// The outcome of converting one record: Zoho's per-record result and the records it created, by module.
public struct ConversionResult: Sendable, Hashable {
    /// What the conversion call achieved.
    public enum Outcome: Sendable, Hashable {
        /// Done: `created` names the new records.
        case converted
        /// Zoho accepted the conversion to run later (HTTP 202 `SCHEDULED`, with its job id when given) and has not
        /// confirmed it. Neither a failure nor a success: never resend it; confirm later by reading the record
        /// (`Converted__s` of a lead).
        case scheduled(jobID: String?)
        /// Zoho refused this record; `result.code` says why (`DUPLICATE_DATA`, `RECORD_LOCKED`, ...).
        case refused
    }

    /// Zoho's per-record result (`SUCCESS`, `SCHEDULED`, or an error code such as `DUPLICATE_DATA`).
    public var result: RecordResult
    /// The records created, by module API name (`Sales_Orders`, `Invoices`, `Contacts`, `Accounts`, `Deals`).
    public var created: [String: CreatedRecord]
    /// Converted, scheduled or refused.
    public var outcome: Outcome

    /// A conversion result built from its parts; without an `outcome`, Zoho's status decides converted or refused.
    public init(result: RecordResult, created: [String: CreatedRecord], outcome: Outcome? = nil) {
        self.result = result
        self.created = created
        self.outcome = outcome ?? (result.isSuccess ? .converted : .refused)
    }

    /// True when the conversion is done; false when it was refused or only scheduled (see `outcome`).
    public var isSuccess: Bool { outcome == .converted }
    /// True when Zoho scheduled the conversion without confirming it.
    public var isScheduled: Bool {
        if case .scheduled = outcome { return true }
        return false
    }
    /// The job id of a scheduled conversion.
    public var scheduledJobID: String? {
        if case .scheduled(let jobID) = outcome { return jobID }
        return nil
    }
    /// The new Contact, for a lead conversion.
    public var contactID: String? { created["Contacts"]?.id }
    /// The new or merged Account, for a lead conversion.
    public var accountID: String? { created["Accounts"]?.id }
    /// The new Deal, for a lead conversion.
    public var dealID: String? { created["Deals"]?.id }
}

/// The options of Convert Lead (`POST /Leads/{id}/actions/convert`); nil and empty values are not sent.
public struct ConvertLeadRequest: Sendable, Hashable {
    /// Replace a joined Contact's Account name with the lead's Company.
    public var overwrite: Bool?
    /// Email the lead owner.
    public var notifyLeadOwner: Bool?
    /// Email the owner of the new Contact/Account.
    public var notifyNewEntityOwner: Bool?
    /// Where the lead's attachments go (`Contacts`, `Accounts` or `Deals`, with the module id).
    public var moveAttachmentsTo: ZohoModuleRef?
    /// Merge into this existing Account.
    public var accountID: String?
    /// Merge into this existing Contact.
    public var contactID: String?
    /// Owner (user id) of the new records.
    public var assignTo: String?
    /// Fields of a Deal to create; no Deal when nil.
    public var deal: [String: ZohoJSON]?
    /// Tag names to carry, by target module (`Contacts`, `Accounts`, `Deals`).
    public var carryOverTags: [String: [String]]

    /// A request; every option defaults to Zoho's default.
    public init(
        overwrite: Bool? = nil,
        notifyLeadOwner: Bool? = nil,
        notifyNewEntityOwner: Bool? = nil,
        moveAttachmentsTo: ZohoModuleRef? = nil,
        accountID: String? = nil,
        contactID: String? = nil,
        assignTo: String? = nil,
        deal: [String: ZohoJSON]? = nil,
        carryOverTags: [String: [String]] = [:]
    ) {
        self.overwrite = overwrite
        self.notifyLeadOwner = notifyLeadOwner
        self.notifyNewEntityOwner = notifyNewEntityOwner
        self.moveAttachmentsTo = moveAttachmentsTo
        self.accountID = accountID
        self.contactID = contactID
        self.assignTo = assignTo
        self.deal = deal
        self.carryOverTags = carryOverTags
    }

    var json: ZohoJSON {
        var o: [String: ZohoJSON] = [:]
        if let overwrite { o["overwrite"] = .bool(overwrite) }
        if let notifyLeadOwner { o["notify_lead_owner"] = .bool(notifyLeadOwner) }
        if let notifyNewEntityOwner { o["notify_new_entity_owner"] = .bool(notifyNewEntityOwner) }
        if let moveAttachmentsTo { o["move_attachments_to"] = moveAttachmentsTo.json }
        if let accountID { o["Accounts"] = ["id": .string(accountID)] }
        if let contactID { o["Contacts"] = ["id": .string(contactID)] }
        if let assignTo { o["assign_to"] = ["id": .string(assignTo)] }
        if let deal { o["Deals"] = .object(deal) }
        if !carryOverTags.isEmpty {
            o["carry_over_tags"] = .object(carryOverTags.mapValues { .array($0.map(ZohoJSON.string)) })
        }
        return .object(o)
    }
}

/// The body of Mass Convert Leads (`POST /Leads/actions/mass_convert`): up to 50 leads, one job.
public struct MassConvertLeadsRequest: Sendable, Hashable {
    /// Lead ids, 1 to 50.
    public var ids: [String]
    /// Fields of a Deal to create for each lead; none when nil.
    public var deal: [String: ZohoJSON]?
    /// Owner (user id) of the new records; Zoho's docs call it mandatory.
    public var assignTo: String?
    /// Related modules (`Tasks`, `Events`, `Calls`, with module ids) whose records move to the new owner.
    public var relatedModules: [ZohoModuleRef]
    /// Target modules that receive the leads' tags (modules, not tag names, in this API).
    public var carryOverTags: [ZohoModuleRef]
    /// Where attachments go.
    public var moveAttachmentsTo: ZohoModuleRef?
    /// Portal user type for new contacts.
    public var portalUserType: ZohoModuleRef?
    /// Zoho's `apply_assignment_threshold`.
    public var applyAssignmentThreshold: Bool?

    /// A request for the given leads.
    public init(
        ids: [String],
        deal: [String: ZohoJSON]? = nil,
        assignTo: String? = nil,
        relatedModules: [ZohoModuleRef] = [],
        carryOverTags: [ZohoModuleRef] = [],
        moveAttachmentsTo: ZohoModuleRef? = nil,
        portalUserType: ZohoModuleRef? = nil,
        applyAssignmentThreshold: Bool? = nil
    ) {
        self.ids = ids
        self.deal = deal
        self.assignTo = assignTo
        self.relatedModules = relatedModules
        self.carryOverTags = carryOverTags
        self.moveAttachmentsTo = moveAttachmentsTo
        self.portalUserType = portalUserType
        self.applyAssignmentThreshold = applyAssignmentThreshold
    }

    var json: ZohoJSON {
        var o: [String: ZohoJSON] = ["ids": .array(ids.map(ZohoJSON.string))]
        if let deal { o["Deals"] = .object(deal) }
        if let assignTo { o["assign_to"] = ["id": .string(assignTo)] }
        if !relatedModules.isEmpty { o["related_modules"] = .array(relatedModules.map(\.json)) }
        if !carryOverTags.isEmpty { o["carry_over_tags"] = .array(carryOverTags.map(\.json)) }
        if let moveAttachmentsTo { o["move_attachments_to"] = moveAttachmentsTo.json }
        if let portalUserType { o["portal_user_type"] = portalUserType.json }
        if let applyAssignmentThreshold { o["apply_assignment_threshold"] = .bool(applyAssignmentThreshold) }
        return .object(o)
    }
}

/// What `__conversion_options` offers for a lead: existing Contacts/Accounts/Deals it could merge into.
public struct LeadConversionOptions: Sendable, Hashable {
    /// A lead field value that matched a preference field of a target record.
    public struct MatchedValue: Sendable, Hashable {
        /// The matched field's API name.
        public var fieldAPIName: String
        /// The matched field's id.
        public var fieldID: String?
        /// The lead's value that matched (a record value: keep it out of logs).
        public var matchedLeadValue: String?

        /// A match built from its parts.
        public init(fieldAPIName: String, fieldID: String?, matchedLeadValue: String?) {
            self.fieldAPIName = fieldAPIName
            self.fieldID = fieldID
            self.matchedLeadValue = matchedLeadValue
        }
    }

    /// The module Zoho prefers to match on (`Contacts` or `Accounts`).
    public var modulePreference: ZohoModuleRef?
    /// Matching Contacts; nil when Zoho sent null.
    public var contacts: [ZohoRecord]?
    /// Matching Accounts; nil when Zoho sent null.
    public var accounts: [ZohoRecord]?
    /// Matching Deals; nil when Zoho sent null.
    public var deals: [ZohoRecord]?
    /// Which lead values matched, by module.
    public var preferenceFieldMatchedValue: [String: [MatchedValue]]
    /// Target modules with more than one layout.
    public var modulesWithMultipleLayouts: [ZohoModuleRef]

    /// Options built from their parts.
    public init(
        modulePreference: ZohoModuleRef?,
        contacts: [ZohoRecord]?,
        accounts: [ZohoRecord]?,
        deals: [ZohoRecord]?,
        preferenceFieldMatchedValue: [String: [MatchedValue]] = [:],
        modulesWithMultipleLayouts: [ZohoModuleRef] = []
    ) {
        self.modulePreference = modulePreference
        self.contacts = contacts
        self.accounts = accounts
        self.deals = deals
        self.preferenceFieldMatchedValue = preferenceFieldMatchedValue
        self.modulesWithMultipleLayouts = modulesWithMultipleLayouts
    }
}
