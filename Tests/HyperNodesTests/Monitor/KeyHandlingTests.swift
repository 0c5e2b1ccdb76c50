import HyperNodesMonitor
import Testing

@Suite("Monitor key handling")
struct KeyHandlingTests {
    /// Ten rows: spans 0…7, a map 8 and one of its lanes.
    let rows: [RowID] = (0..<8).map { .span($0) } + [.map(8), .lane(map: 8, lane: 1)]

    func context(now: UInt64 = 10_000_000, selected: (UInt64, UInt64)? = nil, page: Int = 4) -> ViewContext {
        ViewContext(
            rows: rows, pageSize: page, now: now, selectedRange: selected.map { (start: $0.0, end: $0.1) },
            logLines: 100, logPageSize: 10,
            search: { query in query == "x" ? [2, 5] : [] })
    }

    @Test("every key the help lists does something")
    func everyListedKeyActs() {
        for binding in KeyBinding.all {
            for key in binding.keys {
                var state = MonitorViewState()
                // Give every key something to act on: a zoomed waterfall, a search, an open log, a selection.
                state.zoom = ZoomWindow(start: 2_000_000, length: 2_000_000)
                state.followLive = false
                state.searchQuery = "x"
                state.matches = [2, 5]
                state.logVisible = true
                state.logScroll = 10
                state.selection = .span(3)
                state.cursor = 3
                if key == .character("1") { state.screen = .map }
                let before = state
                let action = state.handle(key, context: context(selected: (3_000_000, 3_500_000)))
                #expect(action != .none || state != before, "\(key) (\(binding.meaning)) did nothing")
            }
        }
    }

    @Test("screens switch by number, Tab and Shift-Tab")
    func screens() {
        var state = MonitorViewState()
        #expect(state.handle(.character("3"), context: context()) == .redraw)
        #expect(state.screen == .waterfall)
        #expect(state.handle(.character("3"), context: context()) == .none)
        _ = state.handle(.tab, context: context())
        #expect(state.screen == .tree)
        _ = state.handle(.backTab, context: context())
        #expect(state.screen == .waterfall)
        _ = state.handle(.character("2"), context: context())
        #expect(state.screen == .map)
    }

    @Test("moving selects rows, clamps at the ends and scrolls the selection into view")
    func moving() {
        var state = MonitorViewState()
        _ = state.handle(.down, context: context())
        _ = state.handle(.character("j"), context: context())
        #expect(state.selection == .span(2))
        _ = state.handle(.pageDown, context: context())
        #expect(state.selection == .span(6))
        #expect(state.treeScroll == 3)
        _ = state.handle(.end, context: context())
        #expect(state.selection == .lane(map: 8, lane: 1))
        #expect(state.handle(.down, context: context()) == .none)
        _ = state.handle(.character("k"), context: context())
        #expect(state.selection == .map(8))
        _ = state.handle(.home, context: context())
        #expect(state.selection == .span(0))
        #expect(state.treeScroll == 0)
        #expect(state.handle(.up, context: context()) == .none)
        _ = state.handle(.pageUp, context: context())
        #expect(state.selection == .span(0))
        var empty = MonitorViewState()
        #expect(empty.handle(.down, context: ViewContext(rows: [], pageSize: 3, now: 0)) == .none)
    }

    @Test("a vanished row leaves the selection at its span or its old place")
    func vanishedSelection() {
        var state = MonitorViewState()
        state.selection = .lane(map: 8, lane: 3)
        #expect(state.selectedIndex(in: rows) == 8)
        state.selection = .span(99)
        state.cursor = 4
        #expect(state.selectedIndex(in: rows) == 4)
        state.cursor = 40
        #expect(state.selectedIndex(in: rows) == 9)
        #expect(MonitorViewState.scrollOffset(selected: 9, scroll: 0, page: 4, count: 10) == 6)
        #expect(MonitorViewState.scrollOffset(selected: 2, scroll: 6, page: 4, count: 10) == 2)
        #expect(MonitorViewState.scrollOffset(selected: 0, scroll: 50, page: 4, count: 2) == 0)
    }

    @Test("Enter folds a subtree, and opens a map's lanes")
    func enter() {
        var state = MonitorViewState()
        state.selection = .span(2)
        #expect(state.handle(.enter, context: context()) == .redraw)
        #expect(state.collapsed == [2])
        _ = state.handle(.enter, context: context())
        #expect(state.collapsed.isEmpty)
        state.selection = .map(8)
        _ = state.handle(.enter, context: context())
        #expect(state.expandedMaps == [8])
        state.selection = .lane(map: 8, lane: 1)
        _ = state.handle(.enter, context: context())
        #expect(state.expandedMaps.isEmpty)
        #expect(state.selection == .map(8))
    }

    @Test("panes and help toggle, and help swallows other keys until closed")
    func panes() {
        var state = MonitorViewState()
        _ = state.handle(.character("d"), context: context())
        _ = state.handle(.character("o"), context: context())
        _ = state.handle(.character("c"), context: context())
        #expect(state.detailsVisible && state.logVisible && state.showCriticalPath)
        _ = state.handle(.character("?"), context: context())
        #expect(state.helpVisible)
        #expect(state.handle(.character("3"), context: context()) == .none)
        #expect(state.screen == .tree)
        #expect(state.handle(.escape, context: context()) == .redraw)
        #expect(!state.helpVisible)
        _ = state.handle(.escape, context: context())
        #expect(!state.detailsVisible)
    }

