import HyperNodes

/// The top line: source, screen, playback position and speed, events, and
/// anything wrong (dropped events, bad lines); when the source has ended,
/// "finished — press q to quit". A live connection to another process shows
/// how it stands instead: "waiting for PROGRAM to serve its runs",
/// "connected", "process ended (status N)" or "disconnected: reason". Parts
/// that do not fit are left off, least important first.
public enum StatusBar {
    /// The bar's parts in display order, each with a priority (lower stays longer) and a role.
    public static func parts(_ info: StatusInfo, theme: Theme) -> [(text: String, priority: Int, role: ThemeRole)] {
        let ascii = theme.ascii
        let dash = ascii ? "-" : "—"
        var parts: [(text: String, priority: Int, role: ThemeRole)] = []
        let mark = info.isLive ? (ascii ? "*" : "●") : (ascii ? ">" : "▶")
        parts.append(
            ("\(mark) \(info.isLive ? "live" : "replay") \(DisplayWidth.printable(info.sourceName))", 1, .title))
        parts.append((info.screen.title, 2, .plain))
        var time = MonitorFormat.duration(info.position, ascii: ascii)
        if !info.isLive || !info.following { time += " / " + MonitorFormat.duration(info.latest, ascii: ascii) }
        parts.append((time, 1, .plain))
        var playback: [String] = []
        if info.paused { playback.append("paused") }
        if let speed = info.speed {
            switch speed {
            case .max: playback.append("max speed")
            case .factor(let factor): playback.append(MonitorFormat.factor(factor, ascii: ascii))
            }
        }
        if info.following && !info.paused { playback.append("following") }
        if !playback.isEmpty { parts.append((playback.joined(separator: " "), 3, info.paused ? .warning : .plain)) }
        parts.append(("\(MonitorFormat.count(info.events)) events", 4, .plain))
        if info.dropped > 0 { parts.append(("\(MonitorFormat.count(info.dropped)) dropped", 2, .warning)) }
        if info.badLines > 0 {
            parts.append(
                ("\(MonitorFormat.count(info.badLines)) bad line\(info.badLines == 1 ? "" : "s")", 2, .warning))
        }
        if info.repairs > 0 {
            parts.append(("\(MonitorFormat.count(info.repairs)) repaired", 5, .warning))
        }
        switch info.live {
        case .waiting(let program)?:
            parts.append(("waiting for \(DisplayWidth.printable(program)) to serve its runs", 1, .warning))
        case .connected?: parts.append(("connected", 3, .plain))
        case .ended(let exit)?:
            let how = exit.map { " (\($0))" } ?? ""
            parts.append(("process ended\(how) \(dash) press q to quit", 0, .warning))
        case .disconnected(let reason)?:
            parts.append(("disconnected: \(DisplayWidth.printable(reason)) \(dash) press q to quit", 0, .warning))
        case nil: break
        }
        switch info.finished {
        case .completed?: parts.append(("finished \(dash) press q to quit", 0, .warning))
        case .failed(let reason)?:
            parts.append(("source failed: \(DisplayWidth.printable(reason)) \(dash) press q to quit", 0, .warning))
        case nil: break
        }
        return parts
    }

    /// Draws the bar on the first row of `rect`.
    public static func draw(_ info: StatusInfo, into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        guard !rect.isEmpty else { return }
        let row = Rect(x: rect.x, y: rect.y, width: rect.width, height: 1)
        let base = theme.style(.statusBar)
        grid.fill(row, style: base)
        var parts = parts(info, theme: theme)
        let separator = theme.separator
        func width(_ list: [(text: String, priority: Int, role: ThemeRole)]) -> Int {
            list.reduce(0) { $0 + DisplayWidth.of($1.text) } + max(0, list.count - 1) * DisplayWidth.of(separator) + 2
        }
        while parts.count > 1 && width(parts) > rect.width {
            // Leave off the least important part (the last of them).
            let worst = parts.indices.max {
                parts[$0].priority < parts[$1].priority || (parts[$0].priority == parts[$1].priority && $0 > $1)
            }
            guard let worst else { break }
            parts.remove(at: worst)
        }
        var column = rect.x + 1
        for (offset, part) in parts.enumerated() {
            if offset > 0 { column = grid.put(separator, x: column, y: rect.y, style: base, limit: rect.maxX) }
            var style = theme.style(part.role)
            style.attributes.formUnion(base.attributes)
            if style.background == nil { style.background = base.background }
            if style.foreground == nil { style.foreground = base.foreground }
            if part.role == .warning, theme.color { style.foreground = .brightYellow }
            let text = DisplayWidth.truncate(part.text, to: max(0, rect.maxX - column), ellipsis: theme.ellipsis)
            column = grid.put(text, x: column, y: rect.y, style: style, limit: rect.maxX)
        }
    }
}
