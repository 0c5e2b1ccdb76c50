import Foundation

/// Builds a ``CacheKey`` from a sequence of values.
///
/// Unlike `Hasher`, the result is the same in every process, on every
/// platform and in every release: it is a SHA-256 digest of an unambiguous
/// encoding of the combined values. Each value is written as a one-byte type
/// tag followed by its contents, and variable-length values carry a
/// little-endian `UInt64` length prefix, so `("ab", "c")` and `("a", "bc")`
/// produce different keys, as do a string and a byte array with the same
/// contents.
///
/// ```swift
/// var hasher = StableHasher()
/// hasher.combine("resize")
/// hasher.combine(inputKey)
/// hasher.combine(UInt64(width))
/// let key = hasher.finalize()
/// ```
public struct StableHasher: Sendable {
    /// The type tags that precede each combined value.
    private enum Tag: UInt8 {
        case string = 1
        case bytes = 2
        case key = 3
        case uint64 = 4
    }

    private var digest = SHA256()

    /// Creates a hasher with nothing combined yet.
    public init() {}

    /// Adds a string, as its length-prefixed UTF-8 bytes.
    ///
    /// Strings are not Unicode-normalized: `"é"` precomposed and decomposed
    /// give different keys.
    public mutating func combine(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            writeHeader(.string, length: utf8.count)
            digest.update(UnsafeRawBufferPointer(utf8))
        }
    }

    /// Adds a byte array, length-prefixed.
    public mutating func combine(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            writeHeader(.bytes, length: raw.count)
            digest.update(raw)
        }
    }

    /// Adds the contents of `data`, length-prefixed.
    ///
    /// Gives the same result as combining `[UInt8](data)`.
    public mutating func combine(_ data: Data) {
        data.withUnsafeBytes { raw in
            writeHeader(.bytes, length: raw.count)
            digest.update(raw)
        }
    }

    /// Adds the 32 bytes of another key, e.g. the key of an upstream result.
    public mutating func combine(_ key: CacheKey) {
        writeTag(.key)
        digest.update(key.bytes)
    }

    /// Adds an integer as 8 little-endian bytes.
    public mutating func combine(_ value: UInt64) {
        writeTag(.uint64)
        writeUInt64(value)
    }

    /// Returns the key for everything combined so far.
    ///
    /// The hasher is not consumed; combining more values afterwards and
    /// finalizing again yields the key of the longer sequence.
    public func finalize() -> CacheKey {
        CacheKey(bytes: digest.finalize())
    }

    private mutating func writeTag(_ tag: Tag) {
        var byte = tag.rawValue
        withUnsafeBytes(of: &byte) { digest.update($0) }
    }

    private mutating func writeHeader(_ tag: Tag, length: Int) {
        writeTag(tag)
        writeUInt64(UInt64(length))
    }

    private mutating func writeUInt64(_ value: UInt64) {
        var littleEndian = value.littleEndian
        withUnsafeBytes(of: &littleEndian) { digest.update($0) }
    }
}
