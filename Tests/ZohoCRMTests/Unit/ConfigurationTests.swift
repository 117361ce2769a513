import Foundation
import Testing
import ZohoCRM

struct ConfigurationTests {
    @Test(arguments: [
        (ZohoConfiguration.DataCenter.us, "https://accounts.zoho.com/oauth/v2/token"),
        (.eu, "https://accounts.zoho.eu/oauth/v2/token"),
        (.in, "https://accounts.zoho.in/oauth/v2/token"),
        (.au, "https://accounts.zoho.com.au/oauth/v2/token"),
        (.jp, "https://accounts.zoho.jp/oauth/v2/token"),
        (.ca, "https://accounts.zohocloud.ca/oauth/v2/token"),
        (.sa, "https://accounts.zoho.sa/oauth/v2/token"),
        (.cn, "https://accounts.zoho.com.cn/oauth/v2/token"),
    ])
    func tokenEndpointPerDataCenter(dc: ZohoConfiguration.DataCenter, expected: String) {
        #expect(ZohoConfiguration(dataCenter: dc).tokenURL.absoluteString == expected)
    }

    @Test func environmentPicksTheAPIHost() {
        #expect(ZohoConfiguration(dataCenter: .eu).defaultAPIDomain.absoluteString == "https://www.zohoapis.eu")
        #expect(
            ZohoConfiguration(dataCenter: .au, environment: .sandbox).defaultAPIDomain.absoluteString
                == "https://sandbox.zohoapis.com.au"
        )
        #expect(
            ZohoConfiguration(dataCenter: .us, environment: .developer).defaultAPIDomain.absoluteString
                == "https://developer.zohoapis.com"
        )
    }

    @Test(arguments: [
        "http://127.0.0.1:8080", "http://127.5.6.7", "http://localhost:9000/", "http://[::1]:4000", "https://LOCALHOST",
    ])
    func loopbackAPIURLsAreAccepted(url: String) throws {
        let configuration = ZohoConfiguration(apiURL: URL(string: url))
        try configuration.validate()
        #expect(configuration.tokenURL.host == URL(string: url)?.host)
        #expect(configuration.tokenURL.path.hasSuffix("/oauth/v2/token"))
    }

    @Test(arguments: [
        "https://www.zohoapis.com.evil.example", "http://10.0.0.1", "http://128.0.0.1", "http://127.0.0.1.nip.io",
        "ftp://127.0.0.1", "http://user:pw@127.0.0.1", "http://1270.0.0.1", "https://www.zohoapis.com",
    ])
    func otherAPIURLsAreRefused(url: String) {
        let error = #expect(throws: ZohoError.self) { try ZohoConfiguration(apiURL: URL(string: url)).validate() }
        #expect(error?.code == .configuration)
    }

    @Test func editionSetsConcurrency() {
        let expected: [ZohoConfiguration.Edition: Int] = [
            .free: 5, .standard: 10, .professional: 15, .enterprise: 20, .ultimate: 25,
        ]
        for (edition, limit) in expected {
            let c = ZohoConfiguration(edition: edition)
            #expect(c.concurrencyLimit == limit)
            #expect(c.complexConcurrencyLimit == min(10, limit))
        }
        #expect(ZohoConfiguration(edition: .ultimate, maxConcurrency: 3).concurrencyLimit == 3)
        #expect(ZohoConfiguration(edition: .free, maxConcurrency: 50).concurrencyLimit == 5)
    }

    @Test func environmentVariablesOverrideDefaults() throws {
        let c = try ZohoConfiguration().applying(environment: [
            "ZOHO_DC": "CA", "ZOHO_ENVIRONMENT": "sandbox", "ZOHO_API_VERSION": "v8", "ZOHO_EDITION": "enterprise",
            "ZRULES_API_URL": "",
        ])
        #expect(c.dataCenter == .ca)
        #expect(c.environment == .sandbox)
        #expect(c.apiVersion == .v8)
        #expect(c.edition == .enterprise)
        #expect(c.apiURL == nil)
        #expect(c.tokenURL.absoluteString == "https://accounts.zohocloud.ca/oauth/v2/token")
    }

    @Test func badEnvironmentValuesNameTheAcceptedOnes() {
        let error = #expect(throws: ZohoError.self) { try ZohoConfiguration().applying(environment: ["ZOHO_DC": "uk"]) }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("us, eu, in, au, jp, ca, sa, cn") == true)
        #expect(throws: ZohoError.self) {
            try ZohoConfiguration().applying(environment: ["ZRULES_API_URL": "https://crm.example.com"])
        }
    }

    @Test func loopbackDetection() {
        #expect(ZohoConfiguration.isLoopback(host: "127.0.0.1"))
        #expect(ZohoConfiguration.isLoopback(host: "::1"))
        #expect(!ZohoConfiguration.isLoopback(host: "127.0.0"))
        #expect(!ZohoConfiguration.isLoopback(host: "127.0.0.256"))
        #expect(!ZohoConfiguration.isLoopback(host: "localhost.example.com"))
    }
}

/// The loopback emulator needs no credentials; a real org always does.
struct EmulatorCredentialTests {
    @Test func placeholdersOnlyOnLoopbackWithNothingConfigured() throws {
        let env = ["HOME": FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path]
        #expect(try ZohoCredentials.resolve(environment: env, loopback: true) == .emulatorPlaceholder)
        #expect(throws: ZohoError.self) { try ZohoCredentials.resolve(environment: env, loopback: false) }
        var withVariables = env
        withVariables["ZOHO_CLIENT_ID"] = "1000.X"
        withVariables["ZOHO_CLIENT_SECRET"] = "s"
        withVariables["ZOHO_REFRESH_TOKEN"] = "r"
        #expect(try ZohoCredentials.resolve(environment: withVariables, loopback: true).clientID == "1000.X")
    }
}
