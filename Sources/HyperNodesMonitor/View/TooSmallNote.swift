import HyperNodes

/// What a terminal smaller than ``minimumWidth`` × ``minimumHeight`` shows
/// instead of the screens.
public enum TooSmallNote {
    /// The narrowest terminal the screens are drawn in.
    public static let minimumWidth = 20
    /// The lowest terminal the screens are drawn in.
    public static let minimumHeight = 6

    /// Whether a grid of this size is too small for the screens.
    public static func applies(width: Int, height: Int) -> Bool {
        width < minimumWidth || height < minimumHeight
    }

    /// Fills `grid` with the note, wrapped to its width and centred as far as it fits.
    public static func draw(into grid: inout CellGrid, theme: Theme) {
        guard grid.width > 0, grid.height > 0 else { return }
        let times = theme.ascii ? "x" : "×"
        let text =
            "terminal too small: \(grid.width)\(times)\(grid.height), need \(minimumWidth)\(times)\(minimumHeight)"
        let lines = DisplayWidth.wrap(text, to: grid.width)
        let top = max(0, (grid.height - lines.count) / 2)
        for (offset, line) in lines.prefix(grid.height).enumerated() {
            let x = max(0, (grid.width - DisplayWidth.of(line)) / 2)
            grid.put(line, x: x, y: top + offset, style: theme.style(.warning))
        }
    }
}
