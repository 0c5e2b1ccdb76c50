import HyperNodes

/// The last line of a run: how it ended and what it did.
public struct RunEnd: Sendable, Hashable {
    /// Counts over the whole run.
    public struct Totals: Sendable, Hashable {
        /// Events the run emitted (the recorder counts every event it received).
        public var events: Int
        /// Spans opened.
        public var spans: Int
        /// Nodes executed (cache hits excluded).
        public var nodes: Int
        /// Nodes served from the cache.
        public var cached: Int
        /// Spans that ended with an error.
        public var failed: Int
        /// Map items finished.
        public var mapItems: Int

        /// Creates totals.
        public init(
            events: Int = 0, spans: Int = 0, nodes: Int = 0, cached: Int = 0, failed: Int = 0, mapItems: Int = 0
        ) {
            self.events = events
            self.spans = spans
            self.nodes = nodes
            self.cached = cached
            self.failed = failed
            self.mapItems = mapItems
        }
    }

    /// The run.
    public var runID: UInt64
    /// Nanoseconds since the run started.
    public var timestamp: UInt64
    /// How the outermost span ended.
    public var status: SpanStatus
    /// The run's duration in nanoseconds.
    public var duration: UInt64
    /// What the run did.
    public var totals: Totals

    /// Creates a run end.
    public init(runID: UInt64, timestamp: UInt64, status: SpanStatus, duration: UInt64, totals: Totals) {
        self.runID = runID
        self.timestamp = timestamp
        self.status = status
        self.duration = duration
        self.totals = totals
    }
}
