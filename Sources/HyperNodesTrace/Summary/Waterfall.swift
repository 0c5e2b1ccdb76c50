import HyperNodes

/// The waterfall section of the summary: one row per span (down to a depth
/// and row limit), each a bar placed by time under a labelled time axis.
/// Bar ends use eighth blocks for sub-cell precision; the items of a map
/// share one row whose shading shows how many ran at once. With `color`,
/// markers and bars carry ANSI SGR colours per ``WaterfallState``; the
/// public entry point is ``TraceWaterfall``.
package struct Waterfall {
    let run: TraceRun
    let width: Int
    let maximumDepth: Int
    let maximumRows: Int
    let color: Bool
    /// The run's time span in nanoseconds, never zero.
    let total: UInt64

    init(run: TraceRun, width: Int, maximumDepth: Int, maximumRows: Int, color: Bool = false) {
        self.run = run
        self.width = width
        self.maximumDepth = max(1, maximumDepth)
        self.maximumRows = max(1, maximumRows)
        self.color = color
        total = max(1, max(run.duration, run.spans.map(\.end).max() ?? 0))
    }

    /// Left-aligned blocks of 1 to 7 eighths of a cell.
    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    /// Shades for the share of a map's peak concurrency running in a cell.
    static let shades: [Character] = ["░", "▒", "▓", "█"]

    private struct Row {
        var label: String
        var marker: Character
        var cells: [Character]
        /// The state each cell is coloured in (`nil` for an empty cell).
        var states: [WaterfallState?]
        /// The state the marker is coloured in.
        var markerState: WaterfallState
        /// Whether the row shades a map's items.
        var isDensity = false
    }

    var labelWidth: Int { min(32, max(8, width * 3 / 10)) }
    var barWidth: Int { max(4, width - labelWidth - 2) }

    /// The section's lines, finished like every line of the summary (no
    /// control characters but the colours asked for, at most ``width``
    /// cells wide, no trailing spaces).
    func lines() -> [String] {
        guard !run.spans.isEmpty else { return ["(no spans recorded)"] }
        var rows: [Row] = []
        var hidden = 0
        var stack: [Int] = run.roots.reversed()
        while let index = stack.popLast() {
            let span = run.spans[index]
            let isMap = span.kind == .map
            if span.depth >= maximumDepth || rows.count >= maximumRows {
                hidden += 1
            } else {
                rows.append(row(for: index))
            }
            // Items of a map are drawn in the map's row; what is inside them is not drawn.
            let children = isMap ? span.children.filter { run.spans[$0].kind != .mapItem } : span.children
            if isMap {
                hidden += span.children.filter { run.spans[$0].kind == .mapItem }.reduce(0) {
                    $0 + SpanTreeQueries.descendantCount(of: $1, in: run.spans)
                }
            }
            stack.append(contentsOf: children.reversed())
        }
        var lines = axis().map(finish)
        for row in rows { lines.append(line(for: row)) }
        if hidden > 0 {
            lines += DisplayWidth.wrap(
                "… \(SummaryFormat.count(hidden, "span")) not drawn (inside map items, deeper than "
                    + "\(maximumDepth) levels, or past \(maximumRows) rows)", to: width, indent: "  "
            ).map(finish)
        }
        lines += legend(rows)
        return lines
    }

    private func finish(_ line: String) -> String {
        TraceSummary.finish(line, width: width)
    }

    /// A row's line: its label, marker and bar, the marker and bar in their
    /// states' colours when ``color`` is set.
    private func line(for row: Row) -> String {
        let label = DisplayWidth.fit(row.label, to: labelWidth)
        let plain = finish(label + String(row.marker) + " " + String(row.cells))
        // Labels are printable and fitted, so a row is exactly `width` cells; colour nothing otherwise.
        guard color, DisplayWidth.of(label) + 2 + row.cells.count <= width else { return plain }
        var text = label
        text += row.marker == " " ? " " : row.markerState.paint(String(row.marker))
        text += " "
        guard let last = row.cells.lastIndex(where: { $0 != " " }) else { return finish(text) }
        var start = 0
        while start <= last {
            var end = start
            while end < last && row.states[end + 1] == row.states[start] { end += 1 }
            let run = String(row.cells[start...end])
            text += row.states[start].map { $0.paint(run) } ?? run
            start = end + 1
        }
        return text
    }

    private func row(for index: Int) -> Row {
        let span = run.spans[index]
        let name = DisplayWidth.printable(span.name)
        let indent = String(repeating: " ", count: min(span.depth, labelWidth / 3))
        var label = indent + name
        var marker = Self.marker(for: span)
        var markerState = WaterfallState(span)
        let cells: [Character]
        let states: [WaterfallState?]
        let items = span.kind == .map ? span.children.filter { run.spans[$0].kind == .mapItem } : []
        if span.kind == .map, let map = run.mapStatistics(of: index) {
            label += " ×\(SummaryFormat.count(map.items))"
            if map.failed > 0 && marker == " " {
                marker = "!"
                markerState = .failed
            }
        }
        if items.isEmpty {
            cells = Self.bar(start: span.start, end: span.end, total: total, cells: barWidth)
            let state = WaterfallState(span)
            states = cells.map { $0 == " " ? nil : state }
        } else {
            let peak = max(1, run.mapStatistics(of: index)?.peakConcurrency ?? 1)
            let intervals = items.map { (run.spans[$0].start, run.spans[$0].end) }
            cells = Self.density(of: intervals, peak: peak, total: total, cells: barWidth)
            states =
                color
                ? Self.cellStates(
                    of: zip(intervals, items).map { ($0.0, $0.1, WaterfallState(item: $1, in: run)) }, total: total,
                    cells: barWidth)
                : cells.map { _ in nil }
        }
        return Row(
            label: label, marker: marker, cells: cells, states: states, markerState: markerState,
            isDensity: !items.isEmpty)
    }

    static func marker(for span: TraceSpan) -> Character {
        if !span.isFinished { return ">" }
        switch span.status {
        case .error: return "!"
        case .cancelled: return "x"
        default: return span.isCached ? "=" : " "
        }
    }

    /// A bar from `start` to `end` on an axis of `total` nanoseconds drawn in
    /// `cells` cells, with eighth-block precision at its right end (and half
    /// or eighth blocks at its left end). Never empty: a span too short to
    /// see gets one eighth.
    static func bar(start: UInt64, end: UInt64, total: UInt64, cells: Int) -> [Character] {
        var row = [Character](repeating: " ", count: cells)
        let scale = Double(cells * 8) / Double(max(total, 1))
        let first = min(cells * 8 - 1, Int(Double(start) * scale))
        let last = max(first + 1, min(cells * 8, Int((Double(max(end, start)) * scale).rounded())))
        for cell in (first / 8)...((last - 1) / 8) {
            let from = max(first, cell * 8) - cell * 8  // 0...7
            let to = min(last, cell * 8 + 8) - cell * 8  // 1...8
            if from == 0 {
                row[cell] = to == 8 ? "█" : eighths[to - 1]
            } else if to == 8 {
                row[cell] = from <= 2 ? "█" : (from <= 5 ? "▐" : "▕")
            } else {
                row[cell] = eighths[max(1, to - from) - 1]
            }
        }
        return row
    }

    /// One row for many intervals: per cell, the average number running
    /// relative to `peak`, as a shade.
    static func density(of intervals: [(UInt64, UInt64)], peak: Int, total: UInt64, cells: Int) -> [Character] {
        var load = [Double](repeating: 0, count: cells)
        var touched = [Bool](repeating: false, count: cells)
        let cellDuration = Double(max(total, 1)) / Double(cells)
        for (start, end) in intervals {
            let a = Double(start)
            let b = Double(max(start, end))
            for cell in touchedCells(start: start, end: end, cellDuration: cellDuration, cells: cells) {
                let overlap = min(b, Double(cell + 1) * cellDuration) - max(a, Double(cell) * cellDuration)
                load[cell] += max(0, overlap) / cellDuration
                touched[cell] = true
            }
        }
        return (0..<cells).map { cell in
            guard touched[cell] else { return " " }
            // Quarters of the peak: (0, ¼] ░, (¼, ½] ▒, (½, ¾] ▓, (¾, 1] █; the
            // tolerance keeps rounding noise on a boundary from flickering.
            let quarters = (load[cell] / Double(peak) * 4 - 1e-6).rounded(.up)
            return shades[min(3, max(0, Int(quarters) - 1))]
        }
    }

    /// The cells an interval touches on an axis of `cells` cells of
    /// `cellDuration` nanoseconds each: at least one.
    private static func touchedCells(start: UInt64, end: UInt64, cellDuration: Double, cells: Int) -> ClosedRange<Int> {
        let a = Double(start)
        let b = Double(max(start, end))
        let firstCell = min(cells - 1, Int(a / cellDuration))
        // An interval ending on a cell boundary does not touch the next cell.
        let lastCell = b > a ? min(cells - 1, max(firstCell, Int((b / cellDuration).rounded(.up)) - 1)) : firstCell
        return firstCell...lastCell
    }

    /// Per cell of a map's row, the state it is coloured in: of the items
    /// touching the cell, the one that matters most (failed before
    /// unfinished, cancelled, ok and cached); `nil` where no item ran.
    static func cellStates(of items: [(UInt64, UInt64, WaterfallState)], total: UInt64, cells: Int)
        -> [WaterfallState?]
    {
        var states = [WaterfallState?](repeating: nil, count: cells)
        let cellDuration = Double(max(total, 1)) / Double(cells)
        for (start, end, state) in items {
            for cell in touchedCells(start: start, end: end, cellDuration: cellDuration, cells: cells)
            where states[cell].map({ $0.rank < state.rank }) ?? true {
                states[cell] = state
            }
        }
        return states
    }

    /// The axis: a row of time labels and a row of ticks.
    private func axis() -> [String] {
        let cells = barWidth
        let step = Self.tickStep(total: total, cells: cells)
        var labels = [Character](repeating: " ", count: cells)
        var ticks = [Character](repeating: "─", count: cells)
        var nextFree = 0
        var time: UInt64 = 0
        while time <= total {
            let column = Int((Double(time) / Double(total) * Double(cells)).rounded(.down))
            if column < cells {
                ticks[column] = "┬"
                let text = Array(Self.axisLabel(time))
                if column >= nextFree && column + text.count <= cells {
                    for (offset, character) in text.enumerated() { labels[column + offset] = character }
                    nextFree = column + text.count + 2
                }
            }
            let (next, overflow) = time.addingReportingOverflow(step)
            if overflow { break }
            time = next
        }
        let margin = String(repeating: " ", count: labelWidth + 2)
        return [margin + String(labels), margin + String(ticks)]
    }

    /// The smallest of 1, 2, 5 × 10ⁿ ns that puts ticks at least 10 cells apart.
    package static func tickStep(total: UInt64, cells: Int) -> UInt64 {
        let minimum = Double(total) * 10 / Double(max(cells, 1))
        var magnitude: UInt64 = 1
        while true {
            for factor: UInt64 in [1, 2, 5] where Double(factor * magnitude) >= minimum {
                return factor * magnitude
            }
            if magnitude > UInt64.max / 100 { return UInt64.max / 2 }
            magnitude *= 10
        }
    }

    /// An exact, short time label: `0`, `250 µs`, `1.5 s`.
    package static func axisLabel(_ nanoseconds: UInt64) -> String {
        if nanoseconds == 0 { return "0" }
        let units: [(UInt64, String)] = [(1_000_000_000, "s"), (1_000_000, "ms"), (1_000, "µs"), (1, "ns")]
        let (scale, name) = units.first { nanoseconds >= $0.0 } ?? (1, "ns")
        let whole = nanoseconds / scale
        var fraction = nanoseconds % scale
        guard fraction > 0 else { return "\(whole) \(name)" }
        var digits = ""
        var divisor = scale / 10
        while fraction > 0 && divisor > 0 && digits.count < 3 {
            digits.append(Character(String(fraction / divisor)))
            fraction %= divisor
            divisor /= 10
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return digits.isEmpty ? "\(whole) \(name)" : "\(whole).\(digits) \(name)"
    }

    /// The legend's lines: the markers used, the map shading and, with
    /// ``color``, a coloured swatch per state drawn.
    private func legend(_ rows: [Row]) -> [String] {
        let used = Set(rows.map(\.marker))
        var swatches: [String: WaterfallState] = [:]
        var parts: [String] = []
        if color {
            var drawn = Set(rows.flatMap { $0.states.compactMap { $0 } })
            drawn.formUnion(rows.filter { $0.marker != " " }.map(\.markerState))
            for state in WaterfallState.allCases where drawn.contains(state) {
                let part = "█ \(state.word)"
                swatches[part] = state
                parts.append(part)
            }
        }
        for (marker, meaning) in [
            ("!", "error"), ("x", "cancelled"), (">", "unfinished"), ("=", "cached"),
        ] where used.contains(Character(marker)) {
            parts.append("\(marker) \(meaning)")
        }
        if rows.contains(where: \.isDensity) {
            parts.append("░▒▓█ share of a map's items running at once")
        }
        guard !parts.isEmpty else { return [] }
        let lines = DisplayWidth.wrap(parts.joined(separator: " · "), to: width, at: " · ").map(finish)
        guard !swatches.isEmpty else { return lines }
        // Swatches are whole pieces between separators; colour their block.
        return lines.map { line in
            line.components(separatedBy: " · ").map { piece in
                swatches[piece].map { $0.paint("█") + piece.dropFirst() } ?? piece
            }.joined(separator: " · ")
        }
    }
}
