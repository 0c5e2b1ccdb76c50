/// The names of the span attributes that ``TelemetryCallback`` sets: the
/// `hypernodes.*` scheme, documented in `docs/telemetry.md`.
///
/// Attributes the engine puts on events are passed on under the same prefix:
/// previews as `hypernodes.input.<name>` and `hypernodes.output.<name>`, the
/// nested pipeline's names as `hypernodes.parent.pipeline` and
/// `hypernodes.child.pipeline`.
public enum TelemetryAttribute {
    /// What the span stands for: `pipeline`, `node`, `nested_pipeline`, `map`,
    /// `map_item` or `cache_hit`.
    public static let spanKind = "hypernodes.span.kind"
    /// The name of the pipeline the span belongs to.
    public static let pipelineName = "hypernodes.pipeline.name"
    /// The node's name, on node and cache-hit spans.
    public static let nodeName = "hypernodes.node.name"
    /// The nesting depth: 0 for the outermost pipeline.
    public static let depth = "hypernodes.depth"
    /// Pipeline names from the outermost to the current one, joined by ` > `.
    public static let path = "hypernodes.path"
    /// The map item's index, on map item spans.
    public static let itemIndex = "hypernodes.map.item_index"
    /// The number of items, on map spans.
    public static let mapTotal = "hypernodes.map.total"
    /// `true` on the span of a node served from the cache.
    public static let cacheHit = "hypernodes.cache.hit"
    /// The cache key (hex) of a node served from the cache.
    public static let cacheKey = "hypernodes.cache.key"
    /// How the span ended: `ok`, `error`, `cancelled` or `cached`.
    public static let status = "hypernodes.status"
    /// The span's duration in nanoseconds, as measured by the engine.
    public static let durationNanoseconds = "hypernodes.duration_ns"
    /// The type of the error that ended the span.
    public static let errorType = "hypernodes.error.type"
    /// The message of the error that ended the span.
    public static let errorMessage = "hypernodes.error.message"
    /// The run's id, shared by every span of one `run` or `map`.
    public static let runID = "hypernodes.run.id"
    /// The prefix of every attribute.
    public static let prefix = "hypernodes."
}
