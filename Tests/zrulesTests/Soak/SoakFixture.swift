import Foundation

/// How big a soak or crash campaign is: the short one runs in `swift test`, the long one with `ZRULES_SOAK=long`.
struct SoakScale: Sendable {
    /// Accepted quotes for Quotes → Invoices (single convert); a third of them share a Subject with another.
    var quotesToInvoices: Int
    /// Confirmed quotes for Quotes → Sales_Orders (mass convert).
    var quotesToOrders: Int
    /// Delivered sales orders for Sales_Orders → Invoices (mass convert).
    var ordersToInvoices: Int
    /// Qualified leads for the mass-convert lead rule; a quarter match an existing Contact (merged singly).
    var leadsMass: Int
    /// Pre-qualified leads for the single-convert lead rule; a quarter match an existing Contact.
    var leadsSingle: Int
    /// SIGKILLs in the crash campaign.
    var kills: Int
    /// Runs without kills allowed to settle everything.
    var settleRuns: Int
    /// How long one `zrules run` may take.
    var runTimeout: TimeInterval

    /// The `swift test` default: about 60 quotes, 40 leads, a dozen kills.
    static let short = SoakScale(
        quotesToInvoices: 30,
        quotesToOrders: 30,
        ordersToInvoices: 20,
        leadsMass: 24,
        leadsSingle: 16,
        kills: 12,
        settleRuns: 4,
        runTimeout: 120
    )

    /// `ZRULES_SOAK=long`: the sizes, 30 kills.
    static let long = SoakScale(
        quotesToInvoices: 600,
        quotesToOrders: 1000,
        ordersToInvoices: 400,
        leadsMass: 400,
        leadsSingle: 200,
        kills: 30,
        settleRuns: 8,
        runTimeout: 900
    )

    /// The scale the environment asks for.
    static var current: SoakScale {
        ProcessInfo.processInfo.environment["ZRULES_SOAK"] == "long" ? .long : .short
    }

    /// True when the environment asks for the long version.
    static var isLong: Bool { ProcessInfo.processInfo.environment["ZRULES_SOAK"] == "long" }
    /// The crash harness runs only when asked (`ZRULES_SOAK=crash`, `short` or `long`): `.ci/run` runs the short one
    /// after `swift test`, on its build, so plain `swift test` stays quick.
    static var runsCrashHarness: Bool {
        ["crash", "short", "long"].contains(ProcessInfo.processInfo.environment["ZRULES_SOAK"] ?? "")
    }
    /// The fault soak runs only when asked too (`ZRULES_SOAK=short` or `long`; `.ci/run` runs the short one).
    static var runsFaultSoak: Bool {
        ["short", "long"].contains(ProcessInfo.processInfo.environment["ZRULES_SOAK"] ?? "")
    }
}

/// The five rules of the soak, one per inventory pair and lead path.
enum SoakRule: String, CaseIterable, Sendable {
    case quotesToOrders = "soak-quotes-to-orders"
    case quotesToInvoices = "soak-quotes-to-invoices"
    case ordersToInvoices = "soak-orders-to-invoices"
    case leadsMass = "soak-leads-mass"
    case leadsSingle = "soak-leads-single"

    var sourceModule: String {
        switch self {
        case .quotesToOrders, .quotesToInvoices: "Quotes"
        case .ordersToInvoices: "Sales_Orders"
        case .leadsMass, .leadsSingle: "Leads"
        }
    }

    var targetModule: String {
        switch self {
        case .quotesToOrders: "Sales_Orders"
        case .quotesToInvoices, .ordersToInvoices: "Invoices"
        case .leadsMass, .leadsSingle: "Contacts"
        }
    }

    var isLead: Bool { sourceModule == "Leads" }

    /// The owner every record the conversion creates must have.
    var ownerEmail: String {
        switch self {
        case .quotesToOrders: SoakFixture.fulfilment
        case .quotesToInvoices, .ordersToInvoices: SoakFixture.billing
        case .leadsMass, .leadsSingle: SoakFixture.sales
        }
    }

