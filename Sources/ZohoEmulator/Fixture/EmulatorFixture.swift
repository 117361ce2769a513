public import Foundation
import Synchronization
import Yams

/// The org an emulator serves, read from a fixture YAML file (see docs/EMULATOR.md).
///
/// Parsed by walking Yams nodes so every problem carries its file:line:col.
public struct EmulatorFixture: Sendable {
    /// The org's edition: concurrency limit and credit budget.
    public var edition: ZohoEdition
    /// The org's name, shown in user records.
    public var orgName: String
    /// First seven digits of every generated id, so ids look like Zoho's 19-digit ones and stay stable.
    public var idPrefix: String { didSet { prepared = nil } }
    /// The org's users.
    public var users: [FixtureUser] { didSet { prepared = nil } }
    /// Unique fields per module, in preference order (Kaizen 137's "Unique Field 1 > Unique Field 2").
    public var uniqueFields: [String: [String]] { didSet { prepared = nil } }
    /// Extra picklist values by module and field, added after Zoho's standard ones.
    public var picklistValues: [String: [String: [String]]] { didSet { prepared = nil } }
    /// OAuth clients; empty means any client credentials and refresh token are accepted.
    public var clients: [FixtureClient]
    /// Modules removed in Organize Modules: calls on them answer 403 NO_PERMISSION.
    public var disabledModules: [String] { didSet { prepared = nil } }
    /// Records by module API name, in file order.
    public var records: [String: [FixtureRecord]] { didSet { prepared = nil } }
    /// The file the fixture came from, for messages.
    public var source: String?
    /// The org the YAML was checked with, for the first emulator that serves this fixture (changing anything it
    /// is built from drops it).
    var prepared: PreparedOrg?

    /// An empty enterprise org with one admin user.
    public init() {
        edition = .enterprise
        orgName = "Zylker"
        idPrefix = "5843104"
        users = [FixtureUser(id: nil, email: "admin@zylker.com", fullName: "Patricia Boyle")]
        uniqueFields = [:]
        picklistValues = [:]
        clients = []
        disabledModules = []
        records = [:]
        source = nil
    }

    /// Reads a fixture file.
    public static func load(from url: URL) throws -> EmulatorFixture {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw EmulatorError(
                code: "FIXTURE_IO",
                message: "cannot read fixture: \(error.localizedDescription)",
                file: url.path
            )
        }
        return try EmulatorFixture(yaml: text, file: url.path)
    }

    /// Parses fixture YAML; `file` names it in error messages.
    public init(yaml: String, file: String? = nil) throws {
        self.init()
        source = file
        users = []
        // Read in a function of its own, so the node tree is freed before the org is built beside the records.
        try readDocument(yaml, file: file)
        if users.isEmpty { users = EmulatorFixture().users }
        // Resolve owners, lookups and line items now, so a bad reference is reported at load with its line; the
        // org is kept so the server does not build it again (its times are stamped by the server's clock).
        prepared = PreparedOrg(try OrgState(fixture: self, now: nil))
    }

    /// Composes the YAML and reads every top-level key.
    private mutating func readDocument(_ yaml: String, file: String?) throws {
        let root: Node?
        do {
            // Untyped: `NodeReader.json` types plain scalars itself, asking Yams' rules only about text that may
            // be a null, boolean or number (the rules are seven regular expressions, tried on every scalar).
            root = try Yams.compose(yaml: yaml, Resolver.basic)
        } catch let error as YamlError {
            throw Self.yamlError(error, file: file)
        }
        guard let root else { throw EmulatorError(code: "FIXTURE_SCHEMA", message: "the fixture is empty", file: file) }
        let reader = NodeReader(file: file)
        guard case .mapping(let top) = root else { throw reader.error(root, "the fixture must be a mapping") }
        for (keyNode, value) in top { try read(keyNode, value, reader: reader) }
    }

    /// One top-level key of the fixture.
    private mutating func read(_ keyNode: Node, _ value: Node, reader: NodeReader) throws {
        let key = try reader.string(keyNode)
        switch key {
        case "edition":
            let name = try reader.string(value).lowercased()
            guard let e = ZohoEdition(rawValue: name) else {
                throw reader.error(
                    value,
                    "unknown edition '\(name)'; expected \(ZohoEdition.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            edition = e
        case "org": try readOrg(value, reader: reader)
        case "users":
            for item in try reader.sequence(value) { users.append(try FixtureUser(node: item, reader: reader)) }
        case "unique_fields":
            for (k, v) in try reader.mapping(value) {
                uniqueFields[try reader.moduleName(k)] = try reader.strings(v)
            }
        case "picklist_values": try readPicklistValues(value, reader: reader)
        case "disabled_modules":
            for item in try reader.sequence(value) { disabledModules.append(try reader.moduleName(item)) }
        case "clients":
            for item in try reader.sequence(value) { clients.append(try FixtureClient(node: item, reader: reader)) }
        case "records": try readRecords(value, reader: reader)
        default:
            throw reader.error(
                keyNode,
                "unknown fixture key '\(key)'; expected edition, org, users, unique_fields, picklist_values, disabled_modules, clients, records"
            )
        }
    }

    /// `org: {name, id_prefix}`.
    private mutating func readOrg(_ value: Node, reader: NodeReader) throws {
        for (k, v) in try reader.mapping(value) {
            switch try reader.string(k) {
            case "name": orgName = try reader.string(v)
            case "id_prefix":
                let p = try reader.string(v)
                guard p.count == 7, p.allSatisfy(\.isNumber), p.first != "0" else {
                    throw reader.error(v, "id_prefix must be 7 digits not starting with 0")
                }
                idPrefix = p
            default:
                throw reader.error(k, "unknown org key '\(try reader.string(k))'; expected name, id_prefix")
            }
        }
    }

    /// `picklist_values: {Module.Field: [values]}`.
    private mutating func readPicklistValues(_ value: Node, reader: NodeReader) throws {
        for (k, v) in try reader.mapping(value) {
            let dotted = try reader.string(k)
            let parts = dotted.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw reader.error(k, "expected Module.Field, found '\(dotted)'") }
            guard StandardMetadata.moduleSpec(parts[0]) != nil else {
                throw reader.error(k, "unknown module '\(parts[0])'")
            }
            picklistValues[parts[0], default: [:]][parts[1], default: []] += try reader.strings(v)
        }
    }

    /// `records: {Module: [records]}`, each record a mapping of API field names.
    private mutating func readRecords(_ value: Node, reader: NodeReader) throws {
        // Filled aside and stored once: appending through the observed property would copy it every time.
        var parsed = records
        records = [:]
        for (k, v) in try reader.mapping(value) {
            let module = try reader.moduleName(k)
            for item in try reader.sequence(v) {
                guard case .object(let fields) = try reader.json(item) else {
                    throw reader.error(item, "each record must be a mapping of API field names")
                }
                parsed[module, default: []].append(FixtureRecord(fields: fields, line: item.mark?.line))
            }
        }
        records = parsed
    }

    private static func yamlError(_ error: YamlError, file: String?) -> EmulatorError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return EmulatorError(
                code: "FIXTURE_YAML",
                message: problem,
                file: file,
                line: mark.line,
                column: mark.column
            )
        default:
            return EmulatorError(code: "FIXTURE_YAML", message: "\(error)", file: file)
        }
    }
}

