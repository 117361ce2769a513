import Testing

@testable import ZohoCRM

struct ZohoErrorTests {
    @Test func detailsKeepStructureAndRedactValues() {
        let details: [String: ZohoJSON] = [
            "api_name": "Email", "json_path": "$.data[0].Email",
            "duplicate_record": ["id": "4150868000001", "Owner": ["name": "Patricia Boyle", "id": "1"]],
            "limit_due_to": [["api_name": "ids", "json_path": "$.ids"]],
            "near": "'secret value'",
        ]
        let redacted = ZohoError.redact(details)
        #expect(redacted["api_name"] == "Email")
        #expect(redacted["json_path"] == "$.data[0].Email")
        #expect(redacted["duplicate_record"] == "<redacted>")
        #expect(redacted["near"] == "<redacted>")
        #expect(redacted["limit_due_to"] == "[{api_name: ids, json_path: $.ids}]")
        let error = ZohoError(
            code: .api,
            operation: "POST /crm/v7/Leads/{id}/actions/convert",
            message: "Zoho refused the call",
            httpStatus: 400,
            zohoCode: "DUPLICATE_DATA",
            zohoMessage: "duplicate data: Patricia Boyle",
            details: redacted,
            attempts: 1
        )
        #expect(!error.description.contains("Patricia"))
        #expect(!error.description.contains("secret value"))
        #expect(error.description.contains("DUPLICATE_DATA"))
        #expect(error.description.contains("HTTP 400"))
        #expect(error.description.contains("POST /crm/v7/Leads/{id}/actions/convert"))
    }

    @Test func codesCompareAndPrint() {
        #expect(ZohoError.Code.unknownOutcome != .timeout)
        #expect(ZohoError.Code.rateLimited.description == "rateLimited")
        let e = ZohoError(code: .unknownOutcome, operation: "op", message: "m", attempts: 1)
        #expect(e.isOutcomeUnknown)
        #expect(e.description.hasSuffix("after 1 attempt"))
    }
}
