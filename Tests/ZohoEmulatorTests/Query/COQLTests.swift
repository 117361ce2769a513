import Testing

@testable import ZohoEmulator

private let catalog = QueryTestCatalog.make()
private typealias C = QueryTestCatalog

private func ids(_ query: String, in catalog: QueryTestCatalog = catalog) throws -> [String] {
    try COQLRunner.run(query, catalog: catalog).rows.map { $0["id"]?.stringValue ?? "?" }
}

private func contacts(_ condition: String) throws -> [String] {
    try ids("select Last_Name from Contacts where \(condition)")
}

private let c1 = C.contact1
private let c2 = C.contact2
private let c3 = C.contact3
private let c4 = C.contact4
private let c5 = C.contact5

@Suite("COQL parsing")
struct COQLParsingTests {
    struct SyntaxCase: Sendable, CustomTestStringConvertible {
        let query: String
        let line: Int
        let column: Int
        let near: String
        var testDescription: String { query }
    }

    @Test(arguments: [
        SyntaxCase(query: "select from Contacts where id is not null", line: 1, column: 8, near: "from"),
        SyntaxCase(query: "select Last_Name, from Contacts where id is not null", line: 1, column: 19, near: "from"),
        SyntaxCase(query: "select Last_Name\nfrom Contacts\nwhere Last_Name = 'x", line: 3, column: 19, near: "'x"),
        SyntaxCase(
            query: "select id from Contacts where id is not null and Email is not null and Phone is not null",
            line: 1,
            column: 68,
            near: "and"
        ),
        SyntaxCase(query: "select id from Contacts\n  where Last_Name # 'a'", line: 2, column: 19, near: "#"),
        SyntaxCase(query: "select id from Contacts where Last_Name =", line: 1, column: 42, near: "="),
        SyntaxCase(
            query: "select id from Contacts where id is not null limit 10 offset",
            line: 1,
            column: 61,
            near: "offset"
        ),
        SyntaxCase(query: "select id from Contacts where id is not null limit 1.5", line: 1, column: 52, near: "1.5"),
        SyntaxCase(query: "select id from Contacts where (id is not null", line: 1, column: 46, near: "null"),
        SyntaxCase(query: "select id from Contacts where id is not null)", line: 1, column: 45, near: ")"),
        SyntaxCase(query: "select id from Contacts where Last_Name in ()", line: 1, column: 45, near: ")"),
        SyntaxCase(query: "select id from Contacts where Score between 1", line: 1, column: 46, near: "1"),
        SyntaxCase(query: "select id from Contacts where Last_Name = Boyle", line: 1, column: 43, near: "Boyle"),
        SyntaxCase(query: "select id from Contacts where Score = 12abc", line: 1, column: 39, near: "12abc"),
        SyntaxCase(query: "select id from Contacts where Last_Name not = 'a'", line: 1, column: 45, near: "="),
        SyntaxCase(query: "select SUM(*) from Deals where id is not null", line: 1, column: 12, near: "*"),
        SyntaxCase(query: "select id from where id is not null", line: 1, column: 16, near: "where"),
        SyntaxCase(
            query: "select !Contacts Last_Name from Contacts where id is not null",
            line: 1,
            column: 18,
            near: "Last_Name"
        ),
        SyntaxCase(query: "select id from Contacts where ! = 'a'", line: 1, column: 33, near: "="),
    ])
    func syntaxErrorsCarryLineColumnAndNear(_ c: SyntaxCase) {
        let error = queryError { _ = try COQLRunner.run(c.query, catalog: catalog) }
        #expect(error == QueryError.syntax(line: c.line, column: c.column, near: c.near))
    }

    @Test func keywordsAreCaseInsensitiveAndTheModuleToo() throws {
        let rows = try ids("SeLeCt Last_Name FROM contacts WHERE Last_Name = 'Boyle' OrDeR By id DESC LIMIT 5")
        #expect(rows == [c4, c1])
    }

