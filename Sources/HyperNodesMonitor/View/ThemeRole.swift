/// What a piece of the monitor stands for; a ``Theme`` turns it into a
/// ``CellStyle``.
public enum ThemeRole: Sendable, Hashable, CaseIterable {
    /// Ordinary text.
    case plain
    /// Headings and pane titles.
    case title
    /// Pane borders and rulers.
    case border
    /// Secondary text: units, hints, empty bar cells.
    case muted
    /// A span or item still running.
    case running
    /// A span that ended normally.
    case done
    /// A span served from the cache.
    case cached
    /// A span that ended with an error.
    case failed
    /// A span that was cancelled.
    case cancelled
    /// Work that has not started yet.
    case pending
    /// The selected row.
    case selected
    /// A span on the critical path.
    case critical
    /// The part of a bar where a child span was running (the rest is self time).
    case childTime
    /// A search match.
    case match
    /// A key name in the key bar or the help.
    case key
    /// The status bar.
    case statusBar
    /// Something the user should notice: dropped events, bad lines.
    case warning
}
