import AsyncHTTPClient
import Foundation
import Logging
import Testing

@testable import ZohoCRM

struct TransportTests {
    @Test func urlsCarryVersionAndPercentEncodedQuery() throws {
        let base = try #require(URL(string: "https://www.zohoapis.eu/"))
        let url = ZohoClient.url(
            base: base,
            version: .v8,
            path: "/Leads/search",
            query: [("criteria", #"(Company:equals:A\,B & C+D 100%)"#), ("per_page", "200")]
        )
        #expect(
            url
                == "https://www.zohoapis.eu/crm/v8/Leads/search?criteria=%28Company%3Aequals%3AA%5C%2CB%20%26%20C%2BD%20100%25%29&per_page=200"
        )
    }

    /// Nothing listens on a port just released, so the connection is refused before anything is sent.
    @Test func refusedConnectionsAreRecognisedAsNotSent() async throws {
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let endpoint = try ZohoTokenEndpoint(
            configuration: ZohoConfiguration(
                apiURL: URL(string: "http://127.0.0.1:9"),
                timeouts: .init(connect: .seconds(2), request: .seconds(2), token: .seconds(2))
            ),
            httpClient: http,
            logger: Logger(label: "test")
        )
        let error = await #expect(throws: ZohoError.self) {
            _ = try await endpoint.refresh(ZohoCredentials(clientID: "a", clientSecret: "b", refreshToken: "c"))
        }
        #expect(error?.code == .transport)
        let underlying = try #require(error?.underlying)
        #expect(ZohoClient.failedBeforeSending(underlying), "\(type(of: underlying))")
        #expect(!ZohoClient.isTimeout(underlying))
        try await http.shutdown()
    }

    @Test func timeoutsAreRecognised() {
        #expect(ZohoClient.isTimeout(HTTPClientError.deadlineExceeded))
        #expect(ZohoClient.isTimeout(HTTPClientError.readTimeout))
        #expect(!ZohoClient.failedBeforeSending(HTTPClientError.deadlineExceeded))
        #expect(!ZohoClient.failedBeforeSending(HTTPClientError.remoteConnectionClosed))
        #expect(ZohoClient.failedBeforeSending(HTTPClientError.connectTimeout))
        // A wait for a pooled connection never sent anything: a write that waited is not an unknown outcome.
        #expect(ZohoClient.delivery(of: HTTPClientError.getConnectionFromPoolTimeout) == .notSent)
        #expect(ZohoClient.delivery(of: HTTPClientError.readTimeout) == .unknown)
        #expect(ZohoClient.connectionsPerHost(ZohoConfiguration(edition: .enterprise)) > 20)
        #expect(ZohoClient.connectionsPerHost(ZohoConfiguration(edition: .free)) == 8)
    }
}
