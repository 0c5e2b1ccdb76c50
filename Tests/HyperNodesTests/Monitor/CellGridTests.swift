import HyperNodesMonitor
import Testing

@Suite("Cell grid")
struct CellGridTests {
    @Test("text is clipped to the grid and to the limit, measured in cells")
    func clipping() {
        var grid = CellGrid(width: 8, height: 2)
        #expect(grid.put("hello world", x: 0, y: 0) == 8)
        #expect(grid.put("abcdef", x: 2, y: 1, limit: 5) == 5)
        grid.put("ignored", x: 0, y: 5)
        grid.put("xy", x: -1, y: 1)
        #expect(grid.lines == ["hello wo", "y abc"])
    }

    @Test("a wide character takes two cells and becomes a space when it does not fit")
    func wideCharacters() {
        var grid = CellGrid(width: 5, height: 1)
        #expect(grid.put("東京都", x: 0, y: 0) == 5)
        #expect(grid.lines == ["東京"])
        #expect(grid[1, 0].isContinuation)
        // Overwriting half of a wide character clears its other half.
        grid.put("a", x: 1, y: 0)
        #expect(grid.lines == [" a京"])
        grid.put("🚀", x: 3, y: 0)
        #expect(grid.lines == [" a 🚀"])
    }

    @Test("control characters are drawn as replacement characters, never sent to the terminal")
    func controls() {
        var grid = CellGrid(width: 10, height: 1)
        grid.put("a\u{1B}[2Jb\tc", x: 0, y: 0)
        #expect(grid.lines == ["a\u{FFFD}[2Jb\u{FFFD}c"])
    }

    @Test("fill and restyle stay inside the grid")
    func fillAndRestyle() {
        var grid = CellGrid(width: 4, height: 3)
        grid.fill(Rect(x: 2, y: 1, width: 10, height: 10), with: "█")
        grid.restyle(Rect(x: -5, y: 0, width: 7, height: 2)) { $0.attributes.insert(.reverse) }
        #expect(grid.lines == ["", "  ██", "  ██"])
        #expect(grid[1, 1].style.attributes == .reverse)
        #expect(grid[2, 1].style == .plain)
        #expect(grid[3, 2].style == .plain)
        #expect(CellGrid(width: -3, height: 2).lines == ["", ""])
    }
}
