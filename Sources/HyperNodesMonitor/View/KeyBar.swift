import HyperNodes

/// The footer: the keys that matter on the current screen, as many as fit.
public enum KeyBar {
    /// A key and what it does, as the footer shows them.
    public typealias Item = (key: String, label: String)

    /// The footer's items for `state`, most important first.
    public static func items(for state: MonitorViewState, theme: Theme) -> [Item] {
        if state.isSearching { return [("Enter", "search"), ("Esc", "cancel")] }
        if state.helpVisible { return [("Esc", "close help"), ("q", "quit")] }
        var items: [Item] = [("?", "help"), ("q", "quit"), ("1-3", "screens")]
        let arrows = theme.ascii ? "Up/Dn" : "↑↓"
        switch state.screen {
        case .tree:
            items += [(arrows, "move"), ("Enter", "fold")]
        case .map:
            items += [(arrows, "map")]
        case .waterfall:
            items += [("z/x", "zoom"), ("h/l", "pan"), ("f", "fit span"), ("Enter", "lanes"), ("c", "critical")]
        }
        if state.searchQuery != nil { items += [("n/N", "match"), ("Esc", "clear")] }
        items += [("/", "search"), ("d", "details"), ("space", "pause"), ("+/-", "speed"), ("o", "log")]
        return items
    }

    /// Draws the footer on row `y` of `rect`.
    public static func draw(_ items: [Item], into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        guard !rect.isEmpty else { return }
        var column = rect.x
        for (offset, item) in items.enumerated() {
            let width = DisplayWidth.of(item.key) + 1 + DisplayWidth.of(item.label)
            let gap = offset == 0 ? 0 : 2
            guard column + gap + width <= rect.maxX else { break }
            column += gap
            column = grid.put(item.key, x: column, y: rect.y, style: theme.style(.key))
            column = grid.put(" " + item.label, x: column, y: rect.y, style: theme.style(.muted))
        }
    }
}
