public import Foundation

/// Which records a rule selects: a tree of `all`, `any`, `not` and field comparisons.
public indirect enum Condition: Sendable, Hashable {
    /// Every child must hold (a mapping under `where:` is an implicit `all`).
    case all([Condition], FileLocation)
    /// At least one child must hold.
    case any([Condition], FileLocation)
    /// The child must not hold.
    case not(Condition, FileLocation)
    /// One field compared with one value.
    case comparison(Comparison)

    /// Where this node was written.
    public var location: FileLocation {
        switch self {
        case .all(_, let location), .any(_, let location), .not(_, let location): location
        case .comparison(let comparison): comparison.location
        }
    }

    /// Every comparison in the tree, depth first.
    public var comparisons: [Comparison] {
        switch self {
        case .all(let children, _), .any(let children, _): children.flatMap(\.comparisons)
        case .not(let child, _): child.comparisons
        case .comparison(let comparison): [comparison]
        }
    }
}

/// `Field: value` or `Field: { op: value }`.
public struct Comparison: Sendable, Hashable {
    /// The field's API name, e.g. `Quote_Stage`.
    public var field: String
    /// Where the field name was written.
    public var fieldLocation: FileLocation
    /// The operator (`eq` when a bare value is given).
    public var `operator`: ComparisonOperator
    /// The operand; a `.list` for `in`, `not_in` and `between`, a `.bool` for `is_null`.
    public var value: RuleValue
    /// Where the operand was written.
    public var location: FileLocation
    /// Where the operator key was written (`gt` in `{ gt: 0 }`); nil for a bare value.
    public var operatorLocation: FileLocation?
    /// For a list operand (`in`, `not_in`, `between`), where each item was written; empty otherwise.
    public var itemLocations: [FileLocation]

    /// A comparison of `field` by `operator` with `value`.
    public init(
        field: String,
        fieldLocation: FileLocation,
        operator: ComparisonOperator,
        value: RuleValue,
        location: FileLocation,
        operatorLocation: FileLocation? = nil,
        itemLocations: [FileLocation] = []
    ) {
        self.operatorLocation = operatorLocation
        self.itemLocations = itemLocations
        self.field = field
        self.fieldLocation = fieldLocation
        self.operator = `operator`
        self.value = value
        self.location = location
    }
}

/// The comparison operators of the rule language.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    /// Equal (exact, case-sensitive for text).
    case eq
    /// Not equal.
    case ne
    /// Equal to one of a list.
    case `in`
    /// Equal to none of a list.
    case notIn = "not_in"
    /// Greater than.
    case gt
    /// Greater than or equal.
    case gte
    /// Less than.
    case lt
    /// Less than or equal.
    case lte
    /// Within two bounds, both included.
    case between
    /// Text starts with the value.
    case startsWith = "starts_with"
    /// Text contains the value; a list (multi-select, tags) has it as an element.
    case contains
    /// `true`: the field is empty; `false`: it has a value.
    case isNull = "is_null"
}

/// A value written in a rule file.
public enum RuleValue: Sendable, Hashable {
    /// Text.
    case string(String)
    /// A number (integers and decimals alike).
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null` or `~`.
    case null
    /// A YAML sequence.
    case list([RuleValue])
    /// `today`, `now`, `today-7d`, `now-2h`, `2026-01-31` or an ISO-8601 date-time.
    case date(DateValue)
}

/// A date operand: relative to the run's clock, a calendar day, or an instant.
public enum DateValue: Sendable, Hashable {
    /// `today`, `now`, `today-7d`, `now+2h`.
    case relative(RelativeDate)
    /// A calendar day such as `2026-01-31`.
    case day(Day)
    /// An ISO-8601 date-time with an offset, e.g. `2026-01-31T09:00:00+01:00`.
    case instant(Date)
}
