import HyperNodes

/// Builds a ``TraceModel`` record by record, so a model can follow a trace
/// as it is read or received; ``model`` is a snapshot at any point.
///
/// ```swift
/// var builder = TraceModelBuilder()
/// for element in try TraceReader(path: "run.jsonl") {
///     if case .record(let record, let line) = element { builder.add(record, line: line) }
/// }
/// let model = builder.model
/// ```
public struct TraceModelBuilder: Sendable {
    private var runs: [UInt64: RunState] = [:]
    private var order: [UInt64] = []

    /// Creates an empty builder.
    public init() {}

    /// Adds the next record of the trace; `line` is its line number, for issues.
    public mutating func add(_ record: TraceRecord, line: Int? = nil) {
        let runID = record.runID
        if runs[runID] == nil {
            runs[runID] = RunState(runID: runID)
            order.append(runID)
            if case .header = record {
            } else {
                runs[runID]!.issue(line, "run \(hex(runID)) has records before (or without) its header")
            }
        }
        runs[runID]!.add(record, line: line)
    }

    /// The model of the records added so far. Spans still open are shown
    /// unfinished, ending at their run's last timestamp.
    public var model: TraceModel {
        TraceModel(runs: order.map { runs[$0]!.snapshot() })
    }
}

/// The run id as 16 hex digits.
func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
}

/// One run's state while records are added.
private struct RunState: Sendable {
    let runID: UInt64
    var header: TraceHeader?
    var end: RunEnd?
    var spans: [TraceSpan] = []
    var roots: [Int] = []
    /// Open spans by id.
    var open: [SpanID: Int] = [:]
    /// The latest span with each id, open or closed.
    var latest: [SpanID: Int] = [:]
    var progress: [Int: MapProgress] = [:]
    var lastTimestamp: UInt64 = 0
    var recordCount = 0
    var issues: [TraceModelIssue] = []
    /// Spans that received an `error` event (as opposed to an end with an error).
    var reportedErrors = Set<Int>()
    /// Issue counts by category, to keep a badly damaged trace from producing
    /// thousands of near-identical issues.
    var issueCounts: [String: Int] = [:]

    static let issuesPerCategory = 20

    init(runID: UInt64) { self.runID = runID }

    mutating func issue(_ line: Int?, _ message: String, category: String = "") {
        let count = issueCounts[category, default: 0]
        issueCounts[category] = count + 1
        if category.isEmpty || count < Self.issuesPerCategory {
            issues.append(TraceModelIssue(runID: runID, line: line, message: message))
        }
    }

    mutating func add(_ record: TraceRecord, line: Int?) {
        recordCount += 1
        lastTimestamp = max(lastTimestamp, record.timestamp)
        switch record {
        case .header(let header):
            if self.header != nil {
                issue(line, "a second header for run \(hex(runID)); the first is kept")
            } else {
                self.header = header
            }
        case .event(let event):
            add(event, line: line)
        case .progress(let tick):
            guard let map = latest[tick.spanID], spans[map].kind == .map else {
                issue(
                    line, "progress of map '\(tick.name)' refers to span \(tick.spanID), which is not a map",
                    category: "progress")
                return
            }
            if let previous = progress[map], previous.timestamp > tick.timestamp { return }
            progress[map] = tick
        case .runEnd(let end):
            if self.end != nil { issue(line, "a second run end for run \(hex(runID)); the last is kept") }
            self.end = end
            lastTimestamp = max(lastTimestamp, end.duration)
        }
    }

    private mutating func add(_ event: PipelineEvent, line: Int?) {
        if event.kind.opensSpan {
            open(event, line: line)
        } else if event.kind.closesSpan {
            close(event, line: line)
        } else {
            switch event.kind {
            case .nodeCached:
                let index = newSpan(event, line: line)
                spans[index].status = event.status == .running ? .cached : event.status
                spans[index].isCached = true
                spans[index].isFinished = true
                open[event.spanID] = nil
            case .mapItemCached:
                guard let item = latest[event.spanID] else {
                    issue(
                        line, "a cache hit of '\(event.name)' refers to span \(event.spanID), which never started",
                        category: "unknown span")
                    return
                }
                spans[item].cacheHits += 1
            case .error:
                guard let span = open[event.spanID] ?? latest[event.spanID] else {
                    let message = event.error.map { ": \($0.type): \($0.message)" } ?? ""
                    issue(
                        line,
                        "an error of '\(event.name)' refers to span \(event.spanID), which never started\(message)",
                        category: "unknown span")
                    return
                }
                if let error = event.error { spans[span].error = error }
                reportedErrors.insert(span)
            default:
                break
            }
        }
    }

