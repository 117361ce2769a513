import Foundation
import Logging
import RuleKit
import ZohoCRM

/// What a plan or run reads once before its rules: the org for the header, the metadata the rules are checked
/// against, and the calls both made (counted with the rules, so a plan's calls add up to what Zoho received).
struct PlanPrelude: Sendable {
    /// The header: where the plan or run reads from.
    var target: PlanTarget
    /// The fields and users read, for the metadata checks and the executor.
    var metadata: LiveMetadata
    /// Calls of `GET /org`.
    var orgCalls: [ZohoCallCount]

    /// Reads the org (one call; a refusal leaves the org out of the header) and the metadata `rules` need.
    static func read(
        rules: [Rule],
        configuration: ZohoConfiguration,
        client: ZohoClient,
        logger: Logger
    ) async -> PlanPrelude {
        let tally = ZohoCallTally()
        var organization: ZohoOrganization?
        do {
            organization = try await ZohoCallTally.$current.withValue(tally) { try await client.organization() }
        } catch {
            // The header is for the reviewer; a token without ZohoCRM.org.READ still plans and runs.
            logger.warning("the org could not be read (GET /org): \(error.message)")
        }
        let metadata = await LiveMetadata.read(for: rules, client: client, logger: logger)
        return PlanPrelude(
            target: PlanTarget(configuration: configuration, organization: organization),
            metadata: metadata,
            orgCalls: tally.counts
        )
    }

    /// Adds the prelude's calls to the rule that needed them first: the org to the first rule, each module's
    /// fields to the first rule on it (Deals to the first with a deal), the users to the first naming an owner.
    func count(into report: inout RunReport, rules: [Rule]) {
        func add(_ counts: [ZohoCallCount], where matches: (Rule) -> Bool) {
            guard !counts.isEmpty, let rule = rules.first(where: matches),
                let index = report.rules.firstIndex(where: { $0.rule == rule.name })
            else { return }
            report.rules[index].callsMade = Self.merge(report.rules[index].callsMade, counts)
        }
        add(orgCalls) { _ in true }
        for (key, counts) in metadata.calls.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "users": add(counts) { LiveMetadata.needsUsers([$0]) }
            default: add(counts) { LiveMetadata.modules(for: [$0]).contains(key) }
            }
        }
    }

    private static func merge(_ estimates: [CallEstimate], _ counts: [ZohoCallCount]) -> [CallEstimate] {
        var byEndpoint = Dictionary(estimates.map { ($0.endpoint, $0) }, uniquingKeysWith: { first, _ in first })
        for count in counts {
            var estimate =
                byEndpoint[count.endpoint]
                ?? CallEstimate(
                    endpoint: count.endpoint,
                    calls: 0,
                    credits: 0,
                    assumedCost: ZohoAPICost.isAssumed(count.endpoint)
                )
            estimate.calls += count.calls
            estimate.credits += count.credits
            byEndpoint[count.endpoint] = estimate
        }
        return byEndpoint.values.sorted { $0.endpoint < $1.endpoint }
    }
}

extension PlanTarget {
    /// The header for `configuration` and, when it could be read, the org: a loopback API URL is the emulator.
    init(configuration: ZohoConfiguration, organization: ZohoOrganization?) {
        let emulated = configuration.apiURL != nil
        var host = configuration.defaultAPIDomain.absoluteString
        while host.hasSuffix("/") { host.removeLast() }
        self.init(
            dataCentre: emulated ? "loopback" : configuration.dataCenter.rawValue,
            environment: emulated ? "emulator" : configuration.environment.rawValue,
            apiHost: host,
            apiVersion: configuration.apiVersion.rawValue,
            edition: configuration.edition.rawValue,
            orgName: organization?.companyName,
            orgID: organization.map { $0.zgid ?? $0.id }
        )
    }
}
