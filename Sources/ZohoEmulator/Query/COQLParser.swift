/// A dotted field reference: `Last_Name`, `Account_Name.Account_Name`, `Deal_Name.Account_Name.Phone`.
struct COQLPath: Sendable, Equatable {
    var parts: [String]
    var line: Int
    var column: Int
    /// The module named by a `!Module.` prefix (Zoho's way to tell a module from a field), if any.
    var modulePrefix: String?

    /// The reference as written with dots, also the key a dotted column comes back under.
    var text: String { parts.joined(separator: ".") }
}

/// The aggregate functions COQL offers.
enum COQLAggregate: String, Sendable, CaseIterable {
    case count = "COUNT"
    case sum = "SUM"
    case min = "MIN"
    case max = "MAX"
    case avg = "AVG"
}

/// One entry of the select list.
struct COQLColumn: Sendable, Equatable {
    /// The field; nil only for `COUNT(*)`.
    var path: COQLPath?
    var aggregate: COQLAggregate?
    /// The `as` alias, with its token for error positions.
    var alias: COQLToken?

    /// The key the column comes back under: the alias, else `FN(path)` or the dotted path.
    var key: String {
        if let alias { return alias.text }
        if let aggregate { return "\(aggregate.rawValue)(\(path?.text ?? "*"))" }
        return path?.text ?? "*"
    }
}

/// A literal on the right of a comparator.
enum COQLLiteral: Sendable, Equatable {
    case string(String)
    case number(String)
    case bool(Bool)

    /// The literal as text: the string's content, the number's digits, or `true`/`false`.
    var text: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// The comparators of a COQL `where` clause.
enum COQLOperator: String, Sendable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
    case like = "like"
    case notLike = "not like"
    case `in` = "in"
    case notIn = "not in"
    case between = "between"
    case notBetween = "not between"
    case isNull = "is null"
    case isNotNull = "is not null"
}

/// One `field comparator value(s)` condition.
struct COQLComparison: Sendable, Equatable {
    var path: COQLPath
    var op: COQLOperator
    var values: [COQLLiteral]
}

/// A `where` clause: comparisons joined pairwise by `and`/`or`.
indirect enum COQLCondition: Sendable, Equatable {
    case comparison(COQLComparison)
    case and(COQLCondition, COQLCondition)
    case or(COQLCondition, COQLCondition)

    /// Every comparison, left to right.
    var comparisons: [COQLComparison] {
        switch self {
        case .comparison(let c): return [c]
        case .and(let l, let r), .or(let l, let r): return l.comparisons + r.comparisons
        }
    }
}

/// One `order by` entry.
struct COQLOrder: Sendable, Equatable {
    var path: COQLPath
    var descending: Bool
}

/// A parsed `select` query, not yet checked against the org's metadata.
struct COQLQuery: Sendable, Equatable {
    var columns: [COQLColumn]
    var module: String
    var moduleToken: COQLToken
    var condition: COQLCondition?
    var groupBy: [COQLPath]
    var orderBy: [COQLOrder]
    var limit: Int?
    var offset: Int?
}

/// A recursive-descent parser for Zoho's COQL `select` statement.
///
/// Grammar (keywords case-insensitive):
/// ```
/// query     := SELECT column {, column} FROM module WHERE condition [GROUP BY path {, path}]
///              [ORDER BY path [ASC|DESC] {, ...}] [LIMIT n [OFFSET m] | LIMIT m, n] [;]
/// column    := (path | FN '(' (path | '*') ')') [AS alias]
/// path      := ['!' module '.'] name {'.' name}
/// condition := term [(AND | OR) term]          -- more than two terms must be bracketed pairwise
/// term      := '(' condition ')' | path comparator
/// ```
/// `WHERE` is required (the v7 error list names a query without it as a SYNTAX_ERROR), and `A and B and C` is a
/// SYNTAX_ERROR: Zoho asks for `((A and B) and C)` (Kaizen #171). `LIMIT m, n` is offset `m`, count `n`, as in
/// MySQL.
struct COQLParser {
    private var tokens: [COQLToken]
    private var index = 0
    private var depth = 0

    /// How deeply parentheses may nest; far beyond 25 criteria, and it keeps a hostile query off the stack's end.
    static let maxNesting = 64

    /// Parses one query.
    static func parse(_ query: String) throws(QueryError) -> COQLQuery {
        var parser = COQLParser(tokens: try COQLLexer.tokens(query))
        return try parser.parseQuery()
    }

    private init(tokens: [COQLToken]) {
        self.tokens = tokens
    }

    private var current: COQLToken { tokens[index] }

