/// Percentiles of the durations of many spans (map items, or one node's
/// runs inside them), in nanoseconds, over every one of them: up to 256
/// values exactly (nearest rank), beyond within 0.8 % (log buckets, 64 per
/// power of two); the smallest, largest and mean are always exact.
public struct CollectedLatency: Sendable, Hashable {
    /// The number of durations.
    public var count: Int
    /// The shortest.
    public var minimum: UInt64
    /// The median.
    public var p50: UInt64
    /// The 95th percentile.
    public var p95: UInt64
    /// The 99th percentile.
    public var p99: UInt64
    /// The longest.
    public var maximum: UInt64
    /// The mean.
    public var mean: UInt64
    /// Whether the percentiles are exact (256 durations or fewer).
    public var isExact: Bool

    /// Creates latency figures.
    public init(
        count: Int, minimum: UInt64, p50: UInt64, p95: UInt64, p99: UInt64, maximum: UInt64, mean: UInt64,
        isExact: Bool
    ) {
        self.count = count
        self.minimum = minimum
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.maximum = maximum
        self.mean = mean
        self.isExact = isExact
    }
}
