/// Everything about what the user is looking at, apart from the data: the
/// screen, the selection, collapsed subtrees, scrolling, the waterfall's
/// zoom, search, and which panes are open.
///
/// A plain value: keys change it through ``handle(_:context:)``, a pure
/// function, and screens read it.
public struct MonitorViewState: Sendable, Hashable {
    /// The screen shown.
    public var screen: MonitorScreen = .tree
    /// The selected row (`nil`: the first row).
    public var selection: RowID?
    /// The selected row's position when it was last seen, so that the
    /// selection stays near its place when its row disappears.
    public var cursor: Int = 0
    /// Spans whose subtrees are collapsed.
    public var collapsed: Set<Int> = []
    /// Maps whose items the waterfall shows lane by lane.
    public var expandedMaps: Set<Int> = []
    /// The first row shown on the tree screen.
    public var treeScroll: Int = 0
    /// The first row shown on the waterfall.
    public var waterfallScroll: Int = 0
    /// How many lines the log pane is scrolled up from its newest line.
    public var logScroll: Int = 0
    /// The waterfall's zoomed window, or `nil` for the whole run.
    public var zoom: ZoomWindow?
    /// Whether the playback and the zoomed waterfall follow the newest data.
    public var followLive: Bool = true
    /// Whether the critical path is highlighted.
    public var showCriticalPath: Bool = false
    /// Whether the search prompt is open (keys type into ``searchText``).
    public var isSearching: Bool = false
    /// The text in the search prompt.
    public var searchText: String = ""
    /// The search in force (`nil`: none): rows are limited to matches and their ancestors.
    public var searchQuery: String?
    /// The spans matching ``searchQuery``, in tree order.
    public var matches: [Int] = []
    /// Whether the help overlay is shown.
    public var helpVisible: Bool = false
    /// Whether the details pane is shown.
    public var detailsVisible: Bool = false
    /// Whether the log pane is shown.
    public var logVisible: Bool = false

    /// Creates the initial view: the tree, nothing selected, following live.
    public init() {}

    /// The selected row's position among `rows`: the selection's own row, or
    /// the nearest position to where it was, or 0.
    public func selectedIndex(in rows: [RowID]) -> Int {
        guard !rows.isEmpty else { return 0 }
        if let selection {
            if let index = rows.firstIndex(of: selection) { return index }
            // A lane or pending row that went away: fall back to its span's row.
            if let index = rows.firstIndex(where: { $0 == .span(selection.span) || $0 == .map(selection.span) }) {
                return index
            }
        }
        return min(max(0, cursor), rows.count - 1)
    }

    /// The selected row among `rows`, or `nil` when there are none.
    public func selectedRow(in rows: [RowID]) -> RowID? {
        rows.isEmpty ? nil : rows[selectedIndex(in: rows)]
    }

    /// The first row to draw so that row `selected` shows in a window of
    /// `page` rows, starting from `scroll` and moving as little as possible.
    public static func scrollOffset(selected: Int, scroll: Int, page: Int, count: Int) -> Int {
        let page = max(1, page)
        var offset = min(max(0, scroll), max(0, count - page))
        if selected < offset { offset = selected }
        if selected >= offset + page { offset = selected - page + 1 }
        return max(0, min(offset, max(0, count - 1)))
    }

    /// The waterfall's time window at playback position `now`: the zoomed
    /// window (kept ending at `now` while following live), or the whole run.
    public func window(now: UInt64) -> (from: UInt64, to: UInt64) {
        guard let zoom else { return (0, max(now, 1)) }
        if followLive && now > zoom.start + zoom.length {
            return (now - zoom.length, now)
        }
        let (end, overflow) = zoom.start.addingReportingOverflow(zoom.length)
        return (zoom.start, overflow ? .max : end)
    }
}