    @Test func fieldNamesResolveIgnoringCase() throws {
        let result = try COQLRunner.run(
            "select last_name, account_name.account_name from contacts where LAST_NAME = 'O''Brien'",
            catalog: catalog
        )
        #expect(
            result.rows == [["id": .string(c2), "last_name": "O'Brien", "account_name.account_name": "Acme Corp"]]
        )
    }

    @Test func aModulePrefixSetsAModuleApartFromAField() throws {
        let result = try COQLRunner.run(
            "select !Contacts.Owner.email from Contacts where !Contacts.Last_Name = 'Boyle'",
            catalog: catalog
        )
        #expect(
            result.rows == [
                ["id": .string(c1), "Owner.email": "ann@zylker.com"],
                ["id": .string(c4), "Owner.email": "bob@zylker.com"],
            ]
        )
        let error = queryError {
            _ = try COQLRunner.run("select !Deals.Amount from Contacts where id is not null", catalog: catalog)
        }
        #expect(error?.code == "INVALID_QUERY")
        #expect(error?.details["column_name"] == "!Deals.Amount")
    }

    @Test func pairwiseBracketingIsAccepted() throws {
        let rows = try contacts("((Email is not null and Score >= 40) and Lead_Source = 'Trade Show')")
        #expect(rows == [c1, c3, c5])
    }

    @Test(arguments: [
        ("Last_Name = 'O''Brien'", [c2]),
        ("First_Name = 'Back\\slash'", [c3]),
        ("Last_Name = \"O'Brien\"", [c2]),
        ("Last_Name = 'Burns,B'", [c3]),
        ("First_Name = 'Paddy (jr)'", [c4]),
    ])
    func stringLiteralsUnescape(_ condition: String, _ expected: [String]) throws {
        #expect(try contacts(condition) == expected)
    }

    /// Kaizen #171: `''` is the only escape; a backslash is a character, so `\'` closes the literal.
    @Test(arguments: ["Last_Name = 'O\\'Brien'", "Last_Name = 'O\\'Brien' or Last_Name = 'x'"])
    func backslashDoesNotEscapeAQuote(_ condition: String) throws {
        let error = queryError { _ = try contacts(condition) }
        #expect(error?.code == "SYNTAX_ERROR")
    }

    @Test func aQuotedColumnNameIsAccepted() throws {
        let result = try COQLRunner.run("select 'Last_Name' from Contacts where id = \(c2)", catalog: catalog)
        #expect(result.rows == [["id": .string(c2), "Last_Name": "O'Brien"]])
    }

    @Test func multiLineQueriesAndATrailingSemicolonParse() throws {
        let rows = try ids("select Last_Name\n  from Contacts\n  where Score > 70\n  order by Score desc, id asc;")
        #expect(rows == [c5, c2, c3])
    }
}

