import Foundation
import Testing

@testable import ZohoEmulator

@Suite("OAS validator")
struct OASValidatorTests {
    let validator: OASValidator

    init() throws {
        validator = try OASValidator.bundled()
    }

    @Test func loadsTheBundledFiles() {
        for name in ["common.json", "coql.json", "module_search.json", "record.json", "inventory_mass_convert.json"] {
            #expect(validator.documents[name] != nil, "\(name) is not bundled")
        }
    }

    @Test func aValidCOQLPageHasNoViolations() throws {
        let body: JSONValue = [
            "data": [["id": "5725767000000400001", "Last_Name": "Boyle", "Account_Name": ["id": "1"]]],
            "info": ["count": 1, "more_records": false],
        ]
        #expect(try validator.validate(body, file: "coql.json", path: "/coql", method: "post", status: 200).isEmpty)
    }

    @Test func wrongTypesAreReportedWithJSONPaths() throws {
        let body: JSONValue = [
            "data": [
                ["id": 5_725_767_000_000_400_001, "Created_Time": "yesterday", "Modified_By": ["name": 7, "id": nil]]
            ],
            "info": ["count": "1", "more_records": false],
        ]
        let violations = try validator.validate(body, file: "coql.json", path: "/coql", method: "POST", status: 200)
        #expect(
            violations == [
                OASViolation(path: "$", message: "matches none of the 1 oneOf alternatives; nearest:"),
                OASViolation(path: "$.data[0].Created_Time", message: "\"yesterday\" is not an ISO-8601 date-time"),
                OASViolation(path: "$.data[0].Modified_By.name", message: "expected string, found integer"),
                OASViolation(path: "$.data[0].id", message: "expected string, found integer"),
                OASViolation(path: "$.info.count", message: "expected integer, found string"),
            ]
        )
    }

    @Test func crossFileReferencesResolve() throws {
        // coql.json's rows are record.json's Record, whose Created_By is users.json's Minified_User (name and id).
        let body: JSONValue = ["data": [["id": "1", "Created_By": ["id": "2"]]], "info": ["count": 1]]
        let violations = try validator.validate(
            body,
            file: "coql.json",
            path: "/crm/v7/coql",
            method: "post",
            status: 200
        )
        #expect(
            violations == [
                OASViolation(path: "$", message: "matches none of the 1 oneOf alternatives; nearest:"),
                OASViolation(path: "$.data[0].Created_By", message: "missing required key \"name\""),
            ]
        )
    }

    @Test func templatedPathsMatchConcretePaths() throws {
        let scheduled: JSONValue = [
            "code": "SCHEDULED", "details": ["job_id": "5725767000000600001"],
            "message": "Mass Convert scheduled successfully", "status": "success",
        ]
        let path = "/crm/v8/Quotes/actions/mass_convert"
        #expect(
            try validator.validate(
                scheduled,
                file: "inventory_mass_convert.json",
                path: path,
                method: "post",
                status: 202
            )
            .isEmpty
        )
        var wrong = scheduled.objectValue ?? [:]
        wrong["code"] = "QUEUED"
        let violations = try validator.validate(
            .object(wrong),
            file: "inventory_mass_convert.json",
            path: "/Sales_Orders/actions/mass_convert",
            method: "post",
            status: 202
        )
        #expect(violations.map(\.path) == ["$", "$.code"])
        #expect(violations.last?.message == "\"QUEUED\" is not one of [\"SCHEDULED\"]")
    }

    @Test func requestBodiesValidateToo() throws {
        let valid: JSONValue = [
            "convert_to": [
                ["module": ["api_name": "Invoices", "id": "5725767000000002187"], "carry_over_tags": true]
            ],
            "ids": ["5725767000000100001"],
        ]
        let path = "/Quotes/actions/mass_convert"
        #expect(
            try validator.validateRequest(valid, file: "inventory_mass_convert.json", path: path, method: "post") == []
        )
        let violations = try validator.validateRequest(
            ["ids": "5725767000000100001"],
            file: "inventory_mass_convert.json",
            path: path,
            method: "post"
        )
        #expect(violations.contains(OASViolation(path: "$", message: "missing required key \"convert_to\"")))
        #expect(violations.contains(OASViolation(path: "$.ids", message: "expected array, found string")))
        #expect(throws: OASValidatorError.self) {
            try validator.validateRequest(nil, file: "inventory_mass_convert.json", path: path, method: "get")
        }
    }

    @Test func undocumentedStatusesAndUnexpectedBodiesAreViolations() throws {
        let error: JSONValue = ["code": "INTERNAL_ERROR", "details": [:], "message": "x", "status": "error"]
        #expect(
            try validator.validate(error, file: "coql.json", path: "/coql", method: "post", status: 500)
                == [OASViolation(path: "$", message: "status 500 is not documented for POST /crm/v8/coql")]
        )
        #expect(
            try validator.validate(
                ["data": []],
                file: "conversion_option.json",
                path: "/Leads/1/__conversion_options",
                method: "get",
                status: 204
            )
                == [OASViolation(path: "$", message: "status 204 documents no body, but one was sent")]
        )
        #expect(
            try validator.validate(
                nil,
                file: "conversion_option.json",
                path: "/Leads/1/__conversion_options",
                method: "get",
                status: 204
            ).isEmpty
        )
    }

    @Test func unknownFilesPathsAndMethodsThrow() {
        #expect(throws: OASValidatorError.self) {
            try validator.validate(nil, file: "nope.json", path: "/coql", method: "post", status: 200)
        }
        #expect(throws: OASValidatorError.self) {
            try validator.validate(nil, file: "coql.json", path: "/coql/extra", method: "post", status: 200)
        }
        #expect(throws: OASValidatorError.self) {
            try validator.validate(nil, file: "coql.json", path: "/coql", method: "get", status: 200)
        }
        #expect(throws: OASValidatorError.self) {
            try validator.validate(nil, file: "coql.json", component: "Nope")
        }
    }

    @Test func componentsValidateByName() throws {
        let valid: JSONValue = [
            "code": "INVALID_TOKEN", "details": [:], "message": "invalid oauth token", "status": "error",
        ]
        #expect(try validator.validate(valid, file: "common.json", component: "API_Exception").isEmpty)
        let violations = try validator.validate(
            ["code": "X", "details": []],
            file: "common.json",
            component: "API_Exception"
        )
        #expect(
            violations == [
                OASViolation(path: "$", message: "missing required key \"status\""),
                OASViolation(path: "$", message: "missing required key \"message\""),
                OASViolation(path: "$.details", message: "expected object, found array"),
            ]
        )
    }

    /// Every refusal the COQL runner produces must be one of coql.json's documented 400 bodies.
    @Test(arguments: [
        "select Last_Name from Contacts",
        "select id from Contacts where id is not null limit 2001",
        "select id from Contacts where Score like '4%'",
        "select Nickname from Contacts where id is not null",
        "select id from Leeds where id is not null",
        "select Last_Name as 'a b' from Contacts where id is not null",
        "select Last_Name as n, Email as n from Contacts where id is not null",
        "select Last_Name, Last_Name from Contacts where id is not null",
        "select id from Contacts where Score = 'many'",
        "select SUM(Stage) from Deals where id is not null",
    ])
    func coqlErrorsMatchTheDocumentedSchemas(_ query: String) throws {
        let error = try #require(queryError { _ = try COQLRunner.run(query, catalog: QueryTestCatalog.make()) })
        #expect(
            try validator.validate(error.body, file: "coql.json", path: "/coql", method: "post", status: 400) == []
        )
    }

    /// COQL rows from the runner fit the 200 schema.
    @Test func coqlRowsMatchTheDocumentedSchema() throws {
        let result = try COQLRunner.run(
            "select Last_Name, Account_Name, Owner.email, Created_Time from Contacts where id is not null limit 3",
            catalog: QueryTestCatalog.make()
        )
        let body: JSONValue = [
            "data": .array(result.rows.map(JSONValue.object)),
            "info": ["count": .int(Int64(result.rows.count)), "more_records": .bool(result.moreRecords)],
        ]
        #expect(try validator.validate(body, file: "coql.json", path: "/coql", method: "post", status: 200) == [])
    }

    /// Every refusal of the criteria parser and validation must be one of module_search.json's 400 bodies.
    @Test(arguments: [
        "Last_Name:equals:Boyle)",
        "(Last_Name:contains:x)",
        "(Nickname:equals:x)",
        "(Score:greater_than:many)",
        "(Lead_Source:starts_with:T)",
        "(Score:between:1)",
        "(" + (1...11).map { "(Score:equals:\($0))" }.joined(separator: "or") + ")",
        "(Score:in:" + (1...101).map(String.init).joined(separator: ",") + ")",
    ])
    func searchErrorsMatchTheDocumentedSchemas(_ criteria: String) throws {
        let catalog = QueryTestCatalog.make()
        let error = try #require(
            queryError {
                let parsed = try SearchCriteria(parsing: criteria)
                try parsed.validate(module: "Contacts", catalog: catalog)
            }
        )
        #expect(
            try validator.validate(
                error.body,
                file: "module_search.json",
                path: "/Contacts/search",
                method: "get",
                status: 400
            ) == []
        )
    }

    @Test func strictOneOfRejectsOverlappingAlternatives() throws {
        // module_search.json's InvalidQuery details alternatives overlap: {api_name, operator, reason} fits
        // both queryoperator and queryname.
        var strict = validator
        strict.strictOneOf = true
        let body: JSONValue = [
            "code": "INVALID_QUERY", "message": "Invalid query formed", "status": "error",
            "details": ["api_name": "Last_Name", "operator": "contains", "reason": "invalid operator found"],
        ]
        #expect(try validator.validate(body, file: "module_search.json", component: "InvalidQuery").isEmpty)
        #expect(try !strict.validate(body, file: "module_search.json", component: "InvalidQuery").isEmpty)
    }
}

