import Foundation
import Testing

@testable import ZohoCRM

/// Answers the emulator does not give (yet) but Zoho documents: decoded from the documented bodies.
struct ConversionDecodingTests {
    static func withClient<T>(_ body: (ZohoClient) throws -> T) throws -> T {
        let client = try ZohoClient(
            configuration: ZohoConfiguration(apiURL: URL(string: "http://127.0.0.1:1")),
            credentials: ZohoCredentials(clientID: "1000.X", clientSecret: "s", refreshToken: "r"),
            logger: .init(label: "t")
        )
        defer { Task { try await client.shutdown() } }
        return try body(client)
    }

    static func reply(_ status: Int, _ body: String?) throws -> ZohoClient.Reply {
        ZohoClient.Reply(status: status, body: try body.map { try ZohoJSON(data: Data($0.utf8)) }, raw: Data())
    }

    static let convertOp = "POST /crm/{v}/Leads/{id}/actions/convert"

    @Test func convertLeadScheduledIsNeitherDoneNorRefused() throws {
        let body = #"""
            {"data":[{"code":"SCHEDULED","details":{"job_id":4876876000007600001},
            "message":"Convert lead scheduled successfully","status":"success"}]}
            """#
        let result = try Self.withClient {
            try $0.conversionResult(try Self.reply(202, body), Self.convertOp, id: "1234567000000300001")
        }
        #expect(result.outcome == .scheduled(jobID: "4876876000007600001"))
        #expect(result.isScheduled)
        #expect(result.scheduledJobID == "4876876000007600001")
        #expect(!result.isSuccess)
        #expect(result.created.isEmpty)
        #expect(result.result.id == "1234567000000300001")
    }

    @Test func convertLeadDoneNamesTheNewRecords() throws {
        let body = #"""
            {"data":[{"code":"SUCCESS","status":"success","message":"done",
            "details":{"Contacts":{"id":"11","name":"C"},"Accounts":{"id":12,"name":"A"},"Deals":null}}]}
            """#
        let result = try Self.withClient { try $0.conversionResult(try Self.reply(200, body), Self.convertOp, id: "9") }
        #expect(result.outcome == .converted)
        #expect(result.isSuccess && !result.isScheduled)
        #expect(result.contactID == "11")
        #expect(result.accountID == "12")
        #expect(result.dealID == nil)
    }

    @Test func duplicateDataInsideDataNamesTheExistingRecord() throws {
        let body = #"""
            {"data":[{"code":"DUPLICATE_DATA","status":"error","message":"duplicate data",
            "details":{"api_name":"Email","json_path":"$.data[0].Email","id":"5843104000000999999",
            "duplicate_record":{"id":5843104000000999999,"Owner":{"name":"O","id":"5843104000000000001","zuid":"1"},
            "module":{"api_name":"Contacts","id":"5843104000000000077"}},"more_records":false}}]}
            """#
        let result = try Self.withClient {
            try $0.conversionResult(try Self.reply(400, body), Self.convertOp, id: "1234567000000300001")
        }
        #expect(result.outcome == .refused)
        #expect(result.result.code == "DUPLICATE_DATA")
        // The result is about the lead sent, not the duplicate named in details.id.
        #expect(result.result.id == "1234567000000300001")
        let duplicate = try #require(result.result.duplicateRecord)
        #expect(
            duplicate
                == DuplicateRecord(
                    id: "5843104000000999999",
                    moduleAPIName: "Contacts",
                    ownerID: "5843104000000000001",
                    fieldAPIName: "Email"
                )
        )
    }

    @Test(arguments: [
        (
            #"{"data":[{"Status":"in progress","Total_Count":50,"Converted_Count":25,"Not_Converted_Count":20,"Failed_Count":5}]}"#,
            MassConvertJobState.inProgress, 25, 20, 5
        ),
        (
            #"{"data":[{"Status":"scheduled","Total_Count":50,"Converted_Count":0,"Not_Converted_Count":50,"Failed_Count":0}]}"#,
            .scheduled, 0, 50, 0
        ),
        (
            #"{"data":[{"Status":"failed","Total_Count":50,"Converted_Count":0,"Not_Converted_Count":0,"Failed_Count":50}]}"#,
            .failed, 0, 0, 50
        ),
        (
            #"{"data":[{"Status":"COMPLETED","Total_Count":50,"Converted_Count":50,"Not_Converted_Count":0,"Failed_Count":0}]}"#,
            .completed, 50, 0, 0
        ),
    ])
    func leadJobStatusHasCapitalisedKeysAndAnyCaseValues(
        body: String,
        state: MassConvertJobState,
        converted: Int,
        notConverted: Int,
        failed: Int
    ) throws {
        let status = try Self.withClient {
            try $0.status(try Self.reply(200, body), "GET /crm/{v}/Leads/actions/mass_convert", capitalised: true)
        }
        #expect(
            status
                == MassConvertStatus(
                    state: state,
                    totalCount: 50,
                    convertedCount: converted,
                    notConvertedCount: notConverted,
                    failedCount: failed
                )
        )
        #expect(status.state.isFinished == (state == .completed || state == .failed))
    }

    @Test func inventoryJobStatusHasLowerCaseKeys() throws {
        let body =
            #"{"data":[{"total_count":10,"not_converted_count":0,"failed_count":1,"converted_count":9,"status":"COMPLETED"}]}"#
        let status = try Self.withClient {
            try $0.status(try Self.reply(200, body), "GET /crm/{v}/Quotes/actions/mass_convert", capitalised: false)
        }
        #expect(
            status
                == MassConvertStatus(
                    state: .completed,
                    totalCount: 10,
                    convertedCount: 9,
                    notConvertedCount: 0,
                    failedCount: 1
                )
        )
    }

    @Test func massConvertLeadsAcceptsTwoHundredTwoAtTopLevelAndTwoHundred() throws {
        let body =
            #"{"code":"SCHEDULED","message":"Mass Convert scheduled successfully","status":"success","details":{"job_id":"4876876000007600002"}}"#
        for status in [202, 200] {
            let job = try Self.withClient {
                try $0.jobID(try Self.reply(status, body), "POST /crm/{v}/Leads/actions/mass_convert")
            }
            #expect(job == "4876876000007600002")
        }
    }

    @Test func noContentIsAnEmptyPageForCOQLGetRecordsAndSearch() throws {
        for op in ["POST /crm/{v}/coql", "GET /crm/{v}/{module}", "GET /crm/{v}/{module}/search"] {
            let page = try Self.withClient { try $0.recordPage(try Self.reply(204, nil), op) }
            #expect(page == .empty)
        }
    }
}