@Suite("COQL comparators")
struct COQLComparatorTests {
    @Test(arguments: [
        // text: whole value, ignoring case
        ("Last_Name = 'Boyle'", [c1, c4]),
        ("Last_Name != 'Boyle'", [c2, c3, c5]),
        ("Last_Name like 'boy%'", [c1, c4]),
        ("Last_Name like '%an'", [c5]),
        ("Last_Name like '%ylke%'", [c5]),
        ("Last_Name not like '%o%'", [c3, c5]),
        ("Last_Name in ('Boyle', 'Burns,B')", [c1, c3, c4]),
        ("Last_Name not in ('Boyle', 'Burns,B')", [c2, c5]),
        ("Email is null", [c4]),
        ("Email is not null", [c1, c2, c3, c5]),
        ("Phone is null", [c2, c3, c4, c5]),
        ("First_Name is null", [c5]),
        // picklist, multiselect, textarea
        ("Lead_Source = 'Trade Show'", [c1, c3, c5]),
        ("Lead_Source in ('Web Download')", [c2]),
        ("Lead_Source is null", [c4]),
        ("Languages = 'English;German'", [c1, c5]),
        ("Languages like '%French%'", [c4]),
        ("Languages is null", [c3]),
        ("Description like '%phone%'", [c2]),
        // numbers
        ("Score = 75", [c2, c3]),
        ("Score != 75", [c1, c4, c5]),
        ("Score > 40", [c2, c3, c5]),
        ("Score >= 40", [c1, c2, c3, c5]),
        ("Score < 40", [c4]),
        ("Score <= -5", [c4]),
        ("Score between 40 and 75", [c1, c2, c3]),
        ("Score not between 40 and 75", [c4, c5]),
        ("Score in (100, -5)", [c4, c5]),
        ("Score not in (75)", [c1, c4, c5]),
        ("Score = '75'", [c2, c3]),
        ("id = 5725767000000400003", [c3]),
        ("id > '5725767000000400003'", [c4, c5]),
        // dates and date-times
        ("Date_of_Birth = '1980-04-12'", [c1]),
        ("Date_of_Birth < '1981-01-01'", [c1, c2]),
        ("Date_of_Birth between '1980-01-01' and '2000-02-29'", [c1, c3, c5]),
        ("Date_of_Birth is null", [c4]),
        ("Created_Time >= '2026-03-16T00:00:00+00:00'", [c4, c5]),
        ("Created_Time >= '2026-03-15T23:45:00Z'", [c3, c4, c5]),
        ("Created_Time < '2026-01-10T04:00:00Z'", []),
        ("Created_Time = '2026-01-10T04:00:00Z'", [c1]),
        ("Created_Time between '2026-01-01T00:00:00Z' and '2026-02-01T00:00:00Z'", [c1, c2]),
        ("Created_Time not in ('2026-02-01T05:30:00+05:30')", [c1, c3, c4, c5]),
        // booleans, quoted or not
        ("Email_Opt_Out = true", [c2, c5]),
        ("Email_Opt_Out = 'false'", [c1, c3, c4]),
        // combinations
        ("(Score > 50 or Email is null)", [c2, c3, c4, c5]),
        ("((Score > 50 or Email is null) and Lead_Source like 'trade%')", [c3, c5]),
    ])
    func comparator(_ condition: String, _ expected: [String]) throws {
        #expect(try contacts(condition) == expected)
    }

    @Test(arguments: [
        ("Account_Name = '\(C.zylker)'", [c1, c5]),
        ("Account_Name != '\(C.zylker)'", [c2, c3]),
        ("Account_Name in ('\(C.acme)', '1')", [c2, c3]),
        ("Account_Name is null", [c4]),
        ("Account_Name.Account_Name = 'Zylker'", [c1, c5]),
        ("Account_Name.Industry in ('Manufacturing')", [c2, c3]),
        ("Account_Name.Parent_Account.Account_Name = 'Zylker'", [c2, c3]),
        ("Owner = '\(C.userB)'", [c2, c4]),
        ("Owner.email = 'ann@zylker.com'", [c1, c3, c5]),
        ("Owner.full_name like 'bob%'", [c2, c4]),
    ])
    func lookups(_ condition: String, _ expected: [String]) throws {
        #expect(try contacts(condition) == expected)
    }
}

