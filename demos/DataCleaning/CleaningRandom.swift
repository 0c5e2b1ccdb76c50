/// Deterministic pseudo-random numbers and hashing for the data-cleaning demo.
///
/// SplitMix64 and FNV-1a: identical on every platform and in every process (the standard
/// library's generators and `Hasher` are seeded per process), so two runs with the same
/// seed generate the same rows and print the same digest.
struct CleaningRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed` and `stream`: one stream per row and purpose.
    init(seed: UInt64, stream: UInt64 = 0) { state = Self.mix(seed ^ Self.mix(stream &+ 0x5EED)) }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A number in `0..<bound` (`bound` > 0).
    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A number in `0..<1`.
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// One of `choices` (not empty).
    mutating func pick<T>(_ choices: [T]) -> T { choices[next(below: choices.count)] }

    /// The SplitMix64 finalizer: a bijective scramble of 64 bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The 64-bit FNV-1a hash of `text`'s UTF-8 bytes, as 16 lowercase hexadecimal digits.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
