/// Values as a row of bar glyphs (`▁▂▃▄▅▆▇█`), or as a block chart several
/// rows high with eighth-block tops.
public enum Sparkline {
    /// One glyph per value, scaled to `maximum` (the largest value when `nil`);
    /// zero is a blank, any value above zero at least the lowest glyph.
    public static func text(_ values: [Double], maximum: Double? = nil, theme: Theme) -> String {
        let top = maximum ?? values.max() ?? 0
        let levels = theme.sparkLevels
        return String(
            values.map { value -> Character in
                guard value.isFinite, value > 0, top > 0 else { return " " }
                let level = Int((min(1, value / top) * Double(levels.count)).rounded(.up))
                return levels[min(levels.count, max(1, level)) - 1]
            })
    }

    /// Draws `values` as columns in `rect`, one value per cell column, scaled
    /// so that `maximum` fills the height; each column's top is an eighth block.
    public static func drawChart(
        _ values: [Double], maximum: Double? = nil, into grid: inout CellGrid, in rect: Rect, style: CellStyle,
        theme: Theme
    ) {
        guard !rect.isEmpty else { return }
        let top = maximum ?? values.max() ?? 0
        guard top > 0 else { return }
        let levels = theme.sparkLevels
        for (offset, value) in values.prefix(rect.width).enumerated() {
            guard value.isFinite, value > 0 else { continue }
            // Height in eighths of a row; anything above zero shows at least one eighth.
            let eighths = max(1, Int((min(1, value / top) * Double(rect.height * 8)).rounded()))
            var remaining = eighths
            var row = rect.maxY - 1
            while remaining > 0 && row >= rect.y {
                let piece = min(8, remaining)
                grid.put(levels[piece - 1], x: rect.x + offset, y: row, style: style)
                remaining -= piece
                row -= 1
            }
        }
    }
}