/// The org a fixture was checked with, handed to the first emulator that serves the fixture, so its records are
/// built once; copies of the fixture share it, and any later emulator builds its own.
final class PreparedOrg: Sendable {
    private let org: Mutex<OrgState?>

    init(_ org: OrgState) { self.org = Mutex(org) }

    /// The org, once; nil afterwards.
    func take() -> OrgState? {
        org.withLock { org in
            let taken = org
            org = nil
            return taken
        }
    }
}

/// A CRM user from the fixture.
public struct FixtureUser: Sendable, Equatable {
    /// The user id; generated when absent.
    public var id: String?
    /// The login email.
    public var email: String
    /// Display name.
    public var fullName: String
    /// `active` or `inactive` (Zoho's status values).
    public var status: String
    /// Role name (CEO, Manager, ...).
    public var role: String
    /// Profile name (Administrator, Standard).
    public var profile: String

    /// A user with Zoho's defaults for what is not given.
    public init(
        id: String?,
        email: String,
        fullName: String,
        status: String = "active",
        role: String = "CEO",
        profile: String = "Administrator"
    ) {
        self.id = id
        self.email = email
        self.fullName = fullName
        self.status = status
        self.role = role
        self.profile = profile
    }

    init(node: Node, reader: NodeReader) throws(EmulatorError) {
        var id: String?
        var email: String?
        var fullName: String?
        var status = "active"
        var role = "CEO"
        var profile = "Administrator"
        for (k, v) in try reader.mapping(node) {
            switch try reader.string(k) {
            case "id": id = try reader.idString(v)
            case "email": email = try reader.string(v)
            case "full_name": fullName = try reader.string(v)
            case "status": status = try reader.string(v)
            case "role": role = try reader.string(v)
            case "profile": profile = try reader.string(v)
            default:
                throw reader.error(
                    k,
                    "unknown user key '\(try reader.string(k))'; expected id, email, full_name, status, role, profile"
                )
            }
        }
        guard let email else { throw reader.error(node, "a user needs an email") }
        self.init(
            id: id,
            email: email,
            fullName: fullName ?? String(email.prefix { $0 != "@" }),
            status: status,
            role: role,
            profile: profile
        )
    }
}

/// An OAuth client the token endpoint accepts.
public struct FixtureClient: Sendable, Equatable {
    /// The client id.
    public var clientID: String
    /// The client secret.
    public var clientSecret: String
    /// Refresh tokens this client may use.
    public var refreshTokens: [String]
    /// One-time authorization codes this client may exchange.
    public var codes: [String]
    /// Granted scopes; empty grants everything.
    public var scopes: [String]

    /// A client with the given credentials.
    public init(
        clientID: String,
        clientSecret: String,
        refreshTokens: [String],
        codes: [String] = [],
        scopes: [String] = []
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.refreshTokens = refreshTokens
        self.codes = codes
        self.scopes = scopes
    }

