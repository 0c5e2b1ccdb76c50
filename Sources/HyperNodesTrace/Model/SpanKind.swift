import HyperNodes

/// What a span of a trace stands for.
public enum SpanKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A pipeline execution (`pipeline_start` … `pipeline_end`).
    case pipeline
    /// A node execution, or a node served from the cache (`node_cached`).
    case node
    /// A nested pipeline inside the node that wraps it.
    case nestedPipeline = "nested_pipeline"
    /// A map over several items.
    case map
    /// One item of a map.
    case mapItem = "map_item"

    /// The kind of span an event opens or closes, or `nil` for events that
    /// neither open nor close one (errors, map item cache hits). A
    /// `node_cached` event stands for a whole (zero-length) node span.
    public init?(_ kind: EventKind) {
        switch kind {
        case .pipelineStart, .pipelineEnd: self = .pipeline
        case .nodeStart, .nodeEnd, .nodeCached: self = .node
        case .nestedPipelineStart, .nestedPipelineEnd: self = .nestedPipeline
        case .mapStart, .mapEnd: self = .map
        case .mapItemStart, .mapItemEnd: self = .mapItem
        case .error, .mapItemCached: return nil
        }
    }

    /// The kind's name in snake case (`nested_pipeline`).
    public var description: String { rawValue }
}
