/// What the terminal loop does after a key.
public enum SessionCommand: Sendable, Hashable {
    /// Nothing changed.
    case none
    /// Draw a new frame.
    case redraw
    /// Restore the terminal and leave.
    case quit
}
