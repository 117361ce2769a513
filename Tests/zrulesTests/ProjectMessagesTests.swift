import Engine
import Foundation
import Testing
import ZohoCRM

/// What `plan`, `run` and `daemon` tell a person before anything is sent, in-process.
struct ProjectMessagesTests {
    @Test func lintErrorsArePrintedAndTheHintNamesThePathGiven() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("bad.yaml")
        try
            "version: 1\nrules:\n  - name: Bad Name\n    when: { module: Quotes }\n    do: [{ convert: { to: Leads } }]\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let project = try Project.load(
            ProjectOptions(paths: [file.path], stateDirectory: folder.path, environment: ["HOME": folder.path])
        )
        #expect {
            try project.checkLint()
        } throws: { error in
            let text = String(describing: error)
            return text.contains("\(file.path):3:") && text.contains("`zrules lint \(file.path)`")
                && !text.contains("run `zrules lint` to see them")
        }
    }

    @Test func theStateDirectoryIsTheOwnersOnly() throws {
        let folder = try temporaryFolder()
        let rules = folder.appendingPathComponent("ok.yaml")
        try "version: 1\nrules: []\n".write(to: rules, atomically: true, encoding: .utf8)
        let state = folder.appendingPathComponent("state")
        let project = try Project.load(
            ProjectOptions(paths: [rules.path], stateDirectory: state.path, environment: ["HOME": folder.path])
        )
        try project.resetState()
        let mode = try FileManager.default.attributesOfItem(atPath: state.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o700)
    }

    @Test func aLoopbackURLFromTheEnvironmentDoesNotShareTheOrgsState() throws {
        let folder = try temporaryFolder()
        let rules = folder.appendingPathComponent("ok.yaml")
        try "version: 1\nrules: []\n".write(to: rules, atomically: true, encoding: .utf8)
        let project = try Project.load(
            ProjectOptions(
                paths: [rules.path],
                environment: ["HOME": folder.path, "ZRULES_API_URL": "http://127.0.0.1:4567"]
            )
        )
        #expect(project.stateDirectoryPath == ".zrules/endpoint-127.0.0.1-4567")
        #expect(project.zohoConfiguration().tokenCacheFile?.path.contains("endpoint-127.0.0.1-4567") == true)
    }

    @Test func configurationErrorsAreSentencesWithoutSwiftTypeNames() throws {
        let folder = try temporaryFolder()
        let config = folder.appendingPathComponent("zrules.yaml")
        try "data_center: europe\n".write(to: config, atomically: true, encoding: .utf8)
        #expect {
            try Project.load(ProjectOptions(configPath: config.path, environment: ["HOME": folder.path]))
        } throws: { error in
            let text = String(describing: error)
            return text.contains("\(config.path):1:14 must be one of us, eu") && !text.contains("ZohoError(")
        }
    }
}
