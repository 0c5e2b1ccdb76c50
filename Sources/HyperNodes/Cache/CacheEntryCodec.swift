import Foundation

/// Packs a node's encoded outputs into one cache entry and back.
///
/// Layout: the output count, then for each output its byte length and bytes;
/// integers are 32-bit little-endian.
enum CacheEntryCodec {
    static func pack(_ parts: [Data]) -> Data {
        var data = Data()
        data.reserveCapacity(4 + parts.reduce(0) { $0 + 4 + $1.count })
        append(UInt32(parts.count), to: &data)
        for part in parts {
            append(UInt32(part.count), to: &data)
            data.append(part)
        }
        return data
    }

    static func unpack(_ data: Data, expectedCount: Int) throws -> [Data] {
        let bytes = [UInt8](data)
        var offset = 0
        func read() throws -> Int {
            guard offset + 4 <= bytes.count else {
                throw CacheError("entry ends early at byte \(offset) of \(bytes.count)")
            }
            let value =
                UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
                | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            offset += 4
            return Int(value)
        }
        let count = try read()
        guard count == expectedCount else {
            throw CacheError("entry holds \(count) outputs, the node has \(expectedCount)")
        }
        var parts: [Data] = []
        for _ in 0..<count {
            let length = try read()
            guard offset + length <= bytes.count else {
                throw CacheError("entry ends early: an output of \(length) bytes at byte \(offset) of \(bytes.count)")
            }
            parts.append(Data(bytes[offset..<offset + length]))
            offset += length
        }
        return parts
    }

    private static func append(_ value: UInt32, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
}
