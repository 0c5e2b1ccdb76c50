/// An incremental SHA-256 digest (FIPS 180-4).
///
/// Feed bytes with `update(_:)` in any number of calls, then call
/// `finalize()`.
/// Finalizing does not consume the hasher: it hashes a padded copy, so more
/// bytes may be added afterwards and the result reflects everything so far.
struct SHA256: Sendable {
    /// The size of one compression block in bytes.
    static let blockSize = 64

    /// The size of a digest in bytes.
    static let digestSize = 32

    /// The chaining value: eight 32-bit words.
    private var state: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]

    /// Bytes received but not yet compressed; always 64 bytes long, of which
    /// the first `pendingCount` are meaningful.
    private var pending = [UInt8](repeating: 0, count: SHA256.blockSize)

    /// How many bytes of `pending` are in use (0 ..< 64).
    private var pendingCount = 0

    /// Total number of message bytes received.
    private var totalCount: UInt64 = 0

    /// Creates a hasher for an empty message.
    init() {}

    /// Hashes `bytes` in one call.
    static func hash<B: Sequence>(_ bytes: B) -> [UInt8] where B.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Adds the bytes of `buffer` to the message.
    mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var input = buffer.baseAddress, buffer.count > 0 else { return }
        var remaining = buffer.count
        totalCount &+= UInt64(remaining)

        // Top up a partially filled block first.
        if pendingCount > 0 {
            let take = min(remaining, Self.blockSize - pendingCount)
            let offset = pendingCount
            pending.withUnsafeMutableBytes { block in
                // `block` has 64 bytes and `offset + take <= 64`.
                (block.baseAddress.unsafelyUnwrapped + offset).copyMemory(
                    from: input, byteCount: take)
            }
            pendingCount += take
            input += take
            remaining -= take
            guard pendingCount == Self.blockSize else { return }
            pending.withUnsafeBytes { block in
                Self.compress(&state, blocks: block.baseAddress.unsafelyUnwrapped, count: 1)
            }
            pendingCount = 0
        }

        // Compress whole blocks straight from the caller's memory.
        let wholeBlocks = remaining / Self.blockSize
        if wholeBlocks > 0 {
            Self.compress(&state, blocks: input, count: wholeBlocks)
            input += wholeBlocks * Self.blockSize
            remaining -= wholeBlocks * Self.blockSize
        }

        // Keep the tail for later.
        if remaining > 0 {
            pending.withUnsafeMutableBytes { block in
                block.baseAddress.unsafelyUnwrapped.copyMemory(from: input, byteCount: remaining)
            }
            pendingCount = remaining
        }
    }

    /// Adds `bytes` to the message.
    ///
    /// Contiguous collections (`[UInt8]`, `Data`, `ArraySlice`, `String.UTF8View`
    /// of a native string) are hashed in place; other sequences are copied
    /// through a small reusable buffer.
    mutating func update<B: Sequence>(_ bytes: B) where B.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            self.update(UnsafeRawBufferPointer(buffer))
        }
        if done != nil { return }

        var chunk = [UInt8]()
        chunk.reserveCapacity(1024)
        for byte in bytes {
            chunk.append(byte)
            if chunk.count == 1024 {
                chunk.withUnsafeBytes { self.update($0) }
                chunk.removeAll(keepingCapacity: true)
            }
        }
        chunk.withUnsafeBytes { self.update($0) }
    }

    /// Returns the 32-byte digest of the bytes added so far.
    func finalize() -> [UInt8] {
        var copy = self
        let bitLength = totalCount &* 8

        // Padding: 0x80, zeros up to 56 mod 64, then the 64-bit big-endian length.
        var tail = [UInt8](repeating: 0, count: 128)
        let padLength = pendingCount < 56 ? 56 - pendingCount : 120 - pendingCount
        tail[0] = 0x80
        for index in 0..<8 {
            tail[padLength + index] = UInt8(
                truncatingIfNeeded: bitLength >> (56 - 8 * UInt64(index)))
        }
        tail.withUnsafeBytes {
            copy.update(UnsafeRawBufferPointer(rebasing: $0[0..<(padLength + 8)]))
        }

        var digest = [UInt8]()
        digest.reserveCapacity(Self.digestSize)
        for word in copy.state {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// The 64 round constants: the first 32 bits of the fractional parts of
    /// the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5,
        0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3,
        0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc,
        0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
        0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13,
        0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3,
        0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5,
        0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208,
        0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Runs the compression function over `count` consecutive 64-byte blocks.
    private static func compress(_ state: inout [UInt32], blocks: UnsafeRawPointer, count: Int) {
        roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                let k = constants.baseAddress.unsafelyUnwrapped
                let w = schedule.baseAddress.unsafelyUnwrapped
                var h0 = state[0]
                var h1 = state[1]
                var h2 = state[2]
                var h3 = state[3]
                var h4 = state[4]
                var h5 = state[5]
                var h6 = state[6]
                var h7 = state[7]

                var block = blocks
                for _ in 0..<count {
                    for t in 0..<16 {
                        w[t] = UInt32(
                            bigEndian: block.loadUnaligned(fromByteOffset: t &* 4, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let x = w[t &- 15]
                        let y = w[t &- 2]
                        let sigma0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
                        let sigma1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
                        w[t] = w[t &- 16] &+ sigma0 &+ w[t &- 7] &+ sigma1
                    }

                    var a = h0
                    var b = h1
                    var c = h2
                    var d = h3
                    var e = h4
                    var f = h5
                    var g = h6
                    var h = h7
                    var t = 0
                    while t < 64 {
                        round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
                        round(h, a, b, &c, d, e, f, &g, k[t &+ 1] &+ w[t &+ 1])
                        round(g, h, a, &b, c, d, e, &f, k[t &+ 2] &+ w[t &+ 2])
                        round(f, g, h, &a, b, c, d, &e, k[t &+ 3] &+ w[t &+ 3])
                        round(e, f, g, &h, a, b, c, &d, k[t &+ 4] &+ w[t &+ 4])
                        round(d, e, f, &g, h, a, b, &c, k[t &+ 5] &+ w[t &+ 5])
                        round(c, d, e, &f, g, h, a, &b, k[t &+ 6] &+ w[t &+ 6])
                        round(b, c, d, &e, f, g, h, &a, k[t &+ 7] &+ w[t &+ 7])
                        t &+= 8
                    }
                    h0 &+= a
                    h1 &+= b
                    h2 &+= c
                    h3 &+= d
                    h4 &+= e
                    h5 &+= f
                    h6 &+= g
                    h7 &+= h
                    block += blockSize
                }

                state[0] = h0
                state[1] = h1
                state[2] = h2
                state[3] = h3
                state[4] = h4
                state[5] = h5
                state[6] = h6
                state[7] = h7
            }
        }
    }

    /// One SHA-256 round with the working variables passed in rotated order,
    /// so that eight consecutive calls need no register shuffling: adds the
    /// round's `T1` to `d` and sets `h` to `T1 + T2`.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
        _ constantPlusWord: UInt32
    ) {
        let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
        let choose = g ^ (e & (f ^ g))
        let t1 = h &+ bigSigma1 &+ choose &+ constantPlusWord
        let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
        let majority = (a & b) | (c & (a | b))
        d &+= t1
        h = t1 &+ bigSigma0 &+ majority
    }

    /// Rotates `x` right by `n` bits (0 < n < 32).
    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x &>> n) | (x &<< (32 &- n))
    }
}
