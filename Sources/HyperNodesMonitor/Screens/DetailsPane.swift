import HyperNodes

/// The details of the selected span: name, path, status, times, self time,
/// cache key, attributes and error, in a box.
public enum DetailsPane {
    /// The pane's lines for `row` at `now`: a label (may be empty) and a value with its role.
    public static func lines(for row: RowID?, model: RunModel, now: UInt64, theme: Theme)
        -> [(label: String, value: String, role: ThemeRole)]
    {
        guard let row, row.span >= 0, row.span < model.spanCount else {
            return [("", "nothing selected", .muted)]
        }
        let index = row.span
        let span = model.span(index)
        let ascii = theme.ascii
        var lines: [(label: String, value: String, role: ThemeRole)] = []
        if case .pending(_, let name) = row {
            lines.append(("", DisplayWidth.printable(name), .title))
            lines.append(("status", "not started: a node of \(DisplayWidth.printable(span.name))", .pending))
            return lines
        }
        let phase = model.phase(of: index, at: now)
        let (glyph, role) = SpanGlyph.of(phase, now: now, theme: theme)
        lines.append(("", DisplayWidth.printable(span.name), .title))
        if case .lane(_, let lane) = row { lines.append(("lane", "\(lane) of this map", .plain)) }
        lines.append(("kind", span.kind.description.replacingOccurrences(of: "_", with: " "), .plain))
        let separator = ascii ? " > " : " › "
        lines.append(
            ("path", model.path(of: index).map { DisplayWidth.printable($0) }.joined(separator: separator), .plain))
        lines.append(("status", "\(glyph) \(SpanGlyph.word(phase))", role))
        let end = model.end(of: index, at: now)
        lines.append(("start", "+" + MonitorFormat.duration(span.start, ascii: ascii), .plain))
        let endText =
            switch phase {
            case .running: "running"
            case .unfinished: "none (the source ended first)"
            default: "+" + MonitorFormat.duration(end, ascii: ascii)
            }
        lines.append(("end", endText, .plain))
        lines.append(("duration", MonitorFormat.duration(end - min(span.start, end), ascii: ascii), .plain))
        lines.append(("self time", MonitorFormat.duration(model.selfTime(of: index, at: now), ascii: ascii), .plain))
        if span.kind != .map && span.kind != .mapItem { lines.append(("lane", String(span.lane), .muted)) }
        if span.kind == .map {
            let counts = model.mapCounts(of: index, at: now)
            let total = counts.total.map { " of " + MonitorFormat.count($0) } ?? ""
            lines.append(
                ("items", "\(MonitorFormat.count(counts.done))\(total) done, \(counts.inFlight) in flight", .plain))
            lines.append(("cached", MonitorFormat.count(counts.cached), counts.cached > 0 ? .cached : .plain))
            lines.append(("failed", MonitorFormat.count(counts.failed), counts.failed > 0 ? .failed : .plain))
        }
        if span.cacheHits > 0 { lines.append(("cache hits", MonitorFormat.count(span.cacheHits), .cached)) }
        if let key = span.attributes["cache.key"] {
            lines.append(("cache key", DisplayWidth.printable(key), .cached))
        }
        for (key, value) in span.attributes.sorted(by: { $0.key < $1.key }) where key != "cache.key" {
            lines.append((DisplayWidth.printable(key), DisplayWidth.printable(value), .plain))
        }
        if let error = span.error {
            lines.append(("error", DisplayWidth.printable(error.type), .failed))
            for line in error.message.split(separator: "\n", omittingEmptySubsequences: false).prefix(20) {
                lines.append(("", DisplayWidth.printable(String(line)), .failed))
            }
        }
        return lines
    }

    /// Draws the pane in `rect`.
    public static func draw(
        for row: RowID?, model: RunModel, now: UInt64, theme: Theme, into grid: inout CellGrid,
        in rect: Rect
    ) {
        guard !rect.isEmpty else { return }
        grid.fill(rect)
        let inside = Pane.draw(title: "Details", into: &grid, in: rect, theme: theme, focused: true)
        let inner = Rect(x: inside.x + 1, y: inside.y, width: max(0, inside.width - 1), height: inside.height)
        guard !inner.isEmpty else { return }
        let entries = lines(for: row, model: model, now: now, theme: theme)
        let labelWidth = min(11, max(0, inner.width / 3))
        var y = inner.y
        for entry in entries {
            guard y < inner.maxY else { break }
            let valueX = entry.label.isEmpty && entry.role == .title ? inner.x : inner.x + labelWidth
            if !entry.label.isEmpty {
                grid.put(
                    DisplayWidth.truncate(entry.label, to: labelWidth - 1, ellipsis: theme.ellipsis), x: inner.x,
                    y: y, style: theme.style(.muted), limit: inner.x + labelWidth)
            }
            // Long values wrap onto the following lines.
            let wrapped = DisplayWidth.wrap(entry.value, to: max(1, inner.maxX - valueX))
            for piece in wrapped {
                guard y < inner.maxY else { break }
                grid.put(piece, x: valueX, y: y, style: theme.style(entry.role), limit: inner.maxX)
                y += 1
            }
        }
    }
}
