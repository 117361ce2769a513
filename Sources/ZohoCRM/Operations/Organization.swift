public import Foundation

/// The org a token belongs to, as the Organization API (`GET /crm/{v}/org`) describes it.
public struct ZohoOrganization: Sendable, Hashable {
    /// The org's record id.
    public var id: String
    /// The org's group id (`zgid`): the id Zoho's SDKs and admin pages name the org by.
    public var zgid: String?
    /// The company name.
    public var companyName: String?
    /// The org's domain name, e.g. `org58431040`.
    public var domainName: String?
    /// Zoho's `type` of the org (e.g. `production`), when it says.
    public var type: String?
    /// The paid edition (`license_details.paid_type`), when Zoho says.
    public var paidEdition: String?

    /// An organization from its parts.
    public init(
        id: String,
        zgid: String? = nil,
        companyName: String? = nil,
        domainName: String? = nil,
        type: String? = nil,
        paidEdition: String? = nil
    ) {
        self.id = id
        self.zgid = zgid
        self.companyName = companyName
        self.domainName = domainName
        self.type = type
        self.paidEdition = paidEdition
    }
}

extension ZohoClient {
    /// The org of the token (`GET /crm/{v}/org`, scope `ZohoCRM.org.READ`).
    ///
    /// - Throws: `ZohoError`; `.authentication` with `OAUTH_SCOPE_MISMATCH` when the token lacks the scope.
    public func organization() async throws -> ZohoOrganization {
        let op = "GET /crm/{v}/org"
        let reply = try await send(Call(template: op, method: .GET, path: "/org", kind: .read))
        guard let body = reply.body else { throw decodingError(op, "no content", status: reply.status) }
        // Zoho answers `{"org": [ {...} ]}`: one org per token.
        guard let org = body["org"].arrayValue?.first, org.objectValue != nil else {
            throw decodingError(op, "no org array", status: reply.status)
        }
        guard let id = org["id"].idValue else { throw decodingError(op, "an org without id", status: reply.status) }
        return ZohoOrganization(
            id: id,
            zgid: org["zgid"].idValue,
            companyName: org["company_name"].stringValue,
            domainName: org["domain_name"].stringValue,
            type: org["type"].stringValue,
            paidEdition: org["license_details"]["paid_type"].stringValue
        )
    }
}
