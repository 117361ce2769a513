import Foundation

/// The generated org and rules: N accepted quotes and N qualified leads with nothing to merge into, so every
/// record converts and the figures measure the pipeline, not refusals.
enum BenchmarkFixture {
    /// The fixture's only user, the owner of everything and the mass lead conversion's `assign_to`.
    static let ownerEmail = "admin@zylker.com"

    /// Fixture YAML with `records` records of each module the paths select from.
    static func yaml(records: Int, edition: String, paths: [BenchPath]) -> String {
        var text = """
            edition: \(edition)
            users:
              - { id: "4876876000000400001", email: \(ownerEmail), full_name: Admin }
            picklist_values: { Quotes.Quote_Stage: [Accepted], Leads.Lead_Status: [Qualified] }
            records:
              Products:
                - { id: "4876876000001000101", Product_Name: Widget, Unit_Price: 100 }
              Accounts:
                - { id: "4876876000001000201", Account_Name: Bench Corp }

            """
        text.reserveCapacity(records * 300)
        if paths.contains(where: { $0.module == "Quotes" }) {
            text += "  Quotes:\n"
            for index in 0..<records {
                text +=
                    "    - { id: \"\(4_876_876_000_010_000_000 + index)\", Subject: Quote \(index), "
                    + "Quote_Stage: Accepted, Account_Name: Bench Corp, "
                    + "Quoted_Items: [{ Product_Name: Widget, Quantity: \(1 + index % 5) }] }\n"
            }
        }
        if paths.contains(where: { $0.module == "Leads" }) {
            text += "  Leads:\n"
            for index in 0..<records {
                text +=
                    "    - { id: \"\(4_876_876_000_020_000_000 + index)\", First_Name: Bench, Last_Name: Lead \(index), "
                    + "Company: Lead Co \(index), Email: lead\(index)@bench.example, Lead_Status: Qualified }\n"
            }
        }
        return text
    }

    /// The rule file for one path, as an admin would write it.
    static func rules(for path: BenchPath) -> String {
        let body: String
        switch path {
        case .mass:
            body = """
                  - name: bench-orders
                    when: { module: Quotes, where: { Quote_Stage: Accepted, Grand_Total: { gt: 0 } } }
                    do:
                      - convert: { to: Sales_Orders, carry_tags: true }
                """
        case .single:
            body = """
                  - name: bench-invoices
                    when: { module: Quotes, where: { Quote_Stage: Accepted, Grand_Total: { gt: 0 } } }
                    do:
                      - convert: { to: Invoices, carry_tags: true }
                """
        case .leadMass:
            body = """
                  - name: bench-leads-mass
                    when: { module: Leads, where: { Lead_Status: Qualified } }
                    do:
                      - convert_lead: { owner: \(ownerEmail) }
                """
        case .leadSingle:
            body = """
                  - name: bench-leads-single
                    when: { module: Leads, where: { Lead_Status: Qualified } }
                    do:
                      - convert_lead: {}
                """
        }
        return "version: 1\nrules:\n" + body + "\n"
    }
}
