import Foundation
import Yams

/// The keys of the rule language, in one place for the parser, the JSON Schema and the docs.
enum RuleKeys {
    static let document = ["version", "rules"]
    static let rule = ["name", "description", "schedule", "timezone", "when", "do", "limits"]
    static let when = ["module", "where"]
    static let actions = ["convert", "convert_lead", "update", "tag"]
    static let convert = ["to", "carry_tags", "owner", "related"]
    static let convertLead = [
        "duplicates", "overwrite_account_name", "notify_lead_owner", "notify_new_owner", "move_attachments_to",
        "owner", "carry_tags", "deal",
    ]
    static let limits = ["max_records"]
    static let logical = ["all", "any", "not"]
    static let leadTargets = ["Contacts", "Accounts", "Deals"]
    static let supportedVersions = [1]
}

/// Walks one file's YAML nodes into rules, collecting every problem instead of stopping at the first.
struct RuleParser {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private var budget = 200_000

    init(file: String) {
        self.file = file
    }

    /// Parses `text` (already checked by `InputGuard`) into rules.
    mutating func parse(_ text: String) -> [Rule] {
        var root: Node?
        var source = text
        // A duplicated key stops Yams; report it, blank the repeated entry out and parse again, so the rest of the
        // file is still checked. Bounded: each round removes one entry.
        for round in 0...20 {
            do {
                // Plain scalars are resolved by `ScalarKind` (YAML 1.2 core); Yams's regex resolver only costs time.
                root = try Yams.compose(yaml: source, Resolver.basic)
                break
            } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
                let (finding, entry) = duplicateKey(duplicates, start: context.mark, text: source)
                diagnostics.append(finding)
                guard let entry, round < 20 else { return [] }
                var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
                for offset in entry { lines[offset] = "" }
                source = lines.joined(separator: "\n")
            } catch let error as YamlError {
                diagnostics.append(yamlDiagnostic(error))
                return []
            } catch {
                diagnostics.append(YAMLSyntax.diagnostic(at(nil), "not valid YAML"))
                return []
            }
        }
        guard let root else {
            diagnostics.append(
                EmptyFile.diagnostic(at(nil), "the file holds no YAML; start it with 'version: 1' and a 'rules:' list")
            )
            return []
        }
        guard let mapping = expectMapping(root, "the file", hint: "a mapping with 'version: 1' and 'rules:'") else {
            return []
        }
        let keys = checkKeys(mapping, allowed: RuleKeys.document, in: "the file", required: ["version", "rules"])
        if let version = keys["version"] {
            if let number = version.scalar.flatMap({ Int($0.string) }), version.scalar?.style == .plain {
                if !RuleKeys.supportedVersions.contains(number) {
                    diagnostics.append(
                        UnsupportedVersion.diagnostic(
                            at(version),
                            "rule file version \(number) is not supported; this zrules reads version 1"
                        )
                    )
                }
            } else {
                diagnostics.append(UnsupportedVersion.diagnostic(at(version), "'version' must be the number 1"))
            }
        }
        guard let rulesNode = keys["rules"] else { return [] }
        guard case .sequence(let sequence) = rulesNode else {
            if rulesNode.scalar.map({ ScalarKind($0).isNull }) == true {
                diagnostics.append(EmptyRules.diagnostic(at(rulesNode), "'rules' is empty; add at least one rule"))
            } else {
                wrongType(rulesNode, "'rules'", expected: "a list of rules (each item starting with '- name:')")
            }
            return []
        }
        if sequence.isEmpty {
            diagnostics.append(EmptyRules.diagnostic(at(rulesNode), "'rules' is empty; add at least one rule"))
        }
        return sequence.compactMap { rule($0) }
    }

    // MARK: - Rules

    private mutating func rule(_ node: Node) -> Rule? {
        guard let mapping = expectMapping(node, "a rule", hint: "a mapping starting with 'name:'") else { return nil }
        let keys = checkKeys(mapping, allowed: RuleKeys.rule, in: "a rule", required: ["name", "when", "do"])
        let name = keys["name"].flatMap { string($0, "'name'") }
        let description = keys["description"].flatMap { string($0, "'description'") }
        let schedule = keys["schedule"].flatMap { node in
            string(node, "'schedule'").map { Schedule(expression: $0, location: valueStart(node)) }
        }
        let timeZone = keys["timezone"].flatMap { node in string(node, "'timezone'").map { Located($0, at: at(node)) } }
        var module: Located<String>?
        var condition: Condition?
        if let when = keys["when"], let whenMapping = expectMapping(when, "'when'", hint: "module: and where:") {
            let whenKeys = checkKeys(whenMapping, allowed: RuleKeys.when, in: "'when'", required: ["module"])
            module = whenKeys["module"].flatMap { node in string(node, "'module'").map { Located($0, at: at(node)) } }
            if let whereNode = whenKeys["where"] {
                if whereNode.scalar.map({ ScalarKind($0).isNull }) == true {
                    wrongType(whereNode, "'where'", expected: "a mapping of conditions; leave it out to select all")
                } else {
                    condition = self.condition(whereNode, depth: 0)
                }
            }
        }
        var actions: [Action] = []
        if let doNode = keys["do"] {
            if case .sequence(let items) = doNode {
                if items.isEmpty {
                    diagnostics.append(MissingKey.diagnostic(at(doNode), "'do' is empty; add at least one action"))
                }
                actions = items.compactMap { action($0) }
            } else {
                wrongType(doNode, "'do'", expected: "a list of actions such as '- convert: { to: Invoices }'")
            }
        }
        var limits = Limits()
        if let limitsNode = keys["limits"],
            let limitsMapping = expectMapping(limitsNode, "'limits'", hint: "max_records:")
        {
            let limitKeys = checkKeys(limitsMapping, allowed: RuleKeys.limits, in: "'limits'", required: [])
            if let node = limitKeys["max_records"] {
                if let scalar = node.scalar, scalar.style == .plain, let value = Int(scalar.string) {
                    limits.maxRecords = Located(value, at: at(node))
                } else {
                    wrongType(node, "'max_records'", expected: "a whole number such as 500")
                }
            }
        }
        // A rule without a name is still checked (ZR012 reports the name); without a module there is nothing to check.
        guard let module else { return nil }
        return Rule(
            name: name ?? "",
            description: description,
            schedule: schedule,
            timeZone: timeZone,
            module: module,
            condition: condition,
            actions: actions,
            limits: limits,
            location: at(node),
            nameLocation: keys["name"].map { valueStart($0) }
        )
    }

    // MARK: - Conditions

    private mutating func condition(_ node: Node, depth: Int) -> Condition? {
        guard spend(), depth < InputGuard.maximumDepth else { return nil }
        guard case .mapping(let mapping) = node else {
            wrongType(node, "a condition", expected: "a mapping such as 'Quote_Stage: Accepted'")
            return nil
        }
        var children: [Condition] = []
        for (keyNode, value) in mapping {
            guard let key = keyName(keyNode) else { continue }
            switch key {
            case "all", "any":
                guard case .sequence(let items) = value else {
                    wrongType(value, "'\(key)'", expected: "a list of conditions")
                    continue
                }
                if items.isEmpty {
                    diagnostics.append(
                        MissingKey.diagnostic(at(value), "'\(key)' is empty; give it at least one condition")
                    )
                }
                let parts = items.compactMap { condition($0, depth: depth + 1) }
                children.append(key == "all" ? .all(parts, at(keyNode)) : .any(parts, at(keyNode)))
            case "not":
                if let inner = condition(value, depth: depth + 1) { children.append(.not(inner, at(keyNode))) }
            case _ where ComparisonOperator(rawValue: key) != nil:
                diagnostics.append(
                    WrongType.diagnostic(
                        at(keyNode),
                        "'\(key)' is an operator, not a field; write it under a field, e.g. Grand_Total: { \(key): … }"
                    )
                )
            default:
                children.append(contentsOf: comparisons(field: key, fieldNode: keyNode, value: value))
            }
        }
        if children.count == 1, let only = children.first, mapping.count == 1 { return only }
        return .all(children, at(node))
    }

    private mutating func comparisons(field: String, fieldNode: Node, value: Node) -> [Condition] {
        let fieldLocation = at(fieldNode)
        switch value {
        case .mapping(let operators):
            if operators.isEmpty {
                wrongType(value, "'\(field)'", expected: "a value or an operator such as { gt: 0 }")
            }
            var result: [Condition] = []
            for (opNode, operand) in operators {
                guard let name = keyName(opNode) else { continue }
                guard let op = ComparisonOperator(rawValue: name) else {
                    let names = ComparisonOperator.allCases.map(\.rawValue)
                    let hint = Suggestion.closest(to: name, in: names).map { " Did you mean '\($0)'?" } ?? ""
                    diagnostics.append(
                        UnknownOperator.diagnostic(
                            at(opNode),
                            "unknown operator '\(name)' for '\(field)'.\(hint) Operators: \(names.joined(separator: ", "))"
                        )
                    )
                    continue
                }
                guard let ruleValue = self.value(operand, depth: 0) else { continue }
                var itemLocations: [FileLocation] = []
                if case .sequence(let items) = operand { itemLocations = items.map { valueStart($0) } }
                result.append(
                    .comparison(
                        Comparison(
                            field: field,
                            fieldLocation: fieldLocation,
                            operator: op,
                            value: ruleValue,
                            location: at(operand),
                            operatorLocation: at(opNode),
                            itemLocations: itemLocations
                        )
                    )
                )
            }
            return result
        case .sequence:
            wrongType(value, "'\(field)'", expected: "one value; for several write '\(field): { in: [a, b] }'")
            return []
        default:
            guard let ruleValue = self.value(value, depth: 0) else { return [] }
            return [
                .comparison(
                    Comparison(
                        field: field,
                        fieldLocation: fieldLocation,
                        operator: .eq,
                        value: ruleValue,
                        location: at(value)
                    )
                )
            ]
        }
    }

    /// A scalar or list operand; dates are recognised from their text.
    private mutating func value(_ node: Node, depth: Int) -> RuleValue? {
        guard spend() else { return nil }
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            switch ScalarKind(scalar) {
            case .null: return .null
            case .bool(let flag): return .bool(flag)
            case .number(let number):
                if let problem = NumberOutOfRange.problem(number) {
                    diagnostics.append(NumberOutOfRange.diagnostic(at(node), "'\(text)' \(problem)"))
                    return nil
                }
                return .number(number)
            case .text: break
            }
            return dateOrString(text, node: node)
        case .sequence(let items):
            guard depth == 0 else {
                wrongType(node, "a list item", expected: "a plain value, not a nested list")
                return nil
            }
            return .list(items.compactMap { value($0, depth: depth + 1) })
        case .mapping:
            wrongType(node, "a value", expected: "a plain value or a list")
            return nil
        case .alias:
            diagnostics.append(YAMLAlias.diagnostic(at(node), "YAML aliases are not allowed in rule files"))
            return nil
        }
    }

    private mutating func dateOrString(_ text: String, node: Node) -> RuleValue {
        if RelativeDate.looksRelative(text) {
            do {
                return .date(.relative(try RelativeDate(parsing: text)))
            } catch {
                diagnostics.append(BadDate.diagnostic(valueStart(node), error.message))
                return .string(text)
            }
        }
        if let day = Day(parsing: text) { return .date(.day(day)) }
        if text.count == 10,
            text.unicodeScalars.enumerated().allSatisfy({ index, scalar in
                index == 4 || index == 7 ? scalar == "-" : ("0"..."9").contains(scalar)
            })
        {
            diagnostics.append(
                BadDate.diagnostic(valueStart(node), "'\(text)' is not a calendar day; write yyyy-MM-dd")
            )
            return .string(text)
        }
        if text.count >= 19, text.first?.isNumber == true, text.dropFirst(10).first == "T" {
            if let instant = ResolvedDate.parseInstant(text) { return .date(.instant(instant)) }
            diagnostics.append(
                BadDate.diagnostic(
                    valueStart(node),
                    "'\(text)' is not an ISO-8601 date-time; write e.g. 2026-01-31T09:00:00+01:00"
                )
            )
        }
        return .string(text)
    }

    // MARK: - Actions

    private mutating func action(_ node: Node) -> Action? {
        guard case .mapping(let mapping) = node, let (keyNode, body) = mapping.first else {
            wrongType(node, "an action", expected: "a mapping with one of \(RuleKeys.actions.joined(separator: ", "))")
            return nil
        }
        if mapping.count > 1 {
            let extra = mapping[mapping.index(after: mapping.startIndex)].key
            let name = extra.scalar?.string ?? "?"
            if RuleKeys.actions.contains(name) {
                wrongType(extra, "'\(name)'", expected: "its own list item: start it with '- \(name):'")
            } else {
                unknownKey(extra, name: name, allowed: RuleKeys.actions, in: "an action")
            }
        }
        guard let name = keyName(keyNode) else { return nil }
        let location = at(keyNode)
        switch name {
        case "convert": return convert(body, location: location).map(Action.convert)
        case "convert_lead": return convertLead(body, location: location).map(Action.convertLead)
        case "update":
            guard let fields = assignments(body, "'update'") else { return nil }
            if case .mapping(let mapping) = body, mapping.isEmpty {
                diagnostics.append(MissingKey.diagnostic(at(body), "'update' is empty; give at least one field"))
            }
            return .update(UpdateAction(fields: fields, location: location))
        case "tag":
            guard case .sequence(let items) = body, !items.isEmpty else {
                if let scalar = body.scalar, !ScalarKind(scalar).isNull {
                    wrongType(body, "'tag'", expected: "a list of tag names, e.g. tag: [invoiced]")
                } else {
                    diagnostics.append(
                        MissingKey.diagnostic(at(body), "'tag' needs a list of tag names, e.g. [invoiced]")
                    )
                }
                return nil
            }
            let tags = items.compactMap { item in string(item, "a tag").map { Located($0, at: at(item)) } }
            return .tag(TagAction(tags: tags, location: location))
        default:
            unknownKey(keyNode, name: name, allowed: RuleKeys.actions, in: "an action")
            return nil
        }
    }

    private mutating func convert(_ node: Node, location: FileLocation) -> ConvertAction? {
        guard let mapping = expectMapping(node, "'convert'", hint: "to: Invoices") else { return nil }
        let keys = checkKeys(mapping, allowed: RuleKeys.convert, in: "'convert'", required: ["to"])
        guard let toNode = keys["to"], let target = string(toNode, "'to'") else { return nil }
        return ConvertAction(
            to: Located(target, at: at(toNode)),
            carryTags: keys["carry_tags"].flatMap { bool($0, "'carry_tags'") } ?? false,
            carryTagsLocation: keys["carry_tags"].map { at($0) },
            owner: keys["owner"].flatMap { owner($0) },
            related: keys["related"].map { names($0, "'related'") } ?? [],
            location: location
        )
    }

    private mutating func convertLead(_ node: Node, location: FileLocation) -> ConvertLeadAction? {
        var action = ConvertLeadAction(location: location)
        if let scalar = node.scalar, ScalarKind(scalar).isNull { return action }
        guard let mapping = expectMapping(node, "'convert_lead'", hint: "duplicates: merge") else { return nil }
        let keys = checkKeys(mapping, allowed: RuleKeys.convertLead, in: "'convert_lead'", required: [])
        if let node = keys["duplicates"], let text = string(node, "'duplicates'") {
            if let policy = DuplicatePolicy(rawValue: text) {
                action.duplicates = policy
            } else {
                invalidChoice(node, text, "'duplicates'", choices: DuplicatePolicy.allCases.map(\.rawValue))
            }
        }
        action.overwriteAccountName =
            keys["overwrite_account_name"].flatMap { bool($0, "'overwrite_account_name'") } ?? false
        action.notifyLeadOwner = keys["notify_lead_owner"].flatMap { bool($0, "'notify_lead_owner'") } ?? false
        action.notifyNewOwner = keys["notify_new_owner"].flatMap { bool($0, "'notify_new_owner'") } ?? false
        if let node = keys["move_attachments_to"], let text = string(node, "'move_attachments_to'") {
            if RuleKeys.leadTargets.contains(text) {
                action.moveAttachmentsTo = Located(text, at: at(node))
            } else {
                invalidChoice(node, text, "'move_attachments_to'", choices: RuleKeys.leadTargets)
            }
        }
        action.owner = keys["owner"].flatMap { owner($0) }
        if let node = keys["carry_tags"] {
            action.carryTags = names(node, "'carry_tags'").filter { name in
                guard RuleKeys.leadTargets.contains(name.value) else {
                    diagnostics.append(
                        InvalidChoice.diagnostic(
                            name.location,
                            "'\(name.value)' cannot receive a lead's tags; use \(choiceList(RuleKeys.leadTargets, near: name.value))"
                        )
                    )
                    return false
                }
                return true
            }
        }
        if let node = keys["deal"] {
            action.deal = assignments(node, "'deal'")
        }
        return action
    }

    private mutating func assignments(_ node: Node, _ what: String) -> [FieldAssignment]? {
        guard let mapping = expectMapping(node, what, hint: "Field_Name: value") else { return nil }
        var result: [FieldAssignment] = []
        for (keyNode, valueNode) in mapping {
            guard let field = keyName(keyNode) else { continue }
            let fieldName = Located(field, at: at(keyNode))
            guard valueNode.scalar != nil else {
                wrongType(valueNode, "'\(field)'", expected: "a plain value or a \"{{ template }}\"")
                continue
            }
            let text = valueNode.scalar?.string ?? ""
            if Template.looksLikeTemplate(text) {
                do {
                    let template = try Template(parsing: text)
                    result.append(
                        FieldAssignment(field: fieldName, value: .template(template), location: valueStart(valueNode))
                    )
                } catch {
                    let start = valueStart(valueNode)
                    let column = start.column + (error.column ?? 1) - 1
                    diagnostics.append(
                        TemplateProblem.diagnostic(
                            FileLocation(file: file, line: start.line, column: column),
                            "template: \(error.message)"
                        )
                    )
                }
            } else if let value = value(valueNode, depth: 0) {
                result.append(FieldAssignment(field: fieldName, value: .value(value), location: valueStart(valueNode)))
            }
        }
        return result
    }

    private mutating func owner(_ node: Node) -> Owner? {
        guard let text = string(node, "'owner'") else { return nil }
        if text.count == 19, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Owner(kind: .userID, value: text, location: at(node))
        }
        if OwnerFormat.isEmail(text) { return Owner(kind: .email, value: text, location: at(node)) }
        diagnostics.append(
            BadOwner.diagnostic(
                at(node),
                "owner '\(text)' is neither an email address nor a 19-digit Zoho user id"
            )
        )
        return nil
    }

    // MARK: - Shapes

    /// Checks a mapping's keys: unknown ones (with a suggestion) and missing required ones.
    private mutating func checkKeys(
        _ mapping: Node.Mapping,
        allowed: [String],
        in context: String,
        required: [String]
    ) -> [String: Node] {
        var found: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyName(keyNode) else { continue }
            if allowed.contains(key) {
                found[key] = value
            } else {
                unknownKey(keyNode, name: key, allowed: allowed, in: context)
            }
        }
        let missing = required.filter { found[$0] == nil }
        if !missing.isEmpty {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            diagnostics.append(
                MissingKey.diagnostic(
                    at(mappingStart(mapping)),
                    "\(context) is missing \(list)"
                )
            )
        }
        return found
    }

    private func mappingStart(_ mapping: Node.Mapping) -> Node? {
        mapping.first?.key
    }

    private mutating func unknownKey(_ keyNode: Node, name: String, allowed: [String], in context: String) {
        let hint = Suggestion.closest(to: name, in: allowed).map { "; did you mean '\($0)'?" } ?? "."
        diagnostics.append(
            UnknownKey.diagnostic(
                at(keyNode),
                "unknown key '\(name)' in \(context)\(hint) Allowed: \(allowed.joined(separator: ", "))"
            )
        )
    }

    private mutating func keyName(_ node: Node) -> String? {
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            wrongType(node, "a key", expected: "a plain name")
            return nil
        }
        return scalar.string
    }

    private mutating func expectMapping(_ node: Node, _ what: String, hint: String) -> Node.Mapping? {
        guard spend() else { return nil }
        if case .mapping(let mapping) = node { return mapping }
        wrongType(node, what, expected: "a mapping (\(hint))")
        return nil
    }

    private mutating func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar, !ScalarKind(scalar).isNull else {
            wrongType(node, what, expected: "text")
            return nil
        }
        if scalar.string.isEmpty {
            wrongType(node, what, expected: "non-empty text")
            return nil
        }
        return scalar.string
    }

    private mutating func bool(_ node: Node, _ what: String) -> Bool? {
        if let scalar = node.scalar, case .bool(let flag) = ScalarKind(scalar) { return flag }
        wrongType(node, what, expected: "true or false")
        return nil
    }

    private mutating func names(_ node: Node, _ what: String) -> [Located<String>] {
        guard case .sequence(let items) = node else {
            wrongType(node, what, expected: "a list of module names, e.g. [Calls, Tasks]")
            return []
        }
        return items.compactMap { item in string(item, "an item of \(what)").map { Located($0, at: at(item)) } }
    }

    private mutating func invalidChoice(_ node: Node, _ text: String, _ what: String, choices: [String]) {
        diagnostics.append(
            InvalidChoice.diagnostic(at(node), "\(what) cannot be '\(text)'; use \(choiceList(choices, near: text))")
        )
    }

    private func choiceList(_ choices: [String], near text: String) -> String {
        let list = choices.joined(separator: ", ")
        return Suggestion.closest(to: text, in: choices).map { "'\($0)' (one of \(list))" } ?? "one of \(list)"
    }

    private mutating func wrongType(_ node: Node, _ what: String, expected: String) {
        diagnostics.append(WrongType.diagnostic(at(node), "\(what) must be \(expected), not \(describe(node))"))
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch ScalarKind(scalar) {
            case .null: return "empty"
            case .bool: return "true/false"
            case .number: return "a number"
            case .text: return "text"
            }
        }
    }

    /// Bounds the work per file whatever the YAML holds.
    private mutating func spend() -> Bool {
        budget -= 1
        return budget > 0
    }

    private func at(_ node: Node?) -> FileLocation {
        FileLocation(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    /// Where a scalar's text starts: after an opening quote.
    private func valueStart(_ node: Node) -> FileLocation {
        var location = at(node)
        if let style = node.scalar?.style, style == .singleQuoted || style == .doubleQuoted { location.column += 1 }
        return location
    }

    // MARK: - YAML errors

    private func yamlDiagnostic(_ error: YamlError) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            return YAMLSyntax.diagnostic(
                FileLocation(file: file, line: mark.line, column: mark.column),
                "YAML syntax: \(problem)\(detail)"
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            return DuplicateKey.diagnostic(
                FileLocation(file: file, line: context.mark.line, column: context.mark.column),
                "key '\(duplicates.first ?? "?")' appears twice in this mapping; remove one"
            )
        case .reader(let problem, _, _, _):
            return NotText.diagnostic(at(nil), "cannot read the text: \(problem)")
        default:
            return YAMLSyntax.diagnostic(at(nil), "not valid YAML: \(error)")
        }
    }

    /// Yams reports a duplicated key at the mapping's start; find the repeated key's own line, and the lines of its
    /// entry (when it starts its line, so blanking them keeps the YAML's structure).
    private func duplicateKey(_ duplicates: [String], start: Mark, text: String) -> (Diagnostic, Range<Int>?) {
        let key = duplicates.first ?? "?"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var first: FileLocation?
        var column: Int?
        for (offset, line) in lines.enumerated() where offset + 1 >= start.line {
            let scalars = Array(line.unicodeScalars)
            var index = scalars.prefix { $0 == " " }.count
            while index + 1 < scalars.count, scalars[index] == "-", scalars[index + 1] == " " {
                index += 2
                while index < scalars.count, scalars[index] == " " { index += 1 }
            }
            if let expected = column, index < expected - 1 { break }
            let rest = String(String.UnicodeScalarView(scalars[index...]))
            let matches = [key + ":", "\"\(key)\":", "'\(key)':"].contains { rest.hasPrefix($0) }
            guard matches, column == nil || index + 1 == column else { continue }
            let location = FileLocation(file: file, line: offset + 1, column: index + 1)
            if let first {
                let finding = DuplicateKey.diagnostic(
                    location,
                    "key '\(key)' appears twice in the same mapping; remove one",
                    notes: [Diagnostic.Note(location: first, message: "'\(key)' is first set here")]
                )
                let indent = scalars.prefix { $0 == " " }.count
                guard indent == index else { return (finding, nil) }
                var end = offset + 1
                while end < lines.count {
                    let next = lines[end].unicodeScalars
                    let nextIndent = next.prefix { $0 == " " }.count
                    let blank = next.dropFirst(nextIndent).first.map { $0 == "#" || $0 == "\r" } ?? true
                    guard blank || nextIndent > index else { break }
                    end += 1
                }
                return (finding, offset..<end)
            }
            first = location
            column = index + 1
        }
        let finding = DuplicateKey.diagnostic(
            FileLocation(file: file, line: start.line, column: start.column),
            "key '\(key)' appears twice in this mapping; remove one"
        )
        return (finding, nil)
    }
}

/// Email syntax good enough to tell an address from a typo or a name.
enum OwnerFormat {
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !text.contains(where: { $0.isWhitespace })
        else { return false }
        return true
    }
}

/// YAML 1.2 core-schema resolution of plain scalars (null, booleans, numbers); everything else is text.
enum ScalarKind {
    case null, bool(Bool), number(Double), text

    init(_ scalar: Node.Scalar) {
        guard scalar.style == .plain else {
            self = .text
            return
        }
        let text = scalar.string
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        default:
            let allowed = text.unicodeScalars.allSatisfy {
                ("0"..."9").contains($0) || "+-.eE_".unicodeScalars.contains($0)
            }
            if allowed, text.unicodeScalars.contains(where: { ("0"..."9").contains($0) }),
                let number = Double(text.replacingOccurrences(of: "_", with: ""))
            {
                self = .number(number)
            } else {
                self = .text
            }
        }
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
