/// The JSON Schema (draft 2020-12) of rule files, for editors using yaml-language-server.
///
/// Built from the same key lists as the parser, so the two cannot drift apart. The schema checks shape;
/// `zrules lint` checks meaning (names unique, legal conversions, cron, templates, metadata).
public enum RuleSchema {
    /// The schema's `$id`.
    public static let id = "https://zrules.dev/schema/rules-v1.json"

    /// The schema as pretty-printed JSON text.
    public static var text: String { document.rendered() + "\n" }

    /// The schema document.
    public static var document: JSONText {
        .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string(id)),
            ("title", .string("zrules rule file")),
            ("description", .string("Declarative Zoho CRM conversion rules. See docs/RULES.md.")),
            ("type", .string("object")),
            ("required", strings(["version", "rules"])),
            ("additionalProperties", .bool(false)),
            (
                "properties",
                .object([
                    ("version", .object([("const", .int(1)), ("description", .string("Rule file format version."))])),
                    (
                        "rules",
                        .object([
                            ("type", .string("array")), ("minItems", .int(1)), ("items", ref("rule")),
                        ])
                    ),
                ])
            ),
            ("$defs", definitions),
        ])
    }

    private static var definitions: JSONText {
        .object([
            ("rule", rule),
            ("when", when),
            ("condition", condition),
            ("fieldTest", .object([("anyOf", .array([ref("scalar"), ref("operators")]))])),
            ("scalar", .object([("type", strings(["string", "number", "boolean", "null"]))])),
            ("scalarList", .object([("type", .string("array")), ("items", ref("scalar"))])),
            ("ordered", .object([("type", strings(["string", "number"]))])),
            ("operators", operators),
            ("action", action),
            ("convert", convert),
            ("convertLead", convertLead),
            ("fields", fields),
            (
                "owner",
                .object([
                    ("type", .string("string")),
                    ("description", .string("A user's email address or 19-digit Zoho user id.")),
                    ("pattern", .string("^([^@\\s]+@[^@\\s]+\\.[^@\\s]+|[0-9]{19})$")),
                ])
            ),
        ])
    }

    private static var rule: JSONText {
        object(
            required: ["name", "when", "do"],
            [
                (
                    "name",
                    .object([
                        ("type", .string("string")), ("pattern", .string("^[a-z0-9]+(-[a-z0-9]+)*$")),
                        ("maxLength", .int(64)),
                        ("description", .string("Unique across all rule files, kebab-case.")),
                    ])
                ),
                ("description", .object([("type", .string("string"))])),
                (
                    "schedule",
                    .object([
                        ("type", .string("string")),
                        ("description", .string("5-field cron: minute hour day-of-month month day-of-week.")),
                        ("examples", strings(["0 7 * * 1-5", "*/15 * * * *"])),
                    ])
                ),
                (
                    "timezone",
                    .object([
                        ("type", .string("string")), ("description", .string("IANA time zone, e.g. Europe/Berlin.")),
                    ])
                ),
                ("when", ref("when")),
                ("do", .object([("type", .string("array")), ("minItems", .int(1)), ("items", ref("action"))])),
                (
                    "limits",
                    object(
                        required: [],
                        [("max_records", .object([("type", .string("integer")), ("minimum", .int(1))]))]
                    )
                ),
            ]
        )
    }

    private static var when: JSONText {
        object(
            required: ["module"],
            [
                (
                    "module",
                    .object([
                        ("type", .string("string")), ("description", .string("Module API name.")),
                        ("examples", strings(Zoho.standardModules)),
                    ])
                ),
                ("where", ref("condition")),
            ]
        )
    }

    private static var condition: JSONText {
        .object([
            ("type", .string("object")),
            ("minProperties", .int(1)),
            (
                "description",
                .string("Field: value (equals) or Field: { operator: value }; several entries all hold.")
            ),
            (
                "properties",
                .object([
                    ("all", .object([("type", .string("array")), ("minItems", .int(1)), ("items", ref("condition"))])),
                    ("any", .object([("type", .string("array")), ("minItems", .int(1)), ("items", ref("condition"))])),
                    ("not", ref("condition")),
                ])
            ),
            ("additionalProperties", ref("fieldTest")),
        ])
    }

    private static var operators: JSONText {
        var properties: [(String, JSONText)] = []
        for op in ComparisonOperator.allCases {
            let schema: JSONText =
                switch op {
                case .eq, .ne: ref("scalar")
                case .in, .notIn:
                    .object([("type", .string("array")), ("minItems", .int(1)), ("items", ref("scalar"))])
                case .gt, .gte, .lt, .lte: ref("ordered")
                case .between:
                    .object([
                        ("type", .string("array")), ("minItems", .int(2)), ("maxItems", .int(2)),
                        ("items", ref("ordered")),
                    ])
                case .startsWith, .contains: .object([("type", .string("string"))])
                case .isNull: .object([("type", .string("boolean"))])
                }
            properties.append((op.rawValue, schema))
        }
        return .object([
            ("type", .string("object")),
            ("minProperties", .int(1)),
            ("additionalProperties", .bool(false)),
            ("properties", .object(properties)),
        ])
    }

    private static var action: JSONText {
        .object([
            (
                "oneOf",
                .array([
                    object(required: ["convert"], [("convert", ref("convert"))]),
                    object(required: ["convert_lead"], [("convert_lead", ref("convertLead"))]),
                    object(required: ["update"], [("update", ref("fields"))]),
                    object(
                        required: ["tag"],
                        [
                            (
                                "tag",
                                .object([
                                    ("type", .string("array")), ("minItems", .int(1)),
                                    ("items", .object([("type", .string("string"))])),
                                ])
                            )
                        ]
                    ),
                ])
            )
        ])
    }

    private static var convert: JSONText {
        object(
            required: ["to"],
            [
                ("to", .object([("enum", strings(["Sales_Orders", "Invoices"]))])),
                ("carry_tags", .object([("type", .string("boolean"))])),
                ("owner", ref("owner")),
                (
                    "related",
                    .object([("type", .string("array")), ("items", .object([("enum", strings(Zoho.relatedModules))]))])
                ),
            ]
        )
    }

    private static var convertLead: JSONText {
        let flag: JSONText = .object([("type", .string("boolean"))])
        var schema = object(
            required: [],
            [
                ("duplicates", .object([("enum", strings(DuplicatePolicy.allCases.map(\.rawValue)))])),
                ("overwrite_account_name", flag),
                ("notify_lead_owner", flag),
                ("notify_new_owner", flag),
                ("move_attachments_to", .object([("enum", strings(RuleKeys.leadTargets))])),
                ("owner", ref("owner")),
                (
                    "carry_tags",
                    .object([("type", .string("array")), ("items", .object([("enum", strings(RuleKeys.leadTargets))]))])
                ),
                (
                    "deal",
                    .object([
                        ("allOf", .array([ref("fields")])),
                        ("required", strings(Zoho.dealRequiredFields)),
                    ])
                ),
            ]
        )
        if case .object(var pairs) = schema {
            pairs[0] = ("type", strings(["object", "null"]))
            schema = .object(pairs)
        }
        return schema
    }

    private static var fields: JSONText {
        .object([
            ("type", .string("object")),
            ("minProperties", .int(1)),
            ("description", .string("Field API name: a value or a \"{{ template }}\".")),
            ("additionalProperties", ref("scalar")),
        ])
    }

    private static func object(required: [String], _ properties: [(String, JSONText)]) -> JSONText {
        var pairs: [(String, JSONText)] = [("type", .string("object"))]
        if !required.isEmpty { pairs.append(("required", strings(required))) }
        pairs.append(("additionalProperties", .bool(false)))
        pairs.append(("properties", .object(properties)))
        return .object(pairs)
    }

    private static func ref(_ name: String) -> JSONText { .object([("$ref", .string("#/$defs/\(name)"))]) }

    private static func strings(_ values: [String]) -> JSONText { .array(values.map(JSONText.string)) }
}
