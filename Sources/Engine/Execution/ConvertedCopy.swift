import Foundation
import ZohoCRM

/// What Zoho's convert copies from a Quote onto its Invoice (the account, the contact, the totals and the line
/// items' products and quantities): compared to tell apart invoices of quotes that share a Subject, since Zoho's
/// Invoices carry no link back to their Quote.
struct ConvertedCopy: Hashable, Sendable {
    /// One line item: the product (by id, or by name when Zoho gave no id) and its quantity.
    struct LineItem: Hashable, Comparable, Sendable {
        var product: String
        var quantity: Double

        static func < (lhs: LineItem, rhs: LineItem) -> Bool {
            (lhs.product, lhs.quantity) < (rhs.product, rhs.quantity)
        }
    }

    var account: String?
    var contact: String?
    var grandTotal: Double?
    var subTotal: Double?
    /// Sorted, so the order Zoho lists them in does not matter.
    var items: [LineItem]

    /// The line-item subform of each inventory module.
    static let itemsField = ["Quotes": "Quoted_Items", "Sales_Orders": "Ordered_Items", "Invoices": "Invoiced_Items"]

    /// The copied values of `record`, a record of `module`.
    init(_ record: ZohoRecord, module: String) {
        account = Self.reference(record["Account_Name"])
        contact = Self.reference(record["Contact_Name"])
        grandTotal = record["Grand_Total"].doubleValue
        subTotal = record["Sub_Total"].doubleValue
        let rows = Self.itemsField[module].flatMap { record[$0].arrayValue } ?? []
        items = rows.compactMap { row -> LineItem? in
            guard let fields = row.objectValue else { return nil }
            let product = Self.reference(fields["Product_Name"] ?? .null) ?? ""
            return LineItem(product: product, quantity: fields["Quantity"]?.doubleValue ?? 0)
        }
        .sorted()
    }

    /// A lookup's id (its name when Zoho gave no id), or a plain value as Zoho wrote it.
    private static func reference(_ value: ZohoJSON) -> String? {
        if let object = value.objectValue {
            return object["id"]?.idValue ?? object["name"]?.stringValue
        }
        return value.idValue
    }
}

/// Picks, for each quote whose single convert's answer was lost, the one invoice that is its result, or says that
/// several could be (left for a person) — never one invoice for two quotes.
enum InvoiceMatcher {
    /// One quote being reconciled: what its convert copies, and the invoices that could be its result (its Subject,
    /// created after its intent, credited to no other record).
    struct Quote: Sendable {
        var copy: ConvertedCopy
        var candidates: [String]
    }

    /// What matching found: the quote's invoice, or the invoices that fit it equally well.
    struct Match: Sendable, Equatable {
        var found: [String: String] = [:]
        var ambiguous: [String: [String]] = [:]
    }

    /// Matches `quotes` (by source id) against `invoices` (their copied values, by id).
    ///
    /// An invoice whose copied values equal the quote's is the quote's. When none does (Zoho may compute totals its
    /// own way), a candidate still counts unless it fits another quote being reconciled, as before. One invoice
    /// left to two quotes goes to neither.
    static func match(_ quotes: [String: Quote], invoices: [String: ConvertedCopy]) -> Match {
        var match = Match()
        for (id, quote) in quotes {
            let fitting = quote.candidates.filter { invoices[$0] == quote.copy }
            let picked =
                fitting.isEmpty
                ? quote.candidates.filter { invoice in
                    !quotes.contains {
                        $0.key != id && $0.value.candidates.contains(invoice) && invoices[invoice] == $0.value.copy
                    }
                }
                : fitting
            if picked.count == 1 {
                match.found[id] = picked[0]
            } else if picked.count > 1 {
                match.ambiguous[id] = picked.sorted()
            }
        }
        let claims = Dictionary(grouping: match.found.keys, by: { match.found[$0] ?? "" })
        for (invoice, claimants) in claims where claimants.count > 1 {
            for quote in claimants {
                match.found[quote] = nil
                match.ambiguous[quote] = [invoice]
            }
        }
        return match
    }
}
