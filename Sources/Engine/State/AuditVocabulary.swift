/// The pipeline step an audit event is about; the raw value is what the `audit` table's `step` column holds.
///
/// `docs/STATE.md` lists these with the outcomes each is written with. Events read back keep their text
/// (`AuditEvent.step`), so a database written by another version still reads.
public enum AuditStep: String, Sendable, CaseIterable, Codable {
    /// The rule as a whole (it could not run).
    case rule
    /// The COQL selection.
    case select
    /// The re-check of each record against the whole condition on our side.
    case recheck
    /// The ledger and back-link guard before anything is sent.
    case `guard`
    /// The lead's `__conversion_options` and the duplicates policy.
    case leadOptions = "lead-options"
    /// The conversion call.
    case convert
    /// Confirmation of a conversion (job status, back-links, Converted__s, the single convert's answer).
    case confirm
    /// Setting the owner of a record made by the single convert.
    case owner
    /// The `update:` follow-up.
    case update
    /// The `tag:` follow-up.
    case tag
    /// All follow-ups of a record finished.
    case followUps = "follow-ups"
    /// Settling a write an earlier run left unconfirmed.
    case reconcile
}

/// What happened at a step; the raw value is what the `audit` table's `outcome` column holds.
public enum AuditOutcome: String, Sendable, CaseIterable, Codable {
    /// Records were read.
    case read
    /// Returned by the query but not matching the rule on our side.
    case excluded
    /// Dry-run: what a run would do.
    case planned
    /// The write was sent (on disk before it goes out).
    case sent
    /// Confirmed converted.
    case converted
    /// Not converted, on purpose, with the reason.
    case skipped
    /// Zoho refused, or the step could not be done.
    case failed
    /// Sent, but the result is not known yet.
    case unknown
    /// Zoho refused a whole mass-convert call; its records go to the single convert.
    case refused
    /// A job (or the grace period) ended without converting the record.
    case notConverted = "not converted"
    /// A mass-convert job finished.
    case jobCompleted = "job completed"
    /// A mass-convert job failed as a whole.
    case jobFailed = "job failed"
    /// A follow-up or owner assignment succeeded.
    case done
    /// A lead is converted into new records.
    case create
    /// A lead is merged into existing records.
    case merge
}

/// The endpoint a ledger row's conversion went through; the raw value is the `ledger` table's `method` column.
public enum LedgerMethod: String, Sendable, CaseIterable, Codable {
    /// `POST /{module}/actions/mass_convert` for Quotes or Sales_Orders.
    case mass
    /// `POST /{module}/{id}/actions/convert` for one Quote or Sales_Order.
    case single
    /// `POST /Leads/{id}/actions/convert`.
    case lead
    /// `POST /Leads/actions/mass_convert`.
    case leadMass = "lead-mass"
}
