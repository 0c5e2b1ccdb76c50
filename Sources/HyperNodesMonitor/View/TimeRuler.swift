import HyperNodes

/// A time axis over a window of the timeline: tick marks at 1-2-5 steps
/// (`┬` on `─`) and readable labels (`250 µs`, `1.5 s`, `2 min`) above them.
public enum TimeRuler {
    /// Draws the ruler in `rect`: labels on its first row and ticks on its
    /// second (only the ticks when `rect` is one row high).
    public static func draw(_ bar: TimeBar, into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        guard !rect.isEmpty, bar.width > 0 else { return }
        let window = bar.to - bar.from
        let step = MonitorFormat.tickStep(window: window, cells: rect.width)
        let labelRow = rect.height >= 2 ? rect.y : nil
        let tickRow = rect.height >= 2 ? rect.y + 1 : rect.y
        grid.fill(
            Rect(x: rect.x, y: tickRow, width: rect.width, height: 1), with: theme.ruler.line,
            style: theme.style(.border))
        var time = bar.from % step == 0 ? bar.from : (bar.from / step + 1) * step
        var nextFree = rect.x
        while time < bar.to {
            let column = rect.x + bar.column(of: time)
            if column >= rect.x && column < rect.maxX {
                grid.put(theme.ruler.tick, x: column, y: tickRow, style: theme.style(.border))
                if let labelRow {
                    let label = MonitorFormat.tick(time, ascii: theme.ascii)
                    if column >= nextFree && column + DisplayWidth.of(label) <= rect.maxX {
                        nextFree = grid.put(label, x: column, y: labelRow, style: theme.style(.muted)) + 2
                    }
                }
            }
            let (next, overflow) = time.addingReportingOverflow(step)
            if overflow { break }
            time = next
        }
    }
}
