import HyperNodes

/// The waterfall: one row per span in tree order, each a bar on a shared
/// time axis with a ruler; a map's items folded into one density row that
/// opens into one row per worker lane.
///
/// Bars have eighth-block ends; running spans reach the playback position;
/// where a child ran the bar is shaded (`▒`, dim) and self time is solid
/// (`█`). Only the rows on screen and, for lanes, only the items inside the
/// window are asked for, so the cost does not grow with the trace.
public enum WaterfallScreen {
    /// The width of the label column for a screen `width` cells wide.
    public static func labelWidth(for width: Int) -> Int {
        min(40, max(12, width * 3 / 10))
    }

    /// Draws `rows` (from ``ScreenRows/build(_:view:now:purpose:keep:)`` for the waterfall) in `rect`.
    public static func draw(
        _ rows: [ScreenRow], model: RunModel, view: MonitorViewState, now: UInt64, theme: Theme,
        highlights: RowHighlights, into grid: inout CellGrid, in rect: Rect
    ) {
        guard !rect.isEmpty else { return }
        let labelWidth = labelWidth(for: rect.width)
        let barX = rect.x + labelWidth + 1
        let barWidth = max(0, rect.maxX - barX)
        let (from, to) = view.window(now: now)
        let bar = TimeBar(from: from, to: to, width: barWidth)
        let rulerHeight = rect.height >= 6 ? 2 : (rect.height >= 3 ? 1 : 0)
        let (rulerRect, body) = rect.splitTop(rulerHeight)
        if rulerHeight > 0 {
            TimeRuler.draw(
                bar, into: &grid, in: Rect(x: barX, y: rulerRect.y, width: barWidth, height: rulerHeight),
                theme: theme)
            // The playback position, when the window shows time after it.
            if now >= from && now < to && bar.column(of: now) < barWidth {
                grid.put(
                    theme.ascii ? "v" : "▼", x: barX + bar.column(of: now), y: rulerRect.maxY - 1,
                    style: theme.style(.running))
            }
            drawWindowNote(
                view: view, from: from, to: to, now: now, theme: theme, into: &grid,
                in: Rect(x: rect.x, y: rulerRect.y, width: labelWidth, height: rulerHeight))
        }
        guard !rows.isEmpty else {
            grid.put(
                view.searchQuery == nil ? "no spans yet" : "nothing matches the search", x: rect.x + 1,
                y: body.y, style: theme.style(.muted), limit: rect.maxX)
            return
        }
        let ids = rows.map(\.id)
        let selected = view.selectedIndex(in: ids)
        let first = MonitorViewState.scrollOffset(
            selected: selected, scroll: view.waterfallScroll, page: body.height, count: rows.count)
        let durationWidth = labelWidth >= 26 ? 8 : 0
        // Where the selection is among more rows than fit: at the right of the ruler's last label row.
        if rows.count > body.height && rulerHeight > 0 {
            let position = "\(selected + 1)/\(rows.count)"
            let x = rect.x + labelWidth - DisplayWidth.of(position)
            let y = rulerRect.maxY - 1
            if x > rect.x && ((x - 1)..<(rect.x + labelWidth)).allSatisfy({ grid[$0, y].character == " " }) {
                grid.put(position, x: x, y: y, style: theme.style(.muted))
            }
        }
        for (offset, row) in rows[first..<min(rows.count, first + body.height)].enumerated() {
            let y = body.y + offset
            let span = row.id.span
            switch row.id {
            case .span, .map:
                let labelEnd = rect.x + labelWidth - (durationWidth > 0 ? durationWidth + 1 : 0)
                RowLabel.draw(
                    row, model: model, now: now, theme: theme, critical: highlights.critical.contains(span),
                    match: highlights.matches.contains(span), branches: false, into: &grid, x: rect.x, y: y,
                    limit: labelEnd)
                if durationWidth > 0 {
                    let info = model.span(span)
                    let end = model.end(of: span, at: now)
                    let duration = end - min(info.start, end)
                    // A cache hit takes no time: its duration says nothing.
                    let text =
                        duration == 0 && info.isCached ? "" : MonitorFormat.duration(duration, ascii: theme.ascii)
                    grid.put(
                        DisplayWidth.fit(text, to: durationWidth, alignRight: true), x: labelEnd + 1, y: y,
                        style: theme.style(.muted))
                }
            case .lane, .pending:
                RowLabel.draw(
                    row, model: model, now: now, theme: theme, critical: false, match: false, branches: false,
                    into: &grid, x: rect.x, y: y, limit: rect.x + labelWidth)
            }
            switch row.id {
            case .span(let index):
                drawSpan(
                    index, model: model, now: now, bar: bar, theme: theme, highlights: highlights,
                    into: &grid, x: barX, y: y)
            case .map(let index):
                drawDensity(index, model: model, now: now, bar: bar, theme: theme, into: &grid, x: barX, y: y)
            case .lane(let map, let lane):
                drawLane(
                    map: map, lane: lane, model: model, now: now, bar: bar, theme: theme,
                    critical: highlights.critical, into: &grid, x: barX, y: y)
            case .pending: break
            }
            if first + offset == selected {
                grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0 = theme.selected($0) }
            }
        }
    }

    private static func drawWindowNote(
        view: MonitorViewState, from: UInt64, to: UInt64, now: UInt64, theme: Theme, into grid: inout CellGrid,
        in rect: Rect
    ) {
        let dash = theme.ascii ? "-" : "–"
        let range =
            (from == 0 ? "0" : MonitorFormat.duration(from, ascii: theme.ascii)) + dash
            + MonitorFormat.duration(to, ascii: theme.ascii)
        var mode = view.zoom == nil ? "whole run" : "zoomed"
        if view.followLive { mode += theme.ascii ? " | live" : " · live" }
        let lines = rect.height >= 2 ? [range, mode] : [mode]
        for (offset, line) in lines.enumerated() {
            grid.put(
                DisplayWidth.truncate(line, to: rect.width, ellipsis: theme.ellipsis), x: rect.x,
                y: rect.y + offset, style: theme.style(.muted), limit: rect.maxX)
        }
    }

    /// A span's bar: solid where it ran itself, shaded where a child ran.
    private static func drawSpan(
        _ index: Int, model: RunModel, now: UInt64, bar: TimeBar, theme: Theme, highlights: RowHighlights,
        into grid: inout CellGrid, x: Int, y: Int
    ) {
        let start = model.start(of: index)
        let end = model.end(of: index, at: now)
        let cells = bar.cells(start: start, end: end, theme: theme)
        guard !cells.isEmpty else { return }
        let phase = model.phase(of: index, at: now)
        var role = SpanGlyph.of(phase, now: now, theme: theme).role
        if highlights.critical.contains(index) { role = .critical }
        // Cells where a child covers at least half the cell are child time.
        var childCells = Set<Int>()
        for child in model.children(of: index, at: now) {
            let childStart = model.start(of: child)
            let childEnd = model.end(of: child, at: now)
            guard childEnd > childStart else { continue }
            let a = bar.column(of: childStart)
            let b = bar.column(of: childEnd)
            if a == b { continue }
            for column in max(0, a)..<min(bar.width, b + 1) {
                let cellStart = bar.time(atColumn: column)
                let cellEnd = bar.time(atColumn: column + 1)
                let overlap =
                    min(cellEnd, childEnd) > max(cellStart, childStart)
                    ? min(cellEnd, childEnd) - max(cellStart, childStart) : 0
                if overlap * 2 >= cellEnd - cellStart { childCells.insert(column) }
            }
        }
        let style = theme.style(role)
        var childStyle = style
        childStyle.attributes.insert(.dim)
        for (offset, cell) in cells.enumerated() {
            var character = cell.character
            let isChild = character == theme.barFull && childCells.contains(cell.column)
            if isChild { character = theme.barChild }
            if theme.ascii && phase == .running && offset == cells.count - 1 && end >= now {
                character = theme.barRunningEdge
            }
            grid.put(character, x: x + cell.column, y: y, style: isChild ? childStyle : style)
        }
    }

    /// A map's items as one strip: per cell, how many ran at once relative to the busiest cell;
    /// a cell where an item failed shows the failure glyph (a map that collected its failures
    /// ends well, so its row shows them here).
    private static func drawDensity(
        _ map: Int, model: RunModel, now: UInt64, bar: TimeBar, theme: Theme, into grid: inout CellGrid, x: Int, y: Int
    ) {
        let start = model.start(of: map)
        let end = model.end(of: map, at: now)
        let role = SpanGlyph.of(model.phase(of: map, at: now), now: now, theme: theme).role
        // The map's extent as a thin line, then the shades of its items over it.
        let first = max(0, bar.column(of: start))
        let last = min(bar.width - 1, max(first, bar.column(of: end)))
        guard first < bar.width, end >= bar.from else { return }
        for column in first...last {
            grid.put(theme.ruler.line, x: x + column, y: y, style: theme.style(.muted))
        }
        guard bar.width > 0 else { return }
        let load = model.concurrency(of: map, from: bar.from, to: bar.to, buckets: bar.width, at: now)
        let peak = load.max() ?? 0
        guard peak > 0 else { return }
        let shades = theme.densityShades
        for (column, value) in load.enumerated() where value > 0 {
            let quarters = Int((value / peak * 4 - 1e-6).rounded(.up))
            grid.put(shades[min(3, max(0, quarters - 1))], x: x + column, y: y, style: theme.style(role))
        }
        let failures = model.failures(of: map, from: bar.from, to: bar.to, buckets: bar.width, at: now)
        for (column, count) in failures.enumerated() where count > 0 {
            grid.put(theme.glyph(.error), x: x + column, y: y, style: theme.style(.failed))
        }
    }

    /// One worker lane of a map: its items inside the window, each a bar.
    /// Where items are denser than the cells, a cell shows how much of it was busy.
    private static func drawLane(
        map: Int, lane: Int, model: RunModel, now: UInt64, bar: TimeBar, theme: Theme, critical: SpanMask,
        into grid: inout CellGrid, x: Int, y: Int
    ) {
        guard bar.width > 0 else { return }
        if isDense(map: map, model: model, now: now, bar: bar) {
            drawSampledLane(
                map: map, lane: lane, model: model, now: now, bar: bar, theme: theme, critical: critical,
                into: &grid, x: x, y: y)
            return
        }
        let items = model.items(of: map, lane: lane, from: bar.from, to: bar.to, at: now)
        // Busy eighths per cell, and the most telling outcome in each cell.
        var busy = [Int](repeating: 0, count: bar.width)
        var ranks = [Int](repeating: -1, count: bar.width)
        var roles = [ThemeRole](repeating: .done, count: bar.width)
        // Cells where a failed item ends: they show the failure glyph.
        var failedEnds = Set<Int>()
        var starts = Set<Int>()
        let scale = Double(bar.width * 8) / Double(bar.to - bar.from)
        for item in items {
            let start = model.start(of: item)
            let end = model.end(of: item, at: now)
            let a = max(0, Int((Double(start > bar.from ? start - bar.from : 0) * scale).rounded(.down)))
            let b = min(bar.width * 8, max(a + 1, Int((Double(end > bar.from ? end - bar.from : 0) * scale).rounded())))
            guard a < bar.width * 8 else { continue }
            let phase = model.phase(of: item, at: now)
            let role = itemRole(item, phase: phase, now: now, theme: theme, critical: critical)
            if phase == .finished(.error, cached: false) { failedEnds.insert((b - 1) / 8) }
            // Items two cells or longer show where they start, so back-to-back items stay apart.
            if b - a >= 16 { starts.insert(a / 8) }
            for cell in (a / 8)...((b - 1) / 8) {
                busy[cell] += min(b, cell * 8 + 8) - max(a, cell * 8)
                if rank(role) > ranks[cell] {
                    ranks[cell] = rank(role)
                    roles[cell] = role
                }
            }
        }
        let eighths = theme.eighths
        for column in 0..<bar.width where busy[column] > 0 {
            let amount = min(8, busy[column])
            var character: Character
            if roles[column] == .cached {
                character = theme.densityShades[0]
            } else if amount == 8 || eighths.isEmpty {
                character = theme.barFull
            } else {
                character = eighths[amount - 1]
            }
            if starts.contains(column) && character == theme.barFull { character = theme.ascii ? "|" : "▐" }
            let failed = failedEnds.contains(column)
            if failed { character = theme.glyph(.error) }
            grid.put(character, x: x + column, y: y, style: theme.style(failed ? .failed : roles[column]))
        }
    }

    /// Whether a lane of `map` likely holds more items in the window than half the cells: then
    /// the lane is sampled at two instants per cell instead of listing its items.
    public static func isDense(map: Int, model: RunModel, now: UInt64, bar: TimeBar) -> Bool {
        let start = model.start(of: map)
        let end = max(model.end(of: map, at: now), start + 1)
        let lanes = max(1, model.lanes(of: map).count)
        let shown = min(end, bar.to) > max(start, bar.from) ? min(end, bar.to) - max(start, bar.from) : 0
        let share = Double(shown) / Double(end - start)
        let perLane = Double(model.mapCounts(of: map, at: now).started) / Double(lanes) * share
        return perLane > Double(bar.width) / 2
    }

    /// A dense lane: per cell, how much of it an item was running (an eighth block), and the
    /// most telling outcome among the items in it; from the model's running sums, never item by item.
    private static func drawSampledLane(
        map: Int, lane: Int, model: RunModel, now: UInt64, bar: TimeBar, theme: Theme, critical: SpanMask,
        into grid: inout CellGrid, x: Int, y: Int
    ) {
        let cells = model.laneActivity(of: map, lane: lane, from: bar.from, to: bar.to, buckets: bar.width, at: now)
        let eighths = theme.eighths
        for (column, cell) in cells.enumerated() where cell.items > 0 || cell.busy > 0 {
            let amount = min(8, max(1, Int((cell.busy * 8).rounded())))
            let role: ThemeRole
            var character: Character = amount == 8 || eighths.isEmpty ? theme.barFull : eighths[amount - 1]
            if cell.failed > 0 {
                role = .failed
                character = theme.glyph(.error)
            } else if cell.running {
                role = .running
            } else if cell.cached > 0 && cell.cached >= cell.items {
                role = .cached
                character = theme.densityShades[0]
            } else {
                role = .done
            }
            grid.put(character, x: x + column, y: y, style: theme.style(role))
        }
    }

    private static func itemRole(_ item: Int, phase: SpanPhase, now: UInt64, theme: Theme, critical: SpanMask)
        -> ThemeRole
    {
        if critical.contains(item) { return .critical }
        return SpanGlyph.of(phase, now: now, theme: theme).role
    }

    /// Which outcome a cell shows when several items share it: failures first.
    private static func rank(_ role: ThemeRole) -> Int {
        switch role {
        case .failed: 4
        case .critical: 3
        case .running: 2
        case .cached: 1
        default: 0
        }
    }
}
