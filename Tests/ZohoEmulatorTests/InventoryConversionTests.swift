import Foundation
import Testing

@testable import ZohoEmulator

@Suite struct InventoryConversionTests {
    static let salesOrdersID: JSONValue = "4876876000000002185"
    static let invoicesID: JSONValue = "4876876000000002187"
    static let accepted = "4876876000001000501"

    static func body(
        ids: JSONValue = ["4876876000001000501"],
        target: JSONValue = "Sales_Orders",
        moduleID: JSONValue = salesOrdersID,
        tags: JSONValue = true
    ) -> JSONValue {
        ["convert_to": [["module": ["api_name": target, "id": moduleID], "carry_over_tags": tags]], "ids": ids]
    }

    static func without(_ body: JSONValue, _ key: String) -> JSONValue {
        var o = body.objectValue ?? [:]
        o[key] = nil
        return .object(o)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var method: String = "POST"
        var module: String = "Quotes"
        var body: JSONValue
        var status: Int
        var code: String
        var detailKey: String?
        var testDescription: String { name }
    }

    /// Every error of the seed document, for the request that causes it.
    static let errors: [ErrorCase] = [
        ErrorCase(
            name: "ids missing",
            body: without(body(), "ids"),
            status: 400,
            code: "MANDATORY_NOT_FOUND",
            detailKey: "json_path"
        ),
        ErrorCase(
            name: "convert_to missing",
            body: without(body(), "convert_to"),
            status: 400,
            code: "MANDATORY_NOT_FOUND",
            detailKey: "api_name"
        ),
        ErrorCase(
            name: "carry_over_tags missing",
            body: [
                "convert_to": [["module": ["api_name": "Sales_Orders", "id": salesOrdersID]]],
                "ids": [.string(accepted)],
            ],
            status: 400,
            code: "MANDATORY_NOT_FOUND",
            detailKey: "json_path"
        ),
        ErrorCase(
            name: "module missing",
            body: ["convert_to": [["carry_over_tags": true]], "ids": [.string(accepted)]],
            status: 400,
            code: "MANDATORY_NOT_FOUND",
            detailKey: "json_path"
        ),
        ErrorCase(
            name: "invalid id",
            body: body(ids: ["12ab"]),
            status: 400,
            code: "INVALID_DATA",
            detailKey: "json_path"
        ),
        ErrorCase(
            name: "unknown id",
            body: body(ids: ["4876876000009999999"]),
            status: 400,
            code: "INVALID_DATA",
            detailKey: "json_path"
        ),
        ErrorCase(
            name: "id not long or string",
            body: body(ids: [true]),
            status: 400,
            code: "INVALID_DATA",
            detailKey: "expected_data_type"
        ),
        ErrorCase(
            name: "convert_to not an array",
            body: [
                "convert_to": ["module": ["api_name": "Sales_Orders", "id": salesOrdersID]], "ids": [.string(accepted)],
            ],
            status: 400,
            code: "INVALID_DATA",
            detailKey: "expected_data_type"
        ),
        ErrorCase(
            name: "module not an object",
            body: ["convert_to": [["module": "Sales_Orders", "carry_over_tags": true]], "ids": [.string(accepted)]],
            status: 400,
            code: "INVALID_DATA",
            detailKey: "expected_data_type"
        ),
        ErrorCase(
            name: "bad child module",
            body: body(target: "Deals"),
            status: 400,
            code: "INVALID_DATA",
            detailKey: "supported_values"
        ),
        ErrorCase(
            name: "sales order to sales order",
            module: "Sales_Orders",
            body: body(ids: ["4876876000001000601"]),
            status: 400,
            code: "INVALID_DATA",
            detailKey: "supported_values"
        ),
        ErrorCase(
            name: "multiple modules",
            body: [
                "convert_to": [
                    ["module": ["api_name": "Sales_Orders", "id": salesOrdersID], "carry_over_tags": true],
                    ["module": ["api_name": "Invoices", "id": invoicesID], "carry_over_tags": true],
                ], "ids": [.string(accepted)],
            ],
            status: 400,
            code: "INVALID_DATA",
            detailKey: "maximum_length"
        ),
        ErrorCase(
            name: "deleted id",
            body: body(ids: ["4876876000001000505"]),
            status: 400,
            code: "INVALID_DATA",
            detailKey: "json_path"
        ),
        ErrorCase(
            name: "id of another module",
            body: body(ids: ["4876876000001000401"]),
            status: 400,
            code: "AMBIGUITY_DURING_PROCESSING",
            detailKey: "ambiguity_due_to"
        ),
        ErrorCase(
            name: "51 ids",
            body: body(ids: .array((0..<51).map { _ in .string(accepted) })),
            status: 400,
            code: "LIMIT_EXCEEDED",
            detailKey: "limit_due_to"
        ),
        ErrorCase(
            name: "empty convert_to",
            body: ["convert_to": [], "ids": [.string(accepted)]],
            status: 400,
            code: "EXPECTED_FIELD_MISSING",
            detailKey: "expected_fields"
        ),
        ErrorCase(name: "wrong method", method: "PUT", body: body(), status: 400, code: "INVALID_REQUEST_METHOD"),
        ErrorCase(name: "invalid module", module: "Invoices", body: body(), status: 400, code: "INVALID_MODULE"),
        ErrorCase(name: "unknown module", module: "Widgets", body: body(), status: 400, code: "INVALID_MODULE"),
    ]

