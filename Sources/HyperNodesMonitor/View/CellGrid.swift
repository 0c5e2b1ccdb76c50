import HyperNodes

/// One cell of a ``CellGrid``: a character and its style.
///
/// A character two cells wide sits in its left cell; the right cell is a
/// continuation that draws nothing of its own.
public struct Cell: Sendable, Hashable {
    /// The character drawn (a space for an empty cell).
    public var character: Character
    /// How it is drawn.
    public var style: CellStyle
    /// Whether this is the right half of a two-cell character.
    public var isContinuation: Bool

    /// Creates a cell.
    public init(_ character: Character = " ", style: CellStyle = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    /// An empty cell in the default style.
    public static let blank = Cell()
}

/// A screen's worth of cells in memory: what every view draws into.
///
/// Frames are drawn immediate-mode: a view is a function of the model, the
/// view state and a ``Rect``, and writes cells here. Only the terminal
/// backend copies a grid to the screen, so every screen can be tested as
/// text without a terminal.
///
/// Drawing is clipped to the grid and measured in display cells: wide
/// characters take two cells, a wide character that does not fit at the
/// right edge becomes a space, and control characters are drawn as `�` so
/// text from a trace can never move the cursor.
public struct CellGrid: Sendable, Hashable {
    /// The width in cells.
    public let width: Int
    /// The height in rows.
    public let height: Int
    /// The cells, row by row.
    public private(set) var cells: [Cell]

    /// Creates a grid of blank cells; negative sizes become 0.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y` (a blank cell outside the grid).
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Draws `text` from column `x` on row `y`, clipped to the grid and to
    /// `limit` (the column drawing stops before); returns the column after
    /// the last cell drawn.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil)
        -> Int
    {
        guard y >= 0, y < height else { return x }
        let end = min(width, limit ?? width)
        var column = x
        for character in text {
            if column >= end { break }
            column = put(character, x: column, y: y, style: style, limit: end)
        }
        return column
    }

    /// Draws one character at column `x` on row `y`; returns the column after it.
    @discardableResult
    public mutating func put(_ character: Character, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil)
        -> Int
    {
        let end = min(width, limit ?? width)
        var character = character
        var cells = Self.narrowWidth(of: character) ?? DisplayWidth.of(character)
        if cells == 0 {
            // Controls never reach the terminal; other zero-width clusters are not placeable on their own.
            guard character.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
            else { return x }
            character = "\u{FFFD}"
            cells = 1
        }
        guard y >= 0, y < height, x < end else { return x + cells }
        if x < 0 { return x + cells }
        if cells == 2 && x + 1 >= end {
            set(x, y, Cell(" ", style: style))
            return x + 1
        }
        set(x, y, Cell(character, style: style))
        if cells == 2 { set(x + 1, y, Cell(" ", style: style, isContinuation: true)) }
        return x + cells
    }

    /// Fills `rect` (clipped to the grid) with `character` in `style`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: CellStyle = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let step = max(1, DisplayWidth.of(character))
        for row in area.y..<area.maxY {
            var column = area.x
            while column < area.maxX {
                column = put(character, x: column, y: row, style: style, limit: area.maxX)
                if column <= area.x { column += step }
            }
        }
    }

    /// Changes the style of every cell in `rect` (clipped to the grid),
    /// keeping the characters.
    public mutating func restyle(_ rect: Rect, _ change: (inout CellStyle) -> Void) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.y..<area.maxY {
            for column in area.x..<area.maxX { change(&cells[row * width + column].style) }
        }
    }

    /// The grid as text, one string per row, with trailing spaces removed:
    /// what golden files hold.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width {
                let cell = cells[row * width + column]
                if !cell.isContinuation { line.append(cell.character) }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The grid as text: ``lines`` joined with newlines.
    public var text: String { lines.joined(separator: "\n") }

    /// 1 for the one-cell characters frames are mostly made of (ASCII, Latin-1, arrows, box
    /// drawing, blocks, shades, Braille) without asking ``DisplayWidth``; `nil` for anything else.
    private static func narrowWidth(of character: Character) -> Int? {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else {
            return nil
        }
        switch first.value {
        case 0x20..<0x7F, 0xA0..<0x300, 0x2190...0x21FF, 0x2500..<0x25FD, 0x2800...0x28FF: return 1
        default: return nil
        }
    }

    /// Writes a cell, first clearing the other half of any two-cell
    /// character it cuts through.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, x > 0 {
            cells[index - 1] = Cell(" ", style: cells[index - 1].style)
        } else if !old.isContinuation, x + 1 < width, cells[index + 1].isContinuation {
            cells[index + 1] = Cell(" ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }
}
