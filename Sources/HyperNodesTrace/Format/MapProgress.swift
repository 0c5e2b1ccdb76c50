import HyperNodes

/// A progress tick of one map: counts of its items so far.
///
/// The recorder writes a tick at most every ``TraceRecorder/Options/progressInterval``
/// (100 ms by default) of run time per map while items finish, and one just
/// before the map ends, so a viewer can show progress even when per-item
/// spans are switched off.
public struct MapProgress: Sendable, Hashable {
    /// The run.
    public var runID: UInt64
    /// The map's span.
    public var spanID: SpanID
    /// The map's name (the mapped pipeline's).
    public var name: String
    /// Nanoseconds since the run started.
    public var timestamp: UInt64
    /// The number of items the map has in all.
    public var total: Int
    /// Items finished, whatever their outcome.
    public var done: Int
    /// Finished items that failed (included in ``done``).
    public var failed: Int
    /// Finished items whose every node was served from the cache (included in ``done``).
    public var cached: Int
    /// Items started and not yet finished.
    public var inFlight: Int

    /// Creates a progress tick.
    public init(
        runID: UInt64, spanID: SpanID, name: String, timestamp: UInt64, total: Int, done: Int, failed: Int,
        cached: Int, inFlight: Int
    ) {
        self.runID = runID
        self.spanID = spanID
        self.name = name
        self.timestamp = timestamp
        self.total = total
        self.done = done
        self.failed = failed
        self.cached = cached
        self.inFlight = inFlight
    }
}
