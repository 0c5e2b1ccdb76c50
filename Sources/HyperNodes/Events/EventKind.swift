/// What a ``PipelineEvent`` reports. Each kind is one hook of ``PipelineCallback``.
public enum EventKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// A pipeline began executing. Opens a pipeline span.
    case pipelineStart
    /// A pipeline finished. Closes the pipeline span.
    case pipelineEnd
    /// A node began executing. Opens a node span.
    case nodeStart
    /// A node finished. Closes the node span.
    case nodeEnd
    /// A node's outputs were served from the cache; the node did not run.
    case nodeCached
    /// A node failed. Reported on the failing node's span before it closes.
    case error
    /// A nested pipeline began, inside the node that wraps it. Opens a nested span.
    case nestedPipelineStart
    /// A nested pipeline finished. Closes the nested span.
    case nestedPipelineEnd
    /// A map over several items began. Opens a map span.
    case mapStart
    /// A map finished. Closes the map span.
    case mapEnd
    /// One map item began. Opens an item span.
    case mapItemStart
    /// One map item finished. Closes the item span.
    case mapItemEnd
    /// A node inside a map item was served from the cache.
    case mapItemCached

    /// The event's name in snake case, as in the Python library's hooks (`node_start`).
    public var description: String {
        switch self {
        case .pipelineStart: "pipeline_start"
        case .pipelineEnd: "pipeline_end"
        case .nodeStart: "node_start"
        case .nodeEnd: "node_end"
        case .nodeCached: "node_cached"
        case .error: "error"
        case .nestedPipelineStart: "nested_pipeline_start"
        case .nestedPipelineEnd: "nested_pipeline_end"
        case .mapStart: "map_start"
        case .mapEnd: "map_end"
        case .mapItemStart: "map_item_start"
        case .mapItemEnd: "map_item_end"
        case .mapItemCached: "map_item_cached"
        }
    }

    /// Whether this event opens a span.
    public var opensSpan: Bool {
        switch self {
        case .pipelineStart, .nodeStart, .nestedPipelineStart, .mapStart, .mapItemStart: true
        default: false
        }
    }

    /// Whether this event closes a span.
    public var closesSpan: Bool {
        switch self {
        case .pipelineEnd, .nodeEnd, .nestedPipelineEnd, .mapEnd, .mapItemEnd: true
        default: false
        }
    }
}
