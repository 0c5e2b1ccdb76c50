/// Counts over one run's spans, computed from the trace itself.
public struct RunTotals: Sendable, Hashable {
    /// Spans in the run (cached nodes included).
    public var spans: Int = 0
    /// Pipeline executions (outermost, nested and per item).
    public var pipelines: Int = 0
    /// Nodes executed.
    public var nodes: Int = 0
    /// Nodes served from the cache.
    public var cachedNodes: Int = 0
    /// Spans that ended with an error.
    public var failed: Int = 0
    /// Spans that were cancelled.
    public var cancelled: Int = 0
    /// Spans the trace never closed.
    public var unfinished: Int = 0
    /// Maps.
    public var maps: Int = 0
    /// Map items finished (from item spans, or progress ticks where those are higher).
    public var mapItems: Int = 0
    /// Failures at their origin: spans with an error and no failing span below
    /// them (a nested failure is reported on every enclosing node, but counts once).
    public var errors: Int = 0

    /// Creates totals.
    public init(
        spans: Int = 0, pipelines: Int = 0, nodes: Int = 0, cachedNodes: Int = 0, failed: Int = 0,
        cancelled: Int = 0, unfinished: Int = 0, maps: Int = 0, mapItems: Int = 0, errors: Int = 0
    ) {
        self.spans = spans
        self.pipelines = pipelines
        self.nodes = nodes
        self.cachedNodes = cachedNodes
        self.failed = failed
        self.cancelled = cancelled
        self.unfinished = unfinished
        self.maps = maps
        self.mapItems = mapItems
        self.errors = errors
    }

    /// Adds another run's totals.
    public static func + (lhs: RunTotals, rhs: RunTotals) -> RunTotals {
        RunTotals(
            spans: lhs.spans + rhs.spans, pipelines: lhs.pipelines + rhs.pipelines, nodes: lhs.nodes + rhs.nodes,
            cachedNodes: lhs.cachedNodes + rhs.cachedNodes, failed: lhs.failed + rhs.failed,
            cancelled: lhs.cancelled + rhs.cancelled, unfinished: lhs.unfinished + rhs.unfinished,
            maps: lhs.maps + rhs.maps, mapItems: lhs.mapItems + rhs.mapItems, errors: lhs.errors + rhs.errors)
    }
}
