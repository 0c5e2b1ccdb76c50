import HyperNodes

/// The left part of a tree or waterfall row: critical-path mark, tree
/// branches (or plain indentation), fold mark, status glyph and name.
enum RowLabel {
    /// Draws the label of `row` from `x` to `limit`; returns the column after the name.
    @discardableResult
    static func draw(
        _ row: ScreenRow, model: RunModel, now: UInt64, theme: Theme, critical: Bool, match: Bool, branches: Bool,
        into grid: inout CellGrid, x: Int, y: Int, limit: Int
    ) -> Int {
        var column = x
        column = grid.put(
            critical ? theme.criticalMark : " ", x: column, y: y,
            style: critical ? theme.style(.critical) : .plain, limit: limit)
        column = grid.put(
            prefix(row, theme: theme, branches: branches), x: column, y: y,
            style: theme.style(.border), limit: limit)
        let fold: Character = row.hasChildren ? (row.isCollapsed ? theme.collapsedMark : theme.expandedMark) : " "
        column = grid.put(fold, x: column, y: y, style: theme.style(.muted), limit: limit)
        let (glyph, role, name) = content(row, model: model, now: now, theme: theme)
        let glyphEnd = grid.put(glyph, x: column, y: y, style: theme.style(role), limit: limit)
        column = max(glyphEnd, column + 2)
        if column < limit { column = grid.put(" ", x: column, y: y, limit: limit) }
        let nameRole: ThemeRole = match ? .match : (role == .pending ? .pending : .plain)
        let text = DisplayWidth.truncate(
            DisplayWidth.printable(name), to: max(0, limit - column), ellipsis: theme.ellipsis)
        return grid.put(text, x: column, y: y, style: theme.style(nameRole), limit: limit)
    }

    /// The width the label of `row` needs (name whole).
    static func width(_ row: ScreenRow, model: RunModel, now: UInt64, theme: Theme, branches: Bool) -> Int {
        let (_, _, name) = content(row, model: model, now: now, theme: theme)
        return 1 + DisplayWidth.of(prefix(row, theme: theme, branches: branches)) + 1 + 2 + 1 + DisplayWidth.of(name)
    }

    private static func prefix(_ row: ScreenRow, theme: Theme, branches: Bool) -> String {
        guard row.depth > 0 else { return "" }
        guard branches else { return String(repeating: " ", count: min(row.depth, 12)) }
        let tree = theme.tree
        var text = ""
        // Deep trees keep their last levels: the guides of the first levels are dropped.
        for more in row.guides.dropFirst().suffix(11) { text += more ? tree.pipe : tree.blank }
        return text + (row.isLast ? tree.last : tree.branch)
    }

    /// The glyph, its role and the name of a row.
    static func content(_ row: ScreenRow, model: RunModel, now: UInt64, theme: Theme)
        -> (glyph: Character, role: ThemeRole, name: String)
    {
        switch row.id {
        case .span(let index), .map(let index):
            let (glyph, role) = SpanGlyph.of(model.phase(of: index, at: now), now: now, theme: theme)
            return (glyph, role, model.name(of: index))
        case .lane(_, let lane):
            return (theme.ascii ? "=" : "≡", .muted, "lane \(lane)")
        case .pending(let parent, let name):
            // Nodes of a pipeline that finished without them did not run.
            let running = model.phase(of: parent, at: now) == .running
            return (theme.pendingGlyph, .pending, running ? name : name + " (not run)")
        }
    }
}