    init(node: Node, reader: NodeReader) throws(EmulatorError) {
        var id: String?
        var secret: String?
        var refresh: [String] = []
        var codes: [String] = []
        var scopes: [String] = []
        for (k, v) in try reader.mapping(node) {
            switch try reader.string(k) {
            case "client_id": id = try reader.string(v)
            case "client_secret": secret = try reader.string(v)
            case "refresh_token": refresh.append(try reader.string(v))
            case "refresh_tokens": refresh += try reader.strings(v)
            case "codes": codes = try reader.strings(v)
            case "scopes":
                if case .scalar = v {
                    scopes = try reader.string(v).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                } else {
                    scopes = try reader.strings(v)
                }
            default:
                throw reader.error(
                    k,
                    "unknown client key '\(try reader.string(k))'; expected client_id, client_secret, refresh_token, refresh_tokens, codes, scopes"
                )
            }
        }
        guard let id, let secret else { throw reader.error(node, "a client needs client_id and client_secret") }
        self.init(clientID: id, clientSecret: secret, refreshTokens: refresh, codes: codes, scopes: scopes)
    }
}

/// One record as the fixture gives it, before ids, owners and lookups are resolved.
public struct FixtureRecord: Sendable {
    /// API field name to value.
    public var fields: EmulatorRecord
    /// 1-based line of the record in the fixture, for messages.
    public var line: Int?

    /// A record with its source line.
    public init(fields: EmulatorRecord, line: Int? = nil) {
        self.fields = fields
        self.line = line
    }
}

/// Walks Yams nodes and turns problems into positioned errors.
struct NodeReader {
    let file: String?

    func error(_ node: Node, _ message: String) -> EmulatorError {
        EmulatorError(
            code: "FIXTURE_SCHEMA",
            message: message,
            file: file,
            line: node.mark?.line,
            column: node.mark?.column
        )
    }

    func string(_ node: Node) throws(EmulatorError) -> String {
        guard case .scalar(let s) = node else { throw error(node, "expected a scalar") }
        return s.string
    }

    func idString(_ node: Node) throws(EmulatorError) -> String {
        let s = try string(node)
        guard !s.isEmpty, s.allSatisfy(\.isNumber) else { throw error(node, "ids are digits, found '\(s)'") }
        return s
    }

    func strings(_ node: Node) throws(EmulatorError) -> [String] {
        var out: [String] = []
        for item in try sequence(node) { out.append(try string(item)) }
        return out
    }

    func mapping(_ node: Node) throws(EmulatorError) -> [(Node, Node)] {
        guard case .mapping(let m) = node else { throw error(node, "expected a mapping") }
        return m.map { ($0.key, $0.value) }
    }

    func sequence(_ node: Node) throws(EmulatorError) -> [Node] {
        guard case .sequence(let s) = node else { throw error(node, "expected a list") }
        return Array(s)
    }

    func moduleName(_ node: Node) throws(EmulatorError) -> String {
        let name = try string(node)
        guard let spec = StandardMetadata.moduleSpec(name) else {
            throw error(
                node,
                "unknown module '\(name)'; expected one of \(StandardMetadata.modules.map(\.apiName).joined(separator: ", "))"
            )
        }
        return spec.apiName
    }

    /// Words Yams' default rules read as booleans or null.
    private static let typedWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON",
        "off", "Off", "OFF", "~", "null", "Null", "NULL", "",
    ]

    /// Whether Yams' default rules could read the text as a null, boolean, integer or float: only those words
    /// and text starting with a sign, a dot or a digit (every number pattern starts so). Anything else is a string.
    static func mayBeTyped(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return true }
        return (first >= 48 && first <= 57) || first == 43 || first == 45 || first == 46 || typedWords.contains(text)
    }

    /// Converts a node to JSON, resolving YAML's implicit types; dates stay strings as Zoho sends them.
    func json(_ node: Node) throws(EmulatorError) -> JSONValue {
        switch node {
        case .scalar(let s):
            // The scalar's own tag, unresolved: empty for a plain scalar written without one.
            var typed = node
            if s.tag.rawValue.isEmpty {
                guard Self.mayBeTyped(s.string) else { return .string(s.string) }
                // Typed by Yams' default rules, exactly as a default compose would have.
                typed = Node(s.string)
            }
            switch Tag.Name(rawValue: typed.tag.rawValue) {
            case .null: return .null
            case .bool: return typed.bool.map(JSONValue.bool) ?? .string(s.string)
            case .int: return typed.int.map { .int(Int64($0)) } ?? .string(s.string)
            case .float: return typed.float.map(JSONValue.double) ?? .string(s.string)
            default: return .string(s.string)
            }
        case .mapping(let m):
            var object: [String: JSONValue] = [:]
            for (k, v) in m { object[try string(k)] = try json(v) }
            return .object(object)
        case .sequence(let s):
            var items: [JSONValue] = []
            for item in s { items.append(try json(item)) }
            return .array(items)
        case .alias:
            throw error(node, "aliases are not supported in fixtures")
        }
    }
}
