import HyperNodes

/// The tree screen: runs, pipelines and nodes nested as they ran, each with
/// its status glyph and duration; map rows with a bar, done/total, rate,
/// ETA, cache hits and failures; pending nodes from the pipeline's graph.
public enum TreeScreen {
    /// Draws `rows` (from ``ScreenRows/build(_:view:now:purpose:keep:)`` for the tree) in `rect`.
    /// Only the rows that fit are looked at.
    public static func draw(
        _ rows: [ScreenRow], model: RunModel, view: MonitorViewState, now: UInt64, theme: Theme,
        highlights: RowHighlights, into grid: inout CellGrid, in rect: Rect
    ) {
        guard !rect.isEmpty else { return }
        guard !rows.isEmpty else {
            let text = view.searchQuery == nil ? "waiting for the first run…" : "nothing matches the search"
            grid.put(
                DisplayWidth.truncate(
                    theme.ascii ? text.replacingOccurrences(of: "…", with: "...") : text,
                    to: rect.width, ellipsis: theme.ellipsis), x: rect.x + 1, y: rect.y, style: theme.style(.muted),
                limit: rect.maxX)
            return
        }
        let header = rect.height >= 4
        let body = header ? rect.splitTop(1).rest : rect
        let ids = rows.map(\.id)
        let selected = view.selectedIndex(in: ids)
        let first = MonitorViewState.scrollOffset(
            selected: selected, scroll: view.treeScroll, page: body.height, count: rows.count)
        let visible = rows[first..<min(rows.count, first + body.height)]
        let widest = visible.map { RowLabel.width($0, model: model, now: now, theme: theme, branches: true) }.max() ?? 0
        let nameEnd = rect.x + min(widest, max(12, rect.width * 45 / 100))
        let durationWidth = 9
        if header {
            grid.put("Span", x: rect.x + 1, y: rect.y, style: theme.style(.title), limit: nameEnd)
            if nameEnd + 1 + durationWidth <= rect.maxX {
                grid.put(
                    DisplayWidth.fit("time", to: durationWidth, alignRight: true), x: nameEnd + 1, y: rect.y,
                    style: theme.style(.title))
            }
            if rows.count > body.height {
                let position = "\(selected + 1)/\(rows.count)"
                let x = rect.maxX - DisplayWidth.of(position)
                if x > nameEnd + durationWidth + 2 { grid.put(position, x: x, y: rect.y, style: theme.style(.muted)) }
            }
        }
        for (offset, row) in visible.enumerated() {
            let y = body.y + offset
            let span = row.id.span
            let isSpanRow: Bool
            switch row.id {
            case .span, .map: isSpanRow = true
            case .lane, .pending: isSpanRow = false
            }
            RowLabel.draw(
                row, model: model, now: now, theme: theme,
                critical: isSpanRow && highlights.critical.contains(span),
                match: isSpanRow && highlights.matches.contains(span), branches: true,
                into: &grid, x: rect.x, y: y, limit: nameEnd)
            if isSpanRow {
                drawInfo(
                    row, span: span, model: model, now: now, theme: theme, into: &grid,
                    x: nameEnd + 1, y: y, limit: rect.maxX, durationWidth: durationWidth)
            }
            if first + offset == selected {
                grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0 = theme.selected($0) }
            }
        }
    }

    private static func drawInfo(
        _ row: ScreenRow, span: Int, model: RunModel, now: UInt64, theme: Theme, into grid: inout CellGrid,
        x: Int, y: Int, limit: Int, durationWidth: Int
    ) {
        let info = model.span(span)
        let phase = model.phase(of: span, at: now)
        let duration = model.end(of: span, at: now) - min(info.start, model.end(of: span, at: now))
        // A cache hit takes no time: its duration says nothing.
        let shown = duration == 0 && info.isCached ? "" : MonitorFormat.duration(duration, ascii: theme.ascii)
        let durationText = DisplayWidth.fit(shown, to: durationWidth, alignRight: true)
        // A duration that does not fit whole is left out rather than cut.
        guard x + durationWidth <= limit else { return }
        var column = grid.put(
            durationText, x: x, y: y, style: theme.style(phase == .running ? .running : .plain), limit: limit)
        column += 2
        guard column < limit else { return }
        if case .map = row.id {
            MapLine.draw(map: span, model: model, now: now, theme: theme, into: &grid, x: column, y: y, limit: limit)
            return
        }
        if case .finished(let status, let cached) = phase {
            if status == .error, let error = info.error {
                let text = DisplayWidth.printable(error.message).replacingOccurrences(of: "\u{FFFD}", with: " ")
                grid.put(
                    DisplayWidth.truncate(text, to: limit - column, ellipsis: theme.ellipsis), x: column, y: y,
                    style: theme.style(.failed), limit: limit)
            } else if cached || status == .cached {
                grid.put("cached", x: column, y: y, style: theme.style(.cached), limit: limit)
            } else if status == .cancelled {
                grid.put("cancelled", x: column, y: y, style: theme.style(.cancelled), limit: limit)
            }
        }
    }
}
