/// Latency of one node inside the items of a map: how long its executions took.
///
/// Percentiles are nearest-rank. Up to a few thousand executions they are exact; beyond that they
/// come from logarithmic histograms and are within about 3 % of the exact value (see
/// ``RunModel/latency(of:at:)``). ``max`` is always exact.
public struct NodeLatency: Sendable, Hashable {
    /// The node's name.
    public var name: String
    /// Executions finished (cache hits are not executions and are not counted).
    public var count: Int
    /// The median duration, in nanoseconds.
    public var p50: UInt64
    /// The 95th percentile, in nanoseconds.
    public var p95: UInt64
    /// The 99th percentile, in nanoseconds.
    public var p99: UInt64
    /// The longest execution, in nanoseconds.
    public var max: UInt64

    /// Creates latency figures.
    public init(name: String, count: Int, p50: UInt64, p95: UInt64, p99: UInt64, max: UInt64) {
        self.name = name
        self.count = count
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }
}
