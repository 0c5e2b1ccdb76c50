import HyperNodes
import HyperNodesTrace

/// Writes a trace's records by hand, with chosen timestamps and lanes, for
/// deterministic tests (golden summaries, damaged traces).
struct TraceScript {
    /// The start time of scripted runs: 2026-01-02 03:04:05.678 UTC.
    static let startTime: UInt64 = 1_767_323_045_678_000_000

    private(set) var records: [TraceRecord] = []
    private var open: [SpanID: PipelineEvent] = [:]
    private var nextID: UInt64 = 1
    var runID: UInt64 = 0

    /// Starts a run: its header.
    mutating func header(runID: UInt64, pipeline: String, startTime: UInt64 = Self.startTime, pid: Int = 4242) {
        self.runID = runID
        records.append(
            .header(
                TraceHeader(
                    runID: runID, startTime: startTime,
                    process: TraceProcess(
                        pid: pid, executable: "/usr/local/bin/analysis", arguments: ["--items", "6"],
                        hostName: "build-host"),
                    pipeline: pipeline, graph: nil)))
    }

    /// Opens a span; milliseconds as `Double` for readability.
    @discardableResult
    mutating func start(
        _ kind: EventKind, _ name: String, at ms: Double, parent: SpanID?, lane: Int = 0, depth: Int = 0,
        item: Int? = nil, items: Int? = nil, id: UInt64? = nil, attributes: [String: String] = [:]
    ) -> SpanID {
        let span = SpanID(rawValue: id ?? nextID)
        nextID = max(nextID, span.rawValue) + 1
        let event = PipelineEvent(
            kind: kind, status: .running, runID: runID, spanID: span, parentSpanID: parent, name: name,
            timestamp: Self.ns(ms), depth: depth, lane: lane, itemIndex: item, itemCount: items,
            attributes: attributes)
        open[span] = event
        records.append(.event(event))
        return span
    }

    /// Closes a span opened by ``start``.
    mutating func end(_ span: SpanID, at ms: Double, status: SpanStatus = .ok, error: ErrorInfo? = nil) {
        let start = open.removeValue(forKey: span)!
        let closing: EventKind =
            switch start.kind {
            case .pipelineStart: .pipelineEnd
            case .nodeStart: .nodeEnd
            case .nestedPipelineStart: .nestedPipelineEnd
            case .mapStart: .mapEnd
            default: .mapItemEnd
            }
        records.append(
            .event(
                PipelineEvent(
                    kind: closing, status: status, runID: runID, spanID: span, parentSpanID: start.parentSpanID,
                    name: start.name, timestamp: Self.ns(ms), duration: Self.ns(ms) - start.timestamp,
                    depth: start.depth, lane: start.lane, itemIndex: start.itemIndex, itemCount: start.itemCount,
                    error: error)))
    }

    /// Any event, as given.
    mutating func event(
        _ kind: EventKind, _ name: String, span: UInt64, parent: UInt64?, at ms: Double,
        status: SpanStatus = .running, duration: Double? = nil, lane: Int = 0, error: ErrorInfo? = nil
    ) {
        records.append(
            .event(
                PipelineEvent(
                    kind: kind, status: status, runID: runID, spanID: SpanID(rawValue: span),
                    parentSpanID: parent.map { SpanID(rawValue: $0) }, name: name, timestamp: Self.ns(ms),
                    duration: duration.map(Self.ns), lane: lane, error: error)))
    }

    /// A node served from the cache.
    mutating func cached(_ name: String, at ms: Double, parent: SpanID, lane: Int = 0, depth: Int = 0) {
        let span = SpanID(rawValue: nextID)
        nextID += 1
        records.append(
            .event(
                PipelineEvent(
                    kind: .nodeCached, status: .cached, runID: runID, spanID: span, parentSpanID: parent,
                    name: name, timestamp: Self.ns(ms), depth: depth, lane: lane,
                    attributes: ["cache.key": String(repeating: "ab", count: 32)])))
    }

    /// A node of a map item served from the cache: the node's hit and the item's.
    mutating func cachedInItem(
        _ name: String, at ms: Double, item: SpanID, pipeline: SpanID, lane: Int, depth: Int
    ) {
        cached(name, at: ms, parent: pipeline, lane: lane, depth: depth)
        records.append(
            .event(
                PipelineEvent(
                    kind: .mapItemCached, status: .cached, runID: runID, spanID: item, parentSpanID: nil,
                    name: name, timestamp: Self.ns(ms), depth: depth, lane: lane)))
    }

    /// An error reported on an open span.
    mutating func error(_ span: SpanID, at ms: Double, _ info: ErrorInfo) {
        let start = open[span]!
        records.append(
            .event(
                PipelineEvent(
                    kind: .error, status: .error, runID: runID, spanID: span, parentSpanID: start.parentSpanID,
                    name: start.name, timestamp: Self.ns(ms), depth: start.depth, lane: start.lane, error: info)))
    }

    /// A progress tick of a map.
    mutating func progress(
        _ map: SpanID, _ name: String, at ms: Double, total: Int, done: Int, failed: Int = 0, cached: Int = 0,
        inFlight: Int
    ) {
        records.append(
            .progress(
                MapProgress(
                    runID: runID, spanID: map, name: name, timestamp: Self.ns(ms), total: total, done: done,
                    failed: failed, cached: cached, inFlight: inFlight)))
    }

    /// The run's end record.
    mutating func runEnd(at ms: Double, status: SpanStatus = .ok) {
        records.append(
            .runEnd(
                RunEnd(
                    runID: runID, timestamp: Self.ns(ms), status: status, duration: Self.ns(ms),
                    totals: RunEnd.Totals())))
    }

