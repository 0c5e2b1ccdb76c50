/// The number of terminal cells text occupies.
///
/// Terminals draw East Asian wide characters (CJK ideographs, Hangul, kana,
/// fullwidth forms) and emoji in two cells, combining marks and other
/// zero-width scalars in none, and everything else in one. Strings are
/// measured grapheme by grapheme, so a flag or an emoji joined with
/// zero-width joiners counts as one two-cell character.
public enum DisplayWidth {
    /// The cells `text` occupies.
    public static func of(_ text: some StringProtocol) -> Int {
        var width = 0
        for character in text { width += of(character) }
        return width
    }

    /// The cells one character (grapheme cluster) occupies: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        if character.isASCII {
            // Control characters (including tab, newline) draw nothing we can place.
            let value = character.asciiValue!
            return value < 0x20 || value == 0x7F ? 0 : 1
        }
        let scalars = character.unicodeScalars
        var width = 0
        for scalar in scalars {
            let w = scalarWidth(scalar)
            if w > width { width = w }
        }
        // An emoji made to draw as an emoji (text character + VS16) takes two cells.
        if width == 1, scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return width
    }

    /// The cells one scalar occupies on its own.
    static func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if value == 0x200B || value == 0x200C || value == 0x200D || value == 0x2060 { return 0 }
        if (0xFE00...0xFE0F).contains(value) || (0xE0100...0xE01EF).contains(value) { return 0 }
        if (0x1F3FB...0x1F3FF).contains(value) { return 0 }  // skin-tone modifiers join the emoji before them
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// East Asian Wide and Fullwidth ranges (Unicode 15, abridged to whole blocks).
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
            0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
            0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The longest prefix of `text` that fits in `width` cells, ending in `…`
    /// when something was cut (or in nothing, when `ellipsis` is empty).
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        if width <= 0 { return "" }
        if of(text) <= width { return text }
        let mark = of(ellipsis) <= width ? ellipsis : ""
        let room = width - of(mark)
        var used = 0
        var result = ""
        for character in text {
            let w = of(character)
            if used + w > room { break }
            used += w
            result.append(character)
        }
        return result + mark
    }

    /// `text` followed by spaces up to `width` cells (unchanged if wider).
    public static func pad(_ text: String, to width: Int) -> String {
        let w = of(text)
        return w >= width ? text : text + String(repeating: " ", count: width - w)
    }
}
