import HyperNodes

/// Turns successive frames into terminal output that redraws them in place.
///
/// The cursor waits at the start of the line below the frame. An update
/// moves it up to the frame's first line and rewrites only the lines that
/// changed (each followed by "erase to end of line"), then erases what is
/// left of a longer previous frame: no full-screen clear, no flicker.
/// Permanent lines (log lines, summaries of finished runs) are written
/// where the frame was, and the frame is drawn again below them.
///
/// A value with no I/O: ``ProgressCallback`` writes what it returns.
struct FrameWriter: Sendable {
    /// The lines on screen, as last written.
    private(set) var lines: [String] = []
    /// The display width of each line on screen (without escape codes).
    private var widths: [Int] = []
    /// The terminal width the frame was drawn at.
    private(set) var columns = 0

    static let eraseLine = "\u{1B}[K"
    static let eraseBelow = "\u{1B}[J"

    /// Output that moves the cursor to the first line of the frame and erases
    /// from there down, then forgets the frame.
    ///
    /// - Parameter columns: The terminal width now: when it shrank, a
    ///   terminal that reflows text may have wrapped long lines, so the frame
    ///   is taken to occupy more rows.
    mutating func erase(columns: Int) -> String {
        guard !lines.isEmpty else { return "" }
        var rows = 0
        for width in widths {
            rows += columns > 0 && width > columns ? (width + columns - 1) / columns : 1
        }
        lines = []
        widths = []
        return "\r" + Self.up(rows) + Self.eraseBelow
    }

    /// Output that draws `frame` below the cursor (which must be at the start of a line).
    mutating func draw(_ frame: [String], columns: Int) -> String {
        lines = frame
        widths = frame.map { DisplayWidth.of(Self.stripEscapes($0)) }
        self.columns = columns
        var out = ""
        for line in frame { out += line + Self.eraseLine + "\r\n" }
        return out
    }

    /// Output that turns the frame on screen into `frame`, after writing
    /// `above` as permanent lines. Empty when nothing changed.
    mutating func update(_ frame: [String], above: [String] = [], columns: Int) -> String {
        if above.isEmpty && frame == lines && columns == self.columns { return "" }
        if !above.isEmpty || columns != self.columns {
            var out = erase(columns: columns)
            for line in above { out += line + Self.eraseLine + "\r\n" }
            return out + draw(frame, columns: columns)
        }
        var out = "\r" + Self.up(lines.count)
        for (index, line) in frame.enumerated() {
            if index < lines.count && lines[index] == line {
                out += "\n"
            } else {
                out += line + Self.eraseLine + "\r\n"
            }
        }
        if frame.count < lines.count { out += Self.eraseBelow }
        lines = frame
        widths = frame.map { DisplayWidth.of(Self.stripEscapes($0)) }
        return out
    }

    /// Forgets the frame: it stays on screen as it is and the next frame starts below it.
    mutating func release() {
        lines = []
        widths = []
    }

    static func up(_ rows: Int) -> String { rows > 0 ? "\u{1B}[\(rows)A" : "" }

    /// `text` without CSI escape sequences.
    static func stripEscapes(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var out = ""
        var inEscape = false
        var sawBracket = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if !sawBracket && scalar == "[" {
                    sawBracket = true
                } else if (0x40...0x7E).contains(scalar.value) {
                    inEscape = false
                }
                continue
            }
            if scalar == "\u{1B}" {
                inEscape = true
                sawBracket = false
                continue
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
