/// One of the sixteen colours every colour terminal has.
///
/// The monitor sticks to these so that it follows the user's terminal theme.
public enum TerminalColor: UInt8, Sendable, Hashable, CaseIterable {
    case black, red, green, yellow, blue, magenta, cyan, white
    case brightBlack, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite
}

/// Text attributes of a cell.
public struct CellAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    /// Creates attributes from their raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bold (or bright) text.
    public static let bold = CellAttributes(rawValue: 1 << 0)
    /// Dim (faint) text.
    public static let dim = CellAttributes(rawValue: 1 << 1)
    /// Foreground and background swapped: the selection, without colour.
    public static let reverse = CellAttributes(rawValue: 1 << 2)
    /// Underlined text.
    public static let underline = CellAttributes(rawValue: 1 << 3)
}

/// How a cell is drawn: colours (`nil` is the terminal's default) and attributes.
public struct CellStyle: Sendable, Hashable {
    /// The text colour, or `nil` for the terminal's default.
    public var foreground: TerminalColor?
    /// The background colour, or `nil` for the terminal's default.
    public var background: TerminalColor?
    /// Bold, dim, reverse, underline.
    public var attributes: CellAttributes

    /// Creates a style.
    public init(foreground: TerminalColor? = nil, background: TerminalColor? = nil, attributes: CellAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default colours, no attributes.
    public static let plain = CellStyle()

    /// This style without colours: what a monochrome terminal or `NO_COLOR` shows.
    public var withoutColor: CellStyle { CellStyle(attributes: attributes) }
}
