import Foundation

@testable import ZohoEmulator

/// One place where a response body departs from its OpenAPI schema.
struct OASViolation: Sendable, Equatable, CustomStringConvertible {
    /// Where in the body, as a JSON path (`$.data[0].Owner.id`).
    let path: String
    /// What is wrong, in words.
    let message: String

    var description: String { "\(path): \(message)" }
}

/// Why the validator could not start: a file, path, method or schema that is not in the bundled documents.
struct OASValidatorError: Error, Sendable, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Checks decoded JSON responses against Zoho's OpenAPI files (bundled under `OAS/` in the test resources).
///
/// Walks `$ref` (within a file, across files by name such as `common.json#/...`, and Zoho's absolute
/// `https://raw.githubusercontent.com/.../v8.0/record.json#/...` form), `type`, `nullable`, `enum`, `required`,
/// `properties`, `additionalProperties`, `items`, `oneOf`/`anyOf`/`allOf`, `minLength`/`maxLength`,
/// `minItems`/`maxItems`, `minimum`/`maximum` and the `int32`/`int64`/`date`/`date-time` formats.
///
/// Two deliberate leniencies, both because Zoho's files would otherwise reject Zoho's own responses:
/// - `oneOf` passes when at least one alternative matches: Zoho's alternatives overlap (no discriminators, no
///   `additionalProperties: false`), so "exactly one" fails valid bodies. `strictOneOf` turns exactness on.
/// - `pattern` is not checked: Zoho's patterns describe sample values (an email as `[a-z0-9]{9}[@]...`).
/// References into files that are not bundled (layouts, profiles, related lists, custom views) accept anything
/// unless `reportsUnbundledReferences` is set.
struct OASValidator: Sendable {
    /// The parsed documents by file name (`coql.json`).
    let documents: [String: JSONValue]
    /// Require exactly one `oneOf` alternative to match.
    var strictOneOf = false
    /// Report a `$ref` into a file that is not bundled as a violation instead of accepting anything there.
    var reportsUnbundledReferences = false

    /// Loads every `*.json` in the bundle's `OAS` folder.
    init(bundle: Bundle = .module) throws {
        guard let folder = bundle.url(forResource: "OAS", withExtension: nil) else {
            throw OASValidatorError(message: "the test bundle has no OAS folder")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        var documents: [String: JSONValue] = [:]
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            documents[name] = try JSONDecoder().decode(JSONValue.self, from: data)
        }
        self.documents = documents
    }

    /// The validator over the bundled files, parsed once per test process.
    ///
    /// Parsing the 560 KB of OpenAPI JSON takes most of a second in a debug build, and Swift Testing makes a new
    /// suite instance for every test case; the parsed documents are immutable, so one copy serves every test.
    static func bundled() throws -> OASValidator {
        try bundledDocuments.get()
    }

    private static let bundledDocuments = Result { try OASValidator() }

    /// Uses the given documents, for tests of the validator itself.
    init(documents: [String: JSONValue]) {
        self.documents = documents
    }

    /// Validates `body` against the response schema of one operation.
    ///
    /// `path` may be the file's own key (`/crm/v8/{module}/search`), or a concrete or shortened path
    /// (`/coql`, `/Quotes/actions/mass_convert`, `/crm/v7/Leads/123/__conversion_options`): the `/crm/vN` prefix
    /// is ignored and `{...}` segments match any one segment, the most literal match winning.
    func validate(
        _ body: JSONValue,
        file: String,
        path: String,
        method: String,
        status: Int
    ) throws -> [OASViolation] {
        guard let document = documents[file] else { throw OASValidatorError(message: "no bundled file \(file)") }
        let key = try matchPath(path, in: document, file: file)
        let operation = document["paths"][key][method.lowercased()]
        guard case .object = operation else {
            throw OASValidatorError(message: "\(file): \(key) has no \(method.uppercased()) operation")
        }
        let responses = operation["responses"]
        var response = responses[String(status)]
        if response.isNull { response = responses["default"] }
        if response.isNull {
            return [
                OASViolation(
                    path: "$",
                    message: "status \(status) is not documented for \(method.uppercased()) \(key)"
                )
            ]
        }
        var walker = Walker(validator: self)
        guard let (resolved, resolvedFile) = walker.resolve(response, file: file) else {
            return [OASViolation(path: "$", message: "the response's $ref cannot be resolved")]
        }
        let schema = resolved["content"]["application/json"]["schema"]
        if schema.isNull {
            return body.isNull
                ? [] : [OASViolation(path: "$", message: "status \(status) documents no body, but one was sent")]
        }
        walker.check(body, against: schema, file: resolvedFile, at: "$", depth: 0)
        return walker.violations
    }

