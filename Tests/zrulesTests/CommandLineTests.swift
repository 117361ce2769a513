import ArgumentParser
import Foundation
import Testing

@testable import zrules

/// In-process parse tests and `--help` snapshots, in the style of swift-argument-parser's own tests
/// (`AssertParseCommand`, `AssertHelp`): `parseAsRoot` and `helpMessage(for:columns:)` at 80 columns.
struct CommandLineTests {
    /// Every command whose help is kept as a golden file in `Tests/zrulesTests/Help`, by file name.
    static var commands: [(name: String, type: any ParsableCommand.Type)] {
        [
            ("zrules", ZRules.self),
            ("lint", ZRules.Lint.self),
            ("schema", ZRules.Schema.self),
            ("explain", ZRules.Explain.self),
            ("plan", ZRules.Plan.self),
            ("apply", ZRules.Apply.self),
            ("run", ZRules.Run.self),
            ("config", ZRules.Config.self),
            ("audit", ZRules.Audit.self),
            ("daemon", ZRules.Daemon.self),
            ("emulator", ZRules.Emulator.self),
            ("metadata-pull", ZRules.Metadata.Pull.self),
            ("auth-login", ZRules.Auth.Login.self),
            ("auth-status", ZRules.Auth.Status.self),
            ("scopes", ZRules.Scopes.self),
        ]
    }

    static let helpFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Help")

    @Test(arguments: commands.map(\.name))
    func helpMatchesItsGoldenFile(_ name: String) throws {
        let type = try #require(Self.commands.first { $0.name == name }?.type)
        let help = ZRules.helpMessage(for: type, columns: 80) + "\n"
        let golden = Self.helpFolder.appendingPathComponent("\(name).txt")
        // ZRULES_RECORD_HELP=1 rewrites the golden files after a deliberate change to a command's help.
        if ProcessInfo.processInfo.environment["ZRULES_RECORD_HELP"] == "1" {
            try help.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(help == expected, "zrules \(name) --help changed; rerun with ZRULES_RECORD_HELP=1 if intended")
    }

    @Test func planParsesItsFlags() throws {
        let command = try ZRules.parseAsRoot([
            "plan", "rules/", "--rule", "a", "--rule", "b", "--config", "z.yaml", "--state", "s", "--format", "json",
        ])
        let plan = try #require(command as? ZRules.Plan)
        #expect(plan.project.paths == ["rules/"])
        #expect(plan.project.rules == ["a", "b"])
        #expect(plan.project.config == "z.yaml")
        #expect(plan.format == .json)
        let options = plan.project.projectOptions()
        #expect(options.stateDirectory == "s")
        #expect(!options.resetsState)
    }

    @Test func theEmulatorFlagGivesItsOwnEmptiedStateDirectory() throws {
        let run = try #require(try ZRules.parseAsRoot(["run", "--emulator", "examples/org.yaml"]) as? ZRules.Run)
        let options = run.project.projectOptions()
        #expect(options.stateDirectory == ".zrules/emulator")
        #expect(options.resetsState)
    }

    @Test(arguments: [
        ["plan", "--format", "xml"], ["run", "--format", "yaml"], ["audit", "--format", "xml"],
        ["config", "--format", "csv"], ["plan", "--no-such-flag"],
    ])
    func aBadFlagValueIsCouldNotRunOrPlansError(_ arguments: [String]) {
        do {
            _ = try ZRules.parseAsRoot(arguments)
            Issue.record("\(arguments) should not parse")
        } catch {
            // plan follows Terraform (1 error, 2 changes pending); every other command says 2, could not run.
            let expected: Int32 = arguments.first == "plan" ? 1 : 2
            #expect(ExitStatus.code(for: error, command: ZRules.self, arguments: arguments) == expected)
            #expect(ZRules.exitCode(for: error).rawValue == 64, "argument-parser's own code, mapped to 2")
        }
    }

    @Test func authLoginTakesTheDataCentreFromTheEnvironmentOrTheFileWhenDcIsOmitted() throws {
        let command = try ZRules.parseAsRoot([
            "auth", "login", "--code", "1000.x", "--client-id", "1000.ID", "--client-secret-stdin",
        ])
        let login = try #require(command as? ZRules.Auth.Login)
        #expect(login.connection.dataCenter == nil)
        let home = try temporaryFolder()
        let resolved = try login.connection.resolve(
            ["HOME": home.path, "ZOHO_DC": "au"],
            readsCredentialVariables: false
        )
        #expect(resolved.configuration.tokenURL.host == "accounts.zoho.com.au")
        let bare = try login.connection.resolve(["HOME": home.path], readsCredentialVariables: false)
        #expect(bare.configuration.dataCenter == .us)
    }
}