    /// The `update:` follow-up, as field and value, checked on every converted source.
    var update: (field: String, value: String)? {
        switch self {
        case .quotesToOrders: ("Quote_Stage", "Delivered")
        case .quotesToInvoices: ("Quote_Stage", "Closed Won")
        case .ordersToInvoices: ("Description", "Invoiced by zrules")
        case .leadsMass, .leadsSingle: nil
        }
    }

    /// The `tag:` follow-up, checked on every converted source.
    var tag: String? {
        switch self {
        case .quotesToOrders: "ordered"
        case .quotesToInvoices, .ordersToInvoices: "invoiced"
        case .leadsMass, .leadsSingle: nil
        }
    }
}

/// One source record the fixture holds for a rule, and what must become of it.
struct SoakSource: Sendable {
    var id: String
    var rule: SoakRule
    /// Zoho's refusal the record must end with (RECORD_LOCKED, NOT_APPROVED), or nil when it must convert.
    var refusal: String?
    /// The existing Contact a matching lead must be merged into.
    var mergeInto: String?
}

/// A generated org and rule file: renewals sharing Subjects, locked and unapproved records, leads that match a
/// Contact and clean ones. Every inventory source carries `soak:<id>` in `Terms_and_Conditions`, which Zoho copies
/// to the child, so the harness knows each child's parent even for Quote → Invoice, where Zoho leaves no back-link.
struct SoakFixture: Sendable {
    static let idPrefix = "7700001"
    static let admin = "admin@soak.example"
    static let sales = "sales@soak.example"
    static let billing = "billing@soak.example"
    static let fulfilment = "fulfilment@soak.example"

    var fixtureYAML: String
    var rulesYAML: String
    var sources: [SoakSource]

