#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A byte buffer that JSON text is written into by hand: several times
/// faster than `JSONEncoder` for the small, flat objects of a trace.
///
/// Strings are escaped as RFC 8259 requires: quotes, backslashes and every
/// control character. Swift strings are always valid Unicode, so invalid
/// UTF-8 that reached a string was already replaced by U+FFFD when the string
/// was made and is never written raw.
///
/// The bytes live in memory the buffer manages itself, so that appending is
/// a bounds check and a copy, with none of an array's uniqueness checks.
/// Pass it `inout`; a copy shares the memory, so never write to two copies.
struct JSONBuffer {
    /// Frees the memory when the last copy of the buffer goes away.
    private final class Owner {
        let base: UnsafeMutablePointer<UInt8>
        init(capacity: Int) { base = .allocate(capacity: capacity) }
        deinit { base.deallocate() }
    }

    private var owner: Owner
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The number of bytes written.
    private(set) var count = 0

    init(capacity: Int = 4096) {
        self.capacity = Swift.max(capacity, 64)
        owner = Owner(capacity: self.capacity)
        base = owner.base
    }

    /// The bytes written, as an array. Setting it replaces the contents.
    var bytes: [UInt8] {
        get { Array(UnsafeBufferPointer(start: base, count: count)) }
        set {
            count = 0
            append(contentsOf: newValue)
        }
    }

    /// Calls `body` with the bytes written.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    mutating func removeAll() { count = 0 }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newOwner = Owner(capacity: newCapacity)
        newOwner.base.update(from: base, count: count)
        owner = newOwner
        base = newOwner.base
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ source: UnsafeRawPointer, count length: Int) {
        reserve(length)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: length)
        count += length
    }

    mutating func append(contentsOf sequence: some Sequence<UInt8>) {
        for byte in sequence { self.byte(byte) }
    }

    mutating func append(contentsOf array: [UInt8]) {
        array.withUnsafeBytes { append($0.baseAddress!, count: $0.count) }
    }

    /// Appends ASCII text that needs no escaping (keys, punctuation).
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        append(text.utf8Start, count: text.utf8CodeUnitCount)
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        reserve(1)
        base[count] = value
        count += 1
    }

    /// Appends `"key":` for a key that needs no escaping.
    @inline(__always)
    mutating func key(_ name: StaticString) {
        byte(UInt8(ascii: "\""))
        raw(name)
        byte(UInt8(ascii: "\""))
        byte(UInt8(ascii: ":"))
    }

    /// Appends an unsigned integer in decimal.
    mutating func number(_ value: UInt64) {
        reserve(20)
        if value < 10 {
            base[count] = UInt8(truncatingIfNeeded: value) &+ 48
            count += 1
            return
        }
        var digits = 0
        var rest = value
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        rest = value
        var index = count + digits
        while rest > 0 {
            index -= 1
            let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 10)
            base[index] = UInt8(truncatingIfNeeded: remainder) &+ 48
            rest = quotient
        }
        count += digits
    }

    /// Appends a signed integer in decimal.
    mutating func number(_ value: Int) {
        if value < 0 {
            byte(UInt8(ascii: "-"))
            number(UInt64(value.magnitude))
        } else {
            number(UInt64(value))
        }
    }

    /// Appends a quoted 16-digit lowercase hexadecimal id.
    mutating func hexID(_ value: UInt64) {
        byte(UInt8(ascii: "\""))
        hexDigits(value)
        byte(UInt8(ascii: "\""))
    }

    /// Appends 16 lowercase hexadecimal digits, unquoted.
    mutating func hexDigits(_ value: UInt64) {
        reserve(16)
        for index in 0..<16 {
            base[count + index] = Self.hexDigit(UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0xF)
        }
        count += 16
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 48 &+ nibble : 87 &+ nibble
    }

    /// Appends a floating-point number; non-finite values become `null`.
    mutating func number(_ value: Double) {
        guard value.isFinite else {
            raw("null")
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            number(Int(value))
        } else {
            append(contentsOf: Array(value.description.utf8))
        }
    }

    /// Appends a quoted, escaped string.
    mutating func string(_ value: String) {
        byte(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { append(utf8.baseAddress! + start, count: index - start) }
                escape(byte)
                start = index + 1
            }
            if start < utf8.count { append(utf8.baseAddress! + start, count: utf8.count - start) }
        }
        byte(UInt8(ascii: "\""))
    }

    private mutating func escape(_ value: UInt8) {
        byte(UInt8(ascii: "\\"))
        switch value {
        case UInt8(ascii: "\""): byte(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): byte(UInt8(ascii: "\\"))
        case 0x0A: byte(UInt8(ascii: "n"))
        case 0x0D: byte(UInt8(ascii: "r"))
        case 0x09: byte(UInt8(ascii: "t"))
        case 0x08: byte(UInt8(ascii: "b"))
        case 0x0C: byte(UInt8(ascii: "f"))
        default:
            byte(UInt8(ascii: "u"))
            byte(48)
            byte(48)
            byte(Self.hexDigit(value >> 4))
            byte(Self.hexDigit(value & 0xF))
        }
    }
}