@Suite("OAS validator keywords")
struct OASValidatorKeywordTests {
    static let document: JSONValue = [
        "openapi": "3.0.0",
        "paths": [:],
        "components": [
            "schemas": [
                "Closed": [
                    "type": "object", "additionalProperties": false, "required": ["a"],
                    "properties": ["a": ["type": "integer", "format": "int32", "minimum": 0, "maximum": 10]],
                ],
                "Both": [
                    "allOf": [["$ref": "#/components/schemas/Named"], ["$ref": "other.json#/components/schemas/Aged"]]
                ],
                "Named": [
                    "type": "object", "required": ["name"], "properties": ["name": ["type": "string", "maxLength": 3]],
                ],
                "Either": ["anyOf": [["type": "string", "minLength": 2], ["type": "array", "maxItems": 1]]],
                "Maybe": ["type": "string", "nullable": true, "enum": ["x", "y"]],
                "Loop": ["$ref": "#/components/schemas/Loop"],
                "Elsewhere": ["$ref": "https://example.com/v8.0/layouts.json#/components/schemas/layouts"],
                "Map": ["type": "object", "additionalProperties": ["type": "boolean"]],
            ]
        ],
    ]
    static let other: JSONValue = [
        "components": [
            "schemas": ["Aged": ["type": "object", "required": ["age"], "properties": ["age": ["type": "number"]]]]
        ]
    ]

