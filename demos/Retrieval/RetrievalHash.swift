/// Deterministic hashing for the retrieval demo.
///
/// FNV-1a and the SplitMix64 finalizer: identical on every platform and in every
/// process (the standard library's `Hasher` is seeded per process), so two runs embed
/// every text into the same vector and print the same digest.
enum RetrievalHash {
    /// The 64-bit FNV-1a hash of `text`'s UTF-8 bytes, continuing from `hash`.
    static func fnv1a(_ text: some StringProtocol, from hash: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
        var hash = hash
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The SplitMix64 finalizer: a bijective scramble of 64 bits.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `value` as 16 lowercase hexadecimal digits.
    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
