import HyperNodes

/// A map's progress in one line: bar, done/total, rate, ETA, cache hits,
/// failures; the parts that do not fit are left off from the right.
enum MapLine {
    /// Draws the line from `x` to `limit` on row `y`.
    static func draw(
        map: Int, model: RunModel, now: UInt64, theme: Theme, into grid: inout CellGrid, x: Int, y: Int, limit: Int
    ) {
        let counts = model.mapCounts(of: map, at: now)
        let room = limit - x
        guard room > 0 else { return }
        let finished = counts.done
        var column = x
        let barWidth = min(20, max(4, room / 5))
        if room >= barWidth + 8, let total = counts.total, total > 0 {
            let fraction = Double(finished) / Double(total)
            let role: ThemeRole = counts.failed > 0 ? .failed : (finished >= total ? .done : .running)
            column = ProgressBar.draw(
                fraction, into: &grid, x: column, y: y, width: barWidth, style: theme.style(role), theme: theme)
            column += 1
        }
        let total = counts.total.map { "/" + MonitorFormat.count($0) } ?? ""
        var parts: [(String, ThemeRole)] = [(MonitorFormat.count(finished) + total, .plain)]
        if counts.inFlight > 0 { parts.append(("\(MonitorFormat.count(counts.inFlight)) running", .running)) }
        parts.append((MonitorFormat.rate(model.rate(of: map, at: now)), .plain))
        if model.phase(of: map, at: now) == .running {
            parts.append(("ETA " + MonitorFormat.eta(model.eta(of: map, at: now), ascii: theme.ascii), .plain))
        }
        if counts.cached > 0 {
            let share = MonitorFormat.percent(counts.cached, of: max(1, finished))
            parts.append(("\(theme.glyph(.ok, cached: true)) \(share) cached", .cached))
        }
        if counts.failed > 0 {
            parts.append(("\(theme.glyph(.error)) \(MonitorFormat.count(counts.failed)) failed", .failed))
        }
        for (offset, part) in parts.enumerated() {
            let gap = offset == 0 ? 0 : 2
            guard column + gap + DisplayWidth.of(part.0) <= limit else { break }
            column = grid.put(part.0, x: column + gap, y: y, style: theme.style(part.1))
        }
    }
}
