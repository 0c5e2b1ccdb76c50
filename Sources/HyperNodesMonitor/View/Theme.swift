import HyperNodes

/// The monitor's glyphs and styles: Unicode or ASCII, colour or monochrome.
///
/// Every state is told apart by its glyph first (spinner, `✓`, `⚡`, `✗`,
/// `⊘`, `·`) and by attributes second (bold, dim, underline, reverse), so a
/// monochrome terminal, `NO_COLOR` and `--ascii` lose nothing but colour.
public struct Theme: Sendable, Hashable {
    /// ASCII glyphs only.
    public var ascii: Bool
    /// Colours (otherwise attributes only).
    public var color: Bool

    /// Creates a theme.
    public init(ascii: Bool = false, color: Bool = true) {
        self.ascii = ascii
        self.color = color
    }

    // MARK: Styles

    /// The style of `role`: coloured when ``color``, otherwise attributes only.
    public func style(_ role: ThemeRole) -> CellStyle {
        color ? Self.colorStyle(role) : Self.monochromeStyle(role)
    }

    private static func colorStyle(_ role: ThemeRole) -> CellStyle {
        switch role {
        case .plain: .plain
        case .title: CellStyle(attributes: .bold)
        case .border: CellStyle(foreground: .brightBlack)
        case .muted: CellStyle(foreground: .brightBlack)
        case .running: CellStyle(foreground: .cyan, attributes: .bold)
        case .done: CellStyle(foreground: .green)
        case .cached: CellStyle(foreground: .yellow)
        case .failed: CellStyle(foreground: .red, attributes: [.bold, .underline])
        case .cancelled: CellStyle(foreground: .magenta)
        case .pending: CellStyle(foreground: .brightBlack, attributes: .dim)
        case .selected: CellStyle(attributes: .reverse)
        case .critical: CellStyle(foreground: .brightMagenta, attributes: .bold)
        case .childTime: CellStyle(attributes: .dim)
        case .match: CellStyle(foreground: .brightYellow, attributes: .underline)
        case .key: CellStyle(foreground: .cyan, attributes: .bold)
        case .statusBar: CellStyle(foreground: .brightWhite, background: .blue)
        case .warning: CellStyle(foreground: .yellow, attributes: .bold)
        }
    }

    private static func monochromeStyle(_ role: ThemeRole) -> CellStyle {
        switch role {
        case .plain, .done, .cached, .border: .plain
        case .title, .running, .key, .warning: CellStyle(attributes: .bold)
        case .muted, .pending, .childTime: CellStyle(attributes: .dim)
        case .failed: CellStyle(attributes: [.bold, .underline])
        case .cancelled: CellStyle(attributes: .underline)
        case .selected, .statusBar: CellStyle(attributes: .reverse)
        case .critical: CellStyle(attributes: [.bold, .underline])
        case .match: CellStyle(attributes: .underline)
        }
    }

    /// `base` with the selection drawn over it (reverse video, colours kept).
    public func selected(_ base: CellStyle) -> CellStyle {
        var style = base
        style.attributes.insert(.reverse)
        return style
    }

    // MARK: Status glyphs

    /// The spinner frame at playback position `t` (nanoseconds): ten frames a second.
    public func spinner(at t: UInt64) -> Character {
        let frames = ascii ? Self.asciiSpinner : Self.unicodeSpinner
        return frames[Int((t / 100_000_000) % UInt64(frames.count))]
    }

    private static let unicodeSpinner: [Character] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    private static let asciiSpinner: [Character] = ["-", "\\", "|", "/"]

    /// The glyph for a span that ended with `status` (`cached` for a cache hit).
    public func glyph(_ status: SpanStatus, cached: Bool = false) -> Character {
        if cached || status == .cached { return ascii ? "*" : "⚡" }
        switch status {
        case .ok: return ascii ? "+" : "✓"
        case .error: return ascii ? "x" : "✗"
        case .cancelled: return ascii ? "-" : "⊘"
        case .cached: return ascii ? "*" : "⚡"
        case .running: return ascii ? ">" : "▶"
        }
    }

    /// The role for a span that ended with `status`.
    public func role(_ status: SpanStatus, cached: Bool = false) -> ThemeRole {
        if cached || status == .cached { return .cached }
        switch status {
        case .ok: return .done
        case .error: return .failed
        case .cancelled: return .cancelled
        case .cached: return .cached
        case .running: return .running
        }
    }

    /// The glyph of a span that started and never ended because its source ended first.
    public var unfinishedGlyph: Character { ascii ? "?" : "◌" }
    /// The glyph of work that has not started.
    public var pendingGlyph: Character { ascii ? "." : "·" }
    /// The mark beside a span on the critical path.
    public var criticalMark: Character { ascii ? "^" : "◆" }
    /// The mark of a collapsed subtree.
    public var collapsedMark: Character { ascii ? ">" : "▸" }
    /// The mark of an expanded subtree.
    public var expandedMark: Character { ascii ? "v" : "▾" }
    /// What ends cut text.
    public var ellipsis: String { ascii ? "~" : "…" }
    /// A middle dot between pieces of a status line.
    public var separator: String { ascii ? " | " : " · " }

    // MARK: Bars and charts

    /// A whole filled cell of a bar.
    public var barFull: Character { ascii ? "#" : "█" }
    /// An empty cell of a progress bar.
    public var barEmpty: Character { ascii ? "-" : "░" }
    /// A cell of a bar where children ran (self time is ``barFull``).
    public var barChild: Character { ascii ? "=" : "▒" }
    /// A running bar's leading edge in ASCII (Unicode uses eighth blocks).
    public var barRunningEdge: Character { ascii ? ">" : "▶" }
    /// Left-aligned blocks of one to seven eighths of a cell (empty in ASCII).
    public var eighths: [Character] { ascii ? [] : ["▏", "▎", "▍", "▌", "▋", "▊", "▉"] }
    /// Levels of a sparkline, lowest first (without the blank).
    public var sparkLevels: [Character] {
        ascii ? [".", ":", "-", "=", "+", "*", "#", "#"] : ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    }
    /// Shades for how much of a map's peak concurrency ran in a cell, lightest first.
    public var densityShades: [Character] { ascii ? [".", ":", "o", "@"] : ["░", "▒", "▓", "█"] }

    // MARK: Lines and boxes

    /// Box corners and sides: top-left, top-right, bottom-left, bottom-right, horizontal, vertical.
    public var box:
        (
            topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character,
            horizontal: Character, vertical: Character
        )
    {
        ascii ? ("+", "+", "+", "+", "-", "|") : ("┌", "┐", "└", "┘", "─", "│")
    }
    /// A tick on a time ruler, and the ruler line.
    public var ruler: (tick: Character, line: Character) { ascii ? ("+", "-") : ("┬", "─") }
    /// Tree branches: `├─`, `└─`, `│ ` and blank (two cells each).
    public var tree: (branch: String, last: String, pipe: String, blank: String) {
        ascii ? ("|-", "`-", "| ", "  ") : ("├─", "└─", "│ ", "  ")
    }
}
