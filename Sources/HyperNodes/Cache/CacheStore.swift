import Foundation

/// A content-addressed store for node results.
///
/// The engine asks a store for an entry by ``CacheKey`` before running a node
/// and hands it the encoded outputs afterwards. A store never interprets the
/// bytes it keeps.
///
/// Implementations must be safe to call from many tasks at once, and a store
/// shared by several processes must never expose a partially written entry.
public protocol CacheStore: Sendable {
    /// Returns the bytes stored for `key`, or `nil` when there is no entry.
    ///
    /// - Throws: ``CacheError`` when an entry exists but cannot be read or is
    ///   damaged. The engine treats a thrown error as a miss and logs a warning.
    func load(_ key: CacheKey) throws -> Data?

    /// Stores `data` under `key`, replacing any previous entry atomically.
    ///
    /// - Throws: ``CacheError`` when the entry cannot be written. The engine
    ///   logs a warning and carries on; the node's result is not affected.
    func store(_ data: Data, for key: CacheKey) throws
}

/// The identity of one cached node result: a SHA-256 digest.
public struct CacheKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of the digest.
    public let bytes: [UInt8]

    /// Creates a key from a 32-byte digest.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a cache key is a 32-byte SHA-256 digest")
        self.bytes = bytes
    }

    /// The digest as 64 lowercase hexadecimal characters.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The hexadecimal form of the key.
    public var description: String { hex }
}

/// A failure to read or write a cache entry.
public struct CacheError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, naming the entry's path.
    public let message: String

    /// Creates an error with a message that names the entry.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