    private mutating func open(_ event: PipelineEvent, line: Int?) {
        if latest[event.spanID] != nil {
            issue(
                line, "span id \(event.spanID) is used again by \(event.kind) '\(event.name)'; kept as a separate span",
                category: "duplicate")
        }
        _ = newSpan(event, line: line)
    }

    private mutating func close(_ event: PipelineEvent, line: Int?) {
        let kind = SpanKind(event.kind)!
        guard let index = open[event.spanID] else {
            if let closed = latest[event.spanID] {
                issue(
                    line, "\(event.kind) '\(event.name)' closes span \(event.spanID) again; ignored",
                    category: "closed twice")
                _ = closed
                return
            }
            issue(
                line,
                "\(event.kind) '\(event.name)' closes span \(event.spanID), which never started; "
                    + "its start is taken from its duration", category: "unknown span")
            var start = event
            start.timestamp = event.timestamp - min(event.duration ?? 0, event.timestamp)
            let index = newSpan(start, line: line)
            finish(index, with: event, line: line)
            return
        }
        if spans[index].kind != kind {
            issue(
                line, "\(event.kind) '\(event.name)' closes span \(event.spanID), which is a \(spans[index].kind) span",
                category: "kind")
        }
        finish(index, with: event, line: line)
    }

    private mutating func finish(_ index: Int, with event: PipelineEvent, line: Int?) {
        open[spans[index].id] = nil
        spans[index].end = max(event.timestamp, spans[index].start)
        spans[index].isFinished = true
        if event.status == .running {
            issue(line, "\(event.kind) '\(event.name)' has status running; taken as ok", category: "status")
            spans[index].status = .ok
        } else {
            spans[index].status = event.status
        }
        if event.status == .cached { spans[index].isCached = true }
        if let count = event.itemCount { spans[index].itemCount = count }
        for (key, value) in event.attributes { spans[index].attributes[key] = value }
        if let error = event.error { spans[index].error = error }
    }

    /// Appends a span for the start (or cache hit) `event` and links it to its parent.
    private mutating func newSpan(_ event: PipelineEvent, line: Int?) -> Int {
        let index = spans.count
        var parent: Int?
        if let parentID = event.parentSpanID {
            if let found = open[parentID] ?? latest[parentID] {
                parent = found
            } else {
                parent = roots.first
                let target = parent.map { "the run's root '\(spans[$0].name)'" } ?? "the top level"
                issue(
                    line,
                    "the parent span \(parentID) of \(event.kind) '\(event.name)' is not in the trace; "
                        + "attached to \(target)", category: "missing parent")
            }
        }
        let span = TraceSpan(
            index: index, id: event.spanID, parent: parent, recordedParentID: event.parentSpanID,
            kind: SpanKind(event.kind)!, name: event.name, start: event.timestamp, end: event.timestamp,
            status: .running, isFinished: false, lane: event.lane, depth: parent.map { spans[$0].depth + 1 } ?? 0,
            nestingDepth: event.depth, itemIndex: event.itemIndex, itemCount: event.itemCount,
            attributes: event.attributes, error: event.error)
        spans.append(span)
        if let parent {
            spans[parent].children.append(index)
        } else {
            roots.append(index)
        }
        open[event.spanID] = index
        latest[event.spanID] = index
        return index
    }

