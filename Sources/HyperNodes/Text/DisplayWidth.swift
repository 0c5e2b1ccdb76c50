/// Measuring and fitting text by the terminal cells it occupies, not by its
/// `count`: East Asian wide characters and emoji take two cells, combining
/// marks and zero-width characters none. Strings are measured grapheme by
/// grapheme, so a flag or an emoji joined with zero-width joiners counts as
/// one two-cell character.
///
/// The progress display, the text summary and the monitor all measure with
/// it, so that a name lines up the same way everywhere.
///
/// ```swift
/// DisplayWidth.of("日本")                     // 4
/// DisplayWidth.fit("résumé.pdf", to: 6)     // "résum…"
/// ```
public enum DisplayWidth {
    /// The number of cells `text` occupies in a terminal.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The number of cells one character (grapheme cluster) occupies: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F { return first.value < 0x20 ? 0 : 1 }
        // An emoji presentation selector or a skin-tone/ZWJ sequence makes an emoji wide.
        if scalars.contains(where: { $0.value == 0xFE0F }) && first.properties.isEmoji { return 2 }
        if isWide(first) || first.properties.isEmojiPresentation { return 2 }
        if isZeroWidth(first) {
            // A cluster that starts with a mark or joiner: as wide as its first visible scalar.
            for scalar in scalars.dropFirst() where !isZeroWidth(scalar) { return isWide(scalar) ? 2 : 1 }
            return 0
        }
        return 1
    }

    /// Whether `scalar` is drawn in two cells (East Asian Wide or Fullwidth).
    public static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x1100 { return false }
        for range in wideRanges where range.contains(value) { return true }
        return false
    }

    /// Whether `scalar` occupies no cell of its own (combining marks, format
    /// characters, joiners, variation selectors, controls).
    public static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return true }
        if value == 0x200B || value == 0x200C || value == 0x200D || value == 0x2060 || value == 0xFEFF { return true }
        if (0xFE00...0xFE0F).contains(value) || (0xE0100...0xE01EF).contains(value) { return true }
        if (0x1F3FB...0x1F3FF).contains(value) { return true }  // skin-tone modifiers join the emoji before them
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    /// The longest prefix of `text` that fits in `width` cells, ending in
    /// `ellipsis` when something was cut (nothing when `ellipsis` is empty or
    /// wider than `width`). Never splits a wide character.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let mark = of(ellipsis) <= width ? ellipsis : ""
        let room = width - of(mark)
        var result = ""
        var used = 0
        for character in text {
            let cells = of(character)
            if used + cells > room { break }
            result.append(character)
            used += cells
        }
        return result + mark
    }

    /// `text` followed by spaces up to `width` cells (unchanged if wider).
    public static func pad(_ text: String, to width: Int) -> String {
        let cells = of(text)
        return cells >= width ? text : text + String(repeating: " ", count: width - cells)
    }

    /// `text` broken into lines of at most `width` cells at `separator`s
    /// (which are dropped at the breaks), then at spaces; a piece that still
    /// does not fit is cut with `…`. Lines after the first start with `indent`.
    public static func wrap(_ text: String, to width: Int, at separator: String = " ", indent: String = "") -> [String]
    {
        // Leading spaces stay on the first line.
        let lead = String(text.prefix { $0 == " " })
        if !lead.isEmpty {
            var lines = wrap(String(text.dropFirst(lead.count)), to: width - lead.count, at: separator, indent: indent)
            lines[0] = lead + lines[0]
            return lines
        }
        let pieces = text.components(separatedBy: separator)
        var lines: [String] = []
        var current = ""
        for piece in pieces {
            let candidate = current.isEmpty ? piece : current + separator + piece
            let limit = lines.isEmpty ? width : width - of(indent)
            if of(candidate) <= limit || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = piece
            }
        }
        lines.append(current)
        return lines.enumerated().flatMap { position, line -> [String] in
            let limit = position == 0 ? width : width - of(indent)
            let prefix = position == 0 ? "" : indent
            if of(line) <= limit || separator == " " {
                return [prefix + truncate(line, to: limit)]
            }
            return wrap(line, to: limit, at: " ").map { prefix + $0 }
        }
    }

    /// `text` fitted to exactly `width` cells: cut with `…`, or padded with
    /// spaces on the right (or on the left when `alignRight`).
    public static func fit(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let padding = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? padding + cut : cut + padding
    }

    /// `text` with every control character (C0, DEL, C1 — escape included)
    /// replaced by `�`, line ends included, so that it can never move the
    /// cursor or change the terminal's state.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(isControl(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }

    /// East Asian Wide and Fullwidth ranges, and the emoji blocks.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
        0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
