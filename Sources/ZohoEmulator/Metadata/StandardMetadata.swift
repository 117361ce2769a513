/// One field of a standard module, as Zoho's fields API describes it.
struct FieldSpec: Sendable {
    var apiName: String
    var label: String
    var dataType: String
    var lookupModule: String? = nil
    var picklist: [String] = []
    /// Leads only: where Zoho's lead conversion copies this field (`Contacts`/`Accounts`/`Deals` to API name).
    var convertMapping: [String: String] = [:]
    var mandatory = false
    var readOnly = false
    var length = 255

    var jsonType: String {
        // Zoho's Tag field is `text` yet travels as an array of tag objects.
        if apiName == "Tag" { return "jsonarray" }
        return switch dataType {
        case "lookup", "ownerlookup": "jsonobject"
        case "subform", "multiselectpicklist": "jsonarray"
        case "boolean": "boolean"
        case "integer": "integer"
        case "double", "currency", "percent": "double"
        default: "string"
        }
    }
}

/// A standard module and its fields.
struct ModuleSpec: Sendable {
    var apiName: String
    var singular: String
    var plural: String
    /// The field Zoho shows as the record's name in lookups.
    var displayField: String
    var fields: [FieldSpec]
    var apiSupported = true
    var convertable = false
    var creatable = true

    func field(_ name: String) -> FieldSpec? { fields.first { $0.apiName == name } }
}

/// Zoho CRM's standard modules, fields and picklists, built into the emulator.
///
/// Field names, types and picklists follow Zoho's standard org (SDK `record/field.py`, the fields API sample);
/// fixtures add picklist values and unique fields on top.
enum StandardMetadata {
    static func moduleSpec(_ name: String) -> ModuleSpec? {
        modules.first { $0.apiName.caseInsensitiveCompare(name) == .orderedSame }
    }

    static let dealStages = [
        "Qualification", "Needs Analysis", "Value Proposition", "Identify Decision Makers", "Proposal/Price Quote",
        "Negotiation/Review", "Closed Won", "Closed Lost", "Closed-Lost to Competition",
    ]
    static let standardPipeline = "Standard (Standard)"