    let validator = OASValidator(documents: ["test.json": document, "other.json": other])

    private func check(_ body: JSONValue, _ component: String) throws -> [String] {
        try validator.validate(body, file: "test.json", component: component).map(\.description)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let body: JSONValue
        let component: String
        let expected: [String]
        init(_ body: JSONValue, _ component: String, _ expected: [String]) {
            self.body = body
            self.component = component
            self.expected = expected
        }
        var testDescription: String { "\(component) \(body)" }
    }

    static let cases: [Case] = [
        Case(["a": 3], "Closed", []),
        Case(["a": 3, "b": 1], "Closed", ["$.b: unexpected key \"b\""]),
        Case(["a": 11], "Closed", ["$.a: greater than 10.0"]),
        Case(["a": -1], "Closed", ["$.a: less than 0.0"]),
        Case(["a": 3_000_000_000], "Closed", ["$.a: 3000000000 does not fit int32", "$.a: greater than 10.0"]),
        Case(["a": 2.5], "Closed", ["$.a: expected integer, found number"]),
        Case(["a": nil], "Closed", ["$.a: null where integer is expected"]),
        Case([], "Closed", ["$: expected object, found array"]),
        Case(["name": "Ann", "age": 30], "Both", []),
        Case(["name": "Annie"], "Both", ["$.name: longer than 3 characters", "$: missing required key \"age\""]),
        Case("ab", "Either", []),
        Case(["x"], "Either", []),
        Case("a", "Either", ["$: matches none of the 2 anyOf alternatives; nearest:", "$: shorter than 2 characters"]),
        Case(nil, "Maybe", []),
        Case("z", "Maybe", ["$: \"z\" is not one of [\"x\", \"y\"]"]),
        Case("anything", "Elsewhere", []),
        Case(["ok": true, "bad": "no"], "Map", ["$.bad: expected boolean, found string"]),
        Case(["odd key": true], "Map", []),
        Case("x", "Loop", ["$: cannot resolve $ref #/components/schemas/Loop"]),
    ]

    @Test(arguments: cases)
    func keyword(_ c: Case) throws {
        #expect(try check(c.body, c.component) == c.expected)
    }

    @Test func unbundledReferencesCanBeReported() throws {
        var strict = validator
        strict.reportsUnbundledReferences = true
        let violations = try strict.validate("x", file: "test.json", component: "Elsewhere")
        #expect(violations.count == 1)
        #expect(violations.first?.message.hasPrefix("cannot resolve $ref https://example.com") == true)
    }
}
