import Foundation

/// A small date pattern for the `date("…")` template filter: `yyyy`, `yy`, `MM`, `dd`, `HH`, `mm`, `ss`, `XXX`
/// (offset like `+05:30`) and literal punctuation, digits and spaces. Letters outside these tokens are refused,
/// so a pattern can never surprise at run time.
struct DatePattern: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case year4, year2, month, day, hour, minute, second, offset
        case literal(String)
    }

    static let tokens: [(String, Piece)] = [
        ("yyyy", .year4), ("XXX", .offset), ("yy", .year2), ("MM", .month), ("dd", .day), ("HH", .hour),
        ("mm", .minute), ("ss", .second),
    ]

    /// Zoho's date-time form.
    static let iso = DatePattern(pieces: [
        .year4, .literal("-"), .month, .literal("-"), .day, .literal("T"), .hour, .literal(":"), .minute,
        .literal(":"), .second, .offset,
    ])

    var pieces: [Piece]

    init(pieces: [Piece]) {
        self.pieces = pieces
    }

    /// Parses `pattern`; the error message names the first character that is not allowed.
    init(parsing pattern: String) throws(RuleKitError) {
        var pieces: [Piece] = []
        var rest = Substring(pattern)
        while let first = rest.first {
            if let (token, piece) = DatePattern.tokens.first(where: { rest.hasPrefix($0.0) }) {
                pieces.append(piece)
                rest = rest.dropFirst(token.count)
            } else if first.isLetter {
                throw RuleKitError(
                    .templateSyntax,
                    "date pattern '\(pattern)': '\(first)' is not supported; use yyyy, yy, MM, dd, HH, mm, ss, XXX"
                )
            } else {
                pieces.append(.literal(String(first)))
                rest = rest.dropFirst()
            }
        }
        self.pieces = pieces
    }

    func format(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = Day.calendar(timeZone).dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pieces.map { piece -> String in
            switch piece {
            case .year4: pad(parts.year, 4)
            case .year2: pad((parts.year ?? 0) % 100)
            case .month: pad(parts.month)
            case .day: pad(parts.day)
            case .hour: pad(parts.hour)
            case .minute: pad(parts.minute)
            case .second: pad(parts.second)
            case .offset:
                {
                    let seconds = timeZone.secondsFromGMT(for: date)
                    let sign = seconds < 0 ? "-" : "+"
                    return "\(sign)\(pad(abs(seconds) / 3600)):\(pad(abs(seconds) % 3600 / 60))"
                }()
            case .literal(let text): text
            }
        }.joined()
    }
}
