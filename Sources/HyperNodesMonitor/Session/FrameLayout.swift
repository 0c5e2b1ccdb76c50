/// Where the parts of a frame go: the status bar on top, the key bar at the
/// bottom, the search line above it, and between them the screen with the
/// log pane below it and the details beside it (or below, when narrow).
struct FrameLayout {
    let status: Rect
    let keys: Rect
    let search: Rect?
    /// Everything between the bars: where the help is drawn.
    let main: Rect
    let screen: Rect
    let details: Rect?
    let log: Rect?

    init(width: Int, height: Int, view: MonitorViewState) {
        let all = Rect(x: 0, y: 0, width: width, height: height)
        let (status, rest) = all.splitTop(1)
        var (main, keys) = rest.splitBottom(1)
        self.status = status
        self.keys = keys
        if view.isSearching || view.searchQuery != nil {
            let split = main.splitBottom(1)
            main = split.rest
            search = split.bottom
        } else {
            search = nil
        }
        self.main = main
        var screen = main
        if view.logVisible && screen.height >= 6 {
            let rows = max(3, screen.height / 3)
            let split = screen.splitBottom(rows)
            screen = split.rest
            log = split.bottom
        } else {
            log = nil
        }
        if view.detailsVisible && screen.height >= 3 {
            if screen.width >= 100 {
                let columns = min(50, screen.width * 2 / 5)
                details = Rect(x: screen.maxX - columns, y: screen.y, width: columns, height: screen.height)
                screen = Rect(x: screen.x, y: screen.y, width: screen.width - columns, height: screen.height)
            } else if screen.height >= 8 {
                let split = screen.splitBottom(max(4, screen.height * 2 / 5))
                screen = split.rest
                details = split.bottom
            } else {
                details = screen
            }
        } else {
            details = nil
        }
        self.screen = screen
    }

    /// How many rows the screen's list shows (tree: below its header; waterfall: below its ruler).
    func pageSize(for screen: MonitorScreen) -> Int {
        switch screen {
        case .tree: return max(1, self.screen.height - (self.screen.height >= 4 ? 1 : 0))
        case .waterfall:
            let ruler = self.screen.height >= 6 ? 2 : (self.screen.height >= 3 ? 1 : 0)
            return max(1, self.screen.height - ruler)
        case .map: return 1
        }
    }

    /// How many lines the log pane shows.
    var logPageSize: Int { max(1, (log?.height ?? 3) - 2) }
}
