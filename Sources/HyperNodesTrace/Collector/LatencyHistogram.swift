/// Durations of many spans of one kind, for percentiles over every one of
/// them in fixed memory.
///
/// The first ``exactLimit`` values are kept as they are, so percentiles of
/// up to that many are exact (nearest rank). Beyond, values are counted in
/// log buckets, 64 per power of two (values below 128 ns exactly); a
/// percentile is then its bucket's midpoint, within 0.8 % of the true value,
/// and never outside the smallest and largest value seen, which are exact.
/// A histogram of durations between 1 µs and 1 s takes about 10 KiB.
struct LatencyHistogram: Sendable, Hashable {
    /// The most values kept exactly.
    static let exactLimit = 256

    /// The number of values recorded.
    private(set) var count = 0
    private(set) var minimum: UInt64 = .max
    private(set) var maximum: UInt64 = 0
    private var sum: Double = 0
    private var exact: [UInt64] = []
    private var bucketed = false
    /// The bucket index of `counts[0]`.
    private var base = 0
    private var counts: [Int] = []

    /// Adds one value.
    mutating func record(_ value: UInt64) {
        count += 1
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
        sum += Double(value)
        if !bucketed {
            if exact.count < Self.exactLimit {
                exact.append(value)
                return
            }
            bucketed = true
            for kept in exact { insert(kept) }
            exact = []
        }
        insert(value)
    }

    private mutating func insert(_ value: UInt64) {
        let index = Self.bucket(of: value)
        if counts.isEmpty {
            base = index
            counts = [0]
        } else if index < base {
            counts.insert(contentsOf: repeatElement(0, count: base - index), at: 0)
            base = index
        } else if index >= base + counts.count {
            counts.append(contentsOf: repeatElement(0, count: index - base - counts.count + 1))
        }
        counts[index - base] += 1
    }

    /// The bucket of `value`: the value itself below 128, else 64 buckets per power of two.
    static func bucket(of value: UInt64) -> Int {
        if value < 128 { return Int(value) }
        let exponent = 64 - value.leadingZeroBitCount - 7
        return 64 * exponent + Int(value >> UInt64(exponent))
    }

    /// The middle of bucket `index`.
    static func midpoint(of index: Int) -> UInt64 {
        if index < 128 { return UInt64(index) }
        let exponent = index / 64 - 1
        let lower = UInt64(index % 64 + 64) << UInt64(exponent)
        return lower + (UInt64(1) << UInt64(exponent)) / 2
    }

    /// The smallest value with at least `percent` % of the values at or below it
    /// (nearest rank), or `nil` when nothing was recorded.
    func percentile(_ percent: Int) -> UInt64? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, (percent * count + 99) / 100)
        if !bucketed { return exact.sorted()[rank - 1] }
        var seen = 0
        for (offset, bucketCount) in counts.enumerated() {
            seen += bucketCount
            if seen >= rank { return Swift.min(Swift.max(Self.midpoint(of: base + offset), minimum), maximum) }
        }
        return maximum
    }

    /// The percentiles, or `nil` when nothing was recorded.
    var latency: CollectedLatency? {
        guard count > 0 else { return nil }
        let sorted = bucketed ? [] : exact.sorted()
        func rank(_ percent: Int) -> UInt64 {
            if bucketed { return percentile(percent) ?? maximum }
            return sorted[Swift.max(1, (percent * count + 99) / 100) - 1]
        }
        return CollectedLatency(
            count: count, minimum: minimum, p50: rank(50), p95: rank(95), p99: rank(99), maximum: maximum,
            mean: MapStatistics.Latency.clamped(sum / Double(count)), isExact: !bucketed)
    }
}