    static func id(_ serial: Int) -> String {
        let digits = String(serial)
        return idPrefix + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    static func marker(_ id: String) -> String { "soak:\(id)" }

    init(scale: SoakScale, edition: String) {
        var sources: [SoakSource] = []
        var yaml = Self.header(edition: edition)
        yaml += Self.quotes(scale, into: &sources)
        yaml += Self.salesOrders(scale, into: &sources)
        yaml += Self.leadsAndContacts(scale, into: &sources)
        fixtureYAML = yaml
        rulesYAML = Self.rules
        self.sources = sources
    }

    private static func header(edition: String) -> String {
        """
        edition: \(edition)
        org: { name: Soak Instruments, id_prefix: "\(idPrefix)" }
        users:
          - { id: "\(id(400_001))", email: \(admin), full_name: Ada Admin, role: CEO, profile: Administrator }
          - { id: "\(id(400_004))", email: \(sales), full_name: Sam Sales, role: Manager, profile: Standard }
          - { id: "\(id(400_007))", email: \(billing), full_name: Bea Billing, role: Manager, profile: Standard }
          - { id: "\(id(400_010))", email: \(fulfilment), full_name: Fred Fulfil, role: Manager, profile: Standard }
        picklist_values:
          Quotes.Quote_Stage: [Accepted]
          Leads.Lead_Status: [Qualified]
        records:
          Products:
            - { id: "\(id(1_100_001))", Product_Name: Soak Gauge, Unit_Price: 100, Product_Active: true }

        """
    }

    /// Accepted quotes (renewals share a Subject, each with its own amount), confirmed quotes, and one locked and
    /// one unapproved record for the refusals.
    private static func quotes(_ scale: SoakScale, into sources: inout [SoakSource]) -> String {
        var yaml = "  Quotes:\n"
        func quote(_ serial: Int, subject: String, stage: String, quantity: Int, extra: String = "") -> String {
            let quoteID = id(serial)
            return "    - { id: \"\(quoteID)\", Subject: \"\(subject)\", Quote_Stage: \(stage), "
                + "Account_Name: Soak Customer, Owner: \(sales), Terms_and_Conditions: \"\(marker(quoteID))\", "
                + "Tag: [soak]\(extra), Quoted_Items: [{ Product_Name: Soak Gauge, Quantity: \(quantity) }] }\n"
        }
        for index in 0..<scale.quotesToInvoices {
            let serial = 1_500_000 + index
            // Renewals: every three quotes among the first two thirds share a Subject.
            let subject =
                index < scale.quotesToInvoices * 2 / 3 ? "Annual renewal \(index / 3)" : "One-off order \(index)"
            yaml += quote(serial, subject: subject, stage: "Accepted", quantity: index + 1)
            sources.append(SoakSource(id: id(serial), rule: .quotesToInvoices))
        }
        yaml += quote(
            1_590_001,
            subject: "Annual renewal 0",
            stage: "Accepted",
            quantity: 7,
            extra: ", Locked__s: true"
        )
        sources.append(SoakSource(id: id(1_590_001), rule: .quotesToInvoices, refusal: "RECORD_LOCKED"))
        yaml += quote(
            1_590_002,
            subject: "Pending approval",
            stage: "Accepted",
            quantity: 3,
            extra: ", $approval_state: approval_process_pending"
        )
        sources.append(SoakSource(id: id(1_590_002), rule: .quotesToInvoices, refusal: "NOT_APPROVED"))
        for index in 0..<scale.quotesToOrders {
            let serial = 1_700_000 + index
            yaml += quote(serial, subject: "Order \(index / 2)", stage: "Confirmed", quantity: index + 1)
            sources.append(SoakSource(id: id(serial), rule: .quotesToOrders))
        }
        yaml += quote(1_790_001, subject: "Order 0", stage: "Confirmed", quantity: 9, extra: ", Locked__s: true")
        sources.append(SoakSource(id: id(1_790_001), rule: .quotesToOrders, refusal: "RECORD_LOCKED"))
        return yaml
    }

    private static func salesOrders(_ scale: SoakScale, into sources: inout [SoakSource]) -> String {
        var yaml = "  Sales_Orders:\n"
        func order(_ serial: Int, extra: String = "") -> String {
            let orderID = id(serial)
            return "    - { id: \"\(orderID)\", Subject: \"Delivery \(serial % 1000 / 2)\", Status: Delivered, "
                + "Account_Name: Soak Customer, Owner: \(sales), Terms_and_Conditions: \"\(marker(orderID))\""
                + "\(extra), Ordered_Items: [{ Product_Name: Soak Gauge, Quantity: \(serial % 1000 + 1) }] }\n"
        }
        for index in 0..<scale.ordersToInvoices {
            yaml += order(1_600_000 + index)
            sources.append(SoakSource(id: id(1_600_000 + index), rule: .ordersToInvoices))
        }
        yaml += order(1_690_001, extra: ", Locked__s: true")
        sources.append(SoakSource(id: id(1_690_001), rule: .ordersToInvoices, refusal: "RECORD_LOCKED"))
        return yaml
    }

    /// Leads for both rules: clean ones (new Contact, Account and Deal), ones whose Email and Company match an
    /// existing Contact and its Account (an unambiguous merge), and a locked one per rule.
    private static func leadsAndContacts(_ scale: SoakScale, into sources: inout [SoakSource]) -> String {
        var leads = "  Leads:\n"
        var accounts = "    - { id: \"\(id(1_200_000))\", Account_Name: Soak Customer }\n"
        var contacts = "  Contacts:\n"
        var known = 0
        func add(_ rule: SoakRule, count: Int, base: Int, status: String) {
            for index in 0..<count {
                let leadID = id(base + index)
                let common =
                    "Lead_Status: \(status), Lead_Source: Web Research, Owner: \(admin), "
                    + "Description: \"\(marker(leadID))\", Tag: [soak]"
                if index % 4 == 3 {
                    known += 1
                    let accountID = id(1_200_000 + known)
                    let contactID = id(1_300_000 + known)
                    accounts += "    - { id: \"\(accountID)\", Account_Name: \"Known Co \(known)\" }\n"
                    contacts +=
                        "    - { id: \"\(contactID)\", First_Name: Known, Last_Name: \"Person\(known)\", "
                        + "Email: \"known\(known)@known.example\", Account_Name: \"\(accountID)\" }\n"
                    leads +=
                        "    - { id: \"\(leadID)\", First_Name: Known, Last_Name: \"Person\(known)\", "
                        + "Company: \"Known Co \(known)\", Email: \"known\(known)@known.example\", \(common) }\n"
                    sources.append(SoakSource(id: leadID, rule: rule, mergeInto: contactID))
                } else {
                    leads +=
                        "    - { id: \"\(leadID)\", First_Name: Clean, Last_Name: \"Lead\(base + index)\", "
                        + "Company: \"Newco \(base + index)\", Email: \"lead\(base + index)@new.example\", "
                        + "\(common) }\n"
                    sources.append(SoakSource(id: leadID, rule: rule))
                }
            }
            let lockedID = id(base + 90_000)
            leads +=
                "    - { id: \"\(lockedID)\", First_Name: Locked, Last_Name: \"Lead\(base)\", "
                + "Company: \"Lockco \(base)\", Email: \"locked\(base)@new.example\", Lead_Status: \(status), "
                + "Owner: \(admin), Locked__s: true }\n"
            sources.append(SoakSource(id: lockedID, rule: rule, refusal: "RECORD_LOCKED"))
        }
        add(.leadsMass, count: scale.leadsMass, base: 1_800_000, status: "Qualified")
        add(.leadsSingle, count: scale.leadsSingle, base: 1_900_000, status: "Pre-Qualified")
        return "  Accounts:\n" + accounts + contacts + leads
    }

    /// The rules: the shipped rules' shapes (owner, `update`, `tag`) for the three pairs, and both lead paths.
    static let rules = """
        version: 1
        rules:
          - name: soak-quotes-to-orders
            when: { module: Quotes, where: { Quote_Stage: Confirmed } }
            do:
              - convert: { to: Sales_Orders, carry_tags: true, owner: \(fulfilment) }
              - update: { Quote_Stage: Delivered }
              - tag: [ordered]
          - name: soak-quotes-to-invoices
            when: { module: Quotes, where: { Quote_Stage: Accepted, Grand_Total: { gt: 0 } } }
            do:
              - convert: { to: Invoices, carry_tags: true, owner: \(billing) }
              - update: { Quote_Stage: Closed Won }
              - tag: [invoiced]
          - name: soak-orders-to-invoices
            when: { module: Sales_Orders, where: { Status: Delivered } }
            do:
              - convert: { to: Invoices, carry_tags: true, owner: \(billing) }
              - update: { Description: Invoiced by zrules }
              - tag: [invoiced]
          - name: soak-leads-mass
            when: { module: Leads, where: { Lead_Status: Qualified, Email: { is_null: false } } }
            do:
              - convert_lead:
                  duplicates: merge
                  owner: \(sales)
                  carry_tags: [Contacts, Deals]
                  deal:
                    Deal_Name: Soak pipeline
                    Stage: Qualification
                    Pipeline: Standard (Standard)
                    Closing_Date: "{{ today + 30d }}"
          - name: soak-leads-single
            when: { module: Leads, where: { Lead_Status: Pre-Qualified, Email: { is_null: false } } }
            do:
              - convert_lead:
                  duplicates: merge
                  notify_lead_owner: true
                  owner: \(sales)
                  deal:
                    Deal_Name: "{{ Last_Name }} deal"
                    Stage: Qualification
                    Pipeline: Standard (Standard)
                    Closing_Date: "{{ today + 30d }}"

        """
}
