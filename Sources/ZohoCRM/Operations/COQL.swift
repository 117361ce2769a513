import Foundation

/// Helpers for writing COQL queries safely.
public enum COQL {
    /// A string literal for a COQL query: wrapped in single quotes, `'` doubled (`O''Brien`), `\` doubled.
    ///
    /// Zoho documents doubling as COQL's escape for a quote (Kaizen #171); `\'` is not one and breaks the query.
    /// Zoho does not say whether a backslash escapes inside a literal, so it is doubled too: whether Zoho reads
    /// `\\` as one backslash or as two, the literal still ends at the closing quote, so no value can open a second
    /// clause (at worst a value with a backslash matches nothing). Control characters are refused: no legitimate
    /// value needs them, and they are the usual way to smuggle a second clause past a naive quoter.
    public static func quote(_ value: String) throws(ZohoError) -> String {
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ZohoError(
                code: .invalidArgument,
                operation: "COQL.quote",
                message: "a COQL literal cannot contain control characters"
            )
        }
        var out = "'"
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "'": out += "''"
            default: out.append(character)
            }
        }
        return out + "'"
    }

    /// A parenthesised list of quoted literals for `in (...)`.
    public static func list(_ values: [String]) throws(ZohoError) -> String {
        var parts: [String] = []
        for value in values { parts.append(try quote(value)) }
        return "(" + parts.joined(separator: ", ") + ")"
    }

    /// True when the query already has a LIMIT clause (outside string literals).
    ///
    /// A doubled quote inside a literal reads here as the literal closing and a new one opening at once, which
    /// leaves nothing outside: the same words as reading it as one literal.
    static func hasLimit(_ query: String) -> Bool {
        var inLiteral = false
        var outside = ""
        for character in query {
            if character == "'" {
                inLiteral.toggle()
                outside.append(" ")
            } else {
                outside.append(inLiteral ? " " : character)
            }
        }
        let words = outside.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" })
        return words.contains("limit") || words.contains("offset")
    }
}

/// A page of COQL results.
public struct COQLPage: Sendable, Hashable {
    /// The rows, as records (`id` plus the selected fields; lookups as `{"id": ...}` objects).
    public var records: [ZohoRecord]
    /// Zoho's `info.more_records`.
    public var moreRecords: Bool
    /// Zoho's `info.count` (rows on this page).
    public var count: Int

    /// A page built from its parts.
    public init(records: [ZohoRecord], moreRecords: Bool, count: Int) {
        self.records = records
        self.moreRecords = moreRecords
        self.count = count
    }
}

extension ZohoClient {
    /// Zoho's COQL limits.
    public enum COQLLimits {
        /// Rows per call.
        public static let pageSize = 2000
        /// Rows reachable with LIMIT/OFFSET.
        public static let maxRecords = 100_000
    }

    /// Runs one COQL query (`POST /crm/{v}/coql`) and returns one page; 204 gives an empty page.
    public func coql(_ query: String) async throws -> COQLPage {
        let op = "POST /crm/{v}/coql"
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw invalidArgument(op, "empty query")
        }
        let reply = try await send(
            Call(
                template: op,
                method: .POST,
                path: "/coql",
                body: ["select_query": .string(query)],
                kind: .read,
                complex: true
            )
        )
        let page = try recordPage(reply, op)
        return COQLPage(records: page.records, moreRecords: page.moreRecords, count: page.count)
    }

    /// Runs a query without LIMIT page by page (`limit {pageSize} offset {n}`), up to `maxRecords` (≤ 100,000).
    ///
    /// Give the query an `order by id` so pages do not shift while reading.
    public func coqlAll(
        _ query: String,
        pageSize: Int = COQLLimits.pageSize,
        maxRecords: Int = COQLLimits.maxRecords
    ) async throws -> [ZohoRecord] {
        let op = "POST /crm/{v}/coql"
        guard !COQL.hasLimit(query) else {
            throw invalidArgument(op, "coqlAll adds LIMIT and OFFSET itself; remove them from the query")
        }
        guard (1...COQLLimits.pageSize).contains(pageSize) else {
            throw invalidArgument(op, "page size must be 1 to 2000")
        }
        let maxRecords = min(max(maxRecords, 0), COQLLimits.maxRecords)
        var records: [ZohoRecord] = []
        var offset = 0
        // Bounded by maxRecords / pageSize pages (at most 50 000 for page size 2).
        while offset < maxRecords {
            let size = min(pageSize, maxRecords - offset)
            let page = try await coql("\(query) limit \(size) offset \(offset)")
            records += page.records
            offset += size
            guard page.moreRecords, page.records.count == size else { break }
        }
        return records
    }
}
