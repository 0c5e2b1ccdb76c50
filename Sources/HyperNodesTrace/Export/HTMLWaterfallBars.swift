import HyperNodes

/// SVG bars of the HTML waterfall, placed in percent of the run's time axis
/// so that the page can be any width.
enum HTMLWaterfallBars {
    /// Spans shorter than this share of the axis (in percent) are drawn two pixels wide.
    static let minimumPercent = 0.15

    /// One bar from `start` to `end` on an axis of `total` nanoseconds, with an optional tooltip.
    static func bar(
        start: UInt64, end: UInt64, total: UInt64, state: HTMLWaterfallState, y: Int, height: Int,
        extraClass: String = "", tip: String? = nil
    ) -> String {
        let end = max(end, start)
        let x = HTMLWaterfallText.percent(start, of: total)
        let share = total == 0 ? 0 : Double(end - start) / Double(total) * 100
        let width = share < minimumPercent ? "2" : HTMLWaterfallText.percent(end - start, of: total) + "%"
        let thin = width == "2" ? " thin" : ""
        var out = "<rect class=\"s-\(state.rawValue)\(extraClass)\(thin)\" x=\"\(x)%\" width=\"\(width)\" y=\"\(y)\" "
        out += "height=\"\(height)\""
        guard let tip else { return out + "/>" }
        return out + "><title>" + HTMLWaterfallText.escape(tip) + "</title></rect>"
    }

    /// The bar of a span row: a pale bar over the whole span where its children ran, solid where
    /// it ran itself; a diamond for a span that took no time (a cache hit); a `✗` after a failed
    /// span's end.
    static func span(_ index: Int, in run: TraceRun, total: UInt64) -> String {
        let span = run.spans[index]
        let state = HTMLWaterfallState(span)
        let share = total == 0 ? 0 : Double(span.duration) / Double(total) * 100
        var out = ""
        if span.duration == 0 || (span.isCached && share < minimumPercent) {
            out += "<svg class=\"mk s-\(state.rawValue)\" x=\"\(HTMLWaterfallText.percent(span.start, of: total))%\" "
            out += "width=\"1\" height=\"22\" overflow=\"visible\"><path d=\"M0 4L6 11L0 18L-6 11Z\"/></svg>"
        } else {
            let children = span.children.filter { run.spans[$0].kind != .mapItem || span.kind != .map }
            if children.isEmpty {
                out += bar(start: span.start, end: span.end, total: total, state: state, y: 5, height: 12)
            } else {
                out += bar(
                    start: span.start, end: span.end, total: total, state: state, y: 5, height: 12,
                    extraClass: " ct")
                for (from, to) in selfSegments(of: span, children: children, in: run)
                where total > 0 && Double(to - from) / Double(total) * 100 >= minimumPercent / 2 {
                    out += bar(start: from, end: to, total: total, state: state, y: 5, height: 12)
                }
            }
        }
        if state == .failed {
            out +=
                "<text class=\"fx\" x=\"\(HTMLWaterfallText.percent(span.end, of: total))%\" dx=\"4\" y=\"16\">✗</text>"
        }
        return out
    }

    /// The parts of `span` not covered by any of `children`, in time order.
    static func selfSegments(of span: TraceSpan, children: [Int], in run: TraceRun) -> [(UInt64, UInt64)] {
        let intervals = children.map { (run.spans[$0].start, run.spans[$0].end) }.sorted { $0.0 < $1.0 }
        var segments: [(UInt64, UInt64)] = []
        var cursor = span.start
        for (start, end) in intervals {
            if start > cursor {
                segments.append((cursor, min(start, span.end)))
            }
            cursor = max(cursor, end)
            if cursor >= span.end { break }
        }
        if cursor < span.end { segments.append((cursor, span.end)) }
        return segments.filter { $0.1 > $0.0 }
    }
}
