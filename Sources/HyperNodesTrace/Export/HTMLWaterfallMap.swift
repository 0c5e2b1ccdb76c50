import HyperNodes

/// The drawing of one map in the HTML waterfall: the density strip of its
/// collapsed row, and its worker lanes.
///
/// Sizes are bounded whatever the number of items: the strip is two paths
/// over ``densityBuckets`` buckets; a lane lists its items one by one only
/// while the map has at most ``itemDetailLimit`` items, and is otherwise a
/// handful of paths over ``laneColumns`` columns; at most ``maximumLanes``
/// lanes are drawn.
struct HTMLWaterfallMap {
    /// Buckets of the density strip, over the map's extent.
    static let densityBuckets = 240
    /// The most items a map may have for its lanes to draw each item (with its own tooltip).
    static let itemDetailLimit = 1_500
    /// Columns of an aggregated lane, over the map's extent.
    static let laneColumns = 600
    /// The most lanes drawn for one map.
    static let maximumLanes = 256

    /// The run the map belongs to.
    let run: TraceRun
    /// The map's span in ``TraceRun/spans``.
    let map: Int
    /// The item spans, in start order.
    let items: [Int]
    /// Where the drawing starts: the map's start, or its earliest item's when earlier.
    let from: UInt64
    /// Where the drawing ends: the map's end, or its latest item's when later.
    let to: UInt64

    init(run: TraceRun, map: Int) {
        self.run = run
        self.map = map
        items = HTMLWaterfallLayout.items(of: map, in: run)
        var from = run.spans[map].start
        var to = run.spans[map].end
        for item in items {
            from = min(from, run.spans[item].start)
            to = max(to, run.spans[item].end)
        }
        self.from = from
        self.to = max(to, from)
    }

    /// Whether the map has item spans (and so lanes to open).
    var hasItems: Bool { !items.isEmpty }

    /// The lanes, ascending, with their items in start order.
    var lanes: [(lane: Int, items: [Int])] {
        var byLane: [Int: [Int]] = [:]
        for item in items { byLane[run.spans[item].lane, default: []].append(item) }
        return byLane.keys.sorted().map { ($0, byLane[$0]!) }
    }

    /// `[start, end)` of `span` mapped onto `count` equal parts of the drawing's time span, as
    /// fractional positions.
    private func position(_ span: Int, count: Int) -> (Double, Double) {
        let width = Double(max(1, to - from))
        let start = run.spans[span].start
        let end = max(run.spans[span].end, start)
        let a = Double(start - min(start, from)) / width * Double(count)
        // A zero-length item still occupies a sliver, so it is counted.
        let b = max(Double(end - min(end, from)) / width * Double(count), a + 1e-6)
        return (a, b)
    }

    /// The density strip: the number of items running at once (relative to the peak) as a filled
    /// step area, and ticks where failed items ended, in a nested SVG placed over the map's extent
    /// on an axis of `total` nanoseconds.
    func densitySVG(total: UInt64, state: HTMLWaterfallState) -> String {
        let buckets = Self.densityBuckets
        var load = [Double](repeating: 0, count: buckets)
        var failedAt = [Bool](repeating: false, count: buckets)
        for item in items {
            let (a, b) = position(item, count: buckets)
            let first = min(buckets - 1, Int(a))
            let last = min(buckets - 1, max(first, Int(b.rounded(.up)) - 1))
            for bucket in first...last {
                load[bucket] += max(0, min(b, Double(bucket + 1)) - max(a, Double(bucket)))
            }
            if run.spans[item].status == .error { failedAt[last] = true }
        }
        let peak = load.max() ?? 0
        let x = HTMLWaterfallText.percent(from, of: total)
        let width = HTMLWaterfallText.percent(max(to - from, 0), of: total)
        var out = "<rect class=\"extent\" x=\"\(x)%\" width=\"\(width)%\" y=\"10\" height=\"2\"/>"
        guard peak > 0 else { return out }
        out += "<svg class=\"dens s-\(state.rawValue)\" x=\"\(x)%\" width=\"\(width)%\" y=\"3\" height=\"16\" "
        out += "viewBox=\"0 0 \(buckets) 100\" preserveAspectRatio=\"none\"><path class=\"area\" d=\"M0 100"
        var level = 100
        for bucket in 0..<buckets {
            let next = 100 - Int((load[bucket] / peak * 100).rounded())
            if next != level {
                out += "H\(bucket)V\(next)"
                level = next
            }
        }
        out += "H\(buckets)V100Z\"/>"
        let failures = (0..<buckets).filter { failedAt[$0] }
        if !failures.isEmpty {
            out += "<path class=\"fails\" d=\""
            for bucket in failures { out += "M\(bucket).5 0V100" }
            out += "\"/>"
        }
        return out + "</svg>"
    }

