import ZohoCRM

extension ZohoError {
    /// A call Zoho answered with a 4xx and its own code, as a sentence for an admin; nil for other failures
    /// (transport, timeouts, 5xx), whose descriptions say more about what to retry.
    ///
    /// Zoho's message is shown for COQL only: it speaks of the query, whose values come from the rule file, while
    /// a refused write's message can quote record data. Details are the structural keys `ZohoError` keeps.
    var refusalSentence: String? {
        guard let status = httpStatus, (400..<500).contains(status), let zohoCode else { return nil }
        let query = operation.hasSuffix("/coql")
        var text = query ? "Zoho refused the rule's COQL query" : "Zoho refused \(operation)"
        text += " with \(zohoCode) (HTTP \(status))"
        if query, let zohoMessage, !zohoMessage.isEmpty { text += ": \(zohoMessage)" }
        let shown = details.filter { $0.value != "<redacted>" }.sorted { $0.key < $1.key }
        if !shown.isEmpty { text += " (" + shown.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")" }
        return text
    }
}