    private mutating func next() -> COQLToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// A syntax error at `token`; at the end of the query it points just past the last token and names it.
    private func error(at token: COQLToken) -> QueryError {
        if token.kind == .end, index > 0 {
            let last = tokens[max(0, tokens.count - 2)]
            return .syntax(line: token.line, column: token.column, near: last.raw)
        }
        return .syntax(line: token.line, column: token.column, near: token.raw)
    }

    private mutating func expectKeyword(_ keyword: String) throws(QueryError) {
        guard current.isKeyword(keyword) else { throw error(at: current) }
        _ = next()
    }

    private mutating func expectSymbol(_ symbol: String) throws(QueryError) {
        guard current.isSymbol(symbol) else { throw error(at: current) }
        _ = next()
    }

    private static let clauseWords: Set<String> = [
        "select", "from", "where", "and", "or", "not", "like", "in", "between", "is", "null", "order", "group", "by",
        "asc", "desc", "limit", "offset", "as",
    ]

    /// `select … from … where … [group by …] [order by …] [limit …] [offset …] [;]`, clause by clause.
    private mutating func parseQuery() throws(QueryError) -> COQLQuery {
        try expectKeyword("select")
        var columns = [try parseColumn()]
        while current.isSymbol(",") {
            _ = next()
            columns.append(try parseColumn())
        }
        let moduleToken = try parseFrom()
        let condition = try parseWhere()
        let groupBy = try parseGroupBy()
        let orderBy = try parseOrderBy()
        let (limit, offset) = try parseLimitOffset()
        if current.isSymbol(";") { _ = next() }
        guard current.kind == .end else { throw error(at: current) }
        return COQLQuery(
            columns: columns,
            module: moduleToken.text,
            moduleToken: moduleToken,
            condition: condition,
            groupBy: groupBy,
            orderBy: orderBy,
            limit: limit,
            offset: offset
        )
    }

    /// `from Module`: the module's token (a word that is not a clause keyword).
    private mutating func parseFrom() throws(QueryError) -> COQLToken {
        try expectKeyword("from")
        let moduleToken = current
        guard moduleToken.kind == .word, !Self.clauseWords.contains(moduleToken.text.lowercased()) else {
            throw error(at: moduleToken)
        }
        _ = next()
        return moduleToken
    }

    private mutating func parseWhere() throws(QueryError) -> COQLCondition {
        guard current.isKeyword("where") else {
            // v8 example: a query that ends, or goes on to another clause, without WHERE is "missing clause".
            let clauses = ["group", "order", "limit", "offset"]
            if current.kind == .end || clauses.contains(where: current.isKeyword) { throw .missing(clause: "where") }
            throw error(at: current)
        }
        _ = next()
        return try parseCondition()
    }

    private mutating func parseGroupBy() throws(QueryError) -> [COQLPath] {
        guard current.isKeyword("group") else { return [] }
        _ = next()
        try expectKeyword("by")
        var groupBy = [try parsePath()]
        while current.isSymbol(",") {
            _ = next()
            groupBy.append(try parsePath())
        }
        return groupBy
    }

    private mutating func parseOrderBy() throws(QueryError) -> [COQLOrder] {
        guard current.isKeyword("order") else { return [] }
        _ = next()
        try expectKeyword("by")
        var orderBy: [COQLOrder] = []
        repeat {
            if !orderBy.isEmpty { _ = next() }
            let path = try parsePath()
            var descending = false
            if current.isKeyword("asc") {
                _ = next()
            } else if current.isKeyword("desc") {
                descending = true
                _ = next()
            }
            orderBy.append(COQLOrder(path: path, descending: descending))
        } while current.isSymbol(",")
        return orderBy
    }

    /// `limit n`, `limit n offset m`, `limit m, n` (offset first) or `offset m` alone.
    private mutating func parseLimitOffset() throws(QueryError) -> (limit: Int?, offset: Int?) {
        if current.isKeyword("limit") {
            _ = next()
            let first = try parseCount()
            if current.isSymbol(",") {
                _ = next()
                return (try parseCount(), first)
            }
            guard current.isKeyword("offset") else { return (first, nil) }
            _ = next()
            return (first, try parseCount())
        }
        guard current.isKeyword("offset") else { return (nil, nil) }
        // Zoho pages with `limit n offset m`; an offset alone is read as an offset over the default limit.
        _ = next()
        return (nil, try parseCount())
    }

    private mutating func parseCount() throws(QueryError) -> Int {
        let token = current
        guard token.kind == .number, !token.text.contains(".") else { throw error(at: token) }
        _ = next()
        // Anything past Int's range is far past every COQL limit; clamp so the limit checks report it.
        return Int(token.text) ?? Int.max
    }

