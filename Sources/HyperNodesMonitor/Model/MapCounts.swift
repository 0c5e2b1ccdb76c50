/// The items of one map at one instant of the model's timeline.
public struct MapCounts: Sendable, Hashable {
    /// The number of items the map has in all, when known (from its start event or its progress ticks).
    public var total: Int?
    /// Items started by then.
    public var started: Int
    /// Items finished by then, whatever their outcome.
    public var done: Int
    /// Finished items that failed (included in ``done``).
    public var failed: Int
    /// Finished items whose every node was served from the cache (included in ``done``).
    public var cached: Int
    /// Items started and not finished by then.
    public var inFlight: Int

    /// Creates counts.
    public init(total: Int?, started: Int, done: Int, failed: Int, cached: Int, inFlight: Int) {
        self.total = total
        self.started = started
        self.done = done
        self.failed = failed
        self.cached = cached
        self.inFlight = inFlight
    }
}
