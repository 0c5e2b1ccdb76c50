/// What one worker lane of a map did during one time cell, as of some instant: for drawing a lane
/// at any zoom without visiting its items one by one.
public struct LaneCell: Sendable, Hashable {
    /// The share of the cell's time an item of the lane was running (0 to 1).
    public var busy: Double
    /// Items of the lane that overlap the cell.
    public var items: Int
    /// Failed items that ended in the cell.
    public var failed: Int
    /// Cached items (every node served from the cache) that ended in the cell.
    public var cached: Int
    /// Whether the item running at that instant overlaps the cell.
    public var running: Bool

    /// Creates a cell.
    public init(busy: Double, items: Int, failed: Int, cached: Int, running: Bool) {
        self.busy = busy
        self.items = items
        self.failed = failed
        self.cached = cached
        self.running = running
    }
}
