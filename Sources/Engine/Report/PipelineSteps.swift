import Foundation
import RuleKit

extension Pipeline {
    /// The pipeline's steps in order, one line each, for the plan.
    var planSteps: [String] {
        var steps = [
            "select: COQL on \(module), 2000 a page, ordered by id",
            "re-check: every record against the whole condition on our side",
            "guard: skip what this rule already converted (ledger)",
        ]
        switch conversion {
        case .inventory(let inventory):
            if let field = inventory.route.backLinkField {
                steps[2] += " or what Zoho shows converted (\(inventory.route.target).\(field))"
            }
            steps += Self.inventorySteps(inventory)
        case .lead(let lead):
            steps.append("options: __conversion_options for each lead; duplicates: \(lead.action.duplicates.rawValue)")
            steps.append("convert: \(lead.methodReason)")
            steps.append("confirm: Converted__s and Converted_Contact/Account/Deal on each lead")
        }
        steps += followUps.map { followUp in
            switch followUp {
            case .update(let fields):
                "update: \(fields.map(\.field.value).joined(separator: ", ")) on \(module), after the "
                    + "conversion is confirmed"
            case .tag(let tags):
                "tag: \(tags.joined(separator: ", ")) on \(module), after the conversion is confirmed"
            }
        }
        steps.append("audit: every record's outcome in the state directory")
        return steps
    }

    private static func inventorySteps(_ inventory: InventoryConversion) -> [String] {
        let route = inventory.route
        var steps = ["convert: \(route.methodReason)"]
        if route.method == .single && !inventory.related.isEmpty {
            steps.append(
                "note: the single convert has no related_modules, so \(inventory.related.joined(separator: ", ")) "
                    + "records stay with the \(route.source) record"
            )
        }
        if inventory.tagsCarriedAnyway {
            steps.append(
                route.method == .single
                    ? "note: carry_tags is off, but Zoho's single convert carries the \(route.source) record's tags "
                        + "to the \(route.target) record anyway (it refuses carry_over_tags: false)"
                    : "note: carry_tags is off; records the job leaves go through the single convert, which "
                        + "carries their tags anyway (it refuses carry_over_tags: false)"
            )
        }
        steps.append(
            route.method == .mass
                ? "confirm: after the job completes, find each child through \(route.target)."
                    + "\(route.backLinkField ?? ""); records the job did not convert are tried once "
                    + "with the single convert to learn Zoho's reason"
                : "confirm: the single convert's response names the new record"
        )
        return steps
    }
}