    /// Validates a request `body` against the operation's `requestBody` schema (to check what a test sends).
    func validateRequest(_ body: JSONValue, file: String, path: String, method: String) throws -> [OASViolation] {
        guard let document = documents[file] else { throw OASValidatorError(message: "no bundled file \(file)") }
        let key = try matchPath(path, in: document, file: file)
        let operation = document["paths"][key][method.lowercased()]
        guard case .object = operation else {
            throw OASValidatorError(message: "\(file): \(key) has no \(method.uppercased()) operation")
        }
        var walker = Walker(validator: self)
        guard let (request, requestFile) = walker.resolve(operation["requestBody"], file: file),
            case .object = request["content"]["application/json"]["schema"]
        else {
            throw OASValidatorError(message: "\(file): \(method.uppercased()) \(key) documents no JSON request body")
        }
        walker.check(
            body,
            against: request["content"]["application/json"]["schema"],
            file: requestFile,
            at: "$",
            depth: 0
        )
        return walker.violations
    }

    /// Validates `body` against a named schema under `components/schemas` of `file`.
    func validate(_ body: JSONValue, file: String, component: String) throws -> [OASViolation] {
        guard let document = documents[file] else { throw OASValidatorError(message: "no bundled file \(file)") }
        let schema = document["components"]["schemas"][component]
        guard case .object = schema else {
            throw OASValidatorError(message: "\(file) has no schema \(component)")
        }
        var walker = Walker(validator: self)
        walker.check(body, against: schema, file: file, at: "$", depth: 0)
        return walker.violations
    }

    private func matchPath(_ path: String, in document: JSONValue, file: String) throws -> String {
        guard let paths = document["paths"].objectValue else {
            throw OASValidatorError(message: "\(file) has no paths")
        }
        if paths[path] != nil { return path }
        let wanted = Self.segments(path)
        var best: (key: String, literals: Int)?
        for key in paths.keys.sorted() {
            let candidate = Self.segments(key)
            guard candidate.count == wanted.count else { continue }
            var literals = 0
            var fits = true
            for (a, b) in zip(candidate, wanted) {
                if a == b {
                    literals += a.hasPrefix("{") ? 0 : 1
                } else if !(a.hasPrefix("{") && a.hasSuffix("}")) {
                    fits = false
                    break
                }
            }
            if fits, literals > (best?.literals ?? -1) { best = (key, literals) }
        }
        guard let best else { throw OASValidatorError(message: "\(file) has no path matching \(path)") }
        return best.key
    }

    /// Path segments without the `/crm/vN` prefix.
    private static func segments(_ path: String) -> [String] {
        var parts = path.split(separator: "/").map(String.init)
        if parts.count >= 2, parts[0] == "crm", parts[1].hasPrefix("v"), Int(parts[1].dropFirst()) != nil {
            parts.removeFirst(2)
        }
        return parts
    }

    /// One validation pass, collecting violations.
    private struct Walker {
        let validator: OASValidator
        var violations: [OASViolation] = []

        /// Guards against `$ref` cycles that consume no data (A refers to B refers to A).
        static let maxDepth = 256