    @Test("q and Ctrl-C quit from anywhere, Ctrl-C even while searching")
    func quitting() {
        var state = MonitorViewState()
        #expect(state.handle(.character("q"), context: context()) == .quit)
        state.helpVisible = true
        #expect(state.handle(.character("q"), context: context()) == .quit)
        state.helpVisible = false
        state.isSearching = true
        #expect(state.handle(.character("q"), context: context()) == .redraw)
        #expect(state.searchText == "q")
        #expect(state.handle(.control("c"), context: context()) == .quit)
    }

    @Test("playback keys ask the clock to act")
    func playback() {
        var state = MonitorViewState()
        #expect(state.handle(.character(" "), context: context()) == .togglePause)
        #expect(state.handle(.character("+"), context: context()) == .faster)
        #expect(state.handle(.character("-"), context: context()) == .slower)
        #expect(state.handle(.left, context: context()) == .step(-1))
        #expect(state.handle(.right, context: context()) == .step(1))
        #expect(state.handle(.character("G"), context: context()) == .jumpToEnd)
        #expect(state.handle(.character("g"), context: context()) == .jumpToStart)
        #expect(!state.followLive)
        #expect(state.handle(.character("L"), context: context()) == .setFollow(true))
        #expect(state.handle(.character("L"), context: context()) == .setFollow(false))
    }

    @Test("search: typing, Enter selects the first match, n and N wrap, Esc clears")
    func search() {
        var state = MonitorViewState()
        _ = state.handle(.character("/"), context: context())
        #expect(state.isSearching)
        _ = state.handle(.character("y"), context: context())
        _ = state.handle(.backspace, context: context())
        _ = state.handle(.character("x"), context: context())
        _ = state.handle(.enter, context: context())
        #expect(!state.isSearching)
        #expect(state.searchQuery == "x")
        #expect(state.matches == [2, 5])
        #expect(state.selection == .span(2))
        _ = state.handle(.character("n"), context: context())
        #expect(state.selection == .span(5))
        _ = state.handle(.character("n"), context: context())
        #expect(state.selection == .span(2))
        _ = state.handle(.character("N"), context: context())
        #expect(state.selection == .span(5))
        _ = state.handle(.escape, context: context())
        #expect(state.searchQuery == nil && state.matches.isEmpty)
        #expect(state.handle(.character("n"), context: context()) == .none)
        // An empty search clears; Esc in the prompt cancels.
        _ = state.handle(.character("/"), context: context())
        _ = state.handle(.enter, context: context())
        #expect(state.searchQuery == nil)
        _ = state.handle(.character("/"), context: context())
        _ = state.handle(.character("z"), context: context())
        _ = state.handle(.escape, context: context())
        #expect(!state.isSearching && state.searchQuery == nil)
    }

    @Test("zoom halves and doubles the window around the selection, f fits the span, 0 resets")
    func zoom() {
        var state = MonitorViewState()
        state.followLive = false
        let now: UInt64 = 8_000_000
        #expect(state.window(now: now) == (0, 8_000_000))
        #expect(state.handle(.character("x"), context: context(now: now)) == .none)
        _ = state.handle(.character("z"), context: context(now: now, selected: (2_000_000, 3_000_000)))
        // The anchor (2 ms, a quarter in) stays a quarter in.
        #expect(state.window(now: now) == (1_000_000, 5_000_000))
        _ = state.handle(.character("x"), context: context(now: now, selected: (2_000_000, 3_000_000)))
        #expect(state.zoom == nil)
        _ = state.handle(.character("f"), context: context(now: now, selected: (2_000_000, 3_000_000)))
        #expect(state.window(now: now) == (1_900_000, 3_100_000))
        _ = state.handle(.character("0"), context: context(now: now))
        #expect(state.zoom == nil)
        // Zooming stops at a microsecond.
        for _ in 0..<40 { _ = state.handle(.character("z"), context: context(now: now)) }
        #expect(state.zoom?.length == ZoomWindow.minimumLength)
    }

    @Test("pan moves a quarter of the window and reaching the end follows live again")
    func pan() {
        var state = MonitorViewState()
        #expect(state.handle(.character("h"), context: context(now: 8_000_000)) == .none)
        state.zoom = ZoomWindow(start: 2_000_000, length: 4_000_000)
        state.followLive = false
        _ = state.handle(.character("h"), context: context(now: 8_000_000))
        #expect(state.window(now: 8_000_000) == (1_000_000, 5_000_000))
        _ = state.handle(.character("h"), context: context(now: 8_000_000))
        _ = state.handle(.character("h"), context: context(now: 8_000_000))
        #expect(state.window(now: 8_000_000) == (0, 4_000_000))
        for _ in 0..<4 { _ = state.handle(.character("l"), context: context(now: 8_000_000)) }
        #expect(state.window(now: 8_000_000) == (4_000_000, 8_000_000))
        #expect(state.followLive)
        // Following, the window keeps ending at the playback position.
        #expect(state.window(now: 9_000_000) == (5_000_000, 9_000_000))
    }

    @Test("the log pane scrolls by pages within its lines, only when shown")
    func logScroll() {
        var state = MonitorViewState()
        #expect(state.handle(.character("["), context: context()) == .none)
        state.logVisible = true
        _ = state.handle(.character("["), context: context())
        #expect(state.logScroll == 10)
        for _ in 0..<20 { _ = state.handle(.character("["), context: context()) }
        #expect(state.logScroll == 90)
        _ = state.handle(.character("]"), context: context())
        #expect(state.logScroll == 80)
    }
}
