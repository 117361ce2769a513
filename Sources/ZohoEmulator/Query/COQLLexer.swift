/// One COQL token with its 1-based position in the query.
struct COQLToken: Sendable, Equatable {
    /// What the token is.
    enum Kind: Sendable, Equatable {
        /// A keyword or name: letters, digits, `_` and `$`, not starting with a digit.
        case word
        /// A quoted literal; `text` is the unescaped content.
        case string
        /// An unsigned decimal number.
        case number
        /// Punctuation or a comparator: `( ) , . * = != <> < <= > >= - ; !`.
        case symbol
        /// The end of the query.
        case end
    }

    let kind: Kind
    /// The word, number or symbol as written, or a string's unescaped content.
    let text: String
    /// The token exactly as written, for the `near` of a syntax error.
    let raw: String
    let line: Int
    let column: Int

    /// True for a word equal to `keyword` ignoring case (COQL keywords are case-insensitive).
    func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.lowercased() == keyword
    }

    /// True for the given punctuation or comparator.
    func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && text == symbol
    }
}

/// Splits a COQL query into tokens, tracking line and column.
///
/// String literals take single or double quotes. Inside them a quote is written doubled (`'O''Brien'`), the only
/// escape Zoho's Kaizen #171 documents; a backslash is an ordinary character, so `'O\'Brien'` ends the literal after
/// `O\` and fails as it would on real Zoho (a client escaping with `\'` must fail in tests), and `like` patterns
/// such as `'50\%'` reach the evaluator unchanged.
enum COQLLexer {
    /// The tokens of `query`, ending with one `.end` token.
    static func tokens(_ query: String) throws(QueryError) -> [COQLToken] {
        var scanner = COQLScanner(chars: Array(query))
        var tokens: [COQLToken] = []
        while let c = scanner.startToken() {
            if c.isLetter || c == "_" || c == "$" {
                tokens.append(scanner.word())
            } else if c.isASCII && c.isNumber {
                tokens.append(try scanner.number())
            } else if c == "'" || c == "\"" {
                tokens.append(try scanner.string(quote: c))
            } else {
                tokens.append(try scanner.symbol())
            }
        }
        tokens.append(COQLToken(kind: .end, text: "", raw: "", line: scanner.line, column: scanner.column))
        return tokens
    }
}

/// A cursor over a query's characters that knows its line and column and where the current token started.
private struct COQLScanner {
    let chars: [Character]
    private var index = 0
    private(set) var line = 1
    private(set) var column = 1
    private var start = 0
    private var startLine = 1
    private var startColumn = 1

    init(chars: [Character]) {
        self.chars = chars
    }

    /// Skips whitespace and marks the next character as a token's start; nil at the end of the query.
    mutating func startToken() -> Character? {
        while index < chars.count, chars[index].isWhitespace { advance() }
        guard index < chars.count else { return nil }
        (start, startLine, startColumn) = (index, line, column)
        return chars[index]
    }

    /// A keyword or name.
    mutating func word() -> COQLToken {
        while let c = peek(), c.isLetter || c.isNumber || c == "_" || c == "$" { advance() }
        return token(.word)
    }

    /// An unsigned integer or decimal; `12abc` is neither a number nor a name.
    mutating func number() throws(QueryError) -> COQLToken {
        skipDigits()
        if peek() == ".", let d = peek(1), d.isASCII && d.isNumber {
            advance()
            skipDigits()
        }
        if let c = peek(), c.isLetter || c == "_" { throw failure() }
        return token(.number)
    }

    /// A literal in `quote`s; a doubled quote stands for one.
    mutating func string(quote: Character) throws(QueryError) -> COQLToken {
        advance()
        var text = ""
        while let d = peek() {
            advance()
            guard d == quote else {
                text.append(d)
                continue
            }
            guard peek() == quote else { return token(.string, text: text) }
            text.append(quote)
            advance()
        }
        throw failure()
    }

    /// Punctuation or a comparator, two characters first.
    mutating func symbol() throws(QueryError) -> COQLToken {
        let c = chars[index]
        let two = peek(1).map { String([c, $0]) } ?? ""
        let symbol: String
        if ["!=", "<>", "<=", ">="].contains(two) {
            symbol = two
        } else if "(),.*=<>-;!".contains(c) {
            symbol = String(c)
        } else {
            throw .syntax(line: startLine, column: startColumn, near: String(c))
        }
        for _ in symbol { advance() }
        return token(.symbol)
    }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    private mutating func advance() {
        if chars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func skipDigits() {
        while let c = peek(), c.isASCII && c.isNumber { advance() }
    }

    /// The token from its start to here; `text` defaults to what was written.
    private func token(_ kind: COQLToken.Kind, text: String? = nil) -> COQLToken {
        let raw = String(chars[start..<index])
        return COQLToken(kind: kind, text: text ?? raw, raw: raw, line: startLine, column: startColumn)
    }

    /// A syntax error at the token's start, near up to 20 characters from there (enough to recognise the spot
    /// without echoing a whole literal).
    private func failure() -> QueryError {
        .syntax(line: startLine, column: startColumn, near: String(chars[start..<min(chars.count, start + 20)]))
    }
}
