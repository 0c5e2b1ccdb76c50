/// What a map did in one run, over every item, whether its item spans were
/// kept or aggregated (beyond ``TraceCollector/Options/maximumSpans``).
///
/// Maps are told apart by ``path``: a map inside the items of another map
/// runs once per outer item, and those runs add up in one entry
/// (``instances`` says how many).
public struct CollectedMap: Sendable, Hashable {
    /// The map's name (the mapped pipeline's).
    public var name: String
    /// The span names from the run's top-level span down to the map, inclusive,
    /// as ``TraceRun/path(of:)`` gives them.
    public var path: [String]
    /// The map spans counted here: 1, or one per item of an enclosing map.
    public var instances: Int
    /// Items in all (from the map starts).
    public var items: Int
    /// Items finished, whatever their outcome.
    public var done: Int
    /// Finished items that failed or were cancelled.
    public var failed: Int
    /// Finished items whose every node was served from the cache.
    public var cached: Int
    /// Items started and not finished.
    public var inFlight: Int
    /// From the first start of the map to its last end (or the run's latest
    /// event while it runs), in nanoseconds.
    public var duration: UInt64
    /// The durations of the finished items, or `nil` when none finished.
    public var itemLatency: CollectedLatency?
    /// The nodes that ran inside the items (not inside a nested map's items,
    /// which have an entry of their own), in the order they first ended.
    public var nodes: [CollectedNode]

    /// Creates map statistics.
    public init(
        name: String, path: [String], instances: Int, items: Int, done: Int, failed: Int, cached: Int,
        inFlight: Int, duration: UInt64, itemLatency: CollectedLatency?, nodes: [CollectedNode]
    ) {
        self.name = name
        self.path = path
        self.instances = instances
        self.items = items
        self.done = done
        self.failed = failed
        self.cached = cached
        self.inFlight = inFlight
        self.duration = duration
        self.itemLatency = itemLatency
        self.nodes = nodes
    }

    /// Finished items per second of ``duration``; `nil` when it took no measurable time.
    public var itemsPerSecond: Double? {
        guard duration > 0 else { return nil }
        return Double(done) / (Double(duration) / 1e9)
    }

    /// The node named `name`, if it ran inside the items.
    public func node(_ name: String) -> CollectedNode? {
        nodes.first { $0.name == name }
    }
}
