import Foundation
import RuleKit
import Testing

@Suite struct ParserTests {
    static let product = """
        version: 1
        rules:
          - name: invoice-accepted-quotes          # unique across all files, kebab-case
            description: Invoice every accepted quote, weekday mornings.
            schedule: "0 7 * * 1-5"
            when:
              module: Quotes
              where:
                Quote_Stage: Accepted
                Grand_Total: { gt: 0 }
                Valid_Till: { gte: today }
            do:
              - convert:
                  to: Invoices
                  carry_tags: true
                  owner: billing@zylker.com
                  related: [Calls, Tasks]
              - update: { Quote_Stage: Closed Won }
              - tag: [invoiced]
            limits: { max_records: 500 }

          - name: convert-qualified-leads
            when:
              module: Leads
              where: { Lead_Status: Qualified, Email: { is_null: false } }
            do:
              - convert_lead:
                  duplicates: merge
                  overwrite_account_name: false
                  notify_lead_owner: true
                  notify_new_owner: false
                  move_attachments_to: Deals
                  owner: sales@zylker.com
                  carry_tags: [Contacts, Deals]
                  deal:
                    Deal_Name: "{{ Company }} — {{ Last_Name }}"
                    Stage: Qualification
                    Pipeline: Standard (Standard)
                    Closing_Date: "{{ today + 30d }}"
        """

    @Test func theProductExampleParsesIntoTheModelAndIsClean() throws {
        let result = Linter.lint(text: Self.product, metadata: Fixtures.metadata)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let quotes = try #require(result.ruleSet.rule(named: "invoice-accepted-quotes"))
        #expect(quotes.location == FileLocation(file: "rules.yaml", line: 3, column: 5))
        #expect(quotes.schedule?.expression == "0 7 * * 1-5")
        #expect(quotes.schedule?.cron != nil)
        #expect(quotes.schedule?.location.line == 5)
        #expect(quotes.module.value == "Quotes")
        #expect(quotes.limits.maxRecords?.value == 500)
        let comparisons = try #require(quotes.condition?.comparisons)
        #expect(comparisons.map(\.field) == ["Quote_Stage", "Grand_Total", "Valid_Till"])
        #expect(comparisons.map(\.operator) == [.eq, .gt, .gte])
        #expect(comparisons[1].value == .number(0))
        #expect(comparisons[2].value == .date(.relative(RelativeDate(anchor: .today))))
        #expect(comparisons[2].location == FileLocation(file: "rules.yaml", line: 11, column: 28))
        guard case .convert(let convert) = quotes.actions[0] else {
            Issue.record("expected convert")
            return
        }
        #expect(convert.to.value == "Invoices" && convert.carryTags)
        #expect(convert.owner?.kind == .email && convert.owner?.value == "billing@zylker.com")
        #expect(convert.related.map(\.value) == ["Calls", "Tasks"])
        guard case .update(let update) = quotes.actions[1], case .tag(let tag) = quotes.actions[2] else {
            Issue.record("expected update and tag")
            return
        }
        #expect(update.fields.first?.value == .value(.string("Closed Won")))
        #expect(tag.tags.map(\.value) == ["invoiced"])

        let leads = try #require(result.ruleSet.rule(named: "convert-qualified-leads"))
        guard case .convertLead(let lead) = leads.actions.first else {
            Issue.record("expected convert_lead")
            return
        }
        #expect(lead.duplicates == .merge && lead.notifyLeadOwner && !lead.notifyNewOwner)
        #expect(lead.moveAttachmentsTo?.value == "Deals")
        #expect(lead.carryTags.map(\.value) == ["Contacts", "Deals"])
        let deal = try #require(lead.deal)
        #expect(deal.map(\.field.value) == ["Deal_Name", "Stage", "Pipeline", "Closing_Date"])
        guard case .template(let name) = deal[0].value else {
            Issue.record("expected a template")
            return
        }
        #expect(name.fields == ["Company", "Last_Name"])
        #expect(leads.condition?.comparisons.last?.value == .bool(false))
    }

