/// One observable step of a run: every ``PipelineCallback`` hook, the trace
/// file, the live stream and the monitor are projections of these values.
///
/// Spans are explicit: start events open a span with ``spanID`` under
/// ``parentSpanID`` and the matching end event closes it, so the tree of a
/// run never has to be reconstructed from "current" state. Instant events
/// (``EventKind/nodeCached``, ``EventKind/error``, ``EventKind/mapItemCached``)
/// refer to the span they concern.
public struct PipelineEvent: Sendable {
    /// What happened.
    public var kind: EventKind
    /// `running` on start events; the outcome on end and instant events.
    public var status: SpanStatus
    /// The run this event belongs to. Every top-level `run` or `map` is one run.
    public var runID: UInt64
    /// The span opened, closed or concerned by this event.
    public var spanID: SpanID
    /// The enclosing span, or `nil` for the run's outermost span.
    public var parentSpanID: SpanID?
    /// The pipeline or node name (never an internal id).
    public var name: String
    /// Monotonic time since the start of the run, in nanoseconds.
    public var timestamp: UInt64
    /// For end events, the span's duration in nanoseconds.
    public var duration: UInt64?
    /// Nesting depth: 0 for the outermost pipeline, 1 inside a nested pipeline, …
    public var depth: Int
    /// The worker lane that executed the span: concurrent work gets distinct lanes.
    public var lane: Int
    /// The item index, for map item events.
    public var itemIndex: Int?
    /// The number of items, for map events.
    public var itemCount: Int?
    /// Small string attributes: truncated previews of inputs and outputs
    /// (`input.x`, `output.doubled`) when a callback asks for them, the cache
    /// key of a cached node (`cache.key`), nested pipeline names.
    public var attributes: [String: String]
    /// The failure, for error events and spans that ended with an error.
    public var error: ErrorInfo?
    /// The pipeline graph, on the first event of a run.
    public var graph: PipelineGraph?

    /// Creates an event.
    public init(
        kind: EventKind,
        status: SpanStatus,
        runID: UInt64,
        spanID: SpanID,
        parentSpanID: SpanID?,
        name: String,
        timestamp: UInt64 = 0,
        duration: UInt64? = nil,
        depth: Int = 0,
        lane: Int = 0,
        itemIndex: Int? = nil,
        itemCount: Int? = nil,
        attributes: [String: String] = [:],
        error: ErrorInfo? = nil,
        graph: PipelineGraph? = nil
    ) {
        self.kind = kind
        self.status = status
        self.runID = runID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.timestamp = timestamp
        self.duration = duration
        self.depth = depth
        self.lane = lane
        self.itemIndex = itemIndex
        self.itemCount = itemCount
        self.attributes = attributes
        self.error = error
        self.graph = graph
    }
}
