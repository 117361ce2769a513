import Foundation
import RuleKit
import Testing

/// Hostile or broken input gets a positioned finding (or a clear error) in bounded time, never a crash or hang.
@Suite struct BadInputTests {
    func lint(_ data: Data, file: String = "bad.yaml") -> LintResult {
        Linter.lint([(file, data)])
    }

    func codes(_ result: LintResult) -> [String] { result.diagnostics.map(\.code) }

    func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        return (value, clock.now - start)
    }

    @Test func malformedYAMLIsReportedWhereLibyamlFindsIt() throws {
        let result = Linter.lint(text: "version: 1\nrules:\n  - name: a\n\twhen: x\n")
        let finding = try #require(result.diagnostics.first)
        #expect(finding.code == "ZR001")
        #expect(finding.location.line == 4)
        #expect(result.exitCode(strict: false) == 1)
    }

    @Test func anAliasBombIsRefusedBeforeExpansion() {
        var yaml = "version: 1\na0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for level in 1...30 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",")
            yaml += "a\(level): &a\(level) [\(refs)]\n"
        }
        yaml += "rules: *a30\n"
        let (result, elapsed) = timed { Linter.lint(text: yaml) }
        #expect(codes(result).contains("ZR004"))
        #expect(result.diagnostics.first?.location.line == 2)
        #expect(elapsed < .seconds(2))
    }

    @Test(arguments: ["flow", "dashes", "mappings"])
    func nestingTenThousandDeepIsRefused(_ style: String) {
        let depth = 10_000
        let yaml: String
        switch style {
        case "flow":
            yaml = "version: 1\nrules: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        case "dashes": yaml = "version: 1\nrules:\n" + String(repeating: "- ", count: depth) + "x\n"
        default:
            yaml =
                "version: 1\nrules: " + String(repeating: "{a: ", count: depth) + "1"
                + String(repeating: "}", count: depth)
        }
        let (result, elapsed) = timed { Linter.lint(text: yaml) }
        #expect(codes(result) == ["ZR005"])
        #expect(elapsed < .seconds(2))
    }

    @Test func aTwentyMegabyteFileIsRefusedWithoutReadingItAll() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("huge.yaml")
        let line = Data("# padding padding padding padding padding padding padding padding padding\n".utf8)
        var data = Data(capacity: 20 * 1024 * 1024 + line.count)
        while data.count < 20 * 1024 * 1024 { data.append(line) }
        try data.write(to: URL(fileURLWithPath: path))
        let (result, elapsed) = try timed { try Linter(LintOptions(paths: [path])).run() }
        #expect(codes(result) == ["ZR002"])
        #expect(result.diagnostics.first?.location == FileLocation(file: path, line: 1, column: 1))
        #expect(elapsed < .seconds(2))
    }

    @Test func aBinaryFileIsRefused() {
        var bytes: [UInt8] = Array("version: 1\n".utf8)
        bytes += [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0xFF, 0xFE]
        let result = lint(Data(bytes))
        #expect(codes(result) == ["ZR003"])
        #expect(result.diagnostics.first?.location.line == 2)
    }

    @Test func nonUTF8TextIsRefusedAtTheFirstBadByte() throws {
        // "name: Café" in Latin-1: é is the lone byte 0xE9.
        var bytes: [UInt8] = Array("version: 1\nrules:\n  - name: Caf".utf8)
        bytes.append(0xE9)
        let result = lint(Data(bytes))
        let finding = try #require(result.diagnostics.first)
        #expect(finding.code == "ZR003")
        #expect((finding.location.line, finding.location.column) == (3, 14))
    }

    @Test(arguments: ["", "\n\n", "# just a comment\n", "   \n"])
    func anEmptyFileIsAFinding(_ text: String) {
        let result = Linter.lint(text: text)
        #expect(codes(result) == ["ZR006"])
        #expect(result.exitCode(strict: false) == 1)
    }

    @Test func aFolderWithoutRuleFilesCannotRun() throws {
        let directory = try TemporaryDirectory()
        try Data("not rules".utf8).write(to: URL(fileURLWithPath: directory.path("notes.txt")))
        #expect {
            try Linter(LintOptions(paths: [directory.root])).run()
        } throws: { ($0 as? RuleKitError)?.code == .noRuleFiles }
    }

    @Test func aMissingPathCannotRun() {
        #expect {
            try Linter(LintOptions(paths: ["/nonexistent/zrules/rules.yaml"])).run()
        } throws: { ($0 as? RuleKitError)?.code == .unreadablePath }
    }

    @Test func aBadMetadataFileCannotRun() throws {
        let directory = try TemporaryDirectory()
        try Data(Examples.valid.utf8).write(to: URL(fileURLWithPath: directory.path("a.yaml")))
        try Data("{\"modules\": 3}".utf8).write(to: URL(fileURLWithPath: directory.path("meta.json")))
        #expect {
            try Linter(LintOptions(paths: [directory.root], metadataPath: directory.path("meta.json"))).run()
        } throws: { ($0 as? RuleKitError)?.code == .badMetadata }
    }

    @Test func aYAMLNumberOrListAtTheTopIsAWrongTypeNotACrash() {
        #expect(codes(Linter.lint(text: "42\n")) == ["ZR011"])
        #expect(codes(Linter.lint(text: "- a\n- b\n")) == ["ZR011"])
    }

    @Test func aDuplicateKeyIsReportedOnTheRepeatedLineWithANoteAtTheFirst() throws {
        let yaml = """
            version: 1
            rules:
              - name: a
                when:
                  module: Quotes
                  module: Invoices
                do: [{ tag: [x] }]
            """
        let finding = try #require(Linter.lint(text: yaml).diagnostics.first)
        #expect(finding.code == "ZR007")
        #expect((finding.location.line, finding.location.column) == (6, 7))
        #expect(finding.notes.first?.location.line == 5)
    }

    /// A quote, `&` or `|` inside a plain scalar is a literal character; it must not blind the guard to what
    /// follows (a shared `where` once applied only to the last of several patterns).
    @Test(arguments: ["6\" pipe", "R&D budget", "a|b or c>d", "it's"])
    func literalIndicatorsInsideAPlainScalarDoNotBlindTheGuard(_ description: String) {
        let yaml = """
            version: 1
            rules:
              - name: a
                description: \(description)
                when: &when { module: Quotes }
                do: [{ tag: [x] }]
            """
        let findings = Linter.lint(text: yaml).diagnostics
        #expect(findings.map(\.code) == ["ZR004"])
        #expect(findings.first?.location.line == 5)
        #expect(findings.first?.location.column == 11)
    }

    @Test(arguments: ["R&D budget", "6\" pipe", "a|b"])
    func literalIndicatorsInsideAPlainScalarAreNotFindings(_ description: String) {
        let yaml = Examples.valid.replacingOccurrences(
            of: "  - name: invoice-accepted-quotes\n",
            with: "  - name: invoice-accepted-quotes\n    description: \(description)\n"
        )
        #expect(Linter.lint(text: yaml).diagnostics.map(\.code) == [])
    }

    @Test func multipleDocumentsAreASyntaxFinding() {
        #expect(codes(Linter.lint(text: "version: 1\n---\nversion: 1\n")) == ["ZR001"])
    }
}