        /// Follows `$ref`s from `node` to a node without one; returns it and the file it lives in.
        mutating func resolve(_ node: JSONValue, file: String) -> (JSONValue, String)? {
            var node = node
            var file = file
            var hops = 0
            while let ref = node["$ref"].stringValue {
                hops += 1
                guard hops < 64 else { return nil }
                let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let location = String(parts[0])
                let pointer = parts.count > 1 ? String(parts[1]) : ""
                if !location.isEmpty {
                    file = String(location.split(separator: "/").last ?? Substring(location))
                }
                guard let document = validator.documents[file] else { return nil }
                var target = document
                for token in pointer.split(separator: "/") {
                    let key = (token.removingPercentEncoding ?? String(token))
                        .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                    if case .array(let items) = target, let index = Int(key), items.indices.contains(index) {
                        target = items[index]
                    } else {
                        target = target[key]
                    }
                }
                if target.isNull { return nil }
                node = target
            }
            return (node, file)
        }

        mutating func report(_ path: String, _ message: String) {
            violations.append(OASViolation(path: path, message: message))
        }

        mutating func check(_ value: JSONValue, against node: JSONValue, file: String, at path: String, depth: Int) {
            guard depth < Self.maxDepth else {
                report(path, "schema nesting deeper than \(Self.maxDepth); a $ref cycle?")
                return
            }
            guard let (schema, file) = resolve(node, file: file) else {
                if validator.reportsUnbundledReferences || !refersOutsideBundle(node) {
                    report(path, "cannot resolve $ref \(node["$ref"].stringValue ?? "?")")
                }
                return
            }
            guard case .object = schema else { return }

            if value.isNull {
                if schema["nullable"].boolValue == true || schema["type"].isNull { return }
                report(path, "null where \(schema["type"].stringValue ?? "a value") is expected")
                return
            }
            if let type = schema["type"].stringValue, !Self.value(value, hasType: type) {
                report(path, "expected \(type), found \(Self.kind(of: value))")
                return
            }
            if let options = schema["enum"].arrayValue, !options.contains(where: { Self.same($0, value) }) {
                let listed = options.prefix(8).map { Self.short($0) }.joined(separator: ", ")
                report(path, "\(Self.short(value)) is not one of [\(listed)\(options.count > 8 ? ", ..." : "")]")
            }
            checkFormat(value, schema, at: path)
            checkBounds(value, schema, at: path)

            if case .object(let object) = value {
                for key in schema["required"].arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
                    report(path, "missing required key \"\(key)\"")
                }
                let properties = schema["properties"].objectValue ?? [:]
                for key in object.keys.sorted() {
                    let child = Self.child(path, key)
                    if let property = properties[key] {
                        check(object[key] ?? .null, against: property, file: file, at: child, depth: depth + 1)
                    } else {
                        switch schema["additionalProperties"] {
                        case .bool(false): report(child, "unexpected key \"\(key)\"")
                        case .object:
                            check(
                                object[key] ?? .null,
                                against: schema["additionalProperties"],
                                file: file,
                                at: child,
                                depth: depth + 1
                            )
                        default: break
                        }
                    }
                }
            }
            if case .array(let items) = value, case .object = schema["items"] {
                for (index, item) in items.enumerated() {
                    check(item, against: schema["items"], file: file, at: "\(path)[\(index)]", depth: depth + 1)
                }
            }
            for part in schema["allOf"].arrayValue ?? [] {
                check(value, against: part, file: file, at: path, depth: depth + 1)
            }
            if let alternatives = schema["anyOf"].arrayValue {
                checkAlternatives(
                    value,
                    alternatives,
                    file: file,
                    at: path,
                    depth: depth,
                    keyword: "anyOf",
                    exact: false
                )
            }
            if let alternatives = schema["oneOf"].arrayValue {
                checkAlternatives(
                    value,
                    alternatives,
                    file: file,
                    at: path,
                    depth: depth,
                    keyword: "oneOf",
                    exact: validator.strictOneOf
                )
            }
        }

