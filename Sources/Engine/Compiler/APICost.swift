/// API credits and OAuth scopes, as Zoho documents them, for the plan's estimates.
///
/// Where Zoho's table is silent (mass convert, inventory convert, status and conversion-options calls) the estimate
/// counts 1 credit and says so; see the reference's open question Q10.
public enum APICost {
    /// Credits for one COQL call returning up to `limit` rows: 1 up to 200, 2 up to 1000, 3 up to 2000.
    public static func coql(limit: Int) -> Int {
        switch limit {
        case ...200: return 1
        case ...1000: return 2
        default: return 3
        }
    }

    /// Credits for updating `records` records: 1 per 10.
    public static func update(records: Int) -> Int { (records + 9) / 10 }

    /// Credits for tagging `records` records: 1 per 50.
    public static func addTags(records: Int) -> Int { (records + 49) / 50 }

    /// Credits for one convert-lead call.
    public static let convertLead = 5

    /// Credits assumed for a call whose cost Zoho does not document.
    public static let undocumented = 1
}
