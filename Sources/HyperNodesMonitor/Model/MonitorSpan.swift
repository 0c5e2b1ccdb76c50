import HyperNodes
import HyperNodesTrace

/// One span as the monitor holds it: a pipeline, node, nested pipeline, map or map item.
///
/// Times are on the model's global timeline (see ``RunModel``). A span is built on demand from the
/// model's compact storage; ask the model "as of t" questions (``RunModel/phase(of:at:)``,
/// ``RunModel/end(of:at:)``) rather than reading ``end`` and ``status`` directly when showing a
/// position other than the latest.
public struct MonitorSpan: Sendable, Hashable {
    /// The span's index in the model (`0..<spanCount`); a parent's index is below its children's.
    public var index: Int
    /// The span id from the trace (unique within a run in an undamaged trace).
    public var id: SpanID
    /// The run, as an index into ``RunModel/runs``.
    public var run: Int
    /// The enclosing span's index, or `nil` for a top-level span.
    public var parent: Int?
    /// What the span stands for.
    public var kind: SpanKind
    /// The pipeline or node name.
    public var name: String
    /// Start, on the model's timeline.
    public var start: UInt64
    /// End, on the model's timeline; `nil` while the span is open.
    public var end: UInt64?
    /// The final status; ``SpanStatus/running`` while open.
    public var status: SpanStatus
    /// Whether the span's work was served from the cache.
    public var isCached: Bool
    /// The worker lane that executed the span.
    public var lane: Int
    /// Depth in the span tree: 0 for a top-level span.
    public var depth: Int
    /// The item's index, for map items.
    public var itemIndex: Int?
    /// The number of items, for maps (when the trace says).
    public var itemCount: Int?
    /// The attributes of the start and end events (the end's win).
    public var attributes: [String: String]
    /// The failure reported on this span, if any.
    public var error: ErrorInfo?
    /// Nodes served from the cache inside this map item.
    public var cacheHits: Int

    /// Creates a span.
    public init(
        index: Int, id: SpanID, run: Int, parent: Int?, kind: SpanKind, name: String, start: UInt64,
        end: UInt64?, status: SpanStatus, isCached: Bool = false, lane: Int = 0, depth: Int = 0,
        itemIndex: Int? = nil, itemCount: Int? = nil, attributes: [String: String] = [:],
        error: ErrorInfo? = nil, cacheHits: Int = 0
    ) {
        self.index = index
        self.id = id
        self.run = run
        self.parent = parent
        self.kind = kind
        self.name = name
        self.start = start
        self.end = end
        self.status = status
        self.isCached = isCached
        self.lane = lane
        self.depth = depth
        self.itemIndex = itemIndex
        self.itemCount = itemCount
        self.attributes = attributes
        self.error = error
        self.cacheHits = cacheHits
    }

    /// Whether the span is one item of a map.
    public var isItem: Bool { kind == .mapItem }
}