    /// The run as it stands: open spans closed at the last timestamp and
    /// marked unfinished, children ordered, self times, map statistics, totals.
    func snapshot() -> TraceRun {
        var spans = self.spans
        var issues = self.issues
        for (category, count) in issueCounts.sorted(by: { $0.key < $1.key })
        where !category.isEmpty && count > Self.issuesPerCategory {
            issues.append(
                TraceModelIssue(
                    runID: runID, line: nil,
                    message: "\(count - Self.issuesPerCategory) more issues like these (\(category)) not listed"))
        }
        let unfinished = open.values.sorted()
        for index in unfinished {
            spans[index].end = max(spans[index].start, lastTimestamp)
            spans[index].status = .running
            spans[index].isFinished = false
        }
        if !unfinished.isEmpty {
            issues.append(
                TraceModelIssue(
                    runID: runID, line: nil,
                    message: "\(unfinished.count) span\(unfinished.count == 1 ? "" : "s") never closed "
                        + "(the trace ends before the run did); shown unfinished, ending at the last timestamp"))
        }
        var roots = self.roots
        let starts = spans.map(\.start)
        let byStart: (Int, Int) -> Bool = { a, b in
            starts[a] != starts[b] ? starts[a] < starts[b] : a < b
        }
        roots.sort(by: byStart)
        for index in spans.indices where spans[index].children.count > 1 {
            spans[index].children.sort(by: byStart)
        }
        for index in spans.indices {
            spans[index].selfTime = SpanTreeQueries.selfTime(of: spans[index], in: spans)
        }

        var totals = RunTotals()
        var hasErrorBelow = [Bool](repeating: false, count: spans.count)
        for index in spans.indices.reversed() {
            let span = spans[index]
            totals.spans += 1
            switch span.kind {
            case .pipeline: totals.pipelines += 1
            case .node: if span.isCached { totals.cachedNodes += 1 } else { totals.nodes += 1 }
            case .map: totals.maps += 1
            default: break
            }
            if span.status == .error { totals.failed += 1 }
            if span.status == .cancelled { totals.cancelled += 1 }
            if !span.isFinished { totals.unfinished += 1 }
            let hasError = span.error != nil || reportedErrors.contains(index)
            if hasError && !hasErrorBelow[index] { totals.errors += 1 }
            if let parent = span.parent, hasError || hasErrorBelow[index] { hasErrorBelow[parent] = true }
        }
        let maps = spans.indices.filter { spans[$0].kind == .map }.map {
            Self.statistics(ofMap: $0, in: spans, progress: progress[$0])
        }
        totals.mapItems = maps.reduce(0) { $0 + $1.done }
        return TraceRun(
            runID: runID, header: header, end: end, spans: spans, roots: roots, maps: maps, progress: progress,
            lastTimestamp: lastTimestamp, recordCount: recordCount, totals: totals, issues: issues)
    }

    /// The statistics of the map span at `index`.
    static func statistics(ofMap index: Int, in spans: [TraceSpan], progress: MapProgress?) -> MapStatistics {
        let map = spans[index]
        let items = map.children.filter { spans[$0].kind == .mapItem }
        var done = 0
        var failed = 0
        var cached = 0
        var cancelled = 0
        var inFlight = 0
        var durations: [UInt64] = []
        durations.reserveCapacity(items.count)
        var edges: [(time: UInt64, delta: Int)] = []
        edges.reserveCapacity(items.count * 2)
        for item in items {
            let span = spans[item]
            edges.append((span.start, 1))
            edges.append((span.end, -1))
            guard span.isFinished else {
                inFlight += 1
                continue
            }
            done += 1
            durations.append(span.duration)
            switch span.status {
            case .error: failed += 1
            case .cancelled: cancelled += 1
            default: if SpanTreeQueries.isCachedItem(item, in: spans) { cached += 1 }
            }
        }
        edges.sort { $0.time != $1.time ? $0.time < $1.time : $0.delta < $1.delta }
        var running = 0
        var peak = 0
        for edge in edges {
            running += edge.delta
            peak = max(peak, running)
        }
        var total = map.itemCount ?? progress?.total ?? items.count
        total = max(total, items.count)
        if let progress, progress.done > done {
            done = progress.done
            failed = progress.failed
            cached = progress.cached
            inFlight = map.isFinished ? 0 : progress.inFlight
            total = max(total, progress.total)
        }
        return MapStatistics(
            span: index, name: map.name, items: total, done: done, failed: failed, cached: cached,
            cancelled: cancelled, inFlight: inFlight, duration: map.duration,
            latency: MapStatistics.Latency(durations: durations), peakConcurrency: peak)
    }

}
