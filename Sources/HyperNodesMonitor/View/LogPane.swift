import HyperNodes

/// The log pane: lines the pipeline's nodes printed, newest at the bottom,
/// in a box of its own so they never run across the screens.
public enum LogPane {
    /// Draws the last lines of `lines` in `rect`, `scroll` lines up from the newest.
    public static func draw(
        _ lines: [String], total: Int, scroll: Int, theme: Theme, into grid: inout CellGrid, in rect: Rect
    ) {
        guard !rect.isEmpty else { return }
        grid.fill(rect)
        let title =
            "Log: \(MonitorFormat.count(total)) line\(total == 1 ? "" : "s")" + (scroll > 0 ? ", \(scroll) up" : "")
        let inside = Pane.draw(title: title, into: &grid, in: rect, theme: theme)
        let inner = Rect(x: inside.x + 1, y: inside.y, width: max(0, inside.width - 1), height: inside.height)
        guard !inner.isEmpty else { return }
        if lines.isEmpty {
            grid.put(
                "no output from the pipeline yet", x: inner.x, y: inner.y, style: theme.style(.muted),
                limit: inner.maxX)
            return
        }
        let scroll = min(max(0, scroll), max(0, lines.count - inner.height))
        let end = lines.count - scroll
        let start = max(0, end - inner.height)
        for (offset, line) in lines[start..<end].enumerated() {
            let text = DisplayWidth.printable(line.replacingOccurrences(of: "\t", with: "    "))
            grid.put(text, x: inner.x, y: inner.y + offset, limit: inner.maxX)
        }
    }
}
