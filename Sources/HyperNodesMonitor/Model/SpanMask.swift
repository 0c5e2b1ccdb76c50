/// A set of span indices as one bit per span of the model: membership and insertion are a shift
/// and a mask, and a million spans take 128 KiB. Cheaper than `Set<Int>` for the large sets the
/// monitor draws from, such as the critical path of a run with a large map.
public struct SpanMask: Sendable, Hashable {
    private var words: [UInt64]
    /// The number of spans in the mask.
    public private(set) var count = 0

    /// An empty mask for spans `0..<capacity` (it grows when a larger index is inserted).
    public init(capacity: Int = 0) {
        words = [UInt64](repeating: 0, count: (max(0, capacity) + 63) / 64)
    }

    /// Whether the mask has no spans.
    public var isEmpty: Bool { count == 0 }

    /// Whether `index` is in the mask.
    public func contains(_ index: Int) -> Bool {
        guard index >= 0, index >> 6 < words.count else { return false }
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// Adds `index` (negative indices are ignored).
    public mutating func insert(_ index: Int) {
        guard index >= 0 else { return }
        let word = index >> 6
        if word >= words.count { words += [UInt64](repeating: 0, count: word + 1 - words.count) }
        let bit: UInt64 = 1 << UInt64(index & 63)
        if words[word] & bit == 0 {
            words[word] |= bit
            count += 1
        }
    }

    /// Adds every span of `other`.
    public mutating func formUnion(_ other: SpanMask) {
        if other.words.count > words.count {
            words += [UInt64](repeating: 0, count: other.words.count - words.count)
        }
        var total = 0
        for index in words.indices {
            if index < other.words.count { words[index] |= other.words[index] }
            total += words[index].nonzeroBitCount
        }
        count = total
    }

    /// The spans in the mask, ascending.
    public var indices: [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        for (position, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                result.append(position << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }
}
