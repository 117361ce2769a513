import Testing

@testable import ZohoEmulator

private let catalog = QueryTestCatalog.make()
private typealias C = QueryTestCatalog
private let c1 = C.contact1
private let c2 = C.contact2
private let c3 = C.contact3
private let c4 = C.contact4
private let c5 = C.contact5

/// The ids of the Contacts the criteria select, after the same validation the route runs.
private func search(_ text: String, module: String = "Contacts") throws -> [String] {
    let criteria = try SearchCriteria(parsing: text)
    try criteria.validate(module: module, catalog: catalog)
    return catalog.records(module: module).filter { criteria.matches($0, module: module, catalog: catalog) }
        .map { $0["id"]?.stringValue ?? "?" }
}

@Suite("Search criteria parsing")
struct SearchCriteriaParsingTests {
    @Test(arguments: [
        ("(Last_Name:equals:Boyle)", 1),
        ("Last_Name:equals:Boyle", 1),
        ("Created_Time:between:2024-02-01T18:52:56+00:00,2024-02-20T18:52:56+00:00", 1),
        ("((Last_Name:equals:Boyle)and(Email:starts_with:p))", 2),
        ("((Last_Name:equals:Boyle)or((Score:greater_than:10)and(Email:equals:zylker)))", 3),
        ("(Last_Name:equals:Boyle)and(Score:in:1,2,3)", 2),
        ("( (Last_Name:equals:Boyle) AND (Score:between:1,2) )", 2),
    ])
    func criterionCount(_ text: String, _ count: Int) throws {
        #expect(try SearchCriteria(parsing: text).criterionCount == count)
    }

    @Test func andBindsTighterThanOr() throws {
        let criteria = try SearchCriteria(parsing: "(A:equals:1)or(B:equals:2)and(C:equals:3)")
        let a = SearchNode.criterion(SearchCriterion(field: "A", operatorName: "equals", values: ["1"]))
        let b = SearchNode.criterion(SearchCriterion(field: "B", operatorName: "equals", values: ["2"]))
        let c = SearchNode.criterion(SearchCriterion(field: "C", operatorName: "equals", values: ["3"]))
        #expect(criteria.root == .or([a, .and([b, c])]))
    }

    @Test(arguments: [
        ("(Last_Name:equals:Burns\\,B)", ["Burns,B"]),
        ("(Last_Name:in:Burns\\,B,O'Brien)", ["Burns,B", "O'Brien"]),
        ("(First_Name:equals:Paddy \\(jr\\))", ["Paddy (jr)"]),
        ("(First_Name:equals:Back\\\\slash)", ["Back\\slash"]),
        (
            "(Created_Time:between:2026-01-01T00:00:00+05:30,2026-02-01T00:00:00Z)",
            ["2026-01-01T00:00:00+05:30", "2026-02-01T00:00:00Z"]
        ),
        ("(Last_Name:equals:a:b)", ["a:b"]),
    ])
    func valuesAreUnescaped(_ text: String, _ values: [String]) throws {
        let criteria = try SearchCriteria(parsing: text)
        #expect(criteria.root.criteria.first?.values == values)
    }

    @Test(arguments: [
        "",
        "Last_Name:equals:Boyle)",
        "Last_Name:equals:Boyle and (Email:equals:a)",
        "(Last_Name:equals:Boyle",
        "(Last_Name:equals:Boyle))",
        "(Last_Name:equals)",
        "(:equals:Boyle)",
        "(Last_Name:equals:)",
        "(Last_Name:equals:Paddy (jr))",
        "(Last_Name:equals:Boyle)xor(Email:equals:a)",
        "((Last_Name:equals:Boyle)and)",
        "(Last Name:equals:Boyle)",
        "(Last_Name:equals:Boyle\\)",
        "(Score:between:1)",
        "(Score:between:1,2,3)",
    ])
    func malformedIsInvalidQuery(_ text: String) {
        let error = queryError { _ = try SearchCriteria(parsing: text) }
        #expect(error?.code == "INVALID_QUERY")
        #expect(error?.message == "Invalid query formed")
        #expect(error?.details["api_name"] != nil)
    }

    @Test func tenCriteriaPassAndElevenAreRefused() throws {
        let ten = (1...10).map { "(Score:equals:\($0))" }.joined(separator: "or")
        #expect(try SearchCriteria(parsing: "(\(ten))").criterionCount == 10)
        let eleven = (1...11).map { "(Score:equals:\($0))" }.joined(separator: "or")
        let error = queryError { _ = try SearchCriteria(parsing: "(\(eleven))") }
        #expect(error?.code == "INVALID_QUERY")
        #expect(error?.details["reason"] == "11 criteria given; a search takes at most 10")
    }

    @Test func inTakes100Values() throws {
        let hundred = (1...100).map(String.init).joined(separator: ",")
        #expect(try SearchCriteria(parsing: "(Score:in:\(hundred))").root.criteria[0].values.count == 100)
        let error = queryError { _ = try SearchCriteria(parsing: "(Score:in:\(hundred),101)") }
        #expect(
            error
                == QueryError(
                    code: "INVALID_QUERY",
                    message: "Only 100 values are allowed in \"IN\" criteria",
                    details: ["api_name": "Score", "param_name": "criteria"]
                )
        )
    }

    @Test func anUnknownOperatorIsRefusedWhileParsing() {
        let error = queryError { _ = try SearchCriteria(parsing: "(Last_Name:contains:Boy)") }
        #expect(
            error?.details == ["api_name": "Last_Name", "operator": "contains", "reason": "invalid operator found"]
        )
    }
}

