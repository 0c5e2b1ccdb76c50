/// A forward-only reader of JSON text in a byte buffer, for the trace
/// decoder: it pulls values straight into typed fields without building a
/// document tree, and it never recurses, so no input can exhaust the stack.
struct JSONScanner {
    /// Why the text is not the JSON that was expected.
    struct Failure: Error {
        let message: String
        let offset: Int
    }

    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    func fail(_ message: String) -> Failure {
        Failure(message: message, offset: position)
    }

    @inline(__always)
    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    @inline(__always)
    mutating func peek() -> UInt8? {
        skipSpace()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard peek() == byte else {
            throw fail(position < bytes.count ? "expected \(what)" : "unexpected end of line, expected \(what)")
        }
        position += 1
    }

    /// Consumes `byte` if it comes next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        if peek() == byte {
            position += 1
            return true
        }
        return false
    }

    /// Iterates over the members of an object, calling `member` with each
    /// key's raw bytes (without quotes); `member` must consume the value.
    mutating func object(_ member: (inout JSONScanner, Key) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "{"), "'{'")
        if consume(UInt8(ascii: "}")) { return }
        while true {
            let key = try self.key()
            try expect(UInt8(ascii: ":"), "':' after a key")
            try member(&self, key)
            if consume(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "}"), "',' or '}' in an object")
            return
        }
    }

    /// Iterates over the elements of an array; `element` must consume each.
    mutating func array(_ element: (inout JSONScanner) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "["), "'['")
        if consume(UInt8(ascii: "]")) { return }
        while true {
            try element(&self)
            if consume(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            return
        }
    }

    /// An object key: its bytes, or its decoded text when it contains escapes.
    struct Key {
        let raw: UnsafeBufferPointer<UInt8>
        let decoded: String?

        @inline(__always)
        func matches(_ name: StaticString) -> Bool {
            if let decoded { return decoded == name.description }
            guard raw.count == name.utf8CodeUnitCount else { return false }
            let expected = name.utf8Start
            for index in 0..<raw.count where raw[index] != expected[index] { return false }
            return true
        }

        var text: String { decoded ?? String(decoding: raw, as: UTF8.self) }
    }

    mutating func key() throws(Failure) -> Key {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
        let start = position + 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return Key(raw: UnsafeBufferPointer(rebasing: bytes[start..<index]), decoded: nil)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw Failure(message: "control character in a key", offset: index) }
            index += 1
        }
        let text = try string()
        return Key(raw: UnsafeBufferPointer(start: nil, count: 0), decoded: text)
    }

    /// A string value, with escapes decoded; invalid UTF-8 becomes U+FFFD.
    mutating func string() throws(Failure) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
        let start = position + 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw Failure(message: "unescaped control character in a string", offset: index) }
            index += 1
        }
        guard index < bytes.count else { throw Failure(message: "unterminated string", offset: start - 1) }
        // Slow path: the string has escapes.
        var output = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        var pendingHighSurrogate: UInt32?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if pendingHighSurrogate != nil { output.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
                position = index + 1
                return String(decoding: output, as: UTF8.self)
            }
            if byte < 0x20 { throw Failure(message: "unescaped control character in a string", offset: index) }
            guard byte == UInt8(ascii: "\\") else {
                if pendingHighSurrogate != nil {
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    pendingHighSurrogate = nil
                }
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { break }
            let escaped = bytes[index + 1]
            index += 2
            var scalar: UInt32
            switch escaped {
            case UInt8(ascii: "\""): scalar = 0x22
            case UInt8(ascii: "\\"): scalar = 0x5C
            case UInt8(ascii: "/"): scalar = 0x2F
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                guard index + 4 <= bytes.count, let value = Self.hexValue(bytes, index, 4) else {
                    throw Failure(message: "invalid \\u escape in a string", offset: index - 2)
                }
                index += 4
                scalar = UInt32(value)
            default:
                throw Failure(message: "invalid escape '\\\(Unicode.Scalar(escaped))' in a string", offset: index - 2)
            }
            if (0xD800..<0xDC00).contains(scalar) {
                if pendingHighSurrogate != nil { output.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
                pendingHighSurrogate = scalar
                continue
            }
            if (0xDC00..<0xE000).contains(scalar) {
                if let high = pendingHighSurrogate {
                    scalar = 0x10000 + ((high - 0xD800) << 10) + (scalar - 0xDC00)
                    pendingHighSurrogate = nil
                } else {
                    scalar = 0xFFFD
                }
            } else if pendingHighSurrogate != nil {
                output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                pendingHighSurrogate = nil
            }
            Self.appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &output)
        }
        throw Failure(message: "unterminated string", offset: start - 1)
    }

    /// A non-negative integer that fits in 64 bits.
    mutating func unsigned() throws(Failure) -> UInt64 {
        skipSpace()
        let start = position
        var value: UInt64 = 0
        while position < bytes.count {
            let byte = bytes[position]
            guard byte >= 48 && byte <= 57 else { break }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - 48))
            if overflow1 || overflow2 { throw Failure(message: "number out of range", offset: start) }
            value = sum
            position += 1
        }
        guard position > start else {
            throw Failure(
                message: position < bytes.count ? "expected a non-negative integer" : "unexpected end of line",
                offset: start)
        }
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
            throw Failure(message: "expected an integer, found a fraction or exponent", offset: start)
        }
        return value
    }

    /// A non-negative integer that fits in `Int`.
    mutating func count() throws(Failure) -> Int {
        let start = position
        let value = try unsigned()
        guard value <= UInt64(Int.max) else { throw Failure(message: "number out of range", offset: start) }
        return Int(value)
    }

    /// A quoted hexadecimal id of 1 to 16 digits.
    mutating func hexID() throws(Failure) -> UInt64 {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a quoted hexadecimal id") }
        let start = position + 1
        var index = start
        while index < bytes.count && bytes[index] != UInt8(ascii: "\"") { index += 1 }
        let length = index - start
        guard index < bytes.count, (1...16).contains(length), let value = Self.hexValue(bytes, start, length) else {
            throw Failure(message: "expected a hexadecimal id of 1 to 16 digits", offset: start - 1)
        }
        position = index + 1
        return value
    }

    /// Skips one value of any kind, checking that it is well formed.
    mutating func skipValue() throws(Failure) {
        var closers: [UInt8] = []
        repeat {
            guard let byte = peek() else { throw fail("unexpected end of line, expected a value") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard closers.count < Self.maximumDepth else {
                    throw fail("values nested deeper than \(Self.maximumDepth) levels")
                }
                position += 1
                let closer = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if consume(closer) { break }
                closers.append(closer)
                if closer == UInt8(ascii: "}") {
                    _ = try key()
                    try expect(UInt8(ascii: ":"), "':' after a key")
                }
                continue
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), 48...57: try skipNumber()
            default: throw fail("unexpected character '\(Self.printable(byte))'")
            }
            // After a complete value: close finished containers, or move to the next element.
            while let closer = closers.last {
                if consume(UInt8(ascii: ",")) {
                    if closer == UInt8(ascii: "}") {
                        _ = try key()
                        try expect(UInt8(ascii: ":"), "':' after a key")
                    }
                    break
                }
                try expect(closer, "',' or '\(Unicode.Scalar(closer))'")
                closers.removeLast()
            }
        } while !closers.isEmpty
    }

    /// The bytes of the next value, which is skipped.
    mutating func rawValue() throws(Failure) -> UnsafeBufferPointer<UInt8> {
        skipSpace()
        let start = position
        try skipValue()
        return UnsafeBufferPointer(rebasing: bytes[start..<position])
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail("unexpected end of line") }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] {
            throw fail("invalid literal")
        }
        position += count
    }

    private mutating func skipNumber() throws(Failure) {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        var digits = 0
        while position < bytes.count {
            switch bytes[position] {
            case 48...57, UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"),
                UInt8(ascii: "-"):
                position += 1
                digits += 1
            default:
                if digits == 0 { throw Failure(message: "invalid number", offset: start) }
                return
            }
        }
        if digits == 0 { throw Failure(message: "invalid number", offset: start) }
    }

    private static func hexValue(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> UInt64? {
        var value: UInt64 = 0
        for index in start..<(start + length) {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 97...102: digit = byte - 87
            case 65...70: digit = byte - 55
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    private static func appendUTF8(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
        output.append(contentsOf: UTF8.encode(scalar)!)
    }

    static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}