    @Test func everyProblemInAFileIsReportedInOnePass() {
        let yaml = """
            version: 1
            rules:
              - name: Bad_Name
                when:
                  module: Quotes
                  where: { Quote_Stage: { eqq: Accepted }, Valid_Till: { gte: today-7x } }
                do:
                  - convert: { to: Quotes, owner: somebody, related: [Cals] }
                limits: { max_records: -1 }
            """
        let codes = Linter.lint(text: yaml).diagnostics.map(\.code)
        #expect(Set(codes) == ["ZR020", "ZR024", "ZR028", "ZR023", "ZR031", "ZR032", "ZR033"])
    }

    @Test func duplicateNamesAcrossFilesPointAtTheFirstFile() throws {
        let first = Data(Examples.valid.utf8)
        let second = Data(
            Examples.valid.replacingOccurrences(of: "Quote_Stage: Accepted", with: "Quote_Stage: Draft").utf8
        )
        let result = Linter.lint([("rules/a.yaml", first), ("rules/b.yaml", second)])
        let finding = try #require(result.diagnostics.first { $0.code == "ZR021" })
        #expect(finding.location.file == "rules/b.yaml")
        #expect(finding.notes.first?.location == FileLocation(file: "rules/a.yaml", line: 3, column: 11))
    }

    @Test func foldersAreSearchedRecursivelyForYamlFilesSkippingHiddenOnes() throws {
        let directory = try TemporaryDirectory()
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory.path("team/sub"), withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory.path(".git"), withIntermediateDirectories: true)
        for name in ["b.yaml", "team/a.yml", "team/sub/c.yaml", ".git/x.yaml", "team/readme.md"] {
            try Data(Examples.valid.utf8).write(to: URL(fileURLWithPath: directory.path(name)))
        }
        let files = try Linter.ruleFiles(in: [directory.root])
        #expect(
            files.map { String($0.dropFirst(directory.root.count + 1)) } == ["b.yaml", "team/a.yml", "team/sub/c.yaml"]
        )
    }

    @Test func positionsCountUnicodeScalars() throws {
        let yaml =
            "version: 1\nrules:\n  - name: a\n    description: \"Größe — ok\"\n    when: { module: Quotes }\n    do: [{ tag: [x] }]\n    ünknown: 1\n"
        let finding = try #require(Linter.lint(text: yaml).diagnostics.first)
        #expect(finding.code == "ZR010")
        #expect((finding.location.line, finding.location.column) == (7, 5))
    }

    @Test func columnsAfterNonASCIITextOnTheSameLineCountScalars() throws {
        let yaml =
            "version: 1\nrules:\n  - { description: \"Größe 😀\", shedule: x, name: a, when: { module: Quotes }, do: [{ tag: [x] }] }\n"
        let finding = try #require(Linter.lint(text: yaml).diagnostics.first)
        #expect(finding.code == "ZR010")
        #expect((finding.location.line, finding.location.column) == (3, 31))
    }
}

@Suite struct ShippedRulesTests {
    static let rulesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("rules").path

    @Test func theShippedRuleFilesAreLintCleanAgainstTheMetadataFixture() throws {
        let files = try Linter.ruleFiles(in: [Self.rulesDirectory])
        #expect(files.count >= 4)
        let result = Linter.lint(
            try files.map { ($0, try Data(contentsOf: URL(fileURLWithPath: $0))) },
            metadata: Fixtures.metadata
        )
        #expect(result.diagnostics.isEmpty, "\(LintRenderer.text(result))")
        #expect(result.ruleSet.rules.count == files.count)
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.hasPrefix("# yaml-language-server: $schema="), "\(file) lacks the modeline")
        }
    }
}

@Suite struct RecoveryTests {
    @Test func aRuleWithoutANameIsStillChecked() {
        let yaml = """
            version: 1
            rules:
              - description: no name
                when: { module: Leads }
                do:
                  - convert_lead:
                      deal: { Deal_Name: x }
            """
        let findings = Linter.lint(text: yaml).diagnostics.map { "\($0.code)@\($0.location.line)" }
        #expect(findings == ["ZR012@3", "ZR030@7"])
    }

    @Test func anUpdateWhoseTemplatesFailIsNotAlsoReportedEmpty() {
        let yaml = """
            version: 1
            rules:
              - name: a
                when: { module: Quotes }
                do:
                  - update: { Subject: "{{ Subject" }
            """
        #expect(Linter.lint(text: yaml).diagnostics.map(\.code) == ["ZR029"])
    }
}
