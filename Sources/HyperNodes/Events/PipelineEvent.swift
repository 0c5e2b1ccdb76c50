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
    /// Attributes, error and graph: rarely present, kept out of line so that
    /// copying an event stays cheap.
    var details: EventDetails?

    /// Small string attributes: truncated previews of inputs and outputs
    /// (`input.x`, `output.doubled`) when a callback asks for them, the cache
    /// key of a cached node (`cache.key`), nested pipeline names.
    public var attributes: [String: String] {
        get { details?.attributes ?? [:] }
        set { details = EventDetails.make(attributes: newValue, error: error, graph: graph) }
    }
    /// The failure, for error events and spans that ended with an error.
    public var error: ErrorInfo? {
        get { details?.error }
        set { details = EventDetails.make(attributes: attributes, error: newValue, graph: graph) }
    }
    /// The pipeline graph, on the first event of a run.
    public var graph: PipelineGraph? {
        get { details?.graph }
        set { details = EventDetails.make(attributes: attributes, error: error, graph: newValue) }
    }

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
        self.init(
            kind: kind, status: status, runID: runID, spanID: spanID, parentSpanID: parentSpanID, name: name,
            timestamp: timestamp, duration: duration, depth: depth, lane: lane, itemIndex: itemIndex,
            itemCount: itemCount, details: EventDetails.make(attributes: attributes, error: error, graph: graph))
    }

    /// Creates an event with its out-of-line details already built (the engine's path).
    init(
        kind: EventKind, status: SpanStatus, runID: UInt64, spanID: SpanID, parentSpanID: SpanID?,
        name: String, timestamp: UInt64, duration: UInt64?, depth: Int, lane: Int, itemIndex: Int?,
        itemCount: Int?, details: EventDetails?
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
        self.details = details
    }
}

/// The out-of-line parts of an event. Immutable; `nil` when all are empty.
final class EventDetails: Sendable {
    let attributes: [String: String]
    let error: ErrorInfo?
    let graph: PipelineGraph?

    private init(validAttributes attributes: [String: String], error: ErrorInfo?, graph: PipelineGraph?) {
        self.attributes = attributes
        self.error = error
        self.graph = graph
    }

    /// Details holding the given parts, or `nil` when there are none.
    static func make(attributes: [String: String], error: ErrorInfo?, graph: PipelineGraph?) -> EventDetails? {
        if attributes.isEmpty && error == nil && graph == nil { return nil }
        return EventDetails(validAttributes: attributes, error: error, graph: graph)
    }
}
