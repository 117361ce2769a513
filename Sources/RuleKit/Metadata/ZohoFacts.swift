/// Zoho CRM facts that lint and the compiler must agree on, defined once.
///
/// They live in RuleKit because lint (here) and the compiler (Engine, which imports RuleKit) both decide with them;
/// ZohoCRM cannot import RuleKit, so the client does not re-check them before sending: lint refuses such a rule,
/// the compiler refuses to plan it, and Zoho itself answers INVALID_DATA. The emulator keeps its own copy on
/// purpose, so that it shares nothing with the client it is testing.
public enum ZohoFacts {
    /// One inventory conversion Zoho allows, and the child's standard lookup back to its parent, when it has one.
    public struct InventoryConversion: Sendable, Hashable {
        /// The parent module (`Quotes` or `Sales_Orders`).
        public let source: String
        /// The child module (`Sales_Orders` or `Invoices`).
        public let target: String
        /// The child's lookup field pointing at its parent; nil for Quote → Invoice, which Zoho's standard fields
        /// do not link.
        public let backLinkField: String?
    }

    /// Every inventory conversion Zoho allows: Quotes → Sales_Orders or Invoices, Sales_Orders → Invoices.
    public static let inventoryConversions: [InventoryConversion] = [
        InventoryConversion(source: "Quotes", target: "Sales_Orders", backLinkField: "Quote_Name"),
        InventoryConversion(source: "Quotes", target: "Invoices", backLinkField: nil),
        InventoryConversion(source: "Sales_Orders", target: "Invoices", backLinkField: "Sales_Order"),
    ]

    /// The `data_type` values of numeric fields.
    ///
    /// From the reference's sample of `GET /settings/fields` (integer, bigint, double, currency, percent) and the
    /// search documentation's operator table, which also names decimal. `formula` is not here: a formula field
    /// returns a number or text, so callers that accept numbers for formulas say so themselves.
    public static let numericFieldTypes: Set<String> = [
        "integer", "bigint", "double", "currency", "decimal", "percent",
    ]
}
