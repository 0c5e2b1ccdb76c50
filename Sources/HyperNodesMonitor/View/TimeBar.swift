/// The cells of a bar placed by time: a span from `start` to `end` on a
/// window of the timeline drawn `width` cells wide.
///
/// Unicode bars have sub-cell ends: the right end is one of the left-aligned
/// eighth blocks `▏▎▍▌▋▊▉`, the left end a right half `▐` or eighth `▕`.
/// ASCII bars round to whole cells. A span too short to see still gets one
/// mark, so that no span is invisible.
public struct TimeBar: Sendable, Hashable {
    /// The first time of the window (nanoseconds on the monitor's timeline).
    public var from: UInt64
    /// The time just past the window; never equal to `from`.
    public var to: UInt64
    /// The window's width in cells.
    public var width: Int

    /// Creates a bar layout for a window; an empty window becomes one nanosecond wide.
    public init(from: UInt64, to: UInt64, width: Int) {
        if to > from {
            (self.from, self.to) = (from, to)
        } else if from == .max {
            (self.from, self.to) = (from - 1, from)
        } else {
            (self.from, self.to) = (from, from + 1)
        }
        self.width = max(0, width)
    }

    /// The time at the left edge of `column`.
    public func time(atColumn column: Int) -> UInt64 {
        let span = Double(to - from)
        return from + UInt64(max(0, min(span, span * Double(column) / Double(max(width, 1)))))
    }

    /// The column (possibly outside `0..<width`) where `time` falls.
    public func column(of time: UInt64) -> Int {
        Int(position(of: time) / 8)
    }

    /// `time`'s position in eighths of a cell from the window's left edge,
    /// clamped to a little outside the window.
    private func position(of time: UInt64) -> Double {
        let offset = time >= from ? Double(time - from) : -Double(from - time)
        let eighths = offset / Double(to - from) * Double(width * 8)
        return min(Double(width * 8 + 8), max(-8, eighths))
    }

    /// The cells a span from `start` to `end` covers, each with its glyph, in
    /// column order; empty when the span lies outside the window.
    public func cells(start: UInt64, end: UInt64, theme: Theme) -> [(column: Int, character: Character)] {
        guard width > 0, end >= start, end >= from, start < to else { return [] }
        let first = max(0, min(width * 8 - 1, Int(position(of: start).rounded(.down))))
        let last = max(first + 1, min(width * 8, Int(position(of: end).rounded())))
        if theme.ascii {
            let a = first / 8
            let b = max(a + 1, (last + 4) / 8)
            return (a..<min(width, b)).map { ($0, theme.barFull) }
        }
        let eighths = theme.eighths
        var result: [(column: Int, character: Character)] = []
        for cell in (first / 8)...((last - 1) / 8) where cell < width {
            let low = max(first, cell * 8) - cell * 8  // 0...7
            let high = min(last, cell * 8 + 8) - cell * 8  // 1...8
            let character: Character
            if low == 0 {
                character = high == 8 ? "█" : eighths[high - 1]
            } else if high == 8 {
                character = low <= 2 ? "█" : (low <= 5 ? "▐" : "▕")
            } else {
                character = eighths[max(1, high - low) - 1]
            }
            result.append((cell, character))
        }
        return result
    }
}