@Suite("COQL rows")
struct COQLRowTests {
    @Test func rowsCarryIdSelectedFieldsLookupIdsAndDottedKeys() throws {
        let result = try COQLRunner.run(
            "select Last_Name, Account_Name, Account_Name.Account_Name, Owner, Owner.email, Email as Mail "
                + "from Contacts where id in ('\(c1)', '\(c4)')",
            catalog: catalog
        )
        #expect(
            result.rows == [
                [
                    "id": .string(c1), "Last_Name": "Boyle", "Account_Name": ["id": .string(C.zylker)],
                    "Account_Name.Account_Name": "Zylker", "Owner": ["id": .string(C.userA)],
                    "Owner.email": "ann@zylker.com", "Mail": "p.boyle@zylker.com",
                ],
                [
                    "id": .string(c4), "Last_Name": "boyle", "Account_Name": nil, "Account_Name.Account_Name": nil,
                    "Owner": ["id": .string(C.userB)], "Owner.email": "bob@zylker.com", "Mail": nil,
                ],
            ]
        )
        #expect(result.moreRecords == false)
    }

    @Test func twoLevelLookupColumn() throws {
        let result = try COQLRunner.run(
            "select Contact_Name.Account_Name.Account_Name from Deals where Stage = 'Closed Won'",
            catalog: catalog
        )
        #expect(result.rows.map { $0["Contact_Name.Account_Name.Account_Name"] } == ["Zylker", "Acme Corp"])
    }

    @Test(arguments: [
        ("order by Last_Name", [c1, c4, c3, c2, c5]),
        ("order by Last_Name desc", [c5, c2, c3, c1, c4]),
        ("order by Score desc, Last_Name asc", [c5, c3, c2, c1, c4]),
        ("order by Date_of_Birth", [c4, c2, c1, c3, c5]),
        ("order by Account_Name.Account_Name desc, id desc", [c5, c1, c3, c2, c4]),
        ("", [c1, c2, c3, c4, c5]),
    ])
    func ordering(_ clause: String, _ expected: [String]) throws {
        #expect(try ids("select id from Contacts where id is not null \(clause)") == expected)
    }

    @Test(arguments: [
        ("limit 2", [c1, c2], true),
        ("limit 2 offset 2", [c3, c4], true),
        ("limit 2 offset 3", [c4, c5], false),
        ("limit 3, 2", [c4, c5], false),
        ("limit 10 offset 5", [], false),
        ("limit 5", [c1, c2, c3, c4, c5], false),
        ("limit 4", [c1, c2, c3, c4], true),
    ])
    func paging(_ clause: String, _ expected: [String], _ more: Bool) throws {
        let result = try COQLRunner.run("select id from Contacts where id is not null \(clause)", catalog: catalog)
        #expect(result.rows.map { $0["id"]?.stringValue } == expected)
        #expect(result.moreRecords == more)
    }

    @Test func defaultLimitIs200AndTheMaximum2000() throws {
        let bulk = QueryTestCatalog.make(bulk: 2001)
        let first = try COQLRunner.run("select Name from Bulk where id is not null", catalog: bulk)
        #expect(first.rows.count == 200)
        #expect(first.moreRecords)
        let all = try COQLRunner.run("select Name from Bulk where id is not null limit 2000", catalog: bulk)
        #expect(all.rows.count == 2000)
        #expect(all.moreRecords)
        let last = try COQLRunner.run("select Name from Bulk where id is not null limit 2000 offset 1", catalog: bulk)
        #expect(last.rows.last?["Name"] == "Bulk 2000")
        #expect(!last.moreRecords)
    }

    @Test func aggregatesWithAndWithoutGroupBy() throws {
        let total = try COQLRunner.run(
            "select COUNT(id), SUM(Amount), MAX(Closing_Date) from Deals where id is not null",
            catalog: catalog
        )
        #expect(total.rows == [["COUNT(id)": 3, "SUM(Amount)": 2300, "MAX(Closing_Date)": "2026-05-15"]])
        let grouped = try COQLRunner.run(
            "select Stage, COUNT(id) as deals, AVG(Amount) from Deals where id is not null group by Stage "
                + "order by Stage desc",
            catalog: catalog
        )
        #expect(
            grouped.rows == [
                ["Stage": "Qualification", "deals": 1, "AVG(Amount)": 800.0],
                ["Stage": "Closed Won", "deals": 2, "AVG(Amount)": 750.0],
            ]
        )
    }
}

@Suite("COQL refusals")
struct COQLRefusalTests {
    struct Refusal: Sendable, CustomTestStringConvertible {
        let query: String
        let code: String
        let details: [String: JSONValue]
        var testDescription: String { query }
    }

    static let many = (1...101).map { "'v\($0)'" }.joined(separator: ",")
    static let columns = (1...501).map { _ in "Last_Name" }.joined(separator: ",")
    static let criteria = (1...26).reduce("id is not null") { partial, _ in "(\(partial) and id is not null)" }

