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
    // Stored compactly (88 bytes; events are copied into queues on the hot
    // path): optional values use sentinels, depth and lane narrow integers.
    private var depthRaw: UInt16
    private var laneRaw: UInt32
    private var parentRaw: UInt64
    private var durationRaw: UInt64
    private var itemIndexRaw: Int
    private var itemCountRaw: Int

    /// The run this event belongs to. Every top-level `run` or `map` is one run.
    public var runID: UInt64
    /// The span opened, closed or concerned by this event.
    public var spanID: SpanID
    /// The enclosing span, or `nil` for the run's outermost span.
    public var parentSpanID: SpanID? {
        get { parentRaw == 0 ? nil : SpanID(rawValue: parentRaw) }
        set { parentRaw = newValue?.rawValue ?? 0 }
    }
    /// The pipeline or node name (never an internal id).
    public var name: String
    /// Monotonic time since the start of the run, in nanoseconds. Events the
    /// engine emits back to back, with no node code between them (a node's
    /// end and the next node's start), share one clock reading.
    public var timestamp: UInt64
    /// For end events, the span's duration in nanoseconds.
    public var duration: UInt64? {
        get { durationRaw == .max ? nil : durationRaw }
        set { durationRaw = newValue ?? .max }
    }
    /// Nesting depth: 0 for the outermost pipeline, 1 inside a nested pipeline, …
    /// (at most 65,535).
    public var depth: Int {
        get { Int(depthRaw) }
        set { depthRaw = UInt16(clamping: newValue) }
    }
    /// The worker lane that executed the span: concurrent work gets distinct lanes.
    public var lane: Int {
        get { Int(laneRaw) }
        set { laneRaw = UInt32(clamping: newValue) }
    }
    /// The item index, for map item events.
    public var itemIndex: Int? {
        get { itemIndexRaw == .min ? nil : itemIndexRaw }
        set { itemIndexRaw = newValue ?? .min }
    }
    /// The number of items, for map events.
    public var itemCount: Int? {
        get { itemCountRaw == .min ? nil : itemCountRaw }
        set { itemCountRaw = newValue ?? .min }
    }
    /// Attributes, error and graph: rarely present, kept out of line so that
    /// copying an event stays cheap.
    var details: EventDetails?

    /// Small string attributes: truncated previews of inputs and outputs
    /// (`input.x`, `output.doubled`) when a callback asks for them, scrubbed
    /// of secrets as ``Pipeline/secretScrubbing`` says, the cache
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
        self.depthRaw = UInt16(clamping: depth)
        self.laneRaw = UInt32(clamping: lane)
        self.runID = runID
        self.spanID = spanID
        self.parentRaw = parentSpanID?.rawValue ?? 0
        self.name = name
        self.timestamp = timestamp
        self.durationRaw = duration ?? .max
        self.itemIndexRaw = itemIndex ?? .min
        self.itemCountRaw = itemCount ?? .min
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
