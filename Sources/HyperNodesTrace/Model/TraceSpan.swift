import HyperNodes

/// One span of a recorded run: a pipeline, node, nested pipeline, map or map
/// item, with its place in the tree and its timing.
///
/// Spans live in ``TraceRun/spans``; ``parent`` and ``children`` are indices
/// into that array, so the tree is a plain value.
public struct TraceSpan: Sendable, Hashable {
    /// The span's position in ``TraceRun/spans``.
    public var index: Int
    /// The span id from the trace. Unique within a run in a well-formed
    /// trace; a damaged trace may repeat one, and then each occurrence is a
    /// span of its own.
    public var id: SpanID
    /// The index of the enclosing span, or `nil` for a top-level span.
    public var parent: Int?
    /// The parent span id as recorded, even when no such span was found.
    public var recordedParentID: SpanID?
    /// What the span stands for.
    public var kind: SpanKind
    /// The pipeline or node name.
    public var name: String
    /// Start, in nanoseconds since the run started.
    public var start: UInt64
    /// End, in nanoseconds since the run started. For a span the trace never
    /// closed, the run's last timestamp (see ``isFinished``).
    public var end: UInt64
    /// How the span ended: ``SpanStatus/running`` for an unfinished span.
    public var status: SpanStatus
    /// Whether the span's work was served from the cache: a node hit
    /// (`node_cached`), or a span that ended with status `cached`.
    public var isCached: Bool
    /// Whether the trace closed the span. An unfinished span (a recording cut
    /// off by a crash) ends at the run's last timestamp.
    public var isFinished: Bool
    /// The worker lane that executed the span.
    public var lane: Int
    /// Depth in the span tree: 0 for a top-level span.
    public var depth: Int
    /// The pipeline nesting depth recorded in the events (0 in the outermost pipeline).
    public var nestingDepth: Int
    /// The item's index, for map items.
    public var itemIndex: Int?
    /// The number of items, for maps.
    public var itemCount: Int?
    /// The attributes of the start and end events (the end's win).
    public var attributes: [String: String]
    /// The failure reported on this span (`error` event or end event), if any.
    public var error: ErrorInfo?
    /// Nodes served from the cache inside this map item (`map_item_cached` events).
    public var cacheHits: Int
    /// The indices of the enclosed spans, in start order.
    public var children: [Int]
    /// The span's own time: its duration minus the union of its children's
    /// intervals (clipped to the span), in nanoseconds.
    public var selfTime: UInt64

    /// Creates a span.
    public init(
        index: Int, id: SpanID, parent: Int?, recordedParentID: SpanID?, kind: SpanKind, name: String,
        start: UInt64, end: UInt64, status: SpanStatus, isCached: Bool = false, isFinished: Bool = true,
        lane: Int = 0, depth: Int = 0, nestingDepth: Int = 0, itemIndex: Int? = nil, itemCount: Int? = nil,
        attributes: [String: String] = [:], error: ErrorInfo? = nil, cacheHits: Int = 0, children: [Int] = [],
        selfTime: UInt64? = nil
    ) {
        self.index = index
        self.id = id
        self.parent = parent
        self.recordedParentID = recordedParentID
        self.kind = kind
        self.name = name
        self.start = start
        self.end = end
        self.status = status
        self.isCached = isCached
        self.isFinished = isFinished
        self.lane = lane
        self.depth = depth
        self.nestingDepth = nestingDepth
        self.itemIndex = itemIndex
        self.itemCount = itemCount
        self.attributes = attributes
        self.error = error
        self.cacheHits = cacheHits
        self.children = children
        self.selfTime = selfTime ?? (end >= start ? end - start : 0)
    }

    /// The span's duration in nanoseconds.
    public var duration: UInt64 { end >= start ? end - start : 0 }

    /// Whether the span failed (ended with status `error`).
    public var failed: Bool { status == .error }

    /// The span's outcome as one word: `ok`, `error`, `cached`, `cancelled`
    /// or `unfinished`.
    public var outcome: String {
        if !isFinished { return "unfinished" }
        if isCached && status != .error { return "cached" }
        return status.description
    }
}
