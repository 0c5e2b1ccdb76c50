import HyperNodes

/// What one map did: its items' outcomes, throughput and latency.
///
/// Counts come from the map's item spans; where the trace has progress
/// ticks (``MapProgress``) with higher counts, as when per-item spans were
/// switched off, the ticks' counts are used.
public struct MapStatistics: Sendable, Hashable {
    /// The map's span in ``TraceRun/spans``.
    public var span: Int
    /// The map's name.
    public var name: String
    /// The number of items the map had in all (from its start event or
    /// progress ticks; the number of item spans when neither says).
    public var items: Int
    /// Items finished, whatever their outcome.
    public var done: Int
    /// Finished items that failed.
    public var failed: Int
    /// Finished items whose every node was served from the cache.
    public var cached: Int
    /// Finished items that were cancelled.
    public var cancelled: Int
    /// Items started and not finished when the trace ends or the map ended.
    public var inFlight: Int
    /// The map's duration in nanoseconds.
    public var duration: UInt64
    /// Latency percentiles of the finished items' durations, in nanoseconds;
    /// `nil` when no item span finished.
    public var latency: Latency?
    /// The most items that ran at the same time.
    public var peakConcurrency: Int

    /// Percentiles of item durations (nearest rank).
    public struct Latency: Sendable, Hashable {
        /// The median.
        public var p50: UInt64
        /// The 90th percentile.
        public var p90: UInt64
        /// The 99th percentile.
        public var p99: UInt64
        /// The slowest item.
        public var max: UInt64
        /// The mean.
        public var mean: UInt64

        /// Creates latency figures.
        public init(p50: UInt64, p90: UInt64, p99: UInt64, max: UInt64, mean: UInt64) {
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
            self.max = max
            self.mean = mean
        }

        /// `value` as an integer, at most `UInt64.max`.
        static func clamped(_ value: Double) -> UInt64 {
            value >= 18_446_744_073_709_549_568 ? .max : UInt64(Swift.max(0, value))
        }

        /// The percentiles of `durations`, or `nil` when there are none.
        public init?(durations: [UInt64]) {
            guard !durations.isEmpty else { return nil }
            let sorted = durations.sorted()
            func rank(_ percent: Int) -> UInt64 {
                // Nearest rank: the smallest value with at least `percent`% of values at or below it.
                let position = (percent * sorted.count + 99) / 100
                return sorted[Swift.max(position, 1) - 1]
            }
            var total: Double = 0
            for value in sorted { total += Double(value) }
            self.init(
                p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.count - 1],
                mean: Self.clamped(total / Double(sorted.count)))
        }
    }

    /// Creates map statistics.
    public init(
        span: Int, name: String, items: Int, done: Int, failed: Int, cached: Int, cancelled: Int = 0,
        inFlight: Int, duration: UInt64, latency: Latency?, peakConcurrency: Int
    ) {
        self.span = span
        self.name = name
        self.items = items
        self.done = done
        self.failed = failed
        self.cached = cached
        self.cancelled = cancelled
        self.inFlight = inFlight
        self.duration = duration
        self.latency = latency
        self.peakConcurrency = peakConcurrency
    }

    /// Finished items per second of the map's duration; `nil` when the map
    /// took no measurable time.
    public var itemsPerSecond: Double? {
        guard duration > 0 else { return nil }
        return Double(done) / (Double(duration) / 1e9)
    }
}