    @Test(arguments: [
        Refusal(
            query: "select id from Contacts where id is not null limit 2001",
            code: "LIMIT_EXCEEDED",
            details: ["by": "limit", "limit": 2000]
        ),
        Refusal(
            query: "select id from Contacts where id is not null limit 2000 offset 98001",
            code: "LIMIT_EXCEEDED",
            details: ["by": "offset", "limit": 100_000]
        ),
        Refusal(
            query: "select id from Contacts where id is not null limit 99999999999999999999999",
            code: "LIMIT_EXCEEDED",
            details: ["by": "limit", "limit": 2000]
        ),
        Refusal(
            query: "select id from Contacts where Last_Name in (\(many))",
            code: "LIMIT_EXCEEDED",
            details: ["by": "in", "limit": 100]
        ),
        Refusal(
            query: "select id from Contacts where \(criteria)",
            code: "LIMIT_EXCEEDED",
            details: ["by": "where", "limit": 25]
        ),
        Refusal(
            query: "select id from Deals where Contact_Name.Account_Name.Owner.email = 'x'",
            code: "LIMIT_EXCEEDED",
            details: ["by": "lookup", "limit": 2]
        ),
        Refusal(
            query: "select id from Leeds where id is not null",
            code: "INVALID_QUERY",
            details: ["module": "Leeds", "reason": "the module name given seems to be invalid"]
        ),
        Refusal(
            query: "select Nickname from Contacts where id is not null",
            code: "INVALID_QUERY",
            details: ["column_name": "Nickname", "module": "Contacts", "reason": "invalid column"]
        ),
        Refusal(
            query: "select id from Contacts where Account_Name.Nickname = 'x'",
            code: "INVALID_QUERY",
            details: ["column_name": "Account_Name.Nickname", "module": "Contacts", "reason": "invalid column"]
        ),
        Refusal(
            query: "select Last_Name.Name from Contacts where id is not null",
            code: "INVALID_QUERY",
            details: ["column_name": "Last_Name.Name", "module": "Contacts", "reason": "invalid column"]
        ),
        Refusal(
            query: "select id from Contacts where Score like '4%'",
            code: "INVALID_QUERY",
            details: [
                "column_name": "Score", "data_type": "integer", "operator": "like",
                "reason": "the operator is not supported for the column's data type",
            ]
        ),
        Refusal(
            query: "select id from Contacts where Last_Name > 'B'",
            code: "INVALID_QUERY",
            details: [
                "column_name": "Last_Name", "data_type": "text", "operator": ">",
                "reason": "the operator is not supported for the column's data type",
            ]
        ),
        Refusal(
            query: "select id from Contacts where Email_Opt_Out != true",
            code: "INVALID_QUERY",
            details: [
                "column_name": "Email_Opt_Out", "data_type": "boolean", "operator": "!=",
                "reason": "the operator is not supported for the column's data type",
            ]
        ),
        Refusal(
            query: "select id from Contacts where Account_Name like '%Zyl%'",
            code: "INVALID_QUERY",
            details: [
                "column_name": "Account_Name", "data_type": "lookup", "operator": "like",
                "reason": "the operator is not supported for the column's data type",
            ]
        ),
        Refusal(
            query: "select id from Contacts where Score = 'many'",
            code: "INVALID_QUERY",
            details: [
                "column_name": "Score", "data_type": "integer",
                "reason": "the value 'many' does not fit the field type",
            ]
        ),
        Refusal(
            query: "select id from Contacts where Account_Name = 'Zylker'",
            code: "INVALID_QUERY",
            details: [
                "column_name": "Account_Name", "data_type": "lookup",
                "reason": "the value 'Zylker' does not fit the field type",
            ]
        ),
        Refusal(
            query: "select id from Contacts where Date_of_Birth > '12/04/1980'",
            code: "INVALID_QUERY",
            details: [
                "column_name": "Date_of_Birth", "data_type": "date",
                "reason": "the value '12/04/1980' does not fit the field type",
            ]
        ),
        Refusal(
            query: "select id from Contacts where Last_Name not like 'B%'",
            code: "INVALID_QUERY",
            details: [
                "column_name": "Last_Name", "data_type": "text",
                "reason": "not like needs a value of the form '%text%'",
            ]
        ),
        Refusal(
            query: "select id from Contacts where Photo is null",
            code: "INVALID_QUERY",
            details: ["column_name": "Photo", "data_type": "profileimage", "reason": "data type not supported"]
        ),
        Refusal(
            query: "select Last_Name as 'last name' from Contacts where id is not null",
            code: "INVALID_ALIAS",
            details: ["alias": "last name", "line": 1, "column": 21]
        ),
        Refusal(
            query: "select Last_Name as n, Email as N from Contacts where id is not null",
            code: "DUPLICATE_ALIAS",
            details: ["alias": "N", "clause": "select"]
        ),
        Refusal(
            query: "select Last_Name, Email as Last_Name from Contacts where id is not null",
            code: "DUPLICATE_ALIAS",
            details: ["alias": "Last_Name", "clause": "select"]
        ),
        Refusal(
            query: "select Last_Name, Email, Last_Name from Contacts where id is not null",
            code: "DUPLICATE_DATA",
            details: ["column_name": "Last_Name", "clause": "select"]
        ),
        Refusal(
            query: "select Stage, Amount, COUNT(id) from Deals where id is not null group by Stage",
            code: "INVALID_QUERY",
            details: [
                "column_name": "Amount",
                "reason": "a column outside an aggregate function must be in the group by clause",
            ]
        ),
        Refusal(
            query: "select SUM(Stage) from Deals where id is not null",
            code: "INVALID_QUERY",
            details: ["column_name": "Stage", "data_type": "picklist", "reason": "data type not supported"]
        ),
        Refusal(
            query: "select id from Contacts where id is not null order by id, ID",
            code: "DUPLICATE_DATA",
            details: ["column_name": "ID", "clause": "order by"]
        ),
        Refusal(
            query: "select Stage, COUNT(id) from Deals where id is not null group by Stage, Stage",
            code: "DUPLICATE_DATA",
            details: ["column_name": "Stage", "clause": "group by"]
        ),
        Refusal(
            query: "select COUNT(id), count(id) from Deals where id is not null",
            code: "DUPLICATE_DATA",
            details: ["column_name": "id", "clause": "select"]
        ),
        Refusal(
            query: "select id from Contacts where id is not null limit 0",
            code: "INVALID_QUERY",
            details: ["clause": "limit", "reason": "the limit must be at least 1"]
        ),
    ])
    func refused(_ r: Refusal) {
        let error = queryError { _ = try COQLRunner.run(r.query, catalog: catalog) }
        #expect(error?.code == r.code)
        #expect(error?.details == r.details)
        #expect(error?.httpStatus == 400)
    }