enum Examples {
    static let valid = """
        version: 1
        rules:
          - name: invoice-accepted-quotes
            when: { module: Quotes, where: { Quote_Stage: Accepted } }
            do: [{ convert: { to: Invoices } }]
        """
}

@Suite struct DuplicateKeyRecoveryTests {
    @Test func checkingContinuesAfterADuplicateKey() {
        let yaml = """
            version: 1
            rules:
              - name: a
                when:
                  module: Quotes
                  module: Invoices
                do: [{ tag: [x] }]
                limits:
                  max_records: 5
                limits:
                  max_records: 6
              - name: b
                when: { module: Quotes }
                do: [{ convert: { to: Quotes } }]
            """
        let findings = Linter.lint(text: yaml).diagnostics.map { "\($0.code)@\($0.location.line)" }
        #expect(findings == ["ZR007@6", "ZR007@10", "ZR023@14"])
    }

    @Test func aDuplicateInAFlowMappingIsReportedAtTheMapping() {
        let yaml = "version: 1\nrules:\n  - { name: a, name: b, when: { module: Quotes }, do: [{ tag: [x] }] }\n"
        let findings = Linter.lint(text: yaml).diagnostics
        #expect(findings.map(\.code) == ["ZR007"])
        #expect(findings.first?.location.line == 3)
    }
}
