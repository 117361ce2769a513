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
        let chars = Array(query)
        var tokens: [COQLToken] = []
        var index = 0
        var line = 1
        var column = 1

        func advance() {
            if chars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }

        while index < chars.count {
            let c = chars[index]
            if c.isWhitespace {
                advance()
                continue
            }
            let startLine = line
            let startColumn = column
            let start = index
            if c.isLetter || c == "_" || c == "$" {
                while index < chars.count,
                    chars[index].isLetter || chars[index].isNumber || chars[index] == "_"
                        || chars[index] == "$"
                {
                    advance()
                }
                let word = String(chars[start..<index])
                tokens.append(COQLToken(kind: .word, text: word, raw: word, line: startLine, column: startColumn))
            } else if c.isASCII && c.isNumber {
                while index < chars.count, chars[index].isASCII && chars[index].isNumber { advance() }
                if index + 1 < chars.count, chars[index] == ".", chars[index + 1].isASCII && chars[index + 1].isNumber {
                    advance()
                    while index < chars.count, chars[index].isASCII && chars[index].isNumber { advance() }
                }
                if index < chars.count, chars[index].isLetter || chars[index] == "_" {
                    // `12abc` is neither a number nor a name.
                    throw .syntax(line: startLine, column: startColumn, near: nearText(chars, from: start))
                }
                let number = String(chars[start..<index])
                tokens.append(COQLToken(kind: .number, text: number, raw: number, line: startLine, column: startColumn))
            } else if c == "'" || c == "\"" {
                let quote = c
                advance()
                var text = ""
                var closed = false
                while index < chars.count {
                    let d = chars[index]
                    if d == quote {
                        if index + 1 < chars.count, chars[index + 1] == quote {
                            text.append(quote)
                            advance()
                            advance()
                            continue
                        }
                        advance()
                        closed = true
                        break
                    }
                    text.append(d)
                    advance()
                }
                guard closed else {
                    throw .syntax(line: startLine, column: startColumn, near: nearText(chars, from: start))
                }
                tokens.append(
                    COQLToken(
                        kind: .string,
                        text: text,
                        raw: String(chars[start..<index]),
                        line: startLine,
                        column: startColumn
                    )
                )
            } else {
                let two = index + 1 < chars.count ? String(chars[index...index + 1]) : ""
                let symbol: String
                if ["!=", "<>", "<=", ">="].contains(two) {
                    symbol = two
                } else if "(),.*=<>-;!".contains(c) {
                    symbol = String(c)
                } else {
                    throw .syntax(line: startLine, column: startColumn, near: String(c))
                }
                for _ in symbol { advance() }
                tokens.append(COQLToken(kind: .symbol, text: symbol, raw: symbol, line: startLine, column: startColumn))
            }
        }
        tokens.append(COQLToken(kind: .end, text: "", raw: "", line: line, column: column))
        return tokens
    }

    /// Up to 20 characters from `start`, enough to recognise the spot without echoing a whole literal.
    private static func nearText(_ chars: [Character], from start: Int) -> String {
        String(chars[start..<min(chars.count, start + 20)])
    }
}