    @Test(arguments: errors) func massConvertErrors(_ e: ErrorCase) async throws {
        try await withSession { s in
            let reply = try await s.call(.init(e.method)!, "/\(e.module)/actions/mass_convert", e.body)
            #expect(reply.status == e.status, "\(reply.json)")
            #expect(reply.json["code"].stringValue == e.code, "\(reply.json)")
            #expect(reply.json["status"] == "error")
            if let key = e.detailKey { #expect(!reply.json["details"][key].isNull, "\(reply.json)") }
            if e.status == 400 && e.method == "POST" && e.code != "INVALID_MODULE" {
                let violations = try OASValidator.bundled().validate(
                    reply.json,
                    file: "inventory_mass_convert.json",
                    path: "/Quotes/actions/mass_convert",
                    method: "POST",
                    status: 400
                )
                #expect(Self.ignoringCopiedMessages(violations, code: e.code).isEmpty, "\(violations)")
            }
        }
    }

    /// The OAS file gives LIMIT_EXCEEDED, AMBIGUITY_DURING_PROCESSING, NO_PERMISSION and NOT_APPROVED the message
    /// enum of another error ("required field not found", "id already converted"), a copy-paste slip; the
    /// emulator keeps a fitting message for those, and only their message may differ.
    static func ignoringCopiedMessages(_ violations: [OASViolation], code: String) -> [OASViolation] {
        let copied: Set<String> = ["LIMIT_EXCEEDED", "AMBIGUITY_DURING_PROCESSING", "NO_PERMISSION", "NOT_APPROVED"]
        guard copied.contains(code) else { return violations }
        let rest = violations.filter { $0.path != "$.message" && $0.path != "$" }
        return violations.contains { $0.path == "$.message" } ? rest : violations
    }

    @Test func urlAndStatusErrors() async throws {
        try await withSession { s in
            let badURL = try await s.call(.get, "/Quotes/actions/mass_convert/extra/segments")
            #expect(badURL.status == 404)
            #expect(badURL.code == "INVALID_URL_PATTERN")
            let noJob = try await s.call(.get, "/Quotes/actions/mass_convert")
            #expect(noJob.status == 400)
            #expect(noJob.json["code"] == "REQUIRED_PARAM_MISSING")
            #expect(noJob.json["details"]["param_name"] == "job_id")
            let badJob = try await s.call(.get, "/Quotes/actions/mass_convert?job_id=123")
            #expect(badJob.json["code"] == "INVALID_DATA")
            let oldVersion = try await s.raw(
                .get,
                "/crm/v2/Quotes",
                headers: [.authorization: "Zoho-oauthtoken \(s.token)"]
            )
            #expect(oldVersion.status == 404)
        }
    }

    @Test func massConvertJobMovesThroughItsStatesAndCreatesChildren() async throws {
        let clock = ManualClock()
        try await withSession(try emulatorConfiguration(clock: clock)) { s in
            let ids: JSONValue = [
                "4876876000001000501", "4876876000001000503", "4876876000001000504", "4876876000001000506",
            ]
            var body = Self.body(ids: ids)
            if case .object(var o) = body {
                o["assign_to"] = ["id": "4876876000000400001"]
                o["related_modules"] = [
                    ["api_name": "Calls", "id": "4876876000000002191"],
                    ["api_name": "Tasks", "id": "4876876000000002193"],
                ]
                body = .object(o)
            }
            let scheduled = try await s.call(.post, "/Quotes/actions/mass_convert", body)
            #expect(scheduled.status == 202, "\(scheduled.json)")
            #expect(scheduled.json["code"] == "SCHEDULED")
            #expect(scheduled.json["message"] == "Mass Convert scheduled successfully")
            let job = try #require(scheduled.json["details"]["job_id"].stringValue)
            let statusPath = "/Quotes/actions/mass_convert?job_id=\(job)"
            let first = try await s.call(.get, statusPath)
            #expect(
                first.json["data"][0] == [
                    "status": "SCHEDULED", "total_count": 4, "converted_count": 0, "not_converted_count": 4,
                    "failed_count": 0,
                ]
            )
            clock.advance(2)
            #expect(try await s.call(.get, statusPath).json["data"].arrayValue?.first?["status"] == "IN PROGRESS")
            // Nothing converts before the job completes.
            let early = try await s.raw(.get, "/__emulator/state")
            #expect(early.json["records"]["Sales_Orders"].arrayValue?.count == 1)
            clock.advance(2)
            let done = try await s.call(.get, statusPath)
            // Locked, unapproved and already-converted quotes count as failed; Zoho reports no per-record results.
            #expect(
                done.json["data"][0] == [
                    "status": "COMPLETED", "total_count": 4, "converted_count": 1, "not_converted_count": 0,
                    "failed_count": 3,
                ]
            )
            let coql = try await s.call(
                .post,
                "/coql",
                [
                    "select_query": .string(
                        "select id, Quote_Name, Owner, Subject from Sales_Orders where Quote_Name = '\(Self.accepted)'"
                    )
                ]
            )
            #expect(coql.json["data"].arrayValue?.count == 1, "\(coql.json)")
            let childID = try #require(coql.json["data"][0]["id"].stringValue)
            let child = try await s.call(.get, "/Sales_Orders/\(childID)")
            let record = child.json["data"][0]
            #expect(record["Quote_Name"]["id"] == .string(Self.accepted))
            #expect(record["Owner"]["id"] == "4876876000000400001")
            #expect(record["Ordered_Items"].arrayValue?.count == 1)
            #expect(record["Ordered_Items"][0]["Product_Name"]["name"] == "Widget")
            #expect(record["Grand_Total"].doubleValue == 200)
            #expect(record["Tag"].arrayValue?.map { $0["name"] } == ["priority"])
            #expect(record["Account_Name"]["name"] == "Zylker Biotech")
            let call = try await s.call(.get, "/Calls/4876876000001000701")
            #expect(call.json["data"][0]["What_Id"]["id"] == .string(childID))
            #expect(call.json["data"][0]["Owner"]["id"] == "4876876000000400001")
            // A second conversion of the same quote to the same module is refused.
            let again = try await s.call(
                .post,
                "/Quotes/\(Self.accepted)/actions/convert",
                ["data": [["convert_to": [["module": ["api_name": "Sales_Orders", "id": Self.salesOrdersID]]]]]]
            )
            #expect(again.status == 400)
            // Top level with the record's place in the URL (OASX response-400-idalreadyconverted).
            #expect(
                again.json == [
                    "code": "ID_ALREADY_CONVERTED", "details": ["resource_path_index": 1],
                    "message": "id already converted", "status": "error",
                ]
            )
        }
    }

    @Test func failingJobFault() async throws {
        let clock = ManualClock()
        try await withSession(try emulatorConfiguration(clock: clock, faults: FaultConfiguration(job: .fail))) { s in
            let scheduled = try await s.call(.post, "/Quotes/actions/mass_convert", Self.body())
            let job = try #require(scheduled.json["details"]["job_id"].stringValue)
            clock.advance(10)
            let done = try await s.call(.get, "/Quotes/actions/mass_convert?job_id=\(job)")
            #expect(done.json["data"][0]["status"] == "FAILED")
            #expect(done.json["data"][0]["failed_count"] == 1)
            let children = try await s.raw(.get, "/__emulator/state")
            #expect(children.json["records"]["Sales_Orders"].arrayValue?.count == 1)
        }
    }

    @Test func slowJobFault() async throws {
        let clock = ManualClock()
        try await withSession(try emulatorConfiguration(clock: clock, faults: FaultConfiguration(job: .slow))) { s in
            let scheduled = try await s.call(.post, "/Quotes/actions/mass_convert", Self.body())
            let job = try #require(scheduled.json["details"]["job_id"].stringValue)
            clock.advance(10)
            let status = try await s.call(.get, "/Quotes/actions/mass_convert?job_id=\(job)")
            #expect(status.json["data"][0]["status"] == "SCHEDULED")
            clock.advance(40)
            let done = try await s.call(.get, "/Quotes/actions/mass_convert?job_id=\(job)")
            #expect(done.json["data"][0]["status"] == "COMPLETED")
        }
    }

    @Test func singleConvertToInvoiceLeavesNoQuoteLink() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/Quotes/4876876000001000502/actions/convert",
                [
                    "data": [
                        [
                            "convert_to": [
                                ["module": ["api_name": "Invoices", "id": Self.invoicesID], "carry_over_tags": true]
                            ]
                        ]
                    ]
                ]
            )
            #expect(reply.status == 200)
            #expect(reply.json["data"][0]["message"] == "The record has been converted successfully")
            let invoice = try #require(reply.json["data"][0]["details"]["Invoices"]["id"].stringValue)
            #expect(reply.json["data"][0]["details"]["Invoices"]["name"] == "Second")
            let record = try await s.call(.get, "/Invoices/\(invoice)").json["data"][0]
            #expect(record["Sales_Order"].isNull)
            #expect(record["Quote_Name"].isNull)
            #expect(record["Invoiced_Items"].arrayValue?.count == 1)
            #expect(record["Grand_Total"].doubleValue == 50)
        }
    }

    /// Refusals about the record in the URL come top level with `resource_path_index` (NOT_APPROVED,
    /// ID_ALREADY_CONVERTED, per the OAS); the others inside `data[]`.
    @Test(arguments: [
        ("4876876000001000503", "RECORD_LOCKED"), ("4876876000001000504", "NOT_APPROVED"),
        ("4876876000001000506", "ID_ALREADY_CONVERTED"), ("4876876000001000505", "INVALID_DATA"),
    ])
    func singleConvertRefusals(id: String, code: String) async throws {
        let topLevel = ["NOT_APPROVED", "ID_ALREADY_CONVERTED"].contains(code)
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/Quotes/\(id)/actions/convert",
                ["data": [["convert_to": [["module": ["api_name": "Sales_Orders", "id": Self.salesOrdersID]]]]]]
            )
            #expect(reply.status == 400)
            let error = topLevel ? reply.json : reply.json["data"][0]
            #expect(error["code"].stringValue == code, "\(reply.json)")
            if topLevel { #expect(error["details"] == ["resource_path_index": 1]) }
            let violations = try OASValidator.bundled().validate(
                reply.json,
                file: "inventory_convert.json",
                path: "/Quotes/\(id)/actions/convert",
                method: "POST",
                status: 400
            )
            #expect(Self.ignoringCopiedMessages(violations, code: code).isEmpty, "\(violations)")
        }
    }

    /// OASX convertInventory: tags are always carried; `false` is refused with NOT_ALLOWED inside `data[]`.
    @Test func singleConvertRefusesNotCarryingTags() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/Quotes/\(Self.accepted)/actions/convert",
                [
                    "data": [
                        [
                            "convert_to": [
                                [
                                    "module": ["api_name": "Sales_Orders", "id": Self.salesOrdersID],
                                    "carry_over_tags": false,
                                ]
                            ]
                        ]
                    ]
                ]
            )
            #expect(reply.status == 400)
            #expect(
                reply.json["data"][0] == [
                    "code": "NOT_ALLOWED",
                    "details": [
                        "reason": "Carry over tags will be automatically converted", "api_name": "carry_over_tags",
                        "json_path": "$.data[0].convert_to[0].carry_over_tags",
                    ],
                    "message": "carry over tags must be given as true", "status": "error",
                ]
            )
            let state = try await s.raw(.get, "/__emulator/state")
            #expect(state.json["records"]["Sales_Orders"].arrayValue?.count == 1)
            let omitted = try await s.call(
                .post,
                "/Quotes/\(Self.accepted)/actions/convert",
                ["data": [["convert_to": [["module": ["api_name": "Sales_Orders", "id": Self.salesOrdersID]]]]]]
            )
            let child = try #require(omitted.json["data"][0]["details"]["Sales_Orders"]["id"].stringValue)
            let order = try await s.call(.get, "/Sales_Orders/\(child)").json["data"][0]
            #expect(order["Tag"].arrayValue?.map { $0["name"] } == ["priority"])
        }
    }

    @Test func salesOrderToInvoiceLinksBack() async throws {
        try await withSession { s in
            let reply = try await s.call(
                .post,
                "/Sales_Orders/4876876000001000601/actions/convert",
                ["data": [["convert_to": [["module": ["api_name": "Invoices", "id": Self.invoicesID]]]]]]
            )
            let invoice = try #require(reply.json["data"][0]["details"]["Invoices"]["id"].stringValue)
            let record = try await s.call(.get, "/Invoices/\(invoice)").json["data"][0]
            #expect(record["Sales_Order"]["id"] == "4876876000001000601")
        }
    }
}

