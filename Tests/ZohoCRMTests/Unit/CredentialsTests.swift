import Foundation
import Testing
import ZohoCRM

struct CredentialsTests {
    static let secret = "SECRET-cs-7f3a9b"
    static let refresh = "1000.REFRESH-rt-5c2e81.deadbeef"

    @Test func descriptionsNeverShowSecrets() {
        let credentials = ZohoCredentials(
            clientID: "1000.CLIENT",
            clientSecret: Self.secret,
            refreshToken: Self.refresh
        )
        for text in [
            credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials),
        ] {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.refresh))
            #expect(text.contains("1000.CLIENT"))
        }
    }

    @Test func environmentVariablesAreAllOrNothing() throws {
        #expect(try ZohoCredentials.fromEnvironment([:]) == nil)
        let full = try ZohoCredentials.fromEnvironment([
            "ZOHO_CLIENT_ID": "id", "ZOHO_CLIENT_SECRET": Self.secret, "ZOHO_REFRESH_TOKEN": Self.refresh,
        ])
        #expect(full?.refreshToken == Self.refresh)
        let error = #expect(throws: ZohoError.self) {
            try ZohoCredentials.fromEnvironment(["ZOHO_CLIENT_ID": "id", "ZOHO_CLIENT_SECRET": Self.secret])
        }
        #expect(error?.code == .credentials)
        #expect(error?.description.contains("ZOHO_REFRESH_TOKEN") == true)
        #expect(error?.description.contains(Self.secret) == false)
    }

    @Test func writtenFileIsPrivateAndRoundTrips() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("nested/credentials.json")
            let credentials = ZohoCredentials(
                clientID: "1000.X",
                clientSecret: Self.secret,
                refreshToken: Self.refresh,
                dataCenter: .eu
            )
            try credentials.write(to: file)
            let mode = try #require(
                (try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)?.intValue
            )
            #expect(mode & 0o777 == 0o600)
            #expect(try ZohoCredentials.load(file: file) == credentials)
            // Rewriting a private file is fine.
            try credentials.write(to: file)
            #expect(try ZohoCredentials.resolve(environment: [:], file: file).dataCenter == .eu)
        }
    }

    @Test(arguments: [0o640, 0o604, 0o644, 0o660, 0o666])
    func groupOrWorldReadableFilesAreRefused(mode: Int) async throws {
        try await withTemporaryDirectory { dir in
            let file = dir.appendingPathComponent("credentials.json")
            try Data(#"{"client_id":"a","client_secret":"\#(Self.secret)","refresh_token":"r"}"#.utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
            let error = #expect(throws: ZohoError.self) { try ZohoCredentials.load(file: file) }
            #expect(error?.code == .credentials)
            #expect(error?.description.contains("chmod 600") == true)
            #expect(error?.description.contains(Self.secret) == false)
            // Nor is it overwritten: it may have leaked already.
            #expect(throws: ZohoError.self) {
                try ZohoCredentials(clientID: "a", clientSecret: "b", refreshToken: "c").write(to: file)
            }
        }
    }

    @Test func environmentWinsOverTheFileAndMissingEverythingExplainsWhatToDo() async throws {
        try await withTemporaryDirectory { dir in
            let env = [
                "ZOHO_CLIENT_ID": "env", "ZOHO_CLIENT_SECRET": "s", "ZOHO_REFRESH_TOKEN": "r", "HOME": dir.path,
            ]
            let resolved = try ZohoCredentials.resolve(environment: env)
            #expect(resolved.clientID == "env")
            let error = #expect(throws: ZohoError.self) {
                _ = try ZohoCredentials.resolve(environment: ["HOME": dir.path])
            }
            #expect(error?.description.contains("zrules auth login") == true)
            #expect(
                ZohoCredentials.defaultFile(environment: ["HOME": "/home/a"]).path
                    == "/home/a/.config/zrules/credentials.json"
            )
            #expect(
                ZohoCredentials.defaultFile(environment: ["ZOHO_CREDENTIALS_FILE": "/x/c.json"]).path == "/x/c.json"
            )
        }
    }
}