    /// The trace file's bytes.
    var bytes: [UInt8] {
        let encoder = TraceEncoder()
        var output: [UInt8] = []
        for record in records { encoder.encode(record, into: &output) }
        return output
    }

    static func ns(_ ms: Double) -> UInt64 { UInt64((ms * 1_000_000).rounded()) }
}

/// The scripted traces the tests share.
enum ScriptedTraces {
    /// A successful run of `analysis`: a node, a cached node, a nested map of
    /// six items over three lanes (one item fully cached, one partly), and a
    /// node with a CJK name.
    static var analysis: TraceScript {
        var s = TraceScript()
        s.header(runID: 0xC0FF_EE01, pipeline: "analysis")
        let root = s.start(.pipelineStart, "analysis", at: 0, parent: nil)
        let load = s.start(.nodeStart, "load", at: 0, parent: root)
        s.end(load, at: 120)
        s.cached("vocabulary", at: 120, parent: root)
        let analyze = s.start(.nodeStart, "analyze", at: 120, parent: root)
        let nested = s.start(.nestedPipelineStart, "document_analysis", at: 120.5, parent: analyze, depth: 1)
        let map = s.start(.mapStart, "document_analysis", at: 121, parent: nested, depth: 1, items: 6)
        // Items 0…5 on lanes 0, 1, 2, two rounds.
        let timings: [(start: Double, end: Double, lane: Int)] = [
            (121, 721, 0), (121, 621, 1), (121, 921, 2), (721, 1321, 0), (621, 640, 1), (921, 1880, 2),
        ]
        for (index, timing) in timings.enumerated() {
            let item = s.start(
                .mapItemStart, "document_analysis", at: timing.start, parent: map, lane: timing.lane, depth: 1,
                item: index)
            let pipeline = s.start(
                .pipelineStart, "document_analysis", at: timing.start, parent: item, lane: timing.lane, depth: 1)
            let third = (timing.end - timing.start) / 3
            if index == 4 {
                s.cachedInItem("tokenize", at: timing.start + 1, item: item, pipeline: pipeline, lane: 1, depth: 1)
                s.cachedInItem("embed", at: timing.start + 2, item: item, pipeline: pipeline, lane: 1, depth: 1)
            } else {
                let tokenize = s.start(
                    .nodeStart, "tokenize", at: timing.start, parent: pipeline, lane: timing.lane, depth: 1)
                s.end(tokenize, at: timing.start + third)
                if index == 1 {
                    s.cachedInItem(
                        "embed", at: timing.start + third, item: item, pipeline: pipeline, lane: 1, depth: 1)
                } else {
                    let embed = s.start(
                        .nodeStart, "embed", at: timing.start + third, parent: pipeline, lane: timing.lane,
                        depth: 1)
                    s.end(embed, at: timing.end - 1)
                }
            }
            s.end(pipeline, at: timing.end)
            s.end(item, at: timing.end)
            if index == 2 { s.progress(map, "document_analysis", at: 921, total: 6, done: 3, cached: 1, inFlight: 3) }
        }
        s.progress(map, "document_analysis", at: 1880, total: 6, done: 6, cached: 1, inFlight: 0)
        s.end(map, at: 1880)
        s.end(nested, at: 1880.5)
        s.end(analyze, at: 1881)
        let report = s.start(.nodeStart, "報告_report", at: 1881, parent: root)
        s.end(report, at: 2000)
        s.end(root, at: 2000)
        s.runEnd(at: 2000)
        return s
    }

    /// Two runs in one file: the first fails in a nested node (the error is
    /// reported for the inner node and again for the wrapper); the second is
    /// cut off by a crash while a map runs.
    static var failedThenTruncated: TraceScript {
        var s = TraceScript()
        s.header(runID: 0xBAD1, pipeline: "outer")
        let outer = s.start(.pipelineStart, "outer", at: 0, parent: nil)
        let wrapper = s.start(.nodeStart, "wrapper", at: 1, parent: outer)
        let nested = s.start(.nestedPipelineStart, "inner", at: 1, parent: wrapper, depth: 1)
        let inner = s.start(.pipelineStart, "inner", at: 1, parent: nested, depth: 1)
        let boom = s.start(.nodeStart, "boom", at: 2, parent: inner, depth: 1)
        let failure = ErrorInfo(type: "Checks.ParseError", message: "bad header in \"input.csv\"\nline 3")
        s.error(boom, at: 50, failure)
        s.end(boom, at: 50, status: .error, error: failure)
        s.end(inner, at: 50, status: .error)
        s.end(nested, at: 50, status: .error)
        s.error(wrapper, at: 50, failure)
        s.end(wrapper, at: 50, status: .error, error: failure)
        s.end(outer, at: 51, status: .error, error: failure)
        s.runEnd(at: 51, status: .error)

        s.header(runID: 0x7256, pipeline: "batch", startTime: TraceScript.startTime + 60_000_000_000)
        let batch = s.start(.pipelineStart, "batch", at: 0, parent: nil)
        let prepare = s.start(.nodeStart, "prepare", at: 0, parent: batch)
        s.end(prepare, at: 10)
        let map = s.start(.mapStart, "each", at: 10, parent: batch, items: 100)
        for index in 0..<2 {
            let item = s.start(.mapItemStart, "each", at: 10 + Double(index), parent: map, lane: index, item: index)
            if index == 0 { s.end(item, at: 200) }
        }
        s.progress(map, "each", at: 300, total: 100, done: 40, failed: 0, inFlight: 2)
        return s
    }
}
