import HyperNodes

/// The map screen: one map's progress, items finished per second over time
/// as a block chart, items in flight as a sparkline, and latency
/// percentiles per node inside the items.
public enum MapScreen {
    /// The map to show: the selected map (or the map of the selected lane),
    /// else the busiest map at `now`.
    public static func chosenMap(model: RunModel, selection: RowID?, now: UInt64) -> Int? {
        if let map = selection?.map, map < model.spanCount, model.span(map).kind == .map { return map }
        return model.busiestMap(at: now)
    }

    /// Draws the screen for `map` (or a note when there is none) in `rect`.
    public static func draw(
        map: Int?, model: RunModel, now: UInt64, theme: Theme, into grid: inout CellGrid, in rect: Rect
    ) {
        guard !rect.isEmpty else { return }
        guard let map, model.span(map).start <= now else {
            grid.put("no map has started yet", x: rect.x + 1, y: rect.y, style: theme.style(.muted), limit: rect.maxX)
            return
        }
        let span = model.span(map)
        let phase = model.phase(of: map, at: now)
        let (glyph, role) = SpanGlyph.of(phase, now: now, theme: theme)
        let counts = model.mapCounts(of: map, at: now)
        var y = rect.y
        // Title: glyph, name, path.
        var column = grid.put(glyph, x: rect.x + 1, y: y, style: theme.style(role), limit: rect.maxX)
        column = grid.put(
            " " + DisplayWidth.printable(span.name), x: max(column, rect.x + 3), y: y,
            style: theme.style(.title), limit: rect.maxX)
        let path = model.path(of: map).dropLast().joined(separator: theme.ascii ? " > " : " › ")
        if !path.isEmpty {
            grid.put(
                DisplayWidth.truncate("  in " + path, to: max(0, rect.maxX - column), ellipsis: theme.ellipsis),
                x: column, y: y, style: theme.style(.muted), limit: rect.maxX)
        }
        y += 1
        guard y < rect.maxY else { return }
        // Progress bar and counts.
        let total = counts.total ?? max(counts.started, 1)
        let barWidth = max(4, min(40, rect.width - 24))
        column = ProgressBar.draw(
            Double(counts.done) / Double(max(total, 1)), into: &grid, x: rect.x + 1, y: y,
            width: barWidth, style: theme.style(counts.failed > 0 ? .failed : role), theme: theme)
        let totalText = counts.total.map { "/" + MonitorFormat.count($0) } ?? ""
        grid.put(
            " \(MonitorFormat.count(counts.done))\(totalText)  \(MonitorFormat.percent(counts.done, of: total))",
            x: column, y: y, limit: rect.maxX)
        y += 1
        guard y < rect.maxY else { return }
        // Figures.
        var figures: [(String, ThemeRole)] = [
            ("\(MonitorFormat.count(counts.inFlight)) in flight", counts.inFlight > 0 ? .running : .plain),
            (MonitorFormat.rate(model.rate(of: map, at: now)), .plain),
            ("ETA " + MonitorFormat.eta(model.eta(of: map, at: now), ascii: theme.ascii), .plain),
            (
                "\(MonitorFormat.count(counts.cached)) cached (\(MonitorFormat.percent(counts.cached, of: max(counts.done, 1))))",
                counts.cached > 0 ? .cached : .plain
            ),
            ("\(MonitorFormat.count(counts.failed)) failed", counts.failed > 0 ? .failed : .plain),
            ("elapsed " + MonitorFormat.duration(model.end(of: map, at: now) - span.start, ascii: theme.ascii), .muted),
        ]
        column = rect.x + 1
        while !figures.isEmpty {
            let (text, figureRole) = figures.removeFirst()
            let gap = column == rect.x + 1 ? 0 : 3
            guard column + gap + DisplayWidth.of(text) <= rect.maxX else { break }
            column = grid.put(text, x: column + gap, y: y, style: theme.style(figureRole))
        }
        y += 2
        // Latency table at the bottom, the chart in between.
        let latency = model.latency(of: map, at: now)
        let remaining = rect.maxY - y
        guard remaining > 0 else { return }
        let tableRows = latency.isEmpty ? 0 : min(latency.count + 1, max(2, remaining / 3))
        let chartHeight = remaining - tableRows - (tableRows > 0 ? 1 : 0)
        if chartHeight >= 3 {
            drawChart(
                map: map, model: model, now: now, theme: theme, role: role, into: &grid,
                in: Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: chartHeight))
        }
        if tableRows > 0 {
            let tableY = rect.maxY - tableRows
            drawLatency(
                latency, rows: tableRows, theme: theme, into: &grid,
                in: Rect(x: rect.x + 1, y: tableY, width: rect.width - 2, height: tableRows))
        }
    }

    private static func drawChart(
        map: Int, model: RunModel, now: UInt64, theme: Theme, role: ThemeRole, into grid: inout CellGrid, in rect: Rect
    ) {
        let axisWidth = 10
        guard rect.width > axisWidth + 4 else { return }
        let width = rect.width - axisWidth
        let start = model.span(map).start
        let end = max(model.end(of: map, at: now), start + 1)
        let bar = TimeBar(from: start, to: end, width: width)
        // Buckets of about three items each (at most one per cell), so a short map does not show as spikes.
        let done = model.mapCounts(of: map, at: now).done
        let buckets = max(1, min(width, done / 3))
        let bucket = Double(bar.to - bar.from) / Double(buckets) / 1e9
        let perBucket = model.completions(of: map, from: bar.from, to: bar.to, buckets: buckets).map {
            Double($0) / bucket
        }
        let rates = (0..<width).map { perBucket[min(buckets - 1, $0 * buckets / width)] }
        let inFlight = model.concurrency(of: map, from: bar.from, to: bar.to, buckets: width, at: now)
        grid.put("items/s", x: rect.x, y: rect.y, style: theme.style(.title))
        // Rows: heading, chart, in-flight strip, ruler (when room).
        let rulerHeight = rect.height >= 8 ? 2 : 0
        let stripHeight = rect.height >= 5 ? 1 : 0
        let chartHeight = rect.height - 1 - rulerHeight - stripHeight
        guard chartHeight >= 1 else { return }
        let chart = Rect(x: rect.x + axisWidth, y: rect.y + 1, width: width, height: chartHeight)
        let peak = rates.max() ?? 0
        grid.put(
            DisplayWidth.fit(MonitorFormat.rate(peak), to: axisWidth - 1, alignRight: true), x: rect.x,
            y: chart.y, style: theme.style(.muted))
        grid.put(
            DisplayWidth.fit("0", to: axisWidth - 1, alignRight: true), x: rect.x, y: chart.maxY - 1,
            style: theme.style(.muted))
        Sparkline.drawChart(rates, maximum: peak, into: &grid, in: chart, style: theme.style(role), theme: theme)
        if stripHeight > 0 {
            let y = chart.maxY
            let peakFlight = inFlight.max() ?? 0
            grid.put(
                DisplayWidth.fit("in flight", to: axisWidth - 1, alignRight: true), x: rect.x, y: y,
                style: theme.style(.muted))
            grid.put(
                Sparkline.text(inFlight, maximum: peakFlight, theme: theme), x: chart.x, y: y,
                style: theme.style(.running), limit: chart.maxX)
        }
        if rulerHeight > 0 {
            // The ruler reads in time since the map started.
            let relative = TimeBar(from: 0, to: bar.to - bar.from, width: width)
            TimeRuler.draw(
                relative, into: &grid,
                in: Rect(x: chart.x, y: chart.maxY + stripHeight, width: width, height: 2), theme: theme)
        }
    }

    private static func drawLatency(
        _ latency: [NodeLatency], rows: Int, theme: Theme, into grid: inout CellGrid, in rect: Rect
    ) {
        let columns = ["count", "p50", "p95", "p99", "max"]
        let numberWidth = 9
        let nameWidth = max(6, min(30, rect.width - columns.count * numberWidth))
        var x = grid.put(DisplayWidth.fit("node", to: nameWidth), x: rect.x, y: rect.y, style: theme.style(.title))
        for title in columns where x + numberWidth <= rect.maxX {
            x = grid.put(
                DisplayWidth.fit(title, to: numberWidth, alignRight: true), x: x, y: rect.y,
                style: theme.style(.title))
        }
        for (offset, node) in latency.prefix(rows - 1).enumerated() {
            let y = rect.y + 1 + offset
            let more = offset == rows - 2 && latency.count > rows - 1
            let name = more ? "… \(latency.count - offset) more" : DisplayWidth.printable(node.name)
            x = grid.put(
                DisplayWidth.fit(name, to: nameWidth), x: rect.x, y: y, style: theme.style(more ? .muted : .plain))
            if more { continue }
            let values =
                [MonitorFormat.count(node.count)]
                + [node.p50, node.p95, node.p99, node.max].map { MonitorFormat.duration($0, ascii: theme.ascii) }
            for value in values where x + numberWidth <= rect.maxX {
                x = grid.put(DisplayWidth.fit(value, to: numberWidth, alignRight: true), x: x, y: y)
            }
        }
    }
}
