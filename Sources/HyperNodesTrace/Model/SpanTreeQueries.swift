/// Questions about a span within its run's span array.
enum SpanTreeQueries {
    /// Duration minus the union of the children's intervals, clipped to the span.
    static func selfTime(of span: TraceSpan, in spans: [TraceSpan]) -> UInt64 {
        var covered: UInt64 = 0
        var reach = span.start
        for child in span.children {  // in start order
            let start = max(spans[child].start, reach)
            let end = min(spans[child].end, span.end)
            if end > start {
                covered += end - start
                reach = end
            }
        }
        return span.duration - min(covered, span.duration)
    }

    /// Whether every node below the item was served from the cache (and there is at least one).
    static func isCachedItem(_ item: Int, in spans: [TraceSpan]) -> Bool {
        if spans[item].status == .cached { return true }
        var sawNode = false
        var stack = spans[item].children
        while let index = stack.popLast() {
            let span = spans[index]
            if span.kind == .node {
                if !span.isCached { return false }
                sawNode = true
            }
            stack.append(contentsOf: span.children)
        }
        return sawNode
    }

    /// The number of spans below `index`.
    static func descendantCount(of index: Int, in spans: [TraceSpan]) -> Int {
        var count = 0
        var stack = spans[index].children
        while let next = stack.popLast() {
            count += 1
            stack.append(contentsOf: spans[next].children)
        }
        return count
    }
}