@Suite("Search criteria evaluation")
struct SearchCriteriaEvaluationTests {
    @Test(arguments: [
        // text: equals is a case-insensitive "contains"
        ("(Last_Name:equals:Boyle)", [c1, c4]),
        ("Last_Name:equals:Boyle", [c1, c4]),
        ("(Last_Name:equals:oyl)", [c1, c4]),
        ("(last_name:equals:oyl)", [c1, c4]),
        ("(Email:equals:ACME)", [c2, c3]),
        ("(Last_Name:not_equal:boyle)", [c2, c3, c5]),
        ("(Last_Name:starts_with:b)", [c1, c3, c4]),
        ("(Last_Name:in:Fan,O'Brien)", [c2, c5]),
        ("(Last_Name:equals:Burns\\,B)", [c3]),
        ("(First_Name:equals:\\(jr\\))", [c4]),
        ("(First_Name:equals:k\\\\s)", [c3]),
        ("(Description:equals:EXPO)", [c1]),
        ("(Description:starts_with:prefers)", [c2]),
        // picklist and multi-select: whole values
        ("(Lead_Source:equals:Trade Show)", [c1, c3, c5]),
        ("(Lead_Source:equals:Trade)", []),
        ("(Lead_Source:in:Web Download,Advertisement)", [c2]),
        ("(Languages:equals:German)", [c1, c5]),
        ("(Languages:starts_with:fr)", [c4]),
        // lookups by id or name; owners also by email
        ("(Account_Name:equals:\(C.acme))", [c2, c3]),
        ("(Account_Name:equals:zylker)", [c1, c5]),
        ("(Account_Name:in:Acme Corp,\(C.zylker))", [c1, c2, c3, c5]),
        ("(Owner:equals:bob@zylker.com)", [c2, c4]),
        ("(Owner:not_equal:\(C.userB))", [c1, c3, c5]),
        // numbers
        ("(Score:equals:75)", [c2, c3]),
        ("(Score:equals:75.0)", [c2, c3]),
        ("(Score:greater_than:40)", [c2, c3, c5]),
        ("(Score:greater_equal:40)", [c1, c2, c3, c5]),
        ("(Score:less_than:0)", [c4]),
        ("(Score:less_equal:40)", [c1, c4]),
        ("(Score:between:40,75)", [c1, c2, c3]),
        ("(Score:in:100,-5)", [c4, c5]),
        ("(id:equals:\(c3))", [c3]),
        // dates and date-times
        ("(Date_of_Birth:equals:1980-04-12)", [c1]),
        ("(Date_of_Birth:greater_than:1980-04-12)", [c3, c5]),
        ("(Created_Time:equals:2026-03-16)", [c4, c5]),
        ("(Created_Time:greater_equal:2026-03-15T23:45:00Z)", [c3, c4, c5]),
        ("(Created_Time:between:2026-01-01T00:00:00Z,2026-02-01T00:00:00+00:00)", [c1, c2]),
        // booleans
        ("(Email_Opt_Out:equals:true)", [c2, c5]),
        ("(Email_Opt_Out:not_equal:true)", [c1, c3, c4]),
        // combinations
        ("((Last_Name:equals:boyle)and(Owner:equals:\(C.userA)))", [c1]),
        ("((Score:greater_than:90)or((Lead_Source:equals:Web Download)and(Email_Opt_Out:equals:true)))", [c2, c5]),
    ])
    func matches(_ text: String, _ expected: [String]) throws {
        #expect(try search(text) == expected)
    }

    @Test func anUnknownFieldNeverMatchesWithoutValidation() throws {
        let criteria = try SearchCriteria(parsing: "(Nickname:equals:x)")
        #expect(!criteria.matches(catalog.records(module: "Contacts")[0], module: "Contacts", catalog: catalog))
    }

    @Test(arguments: [
        ("(Nickname:equals:x)", ["api_name": "Nickname", "reason": "invalid field found"] as [String: JSONValue]),
        (
            "(Lead_Source:starts_with:Tr)",
            [
                "api_name": "Lead_Source", "operator": "starts_with",
                "reason": "the operator is not supported for the field's data type",
            ]
        ),
        (
            "(Email_Opt_Out:in:true)",
            [
                "api_name": "Email_Opt_Out", "operator": "in",
                "reason": "the operator is not supported for the field's data type",
            ]
        ),
        (
            "(Last_Name:greater_than:B)",
            [
                "api_name": "Last_Name", "operator": "greater_than",
                "reason": "the operator is not supported for the field's data type",
            ]
        ),
        (
            "(Description:in:a,b)",
            [
                "api_name": "Description", "operator": "in",
                "reason": "the operator is not supported for the field's data type",
            ]
        ),
        (
            "(Photo:equals:x)",
            [
                "api_name": "Photo", "operator": "equals",
                "reason": "the operator is not supported for the field's data type",
            ]
        ),
        (
            "(Score:greater_than:many)",
            ["api_name": "Score", "expected_data_type": "integer", "reason": "invalid data"]
        ),
        (
            "(Score:greater_than:1,2)",
            ["api_name": "Score", "expected_data_type": "integer", "reason": "invalid data"]
        ),
        (
            "(Date_of_Birth:equals:12/04/1980)",
            ["api_name": "Date_of_Birth", "expected_data_type": "date", "reason": "invalid data"]
        ),
        (
            "(Email_Opt_Out:equals:yes)",
            ["api_name": "Email_Opt_Out", "expected_data_type": "boolean", "reason": "invalid data"]
        ),
    ])
    func typeMismatchesAreInvalidQuery(_ text: String, _ details: [String: JSONValue]) {
        let error = queryError { _ = try search(text) }
        #expect(error?.code == "INVALID_QUERY")
        #expect(error?.details == details)
    }
}
