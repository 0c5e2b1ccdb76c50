/// A key the user pressed, independent of the terminal library that read it.
///
/// The terminal backend turns what it reads into these; view state handles
/// them as plain values, so key handling is tested without a terminal.
public enum Key: Sendable, Hashable {
    /// A printable character (`q`, `?`, `/`, `+`, a space, a letter of a search).
    case character(Character)
    /// A letter typed with Control held (`.control("c")` for Ctrl-C), lowercase.
    case control(Character)
    /// Cursor keys.
    case up, down, left, right
    /// Page keys.
    case pageUp, pageDown, home, end
    /// Return or keypad Enter.
    case enter
    /// Escape on its own.
    case escape
    /// Tab, and Shift-Tab.
    case tab, backTab
    /// Backspace, and Delete.
    case backspace, delete
    /// A function key, `F1` as `.function(1)`.
    case function(Int)
}
