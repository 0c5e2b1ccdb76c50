import HyperNodes

/// The tooltip text of a row or an item of the HTML waterfall (plain text,
/// escaped where it is written): name, kind, times, status, cache, item
/// index, attributes and error.
enum HTMLWaterfallTooltip {
    /// The most attributes a tooltip lists.
    static let maximumAttributes = 24
    /// The most characters of an attribute value or error message a tooltip shows.
    static let maximumValueLength = 400

    /// The tooltip of a span row; for a map, with its items' figures.
    static func span(_ span: TraceSpan, in run: TraceRun) -> String {
        let state = HTMLWaterfallState(span)
        var lines = [span.name]
        var kind = String(span.kind.description.map { $0 == "_" ? " " : $0 })
        if let index = span.itemIndex { kind += " [\(index)]" }
        lines.append("\(kind) · lane \(span.lane)")
        lines.append(times(span))
        lines.append(status(span, state: state))
        if span.kind == .map, let map = run.mapStatistics(of: span.index) {
            var items = "items: \(SummaryFormat.count(map.items)) · done \(SummaryFormat.count(map.done))"
            if map.failed > 0 { items += " · failed \(SummaryFormat.count(map.failed))" }
            if map.cached > 0 { items += " · cached \(SummaryFormat.count(map.cached))" }
            if map.cancelled > 0 { items += " · cancelled \(SummaryFormat.count(map.cancelled))" }
            if map.inFlight > 0 { items += " · unfinished \(SummaryFormat.count(map.inFlight))" }
            lines.append(items)
            var speed = "at most \(map.peakConcurrency) at once"
            if let rate = map.itemsPerSecond { speed += " · \(SummaryFormat.rate(rate)) items/s" }
            lines.append(speed)
            if let latency = map.latency {
                lines.append(
                    "item time: p50 \(SummaryFormat.duration(latency.p50)) · p90 "
                        + "\(SummaryFormat.duration(latency.p90)) · p99 \(SummaryFormat.duration(latency.p99)) · "
                        + "max \(SummaryFormat.duration(latency.max))")
            }
        }
        lines += details(span)
        return lines.joined(separator: "\n")
    }

    /// The tooltip of a map item in a lane: with the nodes that ran inside it.
    static func item(_ span: TraceSpan, state: HTMLWaterfallState, in run: TraceRun) -> String {
        var lines = ["\(span.name)[\(span.itemIndex.map(String.init) ?? "?")] · map item · lane \(span.lane)"]
        lines.append(times(span))
        lines.append(status(span, state: state))
        // The nodes inside the item, in start order, at most eight.
        var nodes: [String] = []
        var count = 0
        var stack = span.children.reversed() as [Int]
        while let index = stack.popLast() {
            let inner = run.spans[index]
            if inner.kind == .node {
                count += 1
                if nodes.count < 8 {
                    let mark = inner.failed ? " ✗" : (inner.isCached ? " ⚡" : "")
                    nodes.append("\(inner.name) \(SummaryFormat.duration(inner.duration))\(mark)")
                }
            }
            stack.append(contentsOf: inner.children.reversed())
        }
        if !nodes.isEmpty {
            lines.append("nodes: " + nodes.joined(separator: ", ") + (count > nodes.count ? ", …" : ""))
        }
        lines += details(span)
        return lines.joined(separator: "\n")
    }

    private static func times(_ span: TraceSpan) -> String {
        var text = "\(HTMLWaterfallText.offset(span.start)) → \(HTMLWaterfallText.offset(span.end)) · "
        text += SummaryFormat.duration(span.duration)
        if span.selfTime != span.duration && span.kind != .mapItem {
            text += " (self \(SummaryFormat.duration(span.selfTime)))"
        }
        return text
    }

    private static func status(_ span: TraceSpan, state: HTMLWaterfallState) -> String {
        var text = "status: \(state.word)"
        if state == .unfinished { text += " (the trace ends before the span did)" }
        if span.cacheHits > 0 { text += " · \(SummaryFormat.count(span.cacheHits, "cache hit"))" }
        return text
    }

    /// The error and the attributes.
    private static func details(_ span: TraceSpan) -> [String] {
        var lines: [String] = []
        if let error = span.error {
            lines.append("error: \(error.type): \(clip(error.message))")
        }
        if !span.attributes.isEmpty {
            lines.append("attributes:")
            for key in span.attributes.keys.sorted().prefix(maximumAttributes) {
                lines.append("  \(key) = \(clip(span.attributes[key]!))")
            }
            if span.attributes.count > maximumAttributes {
                lines.append("  … \(span.attributes.count - maximumAttributes) more")
            }
        }
        return lines
    }

    private static func clip(_ text: String) -> String {
        text.count > maximumValueLength ? String(text.prefix(maximumValueLength)) + "…" : text
    }
}
