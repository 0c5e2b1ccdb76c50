import HyperNodes

/// The tree section of the summary: one row per pipeline, node, nested
/// pipeline and map, indented by depth, with status, duration, self time
/// and details (cache hits, map counts and throughput, errors). The items of
/// a map are merged into one row per distinct step below them.
struct SummaryTree {
    /// One row of the tree before layout.
    struct Row {
        var label: String
        var status: String
        var time: UInt64?
        var selfTime: UInt64?
        var details: [String]
        var children: [Row] = []
    }

    let run: TraceRun
    let maximumDepth: Int
    let maximumChildren: Int
    /// Spans whose error originated in them (no failing span below).
    private let errorOrigins: Set<Int>

    init(run: TraceRun, maximumDepth: Int, maximumChildren: Int = 100) {
        self.run = run
        self.maximumDepth = max(1, maximumDepth)
        self.maximumChildren = max(1, maximumChildren)
        var below = [Bool](repeating: false, count: run.spans.count)
        var origins = Set<Int>()
        for index in run.spans.indices.reversed() {
            let failing = run.spans[index].error != nil
            if failing && !below[index] { origins.insert(index) }
            if let parent = run.spans[index].parent, failing || below[index] { below[parent] = true }
        }
        errorOrigins = origins
    }

    /// The rows of the run's top-level spans.
    func rows() -> [Row] {
        rows(for: run.roots, depth: 0)
    }

    private func row(for index: Int, depth: Int) -> Row {
        let span = run.spans[index]
        var row = Row(
            label: label(of: span), status: span.outcome, time: span.duration, selfTime: span.selfTime,
            details: details(of: index))
        guard !span.children.isEmpty else { return row }
        if depth + 1 >= maximumDepth {
            row.children = [elision(count: SpanTreeQueries.descendantCount(of: index, in: run.spans))]
            return row
        }
        if span.kind == .map {
            let items = span.children.filter { run.spans[$0].kind == .mapItem }
            let others = span.children.filter { run.spans[$0].kind != .mapItem }
            row.children = rows(for: others, depth: depth + 1)
            if !items.isEmpty {
                var aggregate = Aggregate(kind: .mapItem, name: "items")
                for item in items { aggregate.merge(item, of: run, depthLeft: maximumDepth - depth - 1) }
                row.children.append(aggregate.row(latency: run.mapStatistics(of: index)?.latency))
            }
        } else {
            row.children = rows(for: span.children, depth: depth + 1)
        }
        return row
    }

    /// Rows for `spans`, the first ``maximumChildren`` of them, then one line counting the rest.
    private func rows(for spans: [Int], depth: Int) -> [Row] {
        var rows = spans.prefix(maximumChildren).map { row(for: $0, depth: depth) }
        if spans.count > maximumChildren {
            let rest = spans.dropFirst(maximumChildren)
            let count = rest.reduce(rest.count) { $0 + SpanTreeQueries.descendantCount(of: $1, in: run.spans) }
            rows.append(
                Row(
                    label:
                        "… \(SummaryFormat.count(rest.count, "more span")) (\(SummaryFormat.count(count)) with those below)",
                    status: "", details: []))
        }
        return rows
    }

    private func elision(count: Int) -> Row {
        Row(label: "… \(SummaryFormat.count(count, "span")) below", status: "", details: [])
    }

    private func label(of span: TraceSpan) -> String {
        let name = DisplayWidth.printable(span.name)
        switch span.kind {
        case .pipeline, .node: return name
        case .nestedPipeline: return "\(name) (nested)"
        case .map: return "\(name) (map)"
        case .mapItem: return "item \(span.itemIndex.map(String.init) ?? "?") of \(name)"
        }
    }

    private func details(of index: Int) -> [String] {
        let span = run.spans[index]
        var details: [String] = []
        switch span.kind {
        case .node where span.isCached:
            details.append("cache hit")
        case .pipeline:
            let hits = span.children.filter { run.spans[$0].kind == .node && run.spans[$0].isCached }.count
            if hits > 0 { details.append(SummaryFormat.count(hits, "cache hit")) }
        case .mapItem where span.cacheHits > 0:
            details.append(SummaryFormat.count(span.cacheHits, "cache hit"))
        case .map:
            if let map = run.mapStatistics(of: index) { details += Self.mapDetails(map) }
        default:
            break
        }
        if errorOrigins.contains(index), let error = span.error {
            details.append("error: \(Self.shortType(error.type)): \(DisplayWidth.printable(error.message))")
        }
        return details
    }

