import HyperNodes

/// What a live server keeps so that a client connecting late receives the
/// state of every run so far: the header, the start of every open span,
/// closed spans within bounds, the latest progress of every map and the run
/// end, all as the trace lines that were streamed.
///
/// Bounds, per run: closed spans outside map items, up to
/// ``Limits/spans`` (the oldest closed go first); closed map items with
/// everything inside them, up to ``Limits/items`` (the oldest closed go
/// first). Open spans are always kept. Finished runs: the most recent
/// ``Limits/runs``. Spans are let go in the order they closed, and a span
/// closes after its children, so a kept span's parent is always kept too;
/// letting a map go lets its kept items and its progress go with it.
///
/// Owned by one thread at a time (the live server's hub lock).
struct LiveRetention {
    /// How much is kept.
    struct Limits {
        var spans = 100_000
        var items = 10_000
        var runs = 8
    }

    /// A line and its place in the stream.
    private struct Line {
        let seq: Int
        let bytes: [UInt8]
    }

    private struct Span {
        let parent: UInt64
        let isItem: Bool
        let isMap: Bool
        /// Whether the span lies inside a map item (and goes with it).
        let insideItem: Bool
        var lines: [Line]
        var children: [UInt64] = []
    }

    /// A first-in first-out list of span ids.
    private struct Queue {
        private var ids: [UInt64] = []
        private var head = 0

        var count: Int { ids.count - head }

        mutating func append(_ id: UInt64) { ids.append(id) }

        mutating func removeFirst() -> UInt64 {
            let id = ids[head]
            head += 1
            if head > 1024 && head * 2 > ids.count {
                ids.removeFirst(head)
                head = 0
            }
            return id
        }
    }

    private struct Run {
        let runID: UInt64
        let header: Line
        let pipeline: String
        let startTime: UInt64
        var spans: [UInt64: Span] = [:]
        var progress: [UInt64: Line] = [:]
        var closedSpans = Queue()
        var closedItems = Queue()
        var end: Line?
    }

    let limits: Limits
    private var runs: [UInt64: Run] = [:]
    /// Run ids in the order they started.
    private var order: [UInt64] = []
    private var finished = Queue()

    init(limits: Limits) {
        self.limits = limits
    }

    /// The number of spans kept, over all runs.
    var spanCount: Int { runs.values.reduce(0) { $0 + $1.spans.count } }

    /// The runs kept, in the order they started.
    var statusRuns: [LiveStatus.Run] {
        order.compactMap { id in
            runs[id].map {
                LiveStatus.Run(runID: $0.runID, pipeline: $0.pipeline, finished: $0.end != nil, startTime: $0.startTime)
            }
        }
    }

    /// Keeps a run's header line.
    mutating func addHeader(_ line: UnsafeRawBufferPointer, seq: Int) {
        guard case .header(let header)? = Self.decode(line) else { return }
        if runs[header.runID] != nil { return }
        runs[header.runID] = Run(
            runID: header.runID, header: Line(seq: seq, bytes: Array(line)), pipeline: header.pipeline,
            startTime: header.startTime)
        order.append(header.runID)
    }

    /// Keeps the line of `event` as its span requires.
    mutating func addEvent(_ event: PipelineEvent, line: UnsafeRawBufferPointer, seq: Int) {
        guard var run = runs.removeValue(forKey: event.runID) else { return }
        defer { runs[event.runID] = run }
        let id = event.spanID.rawValue
        let kind = event.kind
        if kind.opensSpan || kind == .nodeCached {
            let parent = event.parentSpanID?.rawValue ?? 0
            var insideItem = false
            if let parentSpan = run.spans[parent] {
                insideItem = parentSpan.isItem || parentSpan.insideItem
                run.spans[parent]!.children.append(id)
            }
            run.spans[id] = Span(
                parent: parent, isItem: kind == .mapItemStart, isMap: kind == .mapStart, insideItem: insideItem,
                lines: [Line(seq: seq, bytes: Array(line))])
            if kind == .nodeCached { closed(id, in: &run) }
        } else if run.spans[id] != nil {
            run.spans[id]!.lines.append(Line(seq: seq, bytes: Array(line)))
            if kind.closesSpan { closed(id, in: &run) }
        }
    }

    /// Keeps a map's latest progress line.
    mutating func addProgress(_ line: UnsafeRawBufferPointer, seq: Int) {
        guard case .progress(let progress)? = Self.decode(line) else { return }
        let map = progress.spanID.rawValue
        guard runs[progress.runID]?.spans[map] != nil else { return }
        runs[progress.runID]!.progress[map] = Line(seq: seq, bytes: Array(line))
    }

    /// Keeps a run's end line, and lets the oldest finished runs go beyond the bound.
    mutating func addRunEnd(_ line: UnsafeRawBufferPointer, seq: Int) {
        guard case .runEnd(let end)? = Self.decode(line), runs[end.runID] != nil else { return }
        if runs[end.runID]!.end == nil { finished.append(end.runID) }
        runs[end.runID]!.end = Line(seq: seq, bytes: Array(line))
        while finished.count > max(0, limits.runs) {
            let oldest = finished.removeFirst()
            runs[oldest] = nil
            order.removeAll { $0 == oldest }
        }
    }

    /// Appends the state of every run kept, in the order the runs started:
    /// header, span lines in stream order, latest map progress, run end.
    func snapshot(into output: inout [UInt8]) {
        for id in order {
            guard let run = runs[id] else { continue }
            output.append(contentsOf: run.header.bytes)
            var lines: [Line] = []
            lines.reserveCapacity(run.spans.count * 2)
            for span in run.spans.values { lines.append(contentsOf: span.lines) }
            lines.sort { $0.seq < $1.seq }
            for line in lines { output.append(contentsOf: line.bytes) }
            for line in run.progress.values.sorted(by: { $0.seq < $1.seq }) { output.append(contentsOf: line.bytes) }
            if let end = run.end { output.append(contentsOf: end.bytes) }
        }
    }

    private func closed(_ id: UInt64, in run: inout Run) {
        guard let span = run.spans[id] else { return }
        if span.isItem {
            run.closedItems.append(id)
            while run.closedItems.count > max(0, limits.items) { remove(run.closedItems.removeFirst(), from: &run) }
        } else if !span.insideItem {
            run.closedSpans.append(id)
            while run.closedSpans.count > max(0, limits.spans) { remove(run.closedSpans.removeFirst(), from: &run) }
        }
    }

    /// Lets a span go, with everything still kept inside it.
    private func remove(_ id: UInt64, from run: inout Run) {
        guard let span = run.spans.removeValue(forKey: id) else { return }
        if span.isMap { run.progress[id] = nil }
        for child in span.children { remove(child, from: &run) }
    }

    private static func decode(_ line: UnsafeRawBufferPointer) -> TraceRecord? {
        let bytes = line.bindMemory(to: UInt8.self)
        let body = UnsafeBufferPointer(rebasing: bytes[0..<max(0, bytes.count - 1)])
        return try? TraceDecoder().decode(body)
    }
}