    private mutating func parseColumn() throws(QueryError) -> COQLColumn {
        var column: COQLColumn
        if current.kind == .word, let aggregate = COQLAggregate(rawValue: current.text.uppercased()),
            tokens[index + 1].isSymbol("(")
        {
            _ = next()
            _ = next()
            var path: COQLPath?
            if current.isSymbol("*") {
                guard aggregate == .count else { throw error(at: current) }
                _ = next()
            } else {
                path = try parsePath()
            }
            try expectSymbol(")")
            column = COQLColumn(path: path, aggregate: aggregate, alias: nil)
        } else {
            column = COQLColumn(path: try parsePath(), aggregate: nil, alias: nil)
        }
        if current.isKeyword("as") {
            _ = next()
            let alias = current
            guard alias.kind == .word || alias.kind == .string else { throw error(at: alias) }
            _ = next()
            column.alias = alias
        }
        return column
    }

    /// A field name, or a quoted one (Zoho lets reserved words be used as columns in quotes).
    private mutating func parseName() throws(QueryError) -> COQLToken {
        let token = current
        switch token.kind {
        case .word where !Self.clauseWords.contains(token.text.lowercased()):
            break
        case .string where !token.text.isEmpty:
            break
        default:
            throw error(at: token)
        }
        _ = next()
        return token
    }

    private mutating func parsePath() throws(QueryError) -> COQLPath {
        var modulePrefix: String?
        let start = current
        if start.isSymbol("!") {
            // `!Leads.Owner.email`: the first name is the module, not a field.
            _ = next()
            let module = current
            guard module.kind == .word else { throw error(at: module) }
            _ = next()
            try expectSymbol(".")
            modulePrefix = module.text
        }
        let first = try parseName()
        var parts = [first.text]
        while current.isSymbol(".") {
            _ = next()
            parts.append(try parseName().text)
        }
        return COQLPath(parts: parts, line: start.line, column: start.column, modulePrefix: modulePrefix)
    }

    private mutating func parseCondition() throws(QueryError) -> COQLCondition {
        let left = try parseTerm()
        let isAnd = current.isKeyword("and")
        guard isAnd || current.isKeyword("or") else { return left }
        _ = next()
        let right = try parseTerm()
        if current.isKeyword("and") || current.isKeyword("or") {
            // A third criterion at the same level: Zoho requires `((A and B) and C)`.
            throw error(at: current)
        }
        return isAnd ? .and(left, right) : .or(left, right)
    }

    private mutating func parseTerm() throws(QueryError) -> COQLCondition {
        if current.isSymbol("(") {
            guard depth < Self.maxNesting else { throw error(at: current) }
            depth += 1
            defer { depth -= 1 }
            _ = next()
            let inner = try parseCondition()
            try expectSymbol(")")
            return inner
        }
        return .comparison(try parseComparison())
    }

    private mutating func parseComparison() throws(QueryError) -> COQLComparison {
        let path = try parsePath()
        let token = current
        if token.kind == .symbol, let op = COQLOperator(rawValue: token.text == "<>" ? "!=" : token.text) {
            _ = next()
            return COQLComparison(path: path, op: op, values: [try parseLiteral()])
        }
        var negated = false
        if token.isKeyword("not") {
            negated = true
            _ = next()
        }
        if current.isKeyword("like") {
            _ = next()
            return COQLComparison(path: path, op: negated ? .notLike : .like, values: [try parseLiteral()])
        }
        if current.isKeyword("in") {
            _ = next()
            try expectSymbol("(")
            var values = [try parseLiteral()]
            while current.isSymbol(",") {
                _ = next()
                values.append(try parseLiteral())
            }
            try expectSymbol(")")
            return COQLComparison(path: path, op: negated ? .notIn : .in, values: values)
        }
        if current.isKeyword("between") {
            _ = next()
            let low = try parseLiteral()
            try expectKeyword("and")
            let high = try parseLiteral()
            return COQLComparison(path: path, op: negated ? .notBetween : .between, values: [low, high])
        }
        if !negated, current.isKeyword("is") {
            _ = next()
            var isNot = false
            if current.isKeyword("not") {
                isNot = true
                _ = next()
            }
            try expectKeyword("null")
            return COQLComparison(path: path, op: isNot ? .isNotNull : .isNull, values: [])
        }
        throw error(at: current)
    }

    private mutating func parseLiteral() throws(QueryError) -> COQLLiteral {
        let token = current
        switch token.kind {
        case .string:
            _ = next()
            return .string(token.text)
        case .number:
            _ = next()
            return .number(token.text)
        case .symbol where token.text == "-" && tokens[index + 1].kind == .number:
            _ = next()
            return .number("-" + next().text)
        case .word:
            if let b = Bool(literal: token.text) {
                _ = next()
                return .bool(b)
            }
            throw error(at: token)
        default:
            throw error(at: token)
        }
    }
}
