/// What key handling needs to know about the current frame: the rows of the
/// current screen, how many fit, and the times to zoom and search by.
///
/// The session builds it from the model at the playback position; tests
/// build it by hand.
public struct ViewContext {
    /// The rows of the current screen in order (tree, waterfall, or the maps on the map screen).
    public var rows: [RowID]
    /// How many rows the screen shows at once.
    public var pageSize: Int
    /// The playback position.
    public var now: UInt64
    /// The selected span's start and end (its end at `now` while it runs).
    public var selectedRange: (start: UInt64, end: UInt64)?
    /// The lines in the log pane, and how many it shows at once.
    public var logLines: Int
    /// How many log lines the log pane shows.
    public var logPageSize: Int
    /// Finds spans by name, in tree order.
    public var search: (String) -> [Int]

    /// Creates a context.
    public init(
        rows: [RowID], pageSize: Int, now: UInt64, selectedRange: (start: UInt64, end: UInt64)? = nil,
        logLines: Int = 0, logPageSize: Int = 1, search: @escaping (String) -> [Int] = { _ in [] }
    ) {
        self.rows = rows
        self.pageSize = max(1, pageSize)
        self.now = now
        self.selectedRange = selectedRange
        self.logLines = logLines
        self.logPageSize = max(1, logPageSize)
        self.search = search
    }
}
