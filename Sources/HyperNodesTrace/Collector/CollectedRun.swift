import HyperNodes

/// One run a ``TraceCollector`` saw: its span tree as the CLI reads it from
/// a trace file, and its map and node statistics over every item.
public struct CollectedRun: Sendable {
    /// The run: its spans (id, parent, kind, name, start, end, status,
    /// cached, lane, attributes; a span's path by ``TraceRun/path(of:)``),
    /// its header (with the pipeline graph), its maps and totals. Map counts
    /// are true even when item spans were aggregated; latency percentiles in
    /// ``TraceRun/maps`` cover only the item spans kept (see ``maps`` for all).
    public var run: TraceRun
    /// Map item spans not kept as spans, beyond
    /// ``TraceCollector/Options/maximumSpans``; they are counted in ``maps``.
    public var aggregatedItems: Int
    /// Every map of the run (maps inside another map's items added up by
    /// path), with per-node counts and latency over every item, kept or aggregated.
    public var maps: [CollectedMap]

    /// Creates a collected run.
    public init(run: TraceRun, aggregatedItems: Int, maps: [CollectedMap]) {
        self.run = run
        self.aggregatedItems = aggregatedItems
        self.maps = maps
    }

    /// The run alone as a trace model, for the renderers.
    public var model: TraceModel { TraceModel(runs: [run]) }

    /// The map whose path ends in `name` (the first such in start order).
    public func map(named name: String) -> CollectedMap? {
        maps.first { $0.name == name }
    }
}
