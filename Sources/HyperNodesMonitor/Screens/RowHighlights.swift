/// Spans drawn highlighted on the tree and the waterfall: search matches
/// and, when shown, the critical path.
public struct RowHighlights: Sendable, Hashable {
    /// Spans matching the search in force.
    public var matches: Set<Int>
    /// Spans on the critical path (empty when it is not shown).
    public var critical: SpanMask

    /// Creates highlights.
    public init(matches: Set<Int> = [], critical: SpanMask = SpanMask()) {
        self.matches = matches
        self.critical = critical
    }
}