    @Test func selectListOf501ColumnsIsRefused() {
        let error = queryError {
            _ = try COQLRunner.run("select \(Self.columns) from Contacts where id is not null", catalog: catalog)
        }
        #expect(error?.code == "LIMIT_EXCEEDED")
        #expect(error?.details == ["by": "select", "limit": 500])
    }

    @Test func limitsAtTheBoundaryPass() throws {
        let hundred = (1...100).map { "'v\($0)'" }.joined(separator: ",")
        #expect(try contacts("Last_Name in (\(hundred))").isEmpty)
        #expect(try contacts("Last_Name not in (\(hundred))").count == 5)
        let twentyFive = (1...24).reduce("id is not null") { partial, _ in "(\(partial) and id is not null)" }
        #expect(try contacts(twentyFive).count == 5)
        #expect(try ids("select id from Contacts where id is not null limit 2000 offset 98000").isEmpty)
    }

    /// v8 example `response-400-syntaxerrorinvalidclause`: WHERE is still required.
    @Test(arguments: [
        "select id from Contacts", "select id from Contacts limit 10", "select id from Contacts order by id asc",
    ])
    func missingWhereIsAMissingClause(_ query: String) {
        let error = queryError { _ = try COQLRunner.run(query, catalog: catalog) }
        #expect(error == QueryError.missing(clause: "where"))
        #expect(error?.message == "missing clause")
    }

    @Test func errorBodyIsZohosEnvelope() {
        let error = QueryError.syntax(line: 2, column: 7, near: "form")
        #expect(
            error.body == [
                "code": "SYNTAX_ERROR", "details": ["line": 2, "column": 7, "near": "form"],
                "message": "invalid query formed", "status": "error",
            ]
        )
    }
}
