/// One row of the tree or the waterfall: what it shows and where it sits in the tree.
public struct ScreenRow: Sendable, Hashable {
    /// What the row shows.
    public var id: RowID
    /// Its depth: 0 for a top-level span.
    public var depth: Int
    /// For each level above the row, whether a later sibling follows there (a `│` is drawn).
    public var guides: [Bool]
    /// Whether the row is the last of its siblings (`└─` rather than `├─`).
    public var isLast: Bool
    /// Whether the row has rows under it (shown or collapsed).
    public var hasChildren: Bool
    /// Whether its rows are hidden.
    public var isCollapsed: Bool

    /// Creates a row.
    public init(id: RowID, depth: Int, guides: [Bool], isLast: Bool, hasChildren: Bool, isCollapsed: Bool) {
        self.id = id
        self.depth = depth
        self.guides = guides
        self.isLast = isLast
        self.hasChildren = hasChildren
        self.isCollapsed = isCollapsed
    }
}