    /// The items of `lane` drawn on an axis of `total` nanoseconds: one bar per item with its
    /// tooltip, or, past ``itemDetailLimit`` items in the map, merged columns.
    func laneSVG(_ laneItems: [Int], lane: Int, total: UInt64) -> String {
        if items.count <= Self.itemDetailLimit {
            var out = ""
            for item in laneItems {
                let span = run.spans[item]
                let state = HTMLWaterfallState(item: item, in: run)
                let tip = HTMLWaterfallTooltip.item(span, state: state, in: run)
                out += HTMLWaterfallBars.bar(
                    start: span.start, end: span.end, total: total, state: state, y: 4, height: 14, tip: tip)
            }
            return out
        }
        return aggregatedLaneSVG(laneItems, lane: lane, total: total)
    }

    /// A lane of a large map: per column, how busy it was and the most telling state among its
    /// items; runs of equal columns are merged into one sub-path per state and shade.
    private func aggregatedLaneSVG(_ laneItems: [Int], lane: Int, total: UInt64) -> String {
        let columns = Self.laneColumns
        var busy = [Double](repeating: 0, count: columns)
        var rank = [Int](repeating: -1, count: columns)
        var state = [HTMLWaterfallState](repeating: .ok, count: columns)
        var failedAt = [Bool](repeating: false, count: columns)
        var failed = 0
        var busyTime: UInt64 = 0
        for item in laneItems {
            let itemState = HTMLWaterfallState(item: item, in: run)
            let (a, b) = position(item, count: columns)
            let first = min(columns - 1, Int(a))
            let last = min(columns - 1, max(first, Int(b.rounded(.up)) - 1))
            for column in first...last {
                busy[column] += max(0, min(b, Double(column + 1)) - max(a, Double(column)))
                if itemState.rank > rank[column] {
                    rank[column] = itemState.rank
                    state[column] = itemState
                }
            }
            if itemState == .failed {
                failedAt[last] = true
                failed += 1
            }
            busyTime = busyTime.saturatingAdd(run.spans[item].duration)
        }
        // Sub-paths by state and shade (a quarter of the column busy, a half, …).
        var paths: [String: String] = [:]
        var column = 0
        while column < columns {
            guard rank[column] >= 0 else {
                column += 1
                continue
            }
            let shade = min(4, max(1, Int((busy[column] * 4).rounded(.up))))
            var end = column + 1
            while end < columns && rank[end] >= 0 && state[end] == state[column]
                && min(4, max(1, Int((busy[end] * 4).rounded(.up)))) == shade
            {
                end += 1
            }
            paths["\(state[column].rawValue) q\(shade)", default: ""] += "M\(column) 0H\(end)V1H\(column)Z"
            column = end
        }
        let x = HTMLWaterfallText.percent(from, of: total)
        let width = HTMLWaterfallText.percent(to - from, of: total)
        var tip = "lane \(lane) · \(SummaryFormat.count(laneItems.count, "item"))"
        if failed > 0 { tip += " · \(failed) failed" }
        tip += "\nbusy \(HTMLWaterfallText.duration(busyTime)) of the map's \(HTMLWaterfallText.duration(to - from))"
        tip += "\n(too many items to draw one by one: each column shows how busy the lane was)"
        var out = "<svg class=\"agg\" x=\"\(x)%\" width=\"\(width)%\" y=\"4\" height=\"14\" "
        out += "viewBox=\"0 0 \(columns) 1\" preserveAspectRatio=\"none\"><title>"
        out += HTMLWaterfallText.escape(tip) + "</title>"
        for key in paths.keys.sorted() {
            out += "<path class=\"s-\(key)\" d=\"\(paths[key]!)\"/>"
        }
        let failures = (0..<columns).filter { failedAt[$0] }
        if !failures.isEmpty {
            out += "<path class=\"fails\" d=\""
            for column in failures { out += "M\(column).5 0V1" }
            out += "\"/>"
        }
        return out + "</svg>"
    }
}