        /// Passes when one alternative (exactly one when `exact`) matches; otherwise reports the nearest
        /// alternative's violations, which read better than "matched none".
        private mutating func checkAlternatives(
            _ value: JSONValue,
            _ alternatives: [JSONValue],
            file: String,
            at path: String,
            depth: Int,
            keyword: String,
            exact: Bool
        ) {
            var results: [[OASViolation]] = []
            for alternative in alternatives {
                var inner = Walker(validator: validator)
                inner.check(value, against: alternative, file: file, at: path, depth: depth + 1)
                results.append(inner.violations)
            }
            let matching = results.filter(\.isEmpty).count
            if matching == 0 {
                let nearest = results.min { $0.count < $1.count } ?? []
                report(path, "matches none of the \(alternatives.count) \(keyword) alternatives; nearest:")
                violations.append(contentsOf: nearest)
            } else if exact, matching > 1 {
                report(path, "matches \(matching) oneOf alternatives; exactly one expected")
            }
        }

        private mutating func checkFormat(_ value: JSONValue, _ schema: JSONValue, at path: String) {
            guard let format = schema["format"].stringValue else { return }
            switch (format, value) {
            case ("int32", .int(let i)) where i < Int64(Int32.min) || i > Int64(Int32.max):
                report(path, "\(i) does not fit int32")
            case ("date-time", .string(let s)):
                if QueryTime(text: s)?.instant == nil { report(path, "\"\(s)\" is not an ISO-8601 date-time") }
            case ("date", .string(let s)):
                if QueryTime(text: s) == nil || s.count != 10 { report(path, "\"\(s)\" is not a date YYYY-MM-DD") }
            default:
                break
            }
        }

        private mutating func checkBounds(_ value: JSONValue, _ schema: JSONValue, at path: String) {
            if case .string(let s) = value {
                if let max = schema["maxLength"].doubleValue, Double(s.count) > max {
                    report(path, "longer than \(Int(max)) characters")
                }
                if let min = schema["minLength"].doubleValue, Double(s.count) < min {
                    report(path, "shorter than \(Int(min)) characters")
                }
            }
            if case .array(let items) = value {
                if let max = schema["maxItems"].doubleValue, Double(items.count) > max {
                    report(path, "more than \(Int(max)) items")
                }
                if let min = schema["minItems"].doubleValue, Double(items.count) < min {
                    report(path, "fewer than \(Int(min)) items")
                }
            }
            if let number = value.doubleValue {
                if let max = schema["maximum"].doubleValue, number > max { report(path, "greater than \(max)") }
                if let min = schema["minimum"].doubleValue, number < min { report(path, "less than \(min)") }
            }
        }

        private func refersOutsideBundle(_ node: JSONValue) -> Bool {
            guard let ref = node["$ref"].stringValue, let hash = ref.firstIndex(of: "#") else { return false }
            let location = ref[..<hash]
            guard let name = location.split(separator: "/").last else { return false }
            return validator.documents[String(name)] == nil
        }

        static func value(_ value: JSONValue, hasType type: String) -> Bool {
            switch (type, value) {
            case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool): return true
            case ("integer", .int): return true
            case ("integer", .double(let d)): return d.rounded() == d
            case ("number", .int), ("number", .double): return true
            default: return false
            }
        }

        static func kind(of value: JSONValue) -> String {
            switch value {
            case .null: return "null"
            case .bool: return "boolean"
            case .int: return "integer"
            case .double: return "number"
            case .string: return "string"
            case .array: return "array"
            case .object: return "object"
            }
        }

        static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
            if let x = a.doubleValue, let y = b.doubleValue { return x == y }
            return a == b
        }

        static func short(_ value: JSONValue) -> String {
            switch value {
            case .string(let s): return "\"\(s.count > 40 ? String(s.prefix(40)) + "..." : s)\""
            case .int(let i): return String(i)
            case .double(let d): return String(d)
            case .bool(let b): return String(b)
            default: return kind(of: value)
            }
        }

        static func child(_ path: String, _ key: String) -> String {
            let plain = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
            return plain ? "\(path).\(key)" : "\(path)[\"\(key)\"]"
        }
    }
}
