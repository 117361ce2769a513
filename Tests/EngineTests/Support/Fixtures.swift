/// A small org with good, locked, unapproved, deleted and already-converted records, and the seed's lead scenario.
let engineFixture = """
    edition: professional
    org: { name: Zylker, id_prefix: "4876876" }
    users:
      - { id: "4876876000000400001", email: admin@zylker.com, full_name: Patricia Boyle }
      - { id: "4876876000000400004", email: billing@zylker.com, full_name: Ben Kowalski }
      - { id: "4876876000000400007", email: gone@zylker.com, full_name: Old Timer, status: inactive }
    unique_fields: { Contacts: [Phone] }
    picklist_values: { Quotes.Quote_Stage: [Accepted], Leads.Lead_Status: [Qualified] }
    records:
      Products:
        - { id: "4876876000001000101", Product_Name: Widget, Unit_Price: 100 }
      Accounts:
        - { id: "4876876000001000201", Account_Name: Zylker Biotech, Phone: "555-0100" }
        - { id: "4876876000001000202", Account_Name: Other Corp }
      Contacts:
        - { id: "4876876000001000301", First_Name: Pat, Last_Name: Boyle, Phone: "9844444444", Account_Name: Zylker Biotech }
        - { id: "4876876000001000302", Last_Name: Boyle, Email: pat.boyle@zylker.com }
        - { id: "4876876000001000303", First_Name: Mia, Last_Name: Stone, Email: mia@other.com, Account_Name: Other Corp }
      Leads:
        - { id: "4876876000001000401", First_Name: Pat, Last_Name: Boyle, Company: Zylker Biotech, Email: pat.boyle@zylker.com, Phone: "9844444444", Lead_Status: Qualified, Tag: [vip] }
        - { id: "4876876000001000402", First_Name: New, Last_Name: Person, Company: Fresh Ltd, Email: new@fresh.io, Lead_Status: Qualified }
        - { id: "4876876000001000403", First_Name: Lou, Last_Name: Locked, Company: Lock Co, Email: lou@lock.co, Lead_Status: Qualified, Locked__s: true }
        - { id: "4876876000001000404", First_Name: Pen, Last_Name: Pending, Company: Wait Co, Email: pen@wait.co, Lead_Status: Qualified, $approval_state: approval_process_pending }
        - { id: "4876876000001000405", First_Name: Mia, Last_Name: Stone, Company: Other Corp, Email: mia@other.com, Lead_Status: Qualified }
        - { id: "4876876000001000406", First_Name: Ann, Last_Name: Acct, Company: Other Corp, Email: ann@acct.io, Lead_Status: Qualified }
      Quotes:
        - { id: "4876876000001000501", Subject: Accepted quote, Quote_Stage: Accepted, Grand_Total: 200, Account_Name: Zylker Biotech, Valid_Till: 2099-12-31, Owner: admin@zylker.com, Tag: [priority], Quoted_Items: [{ Product_Name: Widget, Quantity: 2 }] }
        - { id: "4876876000001000502", Subject: Second, Quote_Stage: Accepted, Grand_Total: 50, Account_Name: Other Corp, Valid_Till: 2099-12-31, Quoted_Items: [{ Product_Name: Widget, Quantity: 1 }] }
        - { id: "4876876000001000503", Subject: Locked quote, Quote_Stage: Accepted, Grand_Total: 75, Account_Name: Other Corp, Valid_Till: 2099-12-31, Locked__s: true, Quoted_Items: [{ Product_Name: Widget }] }
        - { id: "4876876000001000504", Subject: Draft quote, Quote_Stage: Draft, Grand_Total: 80, Account_Name: Other Corp, Quoted_Items: [{ Product_Name: Widget }] }
        - { id: "4876876000001000505", Subject: Deleted, Quote_Stage: Accepted, Grand_Total: 90, Account_Name: Other Corp, $deleted: true, Quoted_Items: [{ Product_Name: Widget }] }
        - { id: "4876876000001000506", Subject: Converted already, Quote_Stage: Accepted, Grand_Total: 60, Account_Name: Other Corp, Valid_Till: 2099-12-31, Quoted_Items: [{ Product_Name: Widget }] }
        - { id: "4876876000001000507", Subject: Unapproved quote, Quote_Stage: Accepted, Grand_Total: 70, Account_Name: Other Corp, Valid_Till: 2099-12-31, $approval_state: approval_process_pending, Quoted_Items: [{ Product_Name: Widget }] }
      Sales_Orders:
        - { id: "4876876000001000601", Subject: Existing order, Quote_Name: "4876876000001000506", Status: Created, Account_Name: Other Corp, Ordered_Items: [{ Product_Name: Widget }] }
        - { id: "4876876000001000602", Subject: Approved order, Status: Approved, Account_Name: Zylker Biotech, Ordered_Items: [{ Product_Name: Widget, Quantity: 3 }] }
      Calls:
        - { id: "4876876000001000701", Subject: Kick-off, Call_Type: Outbound, Call_Start_Time: "2026-11-01T10:00:00+00:00", What_Id: { module: Quotes, id: "4876876000001000501" } }
      Tasks:
        - { id: "4876876000001000801", Subject: Follow up, What_Id: { module: Quotes, id: "4876876000001000501" } }
    """