    static let modules: [ModuleSpec] = [
        ModuleSpec(
            apiName: "Leads",
            singular: "Lead",
            plural: "Leads",
            displayField: "Full_Name",
            fields: common + [
                pick(
                    "Salutation",
                    "Salutation",
                    ["-None-", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof."],
                    map: ["Contacts": "Salutation"]
                ),
                text("First_Name", "First Name", map: ["Contacts": "First_Name"]),
                text("Last_Name", "Last Name", map: ["Contacts": "Last_Name"], mandatory: true),
                text("Full_Name", "Lead Name", readOnly: true),
                text("Company", "Company", map: ["Accounts": "Account_Name"]),
                text("Designation", "Title", map: ["Contacts": "Title"]),
                typed("Email", "Email", "email", map: ["Contacts": "Email"]),
                typed("Secondary_Email", "Secondary Email", "email", map: ["Contacts": "Secondary_Email"]),
                typed("Phone", "Phone", "phone", map: ["Contacts": "Phone", "Accounts": "Phone"]),
                typed("Mobile", "Mobile", "phone", map: ["Contacts": "Mobile"]),
                typed("Fax", "Fax", "phone", map: ["Contacts": "Fax", "Accounts": "Fax"]),
                typed("Website", "Website", "website", map: ["Accounts": "Website"]),
                pick(
                    "Lead_Source",
                    "Lead Source",
                    leadSources,
                    map: ["Contacts": "Lead_Source", "Deals": "Lead_Source"]
                ),
                pick(
                    "Lead_Status",
                    "Lead Status",
                    [
                        "-None-", "Attempted to Contact", "Contact in Future", "Contacted", "Junk Lead", "Lost Lead",
                        "Not Contacted", "Pre-Qualified", "Not Qualified",
                    ]
                ),
                pick("Industry", "Industry", industries, map: ["Accounts": "Industry"]),
                typed("No_of_Employees", "No. of Employees", "integer", map: ["Accounts": "Employees"]),
                typed("Annual_Revenue", "Annual Revenue", "currency", map: ["Accounts": "Annual_Revenue"]),
                pick("Rating", "Rating", ratings, map: ["Accounts": "Rating"]),
                typed("Email_Opt_Out", "Email Opt Out", "boolean", map: ["Contacts": "Email_Opt_Out"]),
                text("Skype_ID", "Skype ID", map: ["Contacts": "Skype_ID"]),
                text("Twitter", "Twitter", map: ["Contacts": "Twitter"]),
                text("Street", "Street", map: ["Contacts": "Mailing_Street", "Accounts": "Billing_Street"]),
                text("City", "City", map: ["Contacts": "Mailing_City", "Accounts": "Billing_City"]),
                text("State", "State", map: ["Contacts": "Mailing_State", "Accounts": "Billing_State"]),
                text("Zip_Code", "Zip Code", map: ["Contacts": "Mailing_Zip", "Accounts": "Billing_Code"]),
                text("Country", "Country", map: ["Contacts": "Mailing_Country", "Accounts": "Billing_Country"]),
                typed("Description", "Description", "textarea", map: ["Contacts": "Description"]),
                typed("Converted__s", "Converted", "boolean", readOnly: true),
                typed("Converted_Date_Time", "Converted Date Time", "datetime", readOnly: true),
                lookup("Converted_Contact", "Converted Contact", "Contacts", readOnly: true),
                lookup("Converted_Account", "Converted Account", "Accounts", readOnly: true),
                lookup("Converted_Deal", "Converted Deal", "Deals", readOnly: true),
            ],
            convertable: true
        ),
        ModuleSpec(
            apiName: "Contacts",
            singular: "Contact",
            plural: "Contacts",
            displayField: "Full_Name",
            fields: common + [
                pick("Salutation", "Salutation", ["-None-", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof."]),
                text("First_Name", "First Name"),
                text("Last_Name", "Last Name", mandatory: true),
                text("Full_Name", "Contact Name", readOnly: true),
                lookup("Account_Name", "Account Name", "Accounts"),
                typed("Email", "Email", "email"),
                typed("Secondary_Email", "Secondary Email", "email"),
                text("Title", "Title"),
                text("Department", "Department"),
                typed("Phone", "Phone", "phone"),
                typed("Home_Phone", "Home Phone", "phone"),
                typed("Other_Phone", "Other Phone", "phone"),
                typed("Mobile", "Mobile", "phone"),
                typed("Fax", "Fax", "phone"),
                typed("Date_of_Birth", "Date of Birth", "date"),
                text("Assistant", "Assistant"),
                typed("Asst_Phone", "Asst Phone", "phone"),
                lookup("Reporting_To", "Reporting To", "Contacts"),
                pick("Lead_Source", "Lead Source", leadSources),
                typed("Email_Opt_Out", "Email Opt Out", "boolean"),
                text("Skype_ID", "Skype ID"),
                text("Twitter", "Twitter"),
                text("Mailing_Street", "Mailing Street"),
                text("Mailing_City", "Mailing City"),
                text("Mailing_State", "Mailing State"),
                text("Mailing_Zip", "Mailing Zip"),
                text("Mailing_Country", "Mailing Country"),
                typed("Description", "Description", "textarea"),
            ]
        ),
        ModuleSpec(
            apiName: "Accounts",
            singular: "Account",
            plural: "Accounts",
            displayField: "Account_Name",
            fields: common + [
                text("Account_Name", "Account Name", mandatory: true),
                text("Account_Number", "Account Number"),
                text("Account_Site", "Account Site"),
                lookup("Parent_Account", "Parent Account", "Accounts"),
                pick(
                    "Account_Type",
                    "Account Type",
                    [
                        "-None-", "Analyst", "Competitor", "Customer", "Distributor", "Integrator", "Investor", "Other",
                        "Partner", "Press", "Prospect", "Reseller", "Supplier", "Vendor",
                    ]
                ),
                pick("Industry", "Industry", industries),
                typed("Annual_Revenue", "Annual Revenue", "currency"),
                typed("Employees", "Employees", "integer"),
                pick(
                    "Ownership",
                    "Ownership",
                    [
                        "-None-", "Other", "Private", "Public", "Subsidiary", "Partnership", "Government",
                        "Privately Held", "Public Company",
                    ]
                ),
                pick("Rating", "Rating", ratings),
                typed("Phone", "Phone", "phone"),
                typed("Fax", "Fax", "phone"),
                typed("Website", "Website", "website"),
                text("Ticker_Symbol", "Ticker Symbol"),
                typed("SIC_Code", "SIC Code", "integer"),
                text("Billing_Street", "Billing Street"),
                text("Billing_City", "Billing City"),
                text("Billing_State", "Billing State"),
                text("Billing_Code", "Billing Code"),
                text("Billing_Country", "Billing Country"),
                text("Shipping_Street", "Shipping Street"),
                text("Shipping_City", "Shipping City"),
                text("Shipping_State", "Shipping State"),
                text("Shipping_Code", "Shipping Code"),
                text("Shipping_Country", "Shipping Country"),
                typed("Description", "Description", "textarea"),
            ]
        ),
        ModuleSpec(
            apiName: "Deals",
            singular: "Deal",
            plural: "Deals",
            displayField: "Deal_Name",
            fields: common + [
                text("Deal_Name", "Deal Name", mandatory: true),
                lookup("Account_Name", "Account Name", "Accounts"),
                lookup("Contact_Name", "Contact Name", "Contacts"),
                typed("Amount", "Amount", "currency"),
                typed("Closing_Date", "Closing Date", "date", mandatory: true),
                pick("Pipeline", "Pipeline", [standardPipeline], mandatory: true),
                pick("Stage", "Stage", dealStages, mandatory: true),
                pick("Type", "Type", ["-None-", "Existing Business", "New Business"]),
                typed("Probability", "Probability (%)", "integer"),
                typed("Expected_Revenue", "Expected Revenue", "currency", readOnly: true),
                text("Next_Step", "Next Step"),
                pick("Lead_Source", "Lead Source", leadSources),
                typed("Description", "Description", "textarea"),
            ]
        ),
        inventory(
            "Quotes",
            "Quote",
            "Quotes",
            items: "Quoted_Items",
            extra: [
                lookup("Deal_Name", "Deal Name", "Deals"),
                pick(
                    "Quote_Stage",
                    "Quote Stage",
                    ["Draft", "Negotiation", "Delivered", "On Hold", "Confirmed", "Closed Won", "Closed Lost"]
                ),
                typed("Valid_Till", "Valid Till", "date"),
                text("Team", "Team"),
                pick("Carrier", "Carrier", ["FedEX", "UPS", "USPS", "DHL", "BlueDart"]),
            ]
        ),
        inventory(
            "Sales_Orders",
            "Sales Order",
            "Sales Orders",
            items: "Ordered_Items",
            extra: [
                lookup("Quote_Name", "Quote Name", "Quotes"),
                lookup("Deal_Name", "Deal Name", "Deals"),
                text("Customer_No", "Customer No"),
                text("Purchase_Order", "Purchase Order"),
                typed("Due_Date", "Due Date", "date"),
                pick("Carrier", "Carrier", ["FedEX", "UPS", "USPS", "DHL", "BlueDart"]),
                typed("Excise_Duty", "Excise Duty", "currency"),
                typed("Sales_Commission", "Sales Commission", "currency"),
                pick("Status", "Status", ["Created", "Approved", "Delivered", "Cancelled"]),
            ]
        ),
        inventory(
            "Invoices",
            "Invoice",
            "Invoices",
            items: "Invoiced_Items",
            extra: [
                lookup("Sales_Order", "Sales Order", "Sales_Orders"),
                lookup("Deal_Name", "Deal Name", "Deals"),
                typed("Invoice_Date", "Invoice Date", "date"),
                text("Purchase_Order", "Purchase Order"),
                typed("Due_Date", "Due Date", "date"),
                typed("Excise_Duty", "Excise Duty", "currency"),
                typed("Sales_Commission", "Sales Commission", "currency"),
                pick("Status", "Status", ["Created", "Approved", "Delivered", "Cancelled"]),
            ]
        ),
        ModuleSpec(
            apiName: "Products",
            singular: "Product",
            plural: "Products",
            displayField: "Product_Name",
            fields: common + [
                text("Product_Name", "Product Name", mandatory: true),
                text("Product_Code", "Product Code"),
                typed("Product_Active", "Product Active", "boolean"),
                pick("Product_Category", "Product Category", ["-None-", "Hardware", "Software", "CRM Applications"]),
                pick("Manufacturer", "Manufacturer", ["-None-", "AltvetPet Inc.", "LexPon Inc.", "MetBeat Corp."]),
                typed("Unit_Price", "Unit Price", "currency"),
                typed("Commission_Rate", "Commission Rate", "currency"),
                typed("Taxable", "Taxable", "boolean"),
                pick(
                    "Usage_Unit",
                    "Usage Unit",
                    [
                        "-None-", "Box", "Carton", "Dozen", "Each", "Hour(s)", "Impressions", "Lb", "M", "Pack",
                        "Pages", "Pieces", "Quantity", "Reams", "Sheet", "Spiral Binder", "Sq Ft",
                    ]
                ),
                typed("Qty_in_Stock", "Qty in Stock", "double"),
                typed("Qty_Ordered", "Qty Ordered", "double"),
                typed("Reorder_Level", "Reorder Level", "double"),
                typed("Qty_in_Demand", "Qty in Demand", "double"),
                typed("Sales_Start_Date", "Sales Start Date", "date"),
                typed("Sales_End_Date", "Sales End Date", "date"),
                typed("Description", "Description", "textarea"),
            ]
        ),
        ModuleSpec(
            apiName: "Calls",
            singular: "Call",
            plural: "Calls",
            displayField: "Subject",
            fields: common + activityLinks + [
                text("Subject", "Subject", mandatory: true),
                pick("Call_Type", "Call Type", ["Outbound", "Inbound", "Missed"], mandatory: true),
                pick(
                    "Call_Purpose",
                    "Call Purpose",
                    ["-None-", "Prospecting", "Administrative", "Negotiation", "Demo", "Project", "Desk"]
                ),
                typed("Call_Start_Time", "Call Start Time", "datetime", mandatory: true),
                text("Call_Duration", "Call Duration"),
                typed("Call_Duration_in_seconds", "Call Duration (in seconds)", "integer", readOnly: true),
                text("Call_Result", "Call Result"),
                typed("Description", "Description", "textarea"),
            ]
        ),
        ModuleSpec(
            apiName: "Tasks",
            singular: "Task",
            plural: "Tasks",
            displayField: "Subject",
            fields: common + activityLinks + [
                text("Subject", "Subject", mandatory: true),
                typed("Due_Date", "Due Date", "date"),
                pick("Status", "Status", ["Not Started", "Deferred", "In Progress", "Completed", "Waiting for input"]),
                pick("Priority", "Priority", ["High", "Highest", "Low", "Lowest", "Normal"]),
                typed("Send_Notification_Email", "Send Notification Email", "boolean"),
                typed("Closed_Time", "Closed Time", "datetime", readOnly: true),
                typed("Description", "Description", "textarea"),
            ]
        ),
        ModuleSpec(
            apiName: "Events",
            singular: "Meeting",
            plural: "Meetings",
            displayField: "Event_Title",
            fields: common + activityLinks + [
                text("Event_Title", "Title", mandatory: true),
                text("Venue", "Venue"),
                typed("All_day", "All day", "boolean"),
                typed("Start_DateTime", "From", "datetime", mandatory: true),
                typed("End_DateTime", "To", "datetime", mandatory: true),
                typed("Description", "Description", "textarea"),
            ]
        ),
        ModuleSpec(
            apiName: "Notes",
            singular: "Note",
            plural: "Notes",
            displayField: "Note_Title",
            fields: common + [
                text("Note_Title", "Note Title"),
                typed("Note_Content", "Note Content", "textarea"),
                lookup("Parent_Id", "Parent ID", nil),
            ],
            creatable: true
        ),
        ModuleSpec(
            apiName: "Attachments",
            singular: "Attachment",
            plural: "Attachments",
            displayField: "File_Name",
            fields: common + [
                text("File_Name", "File Name"),
                text("Size", "Size"),
                lookup("Parent_Id", "Parent ID", nil),
            ],
            apiSupported: false,
            creatable: false
        ),
    ]

    // MARK: - Building blocks

    static let leadSources = [
        "-None-", "Advertisement", "Cold Call", "Employee Referral", "External Referral", "Online Store", "X (Twitter)",
        "Facebook", "Partner", "Public Relations", "Sales Email Alias", "Seminar Partner", "Internal Seminar",
        "Trade Show", "Web Download", "Web Research", "Chat",
    ]
    static let industries = [
        "-None-", "ASP (Application Service Provider)", "Data/Telecom OEM", "ERP (Enterprise Resource Planning)",
        "Government/Military", "Large Enterprise", "ManagementISV", "MSP (Management Service Provider)",
        "Network Equipment Enterprise", "Non-management ISV", "Optical Networking", "Service Provider",
        "Small/Medium Enterprise", "Storage Equipment", "Storage Service Provider", "Systems Integrator",
        "Wireless Industry",
    ]
    static let ratings = ["-None-", "Acquired", "Active", "Market Failed", "Project Cancelled", "Shut Down"]

    /// Fields every standard module has.
    static let common: [FieldSpec] = [
        typed("id", "Record Id", "bigint", readOnly: true),
        FieldSpec(apiName: "Owner", label: "Owner", dataType: "ownerlookup", lookupModule: "users"),
        FieldSpec(
            apiName: "Created_By",
            label: "Created By",
            dataType: "ownerlookup",
            lookupModule: "users",
            readOnly: true
        ),
        FieldSpec(
            apiName: "Modified_By",
            label: "Modified By",
            dataType: "ownerlookup",
            lookupModule: "users",
            readOnly: true
        ),
        typed("Created_Time", "Created Time", "datetime", readOnly: true),
        typed("Modified_Time", "Modified Time", "datetime", readOnly: true),
        FieldSpec(apiName: "Tag", label: "Tag", dataType: "text", readOnly: true, length: 2000),
        typed("Locked__s", "Locked", "boolean", readOnly: true),
    ]

    /// Activities point at a person (`Who_Id`) and at a record of another module (`What_Id`).
    static let activityLinks: [FieldSpec] = [
        lookup("Who_Id", "Contact Name", "Contacts"),
        lookup("What_Id", "Related To", nil),
    ]

    static func inventory(
        _ api: String,
        _ singular: String,
        _ plural: String,
        items: String,
        extra: [FieldSpec]
    )
        -> ModuleSpec
    {
        ModuleSpec(
            apiName: api,
            singular: singular,
            plural: plural,
            displayField: "Subject",
            fields: common + [text("Subject", "Subject", mandatory: true)] + extra + [
                lookup("Contact_Name", "Contact Name", "Contacts"),
                lookup("Account_Name", "Account Name", "Accounts", mandatory: true),
                text("Billing_Street", "Billing Street"),
                text("Billing_City", "Billing City"),
                text("Billing_State", "Billing State"),
                text("Billing_Code", "Billing Code"),
                text("Billing_Country", "Billing Country"),
                text("Shipping_Street", "Shipping Street"),
                text("Shipping_City", "Shipping City"),
                text("Shipping_State", "Shipping State"),
                text("Shipping_Code", "Shipping Code"),
                text("Shipping_Country", "Shipping Country"),
                FieldSpec(
                    apiName: items,
                    label: singular == "Quote"
                        ? "Quoted Items" : singular == "Invoice" ? "Invoiced Items" : "Ordered Items",
                    dataType: "subform",
                    mandatory: true
                ),
                typed("Sub_Total", "Sub Total", "currency", readOnly: true),
                typed("Discount", "Discount", "currency"),
                typed("Tax", "Tax", "currency"),
                typed("Adjustment", "Adjustment", "currency"),
                typed("Grand_Total", "Grand Total", "currency", readOnly: true),
                typed("Terms_and_Conditions", "Terms and Conditions", "textarea"),
                typed("Description", "Description", "textarea"),
            ],
            convertable: api != "Invoices"
        )
    }

    static func text(
        _ api: String,
        _ label: String,
        map: [String: String] = [:],
        mandatory: Bool = false,
        readOnly: Bool = false
    ) -> FieldSpec {
        FieldSpec(
            apiName: api,
            label: label,
            dataType: "text",
            convertMapping: map,
            mandatory: mandatory,
            readOnly: readOnly
        )
    }

    static func typed(
        _ api: String,
        _ label: String,
        _ type: String,
        map: [String: String] = [:],
        mandatory: Bool = false,
        readOnly: Bool = false
    ) -> FieldSpec {
        FieldSpec(
            apiName: api,
            label: label,
            dataType: type,
            convertMapping: map,
            mandatory: mandatory,
            readOnly: readOnly,
            length: type == "textarea" ? 32000 : type == "email" ? 100 : type == "phone" ? 30 : 255
        )
    }

    static func pick(
        _ api: String,
        _ label: String,
        _ values: [String],
        map: [String: String] = [:],
        mandatory: Bool = false
    ) -> FieldSpec {
        FieldSpec(
            apiName: api,
            label: label,
            dataType: "picklist",
            picklist: values,
            convertMapping: map,
            mandatory: mandatory,
            length: 120
        )
    }

    static func lookup(
        _ api: String,
        _ label: String,
        _ module: String?,
        mandatory: Bool = false,
        readOnly: Bool = false
    )
        -> FieldSpec
    {
        FieldSpec(
            apiName: api,
            label: label,
            dataType: "lookup",
            lookupModule: module,
            mandatory: mandatory,
            readOnly: readOnly
        )
    }
}
