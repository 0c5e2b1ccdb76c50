/// A progress bar: a fraction drawn in whole cells with an eighth-block end
/// (`▏▎▍▌▋▊▉█` on `░`), or `#` on `-` in ASCII.
public enum ProgressBar {
    /// The filled and empty parts of a bar `width` cells wide at `fraction` (clamped to 0…1).
    public static func parts(_ fraction: Double, width: Int, theme: Theme) -> (filled: String, empty: String) {
        guard width > 0 else { return ("", "") }
        let share = fraction.isFinite ? min(1, max(0, fraction)) : 0
        if theme.ascii {
            let full = Int((share * Double(width)).rounded(.down))
            return (String(repeating: "#", count: full), String(repeating: "-", count: width - full))
        }
        let eighths = Int((share * Double(width * 8)).rounded(.down))
        var filled = String(repeating: "█", count: eighths / 8)
        if eighths % 8 > 0 { filled.append(theme.eighths[eighths % 8 - 1]) }
        let used = eighths / 8 + (eighths % 8 > 0 ? 1 : 0)
        return (filled, String(repeating: String(theme.barEmpty), count: width - used))
    }

    /// Draws a bar at `x`, `y`, `width` cells wide: the filled part in
    /// `style`, the rest muted. Returns the column after it.
    @discardableResult
    public static func draw(
        _ fraction: Double, into grid: inout CellGrid, x: Int, y: Int, width: Int, style: CellStyle, theme: Theme
    ) -> Int {
        let (filled, empty) = parts(fraction, width: width, theme: theme)
        let column = grid.put(filled, x: x, y: y, style: style)
        return grid.put(empty, x: column, y: y, style: theme.style(.muted))
    }
}