    /// The counts and throughput of a map, in two lines.
    static func mapDetails(_ map: MapStatistics) -> [String] {
        var counts = [SummaryFormat.count(map.items, "item"), "\(SummaryFormat.count(map.done)) done"]
        if map.failed > 0 { counts.append("\(SummaryFormat.count(map.failed)) failed") }
        if map.cached > 0 { counts.append("\(SummaryFormat.count(map.cached)) cached") }
        if map.cancelled > 0 { counts.append("\(SummaryFormat.count(map.cancelled)) cancelled") }
        if map.inFlight > 0 { counts.append("\(SummaryFormat.count(map.inFlight)) in flight") }
        var throughput: [String] = []
        if let rate = map.itemsPerSecond { throughput.append("\(SummaryFormat.rate(rate)) items/s") }
        if map.peakConcurrency > 1 { throughput.append("up to \(map.peakConcurrency) at once") }
        return [counts.joined(separator: " · ")] + (throughput.isEmpty ? [] : [throughput.joined(separator: " · ")])
    }

    /// The last component of a qualified type name (`Module.Parse.Error` → `Error`
    /// keeps its enclosing type: `Parse.Error`).
    static func shortType(_ type: String) -> String {
        let parts = type.split(separator: ".")
        return parts.count > 2 ? parts.suffix(2).joined(separator: ".") : type
    }
}

/// The spans of many map items merged by their position below the item:
/// one entry per distinct (kind, name) path, with counts and summed times.
private struct Aggregate {
    var kind: SpanKind
    var name: String
    var count = 0
    var total: UInt64 = 0
    var totalSelf: UInt64 = 0
    var failed = 0
    var cancelled = 0
    var cached = 0
    var unfinished = 0
    var elided = 0
    var children: [Aggregate] = []
    var childPositions: [String: Int] = [:]

    init(kind: SpanKind, name: String) {
        self.kind = kind
        self.name = name
    }

    mutating func merge(_ index: Int, of run: TraceRun, depthLeft: Int) {
        let span = run.spans[index]
        count += 1
        total = total.saturatingAdd(span.duration)
        totalSelf = totalSelf.saturatingAdd(span.selfTime)
        if !span.isFinished {
            unfinished += 1
        } else if span.status == .error {
            failed += 1
        } else if span.status == .cancelled {
            cancelled += 1
        } else if span.isCached || (span.kind == .mapItem && SpanTreeQueries.isCachedItem(index, in: run.spans)) {
            cached += 1
        }
        guard depthLeft > 1 else {
            elided += SpanTreeQueries.descendantCount(of: index, in: run.spans)
            return
        }
        for child in span.children {
            let childSpan = run.spans[child]
            let key = "\(childSpan.kind.rawValue)/\(childSpan.name)"
            let position: Int
            if let existing = childPositions[key] {
                position = existing
            } else {
                position = children.count
                childPositions[key] = position
                children.append(Aggregate(kind: childSpan.kind, name: childSpan.name))
            }
            children[position].merge(child, of: run, depthLeft: depthLeft - 1)
        }
    }

    func row(latency: MapStatistics.Latency? = nil) -> SummaryTree.Row {
        let status: String
        if failed > 0 {
            status = "error"
        } else if unfinished > 0 {
            status = "unfinished"
        } else if cancelled > 0 {
            status = "cancelled"
        } else if cached == count {
            status = "cached"
        } else {
            status = "ok"
        }
        let name = DisplayWidth.printable(self.name)
        let label: String
        switch kind {
        case .mapItem: label = "items ×\(SummaryFormat.count(count))"
        case .nestedPipeline: label = "\(name) (nested) ×\(SummaryFormat.count(count))"
        case .map: label = "\(name) (map) ×\(SummaryFormat.count(count))"
        case .pipeline, .node: label = "\(name) ×\(SummaryFormat.count(count))"
        }
        let divisor = UInt64(max(count, 1))
        var summary = ["mean", "total \(SummaryFormat.duration(total))"]
        if cached > 0 && cached < count { summary.append("\(SummaryFormat.count(cached)) cached") }
        if failed > 0 { summary.append("\(SummaryFormat.count(failed)) failed") }
        if cancelled > 0 { summary.append("\(SummaryFormat.count(cancelled)) cancelled") }
        if unfinished > 0 { summary.append("\(SummaryFormat.count(unfinished)) unfinished") }
        var details = [summary.joined(separator: " · ")]
        if let latency {
            details.append(
                "p50 \(SummaryFormat.duration(latency.p50)) · p90 \(SummaryFormat.duration(latency.p90)) · "
                    + "p99 \(SummaryFormat.duration(latency.p99)) · max \(SummaryFormat.duration(latency.max))")
        }
        var row = SummaryTree.Row(
            label: label, status: status, time: total / divisor, selfTime: totalSelf / divisor, details: details)
        row.children = children.map { $0.row() }
        if elided > 0 {
            row.children.append(
                SummaryTree.Row(label: "… \(SummaryFormat.count(elided, "span")) below", status: "", details: []))
        }
        return row
    }
}
