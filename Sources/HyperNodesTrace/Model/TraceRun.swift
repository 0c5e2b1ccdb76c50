import HyperNodes

/// One recorded run: its header, its span tree, its maps and totals.
///
/// A parent always comes before its children in ``spans``, so walking the
/// array backwards visits children before parents.
public struct TraceRun: Sendable, Hashable {
    /// The run id.
    public var runID: UInt64
    /// The run's header, or `nil` when the trace has events of this run but
    /// no header for it.
    public var header: TraceHeader?
    /// The run's last record, or `nil` when the trace ends before it (a
    /// crash, or a run still going).
    public var end: RunEnd?
    /// Every span, parents before children.
    public var spans: [TraceSpan]
    /// The top-level spans, in start order: normally one, the outermost
    /// pipeline or map.
    public var roots: [Int]
    /// One entry per map span, ordered by span index.
    public var maps: [MapStatistics]
    /// The last progress tick of each map, by the map's span index.
    public var progress: [Int: MapProgress]
    /// The latest timestamp in the run's records, in nanoseconds since the run started.
    public var lastTimestamp: UInt64
    /// The number of records of this run (header included).
    public var recordCount: Int
    /// Counts over the spans.
    public var totals: RunTotals
    /// What was inconsistent in this run's records, and how it was repaired.
    public var issues: [TraceModelIssue]

    /// Creates a run.
    public init(
        runID: UInt64, header: TraceHeader?, end: RunEnd?, spans: [TraceSpan], roots: [Int], maps: [MapStatistics],
        progress: [Int: MapProgress], lastTimestamp: UInt64, recordCount: Int, totals: RunTotals,
        issues: [TraceModelIssue]
    ) {
        self.runID = runID
        self.header = header
        self.end = end
        self.spans = spans
        self.roots = roots
        self.maps = maps
        self.progress = progress
        self.lastTimestamp = lastTimestamp
        self.recordCount = recordCount
        self.totals = totals
        self.issues = issues
    }

    /// The pipeline name from the header, else the first top-level span's name.
    public var name: String {
        header?.pipeline ?? roots.first.map { spans[$0].name } ?? "run"
    }

    /// The run's wall-clock start in nanoseconds since 1970 (0 without a header).
    public var startTime: UInt64 { header?.startTime ?? 0 }

    /// The run's duration in nanoseconds: from the run end record when there
    /// is one, else up to the last timestamp or the latest span end.
    public var duration: UInt64 {
        if let end { return Swift.max(end.duration, end.timestamp) }
        return Swift.max(lastTimestamp, roots.map { spans[$0].end }.max() ?? 0)
    }

    /// How the run ended: from the run end record, else from its outermost
    /// span; ``SpanStatus/running`` when the trace does not say.
    public var status: SpanStatus {
        if let end { return end.status }
        if let root = roots.first, spans[root].isFinished { return spans[root].status }
        return .running
    }

    /// Whether the trace holds the whole run: a run end record and every span closed.
    public var isComplete: Bool { end != nil && totals.unfinished == 0 }

    /// The names from the top-level span down to `span`, inclusive.
    public func path(of span: Int) -> [String] {
        var names: [String] = []
        var current: Int? = span
        while let index = current {
            names.append(spans[index].name)
            current = spans[index].parent
        }
        return names.reversed()
    }

    /// The statistics of the map whose span is `span`, if it is a map.
    public func mapStatistics(of span: Int) -> MapStatistics? {
        // `maps` is ordered by span index: binary search.
        var low = 0
        var high = maps.count
        while low < high {
            let middle = (low + high) / 2
            if maps[middle].span < span { low = middle + 1 } else { high = middle }
        }
        return low < maps.count && maps[low].span == span ? maps[low] : nil
    }

    /// The spans in depth-first order (each parent before its children, children in start order).
    public var depthFirstOrder: [Int] {
        var order: [Int] = []
        order.reserveCapacity(spans.count)
        var stack: [Int] = roots.reversed()
        while let index = stack.popLast() {
            order.append(index)
            stack.append(contentsOf: spans[index].children.reversed())
        }
        return order
    }
}
