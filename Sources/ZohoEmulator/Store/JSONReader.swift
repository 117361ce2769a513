import Foundation

/// Reads JSON text into `JSONValue` keeping integers exact.
///
/// Zoho's official SDKs send every id as a bare 19-digit number; a reader that goes through `Double` (as
/// `JSONDecoder` may when a value's type is not known in advance) turns ids about 1,000 apart into one. Integers
/// that fit `Int64` stay `.int`; only numbers with a fraction, an exponent or more digits become `.double`. One pass
/// over the bytes, no thrown errors per value, so it is also cheaper than decoding through `Codable`.
struct JSONReader {
    /// Why the text is not JSON, and at which byte.
    struct Failure: Error, Sendable {
        let offset: Int
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    /// Parses a whole document; nil when it is not JSON (trailing bytes other than whitespace included).
    static func parse(_ data: Data) -> JSONValue? {
        var reader = JSONReader(bytes: [UInt8](data))
        return try? reader.document()
    }

    /// Parses a document given as text; nil when it is not JSON.
    static func parse(_ text: String) -> JSONValue? {
        parse(Data(text.utf8))
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func document() throws(Failure) -> JSONValue {
        let value = try self.value()
        skipWhitespace()
        guard index == bytes.count else { throw Failure(offset: index) }
        return value
    }

    private mutating func value() throws(Failure) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw Failure(offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func nest() throws(Failure) {
        depth += 1
        // Deep nesting is never a Zoho body; refusing it keeps the recursion bounded.
        guard depth <= 512 else { throw Failure(offset: index) }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try nest()
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw Failure(offset: index) }
            let key = try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            members[key] = try value()
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            depth -= 1
            return .object(members)
        }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try nest()
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            items.append(try value())
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            depth -= 1
            return .array(items)
        }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0..<0x20:
                throw Failure(offset: index - 1)
            default:
                out.append(byte)
            }
        }
        throw Failure(offset: index)
    }

    private mutating func escape(into out: inout [UInt8]) throws(Failure) {
        guard index < bytes.count else { throw Failure(offset: index) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar), bytes.count >= index + 6, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "u")
            {
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw Failure(offset: index) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            // A lone surrogate reads as U+FFFD, as Foundation's decoder does.
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(character)).utf8))
        default:
            throw Failure(offset: index - 1)
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Failure(offset: index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexDigit(bytes[index]) else { throw Failure(offset: index) }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// JSON's number grammar; an integer that fits `Int64` is kept exact.
    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        let integerStart = index
        let count = digits()
        // JSON allows no leading zeros ("012").
        guard count > 0, count == 1 || bytes[integerStart] != UInt8(ascii: "0") else { throw Failure(offset: start) }
        var integral = true
        if peek(UInt8(ascii: ".")) {
            integral = false
            index += 1
            guard digits() > 0 else { throw Failure(offset: index) }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            integral = false
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard digits() > 0 else { throw Failure(offset: index) }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let exact = Int64(text) { return .int(exact) }
        guard let double = Double(text) else { throw Failure(offset: start) }
        return .double(double)
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Failure(offset: index) }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard bytes[index..<index + count].elementsEqual(expected) else { throw Failure(offset: index) }
        index += count
        return value
    }

    private func peek(_ byte: UInt8) -> Bool {
        index < bytes.count && bytes[index] == byte
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard peek(byte) else { throw Failure(offset: index) }
        index += 1
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }
}
