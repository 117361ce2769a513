/// Shared example files for check descriptions.
enum Examples {
    /// A clean file that passes every check, with and without metadata.
    static let valid = """
        version: 1
        rules:
          - name: invoice-accepted-quotes
            schedule: "0 7 * * 1-5"
            timezone: Europe/Berlin
            when:
              module: Quotes
              where:
                Quote_Stage: Accepted
                Grand_Total: { gt: 0 }
            do:
              - convert: { to: Invoices, carry_tags: true, related: [Calls, Tasks] }
              - tag: [invoiced]
            limits: { max_records: 500 }
        """

    /// A rule with `body` as its `do:` list, on `module`.
    static func rule(
        module: String = "Quotes",
        where condition: String = "Quote_Stage: Accepted",
        do body: String
    )
        -> String
    {
        """
        version: 1
        rules:
          - name: example
            when:
              module: \(module)
              where: { \(condition) }
            do:
              - \(body)
        """
    }
}
