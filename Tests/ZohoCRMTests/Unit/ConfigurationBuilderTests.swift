import Foundation
import Testing
import ZohoCRM

struct ConfigurationBuilderTests {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zrules-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A credentials file as `zrules auth login --dc eu` writes it, and an environment that points at it.
    private func loggedInEU() throws -> [String: String] {
        let home = try folder()
        let file = home.appendingPathComponent(".config/zrules/credentials.json")
        try ZohoCredentials(clientID: "1000.ID", clientSecret: "s3cret", refreshToken: "1000.rt", dataCenter: .eu)
            .write(to: file)
        return ["HOME": home.path]
    }

    @Test func theDataCentreRecordedAtLoginIsUsedWithoutZrulesYaml() throws {
        let resolved = try ConfigurationBuilder(environment: try loggedInEU()).resolve()
        #expect(resolved.configuration.dataCenter == .eu)
        #expect(resolved.configuration.tokenURL.host == "accounts.zoho.eu")
        #expect(resolved.configuration.defaultAPIDomain.host == "www.zohoapis.eu")
        guard case .credentialsFile(let path) = resolved.sources[.dataCenter] else {
            Issue.record(
                "the data centre should come from the credentials file: \(String(describing: resolved.sources))"
            )
            return
        }
        #expect(path.hasSuffix("credentials.json"))
    }

    @Test func flagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsTheCredentialsFile() throws {
        var env = try loggedInEU()
        var file = ConfigurationLayer()
        file.dataCenter = ConfigurationSetting("in", from: .projectFile(path: "zrules.yaml", line: 1, column: 14))
        file.edition = ConfigurationSetting("free", from: .projectFile(path: "zrules.yaml", line: 2, column: 10))
        #expect(try ConfigurationBuilder(environment: env, projectFile: file).resolve().configuration.dataCenter == .in)
        env["ZOHO_DC"] = "au"
        let fromEnv = try ConfigurationBuilder(environment: env, projectFile: file).resolve()
        #expect(fromEnv.configuration.dataCenter == .au)
        #expect(fromEnv.sources[.dataCenter] == .environment("ZOHO_DC"))
        #expect(fromEnv.configuration.edition == .free)
        var flags = ConfigurationLayer()
        flags.dataCenter = ConfigurationSetting("jp", from: .flag("--dc"))
        let fromFlag = try ConfigurationBuilder(flags: flags, environment: env, projectFile: file).resolve()
        #expect(fromFlag.configuration.dataCenter == .jp)
        #expect(fromFlag.sources[.dataCenter] == .flag("--dc"))
    }

    @Test func defaultsAreUSProductionV7Enterprise() throws {
        let resolved = try ConfigurationBuilder(environment: ["HOME": try folder().path]).resolve()
        #expect(resolved.configuration.dataCenter == .us)
        #expect(resolved.configuration.edition == .enterprise)
        #expect(resolved.stateDirectory == ".zrules")
        #expect(resolved.sources[.edition] == .default)
        #expect(resolved.credentials == nil)
        #expect(resolved.credentialProblem?.message.contains("zrules auth login") == true)
    }

    @Test func aBadValueNamesItsPositionTheChoicesAndTheClosestOne() throws {
        var file = ConfigurationLayer()
        file.edition = ConfigurationSetting("enterprize", from: .projectFile(path: "zrules.yaml", line: 3, column: 10))
        #expect {
            try ConfigurationBuilder(environment: [:], projectFile: file).resolve()
        } throws: { error in
            let message = (error as? ZohoError)?.message ?? ""
            return message.contains("zrules.yaml:3:10") && message.contains("did you mean 'enterprise'")
                && message.contains("free, standard")
        }
        #expect {
            try ConfigurationBuilder(environment: ["ZOHO_DC": "europe"]).resolve()
        } throws: { error in
            ((error as? ZohoError)?.message ?? "").hasPrefix("ZOHO_DC must be one of us, eu")
        }
    }

    @Test func variablesWinOverAMissingFileNamedInZrulesYaml() throws {
        var file = ConfigurationLayer()
        file.credentialsFile = ConfigurationSetting(
            "/missing.json",
            from: .projectFile(path: "zrules.yaml", line: 2, column: 21)
        )
        let env = ["ZOHO_CLIENT_ID": "1000.ID", "ZOHO_CLIENT_SECRET": "x", "ZOHO_REFRESH_TOKEN": "y"]
        let resolved = try ConfigurationBuilder(environment: env, projectFile: file).resolve()
        #expect(resolved.credentials?.clientID == "1000.ID")
        let without = try ConfigurationBuilder(environment: [:], projectFile: file).resolve()
        let message = without.credentialProblem?.message ?? ""
        #expect(message.contains("/missing.json (named by the value at zrules.yaml:2:21) does not exist"))
        #expect(!message.hasPrefix("no credentials"))
    }

    @Test func aLoopbackEndpointKeepsItsStateApartFromTheOrgs() throws {
        let env = ["ZRULES_API_URL": "http://127.0.0.1:8080", "HOME": try folder().path]
        let resolved = try ConfigurationBuilder(environment: env).resolve()
        #expect(resolved.stateDirectory == ".zrules/endpoint-127.0.0.1-8080")
        #expect(resolved.credentials == .emulatorPlaceholder)
        var flags = ConfigurationLayer()
        flags.stateDirectory = ConfigurationSetting("/tmp/explicit", from: .flag("--state"))
        #expect(try ConfigurationBuilder(flags: flags, environment: env).resolve().stateDirectory == "/tmp/explicit")
    }
}
