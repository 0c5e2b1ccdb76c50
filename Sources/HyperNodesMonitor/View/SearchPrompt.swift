import HyperNodes

/// The search line: the text being typed, or the search in force with its
/// number of matches.
public enum SearchPrompt {
    /// Draws the prompt on the first row of `rect`.
    public static func draw(_ state: MonitorViewState, into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        guard !rect.isEmpty else { return }
        grid.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        if state.isSearching {
            var column = grid.put("/", x: rect.x, y: rect.y, style: theme.style(.key))
            // Show the end of a long query, where the typing happens.
            let room = max(0, rect.width - 3)
            var text = state.searchText
            while DisplayWidth.of(text) > room, !text.isEmpty { text.removeFirst() }
            column = grid.put(text, x: column, y: rect.y, style: theme.style(.plain), limit: rect.maxX)
            grid.put(theme.ascii ? "_" : "▏", x: column, y: rect.y, style: theme.style(.key), limit: rect.maxX)
            return
        }
        guard let query = state.searchQuery else { return }
        let found = state.matches.count
        let text =
            "search \"\(query)\": \(found == 0 ? "no" : MonitorFormat.count(found)) match\(found == 1 ? "" : "es")"
        let column = grid.put(
            DisplayWidth.truncate(text, to: rect.width, ellipsis: theme.ellipsis), x: rect.x,
            y: rect.y, style: theme.style(found == 0 ? .warning : .match))
        let hint = "  n/N next/prev  Esc clear"
        if column + DisplayWidth.of(hint) <= rect.maxX {
            grid.put(hint, x: column, y: rect.y, style: theme.style(.muted))
        }
    }
}
