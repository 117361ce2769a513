/// One step under a rule's `do:`.
public enum Action: Sendable, Hashable {
    /// `convert:` a Quote or Sales Order into a Sales Order or Invoice.
    case convert(ConvertAction)
    /// `convert_lead:` a Lead into a Contact, an Account and optionally a Deal.
    case convertLead(ConvertLeadAction)
    /// `update:` fields on the source record, after its conversion is confirmed.
    case update(UpdateAction)
    /// `tag:` the source record.
    case tag(TagAction)

    /// Where the action was written.
    public var location: FileLocation {
        switch self {
        case .convert(let action): action.location
        case .convertLead(let action): action.location
        case .update(let action): action.location
        case .tag(let action): action.location
        }
    }

    /// The action's key in the rule file.
    public var keyword: String {
        switch self {
        case .convert: "convert"
        case .convertLead: "convert_lead"
        case .update: "update"
        case .tag: "tag"
        }
    }
}

/// `convert:` of an inventory record (Quotes → Sales_Orders | Invoices, Sales_Orders → Invoices).
public struct ConvertAction: Sendable, Hashable {
    /// The target module's API name.
    public var to: Located<String>
    /// Copy the source record's tags to the new record.
    public var carryTags: Bool
    /// Where the `carry_tags` value was written; nil when the rule leaves it out.
    public var carryTagsLocation: FileLocation?
    /// Owner of the new record; nil keeps Zoho's default (the source record's owner).
    public var owner: Owner?
    /// Related lists to carry over (module API names such as `Calls`, `Tasks`).
    public var related: [Located<String>]
    /// Where `convert:` was written.
    public var location: FileLocation

    /// A convert action with every part given.
    public init(
        to: Located<String>,
        carryTags: Bool = false,
        carryTagsLocation: FileLocation? = nil,
        owner: Owner? = nil,
        related: [Located<String>] = [],
        location: FileLocation
    ) {
        self.to = to
        self.carryTags = carryTags
        self.carryTagsLocation = carryTagsLocation
        self.owner = owner
        self.related = related
        self.location = location
    }
}

/// `convert_lead:` with the options of Zoho's convert-lead API.
public struct ConvertLeadAction: Sendable, Hashable {
    /// What to do when Zoho finds a matching Contact or Account.
    public var duplicates: DuplicatePolicy
    /// Overwrite the matched Account's name with the Lead's company.
    public var overwriteAccountName: Bool
    /// Notify the Lead's owner.
    public var notifyLeadOwner: Bool
    /// Notify the new owner.
    public var notifyNewOwner: Bool
    /// Module (Contacts, Accounts or Deals) that receives the Lead's attachments; nil leaves Zoho's default.
    public var moveAttachmentsTo: Located<String>?
    /// Owner of the new records; nil keeps the Lead's owner.
    public var owner: Owner?
    /// Which new records get the Lead's tags (Contacts, Accounts, Deals).
    public var carryTags: [Located<String>]
    /// Fields of the Deal to create; nil creates no Deal.
    public var deal: [FieldAssignment]?
    /// Where `convert_lead:` was written.
    public var location: FileLocation

    /// A convert-lead action with every part given.
    public init(
        duplicates: DuplicatePolicy = .skip,
        overwriteAccountName: Bool = false,
        notifyLeadOwner: Bool = false,
        notifyNewOwner: Bool = false,
        moveAttachmentsTo: Located<String>? = nil,
        owner: Owner? = nil,
        carryTags: [Located<String>] = [],
        deal: [FieldAssignment]? = nil,
        location: FileLocation
    ) {
        self.duplicates = duplicates
        self.overwriteAccountName = overwriteAccountName
        self.notifyLeadOwner = notifyLeadOwner
        self.notifyNewOwner = notifyNewOwner
        self.moveAttachmentsTo = moveAttachmentsTo
        self.owner = owner
        self.carryTags = carryTags
        self.deal = deal
        self.location = location
    }
}

/// `duplicates:` of `convert_lead`, decided from Zoho's conversion options.
public enum DuplicatePolicy: String, Sendable, Hashable, CaseIterable {
    /// Merge into the matched Contact/Account when the match is unambiguous; otherwise skip the lead.
    case merge
    /// Skip any lead that has a match (the default).
    case skip
    /// Convert without merging; Zoho may answer DUPLICATE_DATA.
    case create
    /// Stop the rule at the first lead with a match.
    case fail
}

/// `update:` of fields on the source record.
public struct UpdateAction: Sendable, Hashable {
    /// The fields to set, in file order.
    public var fields: [FieldAssignment]
    /// Where `update:` was written.
    public var location: FileLocation

    /// An update of `fields`.
    public init(fields: [FieldAssignment], location: FileLocation) {
        self.fields = fields
        self.location = location
    }
}

/// `tag:` the source record.
public struct TagAction: Sendable, Hashable {
    /// Tag names to add.
    public var tags: [Located<String>]
    /// Where `tag:` was written.
    public var location: FileLocation

    /// A tag action adding `tags`.
    public init(tags: [Located<String>], location: FileLocation) {
        self.tags = tags
        self.location = location
    }
}

/// `Field: value` under `update:` or `deal:`.
public struct FieldAssignment: Sendable, Hashable {
    /// The field's API name.
    public var field: Located<String>
    /// The value to write.
    public var value: AssignedValue
    /// Where the value's text starts (after an opening quote).
    public var location: FileLocation

    /// `field` set to `value`, written at `location`.
    public init(field: Located<String>, value: AssignedValue, location: FileLocation) {
        self.field = field
        self.value = value
        self.location = location
    }
}

/// A value to write: a constant, or a template rendered per record.
public enum AssignedValue: Sendable, Hashable {
    /// A constant.
    case value(RuleValue)
    /// Text holding `{{ … }}`.
    case template(Template)
}

/// `owner:` as written: an email address or a 19-digit Zoho user id.
public struct Owner: Sendable, Hashable {
    /// Which form the owner was given in.
    public enum Kind: String, Sendable, Hashable {
        /// An email address, resolved through the Users API.
        case email
        /// A Zoho user id.
        case userID
    }

    /// Email or id.
    public var kind: Kind
    /// The email address or id as written.
    public var value: String
    /// Where it was written.
    public var location: FileLocation

    /// An owner given as `value` of `kind`.
    public init(kind: Kind, value: String, location: FileLocation) {
        self.kind = kind
        self.value = value
        self.location = location
    }
}
