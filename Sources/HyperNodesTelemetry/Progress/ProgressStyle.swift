import HyperNodes

/// How progress is drawn: Unicode or ASCII glyphs, with or without colour.
public struct ProgressStyle: Sendable, Equatable {
    /// ASCII glyphs only (for `TERM=dumb` and terminals without Unicode fonts).
    public var ascii: Bool
    /// Colour escape codes (off with `NO_COLOR` or when not writing to a terminal).
    public var color: Bool

    /// Creates a style.
    public init(ascii: Bool = false, color: Bool = true) {
        self.ascii = ascii
        self.color = color
    }

    /// Unicode glyphs with colour.
    public static let unicode = ProgressStyle()

    /// The spinner frame shown `now` (nanoseconds): it turns ten times a second.
    func spinner(at now: UInt64) -> String {
        let frames = ascii ? Self.asciiSpinner : Self.unicodeSpinner
        return frames[Int((now / 100_000_000) % UInt64(frames.count))]
    }

    static let unicodeSpinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    static let asciiSpinner = ["-", "\\", "|", "/"]

    /// The glyph of a finished status.
    func glyph(_ status: Outcome) -> String {
        switch status {
        case .ok: ascii ? "+" : "✓"
        case .cached: ascii ? "*" : "⚡"
        case .failed: ascii ? "x" : "✗"
        case .cancelled: ascii ? "-" : "⊘"
        case .progress: ascii ? "..." : "…"
        }
    }

    /// The tone a glyph is drawn in.
    func tone(_ status: Outcome) -> Tone {
        switch status {
        case .ok: .green
        case .cached: .yellow
        case .failed: .red
        case .cancelled: .yellow
        case .progress: .cyan
        }
    }

    /// What a glyph stands for.
    enum Outcome {
        case ok, cached, failed, cancelled, progress
    }

    /// Tree branches: `├─ `, `└─ `, `│  `, `   ` (or their ASCII forms).
    var branch: String { ascii ? "|- " : "├─ " }
    var lastBranch: String { ascii ? "`- " : "└─ " }
    var pipe: String { ascii ? "|  " : "│  " }
    var blank: String { "   " }
    var ellipsis: String { ascii ? "..." : "…" }
    var micro: String { ascii ? "us" : "µs" }

    /// A progress bar `width` cells wide, filled to `fraction`, with
    /// eighth-block ends in Unicode.
    func bar(_ fraction: Double, width: Int) -> (filled: String, empty: String) {
        guard width > 0 else { return ("", "") }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        if ascii {
            let full = Int((f * Double(width)).rounded(.down))
            return (String(repeating: "#", count: full), String(repeating: "-", count: width - full))
        }
        let eighths = Int((f * Double(width * 8)).rounded(.down))
        let full = eighths / 8
        let rest = eighths % 8
        var filled = String(repeating: "█", count: full)
        var used = full
        if rest > 0 {
            filled += Self.eighthBlocks[rest - 1]
            used += 1
        }
        return (filled, String(repeating: "░", count: width - used))
    }

    /// `▏▎▍▌▋▊▉`: one to seven eighths of a cell.
    static let eighthBlocks = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
}

/// A colour or weight for a piece of text.
enum Tone: Sendable, Equatable {
    case plain, bold, dim, green, red, yellow, cyan

    var code: String {
        switch self {
        case .plain: ""
        case .bold: "\u{1B}[1m"
        case .dim: "\u{1B}[2m"
        case .green: "\u{1B}[32m"
        case .red: "\u{1B}[31m"
        case .yellow: "\u{1B}[33m"
        case .cyan: "\u{1B}[36m"
        }
    }
}

/// Text made of pieces in different tones, measured in display cells.
struct StyledText: Sendable, Equatable {
    var pieces: [(text: String, tone: Tone)] = []

    init() {}
    init(_ text: String, _ tone: Tone = .plain) { append(text, tone) }

    static func == (lhs: StyledText, rhs: StyledText) -> Bool {
        lhs.pieces.count == rhs.pieces.count
            && zip(lhs.pieces, rhs.pieces).allSatisfy { $0.text == $1.text && $0.tone == $1.tone }
    }

    var width: Int { pieces.reduce(0) { $0 + DisplayWidth.of($1.text) } }
    var plainText: String { pieces.map(\.text).joined() }

    mutating func append(_ text: String, _ tone: Tone = .plain) {
        if !text.isEmpty { pieces.append((text, tone)) }
    }

    mutating func append(_ other: StyledText) { pieces += other.pieces }

    /// The text cut to `width` cells, ending in `ellipsis` when cut.
    func truncated(to width: Int, ellipsis: String) -> StyledText {
        if self.width <= width { return self }
        let mark = DisplayWidth.of(ellipsis) <= width ? ellipsis : ""
        var room = width - DisplayWidth.of(mark)
        var result = StyledText()
        for piece in pieces {
            let w = DisplayWidth.of(piece.text)
            if w <= room {
                result.append(piece.text, piece.tone)
                room -= w
                continue
            }
            result.append(DisplayWidth.truncate(piece.text, to: room, ellipsis: ""), piece.tone)
            break
        }
        result.append(mark, .dim)
        return result
    }

    /// The text padded with spaces to `width` cells.
    func padded(to width: Int) -> StyledText {
        var result = self
        let w = self.width
        if w < width { result.append(String(repeating: " ", count: width - w)) }
        return result
    }

    /// The text with escape codes for its tones (when `color`), ending with a reset.
    func rendered(color: Bool) -> String {
        guard color else { return plainText }
        var out = ""
        var open = false
        for piece in pieces {
            if piece.tone == .plain {
                if open {
                    out += "\u{1B}[0m"
                    open = false
                }
                out += piece.text
            } else {
                out += (open ? "\u{1B}[0m" : "") + piece.tone.code + piece.text
                open = true
            }
        }
        if open { out += "\u{1B}[0m" }
        return out
    }
}
