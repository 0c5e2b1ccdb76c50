import HyperNodes

/// A box with a title on its top border: the frame of every pane.
public enum Pane {
    /// Draws a box around `rect` with `title` in its top border and returns
    /// the inside. A rectangle too small for a border gets none: the title
    /// takes its first row instead.
    @discardableResult
    public static func draw(
        title: String, into grid: inout CellGrid, in rect: Rect, theme: Theme, focused: Bool = false
    ) -> Rect {
        guard !rect.isEmpty else { return rect }
        let border = theme.style(.border)
        let titleStyle = focused ? theme.style(.title) : theme.style(.plain)
        guard rect.width >= 4, rect.height >= 3 else {
            grid.put(
                DisplayWidth.truncate(title, to: rect.width, ellipsis: theme.ellipsis), x: rect.x, y: rect.y,
                style: titleStyle, limit: rect.maxX)
            return rect.splitTop(1).rest
        }
        let box = theme.box
        grid.fill(Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1), with: box.horizontal, style: border)
        grid.fill(
            Rect(x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, height: 1), with: box.horizontal, style: border
        )
        grid.fill(Rect(x: rect.x, y: rect.y + 1, width: 1, height: rect.height - 2), with: box.vertical, style: border)
        grid.fill(
            Rect(x: rect.maxX - 1, y: rect.y + 1, width: 1, height: rect.height - 2), with: box.vertical, style: border)
        grid.put(box.topLeft, x: rect.x, y: rect.y, style: border)
        grid.put(box.topRight, x: rect.maxX - 1, y: rect.y, style: border)
        grid.put(box.bottomLeft, x: rect.x, y: rect.maxY - 1, style: border)
        grid.put(box.bottomRight, x: rect.maxX - 1, y: rect.maxY - 1, style: border)
        if !title.isEmpty && rect.width >= 6 {
            let text = " " + DisplayWidth.truncate(title, to: rect.width - 4, ellipsis: theme.ellipsis) + " "
            grid.put(text, x: rect.x + 1, y: rect.y, style: titleStyle, limit: rect.maxX - 1)
        }
        return rect.inset(by: 1)
    }
}
