import HyperNodes

/// The help: every key in ``KeyBinding/all``, grouped, in a box over the
/// screen; in two columns when one does not fit.
public enum HelpOverlay {
    /// The help's lines: group headings and `keys  meaning` rows, key labels padded to one width.
    public static func lines(theme: Theme) -> [(text: String, isHeading: Bool, keyWidth: Int)] {
        let labels = KeyBinding.all.map { theme.ascii ? $0.asciiLabel : $0.label }
        let keyWidth = labels.map { DisplayWidth.of($0) }.max() ?? 0
        var result: [(text: String, isHeading: Bool, keyWidth: Int)] = []
        for group in KeyBinding.Group.allCases {
            let bindings = KeyBinding.all.filter { $0.group == group }
            guard !bindings.isEmpty else { continue }
            result.append((group.rawValue, true, 0))
            for binding in bindings {
                let label = theme.ascii ? binding.asciiLabel : binding.label
                result.append((DisplayWidth.pad(label, to: keyWidth) + "  " + binding.meaning, false, keyWidth))
            }
        }
        return result
    }

    /// Draws the help centred in `rect`.
    public static func draw(into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        let entries = lines(theme: theme)
        let widest = entries.map { DisplayWidth.of($0.text) }.max() ?? 0
        let oneColumn = entries.count + 2 <= rect.height || rect.width < 2 * widest + 6
        let columns = oneColumn ? 1 : 2
        let perColumn = (entries.count + columns - 1) / columns
        let boxWidth = min(rect.width, columns * widest + (columns - 1) * 2 + 4)
        let boxHeight = min(rect.height, perColumn + 2)
        let box = Rect(
            x: rect.x + (rect.width - boxWidth) / 2, y: rect.y + (rect.height - boxHeight) / 2, width: boxWidth,
            height: boxHeight)
        grid.fill(box)
        let inside = Pane.draw(title: "Keys", into: &grid, in: box, theme: theme, focused: true)
        let inner = Rect(x: inside.x + 1, y: inside.y, width: inside.width - 2, height: inside.height)
        let columnWidth = columns == 1 ? inner.width : (inner.width - 2) / 2
        for (index, entry) in entries.enumerated() {
            let column = index / perColumn
            let row = index % perColumn
            guard row < inner.height else { continue }
            let x = inner.x + column * (columnWidth + 2)
            let y = inner.y + row
            let text = DisplayWidth.truncate(entry.text, to: columnWidth, ellipsis: theme.ellipsis)
            if entry.isHeading {
                grid.put(text, x: x, y: y, style: theme.style(.title), limit: x + columnWidth)
            } else {
                let keys = String(text.prefix(entry.keyWidth))
                let after = grid.put(keys, x: x, y: y, style: theme.style(.key), limit: x + columnWidth)
                grid.put(text.dropFirst(entry.keyWidth), x: after, y: y, limit: x + columnWidth)
            }
        }
        if perColumn > inner.height && inner.height > 0 {
            grid.put(theme.ellipsis, x: inner.maxX - 1, y: inner.maxY - 1, style: theme.style(.muted))
        }
    }
}