@Suite struct OrganizeModulesTests {
    static let yaml = testFixtureYAML.replacingOccurrences(
        of: "unique_fields:",
        with: "disabled_modules: [Sales_Orders, Contacts]\nunique_fields:"
    )

    @Test func removedModulesAnswerNoPermission() async throws {
        try await withSession(try emulatorConfiguration(yaml: Self.yaml)) { s in
            let mass = try await s.call(.post, "/Quotes/actions/mass_convert", InventoryConversionTests.body())
            #expect(mass.status == 403)
            #expect(mass.json["code"] == "NO_PERMISSION")
            #expect(mass.json["details"]["permissions"].arrayValue?.isEmpty == false)
            let read = try await s.call(.get, "/Sales_Orders?fields=Subject")
            #expect(read.status == 403)
            let options = try await s.call(.get, "/Leads/4876876000001000401/__conversion_options")
            #expect(options.status == 204)
            let convert = try await s.call(.post, "/Leads/4876876000001000402/actions/convert", ["data": [[:]]])
            #expect(convert.status == 403)
            #expect(convert.json["data"][0]["code"] == "NO_PERMISSION")
            let invoice = try await s.call(
                .post,
                "/Quotes/actions/mass_convert",
                InventoryConversionTests.body(target: "Invoices", moduleID: InventoryConversionTests.invoicesID)
            )
            #expect(invoice.status == 202)
        }
    }
}
