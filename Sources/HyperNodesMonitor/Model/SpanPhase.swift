import HyperNodes

/// Where a span stands at one instant of the model's timeline.
public enum SpanPhase: Sendable, Hashable {
    /// The span starts after the instant asked about.
    case notStarted
    /// The span has started and not ended at that instant (or never ends in the trace).
    case running
    /// The span started, and the source ended without its end (the process was killed, the
    /// connection was lost, the recording was cut off): it will never end.
    case unfinished
    /// The span ended at or before that instant, with its final status; `cached` when its work was
    /// served from the cache (a cached node, a map item whose every node was cached, or a span that
    /// ended with status `cached`).
    case finished(SpanStatus, cached: Bool)
}
