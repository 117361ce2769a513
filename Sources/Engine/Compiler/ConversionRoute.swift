import RuleKit

/// A legal inventory conversion, and how its results can be confirmed.
///
/// Zoho's mass convert reports only counts (no per-record results), so the engine uses it only where each child
/// links back to its parent through a standard lookup and can be found afterwards. Quote → Invoice has no such
/// lookup in Zoho's standard fields, so it goes through the single-record convert, which returns the child's id.
public struct ConversionRoute: Sendable, Hashable, Codable {
    /// How records travel this route.
    public enum Method: String, Sendable, Codable {
        /// `POST /{module}/actions/mass_convert`, 50 a call, asynchronous, confirmed through the back-link.
        case mass
        /// `POST /{module}/{id}/actions/convert`, one a call, the child's id in the response.
        case single
    }

    /// The parent module (`Quotes` or `Sales_Orders`).
    public let source: String
    /// The child module (`Sales_Orders` or `Invoices`).
    public let target: String
    /// The child's lookup field pointing at its parent, when Zoho has one.
    public let backLinkField: String?

    /// Every conversion Zoho allows.
    public static let all: [ConversionRoute] = ZohoFacts.inventoryConversions.map {
        ConversionRoute(source: $0.source, target: $0.target, backLinkField: $0.backLinkField)
    }

    /// The route from `source` to `target`, or nil when Zoho does not convert between them.
    public static func find(from source: String, to target: String) -> ConversionRoute? {
        all.first { $0.source == source && $0.target == target }
    }

    /// Mass convert where a back-link confirms each record, single convert otherwise.
    public var method: Method { backLinkField == nil ? .single : .mass }

    /// Why the method was chosen, for the plan.
    public var methodReason: String {
        if let backLinkField {
            return "mass convert, 50 a call: each new \(target) record links back through \(target).\(backLinkField)"
        }
        return "single convert: Zoho's \(target) has no lookup back to \(source), so only the single convert's "
            + "response tells which record was created"
    }

    /// The OAuth scope token for mass convert, which spells Sales_Orders as `SalesOrders`.
    var scopeModule: String { source.replacingOccurrences(of: "_", with: "") }
}
