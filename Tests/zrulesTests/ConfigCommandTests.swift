import Foundation
import Testing
import ZohoCRM

@testable import zrules

/// `zrules config`, in-process: what plan and run would use, and where each value came from.
struct ConfigCommandTests {
    /// An environment whose default credentials file is what `zrules auth login --dc eu` writes.
    private func loggedInEU() throws -> (env: [String: String], folder: URL) {
        let home = try temporaryFolder()
        let file = home.appendingPathComponent(".config/zrules/credentials.json")
        try ZohoCredentials(clientID: "1000.ID", clientSecret: "s3cret", refreshToken: "1000.rt", dataCenter: .eu)
            .write(to: file)
        return (["HOME": home.path], home)
    }

    @Test func afterAnEULoginWithoutZrulesYamlItShowsTheEUHosts() throws {
        let (env, home) = try loggedInEU()
        let command = try ZRules.Config.parse(["--config", home.appendingPathComponent("none.yaml").path])
        // No zrules.yaml at the given path is an error; without --config, none is needed.
        #expect(throws: (any Error).self) { try command.render(environment: env) }
        let text = try ZRules.Config.parse([]).render(environment: env)
        #expect(text.contains("accounts host:    accounts.zoho.eu"), "\(text)")
        #expect(text.contains("API host:         www.zohoapis.eu"), "\(text)")
        #expect(text.contains("data centre:      eu  (from credentials file \(home.path)"), "\(text)")
        #expect(!text.contains("s3cret") && !text.contains("1000.rt"))
    }

    @Test func jsonNamesEverySource() throws {
        let (env, home) = try loggedInEU()
        let config = home.appendingPathComponent("zrules.yaml")
        try "edition: professional\nstate_dir: /var/lib/zrules\n".write(to: config, atomically: true, encoding: .utf8)
        var withDC = env
        withDC["ZOHO_DC"] = "in"
        let output = try ZRules.Config.parse(["--config", config.path, "--format", "json"]).render(environment: withDC)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [String: String]]
        )
        #expect(json["data_center"] == ["value": "in", "source": "ZOHO_DC"])
        #expect(json["edition"] == ["value": "professional", "source": "\(config.path):1:10"])
        #expect(json["state_dir"]?["source"] == "\(config.path):2:12")
        #expect(json["concurrency"]?["value"] == "15 calls at once, 10 to complex APIs")
        #expect(json["accounts_host"]?["value"] == "accounts.zoho.in")
        #expect(json["api_version"] == ["value": "v7", "source": "default"])
        #expect(!output.contains("s3cret"))
    }

    @Test func theEmulatorAndALoopbackURLGetTheirOwnStateDirectory() throws {
        let home = try temporaryFolder()
        let emulator = try ZRules.Config.parse(["--emulator", "examples/org.yaml"]).render(environment: [
            "HOME": home.path
        ])
        #expect(emulator.contains("state directory:  .zrules/emulator"), "\(emulator)")
        #expect(emulator.contains("placeholder credentials"))
        let loopback = try ZRules.Config.parse([]).render(environment: [
            "HOME": home.path, "ZRULES_API_URL": "http://127.0.0.1:9123",
        ])
        #expect(loopback.contains(".zrules/endpoint-127.0.0.1-9123"), "\(loopback)")
        #expect(loopback.contains("(from ZRULES_API_URL)"))
    }
}
