/// Every rule from every rule file given to the linter, in file order.
public struct RuleSet: Sendable, Hashable {
    /// The rules, in the order the files and rules were read.
    public var rules: [Rule]

    /// A rule set holding `rules`.
    public init(rules: [Rule] = []) {
        self.rules = rules
    }

    /// The rule called `name`, if any.
    public func rule(named name: String) -> Rule? {
        rules.first { $0.name == name }
    }
}

/// One rule: which records to pick and what to do with them.
public struct Rule: Sendable, Hashable {
    /// Unique, kebab-case name.
    public var name: String
    /// Free text for people.
    public var description: String?
    /// When the rule runs by itself; nil means only on demand.
    public var schedule: Schedule?
    /// IANA time zone for the schedule and relative dates; nil means the project's.
    public var timeZone: Located<String>?
    /// The Zoho module whose records the rule selects (API name, e.g. `Quotes`).
    public var module: Located<String>
    /// Which records qualify; nil selects every record of the module.
    public var condition: Condition?
    /// What happens to each selected record, in order.
    public var actions: [Action]
    /// Bounds on one run.
    public var limits: Limits
    /// Where the rule starts (its first key).
    public var location: FileLocation
    /// Where the rule's name value is written.
    public var nameLocation: FileLocation

    /// A rule with every part given.
    public init(
        name: String,
        description: String? = nil,
        schedule: Schedule? = nil,
        timeZone: Located<String>? = nil,
        module: Located<String>,
        condition: Condition? = nil,
        actions: [Action],
        limits: Limits = Limits(),
        location: FileLocation,
        nameLocation: FileLocation? = nil
    ) {
        self.name = name
        self.description = description
        self.schedule = schedule
        self.timeZone = timeZone
        self.module = module
        self.condition = condition
        self.actions = actions
        self.limits = limits
        self.location = location
        self.nameLocation = nameLocation ?? location
    }
}

/// A rule's `schedule:`: the 5-field cron text as written and where.
public struct Schedule: Sendable, Hashable {
    /// The cron expression exactly as written, e.g. `0 7 * * 1-5`.
    public var expression: String
    /// Where the expression starts.
    public var location: FileLocation
    /// The parsed expression; nil when it does not parse (lint reports ZR026 then).
    public var cron: CronExpression?

    /// A schedule written as `expression` at `location`, parsed when valid.
    public init(expression: String, location: FileLocation) {
        self.expression = expression
        self.location = location
        self.cron = try? CronExpression(parsing: expression)
    }
}

/// A rule's `limits:`.
public struct Limits: Sendable, Hashable {
    /// At most this many records per run; nil means no limit of the rule's own.
    public var maxRecords: Located<Int>?

    /// Limits with `maxRecords`.
    public init(maxRecords: Located<Int>? = nil) {
        self.maxRecords = maxRecords
    }
}
