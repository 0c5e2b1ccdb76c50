/// What one node did inside the items of a map, over every item (kept as
/// spans or aggregated).
public struct CollectedNode: Sendable, Hashable {
    /// The node's name.
    public var name: String
    /// How often it ran or was served from the cache.
    public var count: Int
    /// Runs that ended with an error.
    public var failures: Int
    /// Times it was served from the cache.
    public var cacheHits: Int
    /// The durations of its runs (cache hits excluded), or `nil` when it never ran.
    public var latency: CollectedLatency?

    /// Creates node statistics.
    public init(name: String, count: Int, failures: Int, cacheHits: Int, latency: CollectedLatency?) {
        self.name = name
        self.count = count
        self.failures = failures
        self.cacheHits = cacheHits
        self.latency = latency
    }
}
