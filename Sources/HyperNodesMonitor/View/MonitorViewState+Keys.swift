/// Key handling: a pure function from (view state, key, frame context) to a
/// new view state and an action for the playback.
extension MonitorViewState {
    /// Applies `key` and returns what the playback or the session must do.
    public mutating func handle(_ key: Key, context: ViewContext) -> ViewAction {
        if key == .control("c") { return .quit }
        if isSearching { return handleSearchKey(key, context: context) }
        if helpVisible {
            switch key {
            case .character("q"): return .quit
            case .character("?"), .escape, .enter, .function(1):
                helpVisible = false
                return .redraw
            default: return .none
            }
        }
        switch key {
        case .character("q"): return .quit
        case .character("?"), .function(1):
            helpVisible = true
            return .redraw
        case .escape:
            if searchQuery != nil {
                clearSearch()
                return .redraw
            }
            if detailsVisible {
                detailsVisible = false
                return .redraw
            }
            return .none
        case .character("1"), .character("2"), .character("3"):
            return show(MonitorScreen.allCases.first { key == .character($0.key) } ?? .tree)
        case .tab: return show(screen.next)
        case .backTab: return show(screen.previous)
        case .up, .character("k"): return move(by: -1, context: context)
        case .down, .character("j"): return move(by: 1, context: context)
        case .pageUp: return move(by: -context.pageSize, context: context)
        case .pageDown: return move(by: context.pageSize, context: context)
        case .home: return move(to: 0, context: context)
        case .end: return move(to: context.rows.count - 1, context: context)
        case .enter: return toggleExpansion(context: context)
        case .character(" "): return .togglePause
        case .character("+"), .character("="): return .faster
        case .character("-"), .character("_"): return .slower
        case .left: return .step(-1)
        case .right: return .step(1)
        case .character("g"):
            followLive = false
            return .jumpToStart
        case .character("G"): return .jumpToEnd
        case .character("L"):
            followLive.toggle()
            return .setFollow(followLive)
        case .character("z"): return zoom(in: true, context: context)
        case .character("x"): return zoom(in: false, context: context)
        case .character("h"): return pan(by: -1, context: context)
        case .character("l"): return pan(by: 1, context: context)
        case .character("f"): return zoomToSelection(context: context)
        case .character("0"):
            guard zoom != nil else { return .none }
            zoom = nil
            return .redraw
        case .character("c"):
            showCriticalPath.toggle()
            return .redraw
        case .character("d"):
            detailsVisible.toggle()
            return .redraw
        case .character("o"):
            logVisible.toggle()
            return .redraw
        case .character("["): return scrollLog(by: context.logPageSize, context: context)
        case .character("]"): return scrollLog(by: -context.logPageSize, context: context)
        case .character("/"):
            isSearching = true
            searchText = searchQuery ?? ""
            return .redraw
        case .character("n"): return jumpToMatch(forward: true, context: context)
        case .character("N"): return jumpToMatch(forward: false, context: context)
        default: return .none
        }
    }

    private mutating func show(_ target: MonitorScreen) -> ViewAction {
        guard target != screen else { return .none }
        screen = target
        return .redraw
    }

    private mutating func move(by delta: Int, context: ViewContext) -> ViewAction {
        guard !context.rows.isEmpty else { return .none }
        return move(to: selectedIndex(in: context.rows) + delta, context: context)
    }

    /// Selects row `index` (clamped) and scrolls it into view.
    private mutating func move(to index: Int, context: ViewContext) -> ViewAction {
        guard !context.rows.isEmpty else { return .none }
        let target = min(max(0, index), context.rows.count - 1)
        let before = (selection, cursor, treeScroll, waterfallScroll)
        select(target, context: context)
        return before == (selection, cursor, treeScroll, waterfallScroll) ? .none : .redraw
    }

    private mutating func select(_ index: Int, context: ViewContext) {
        selection = context.rows[index]
        cursor = index
        switch screen {
        case .tree:
            treeScroll = Self.scrollOffset(
                selected: index, scroll: treeScroll, page: context.pageSize, count: context.rows.count)
        case .waterfall:
            waterfallScroll = Self.scrollOffset(
                selected: index, scroll: waterfallScroll, page: context.pageSize, count: context.rows.count)
        case .map: break
        }
    }

    private mutating func toggleExpansion(context: ViewContext) -> ViewAction {
        guard let row = selectedRow(in: context.rows) else { return .none }
        switch row {
        case .map(let map), .lane(let map, _):
            if expandedMaps.remove(map) == nil { expandedMaps.insert(map) }
            selection = .map(map)
        case .span(let span):
            if collapsed.remove(span) == nil { collapsed.insert(span) }
        case .pending: return .none
        }
        return .redraw
    }

    // MARK: Waterfall window

    private mutating func zoom(in zoomingIn: Bool, context: ViewContext) -> ViewAction {
        let (from, to) = window(now: context.now)
        let length = to - from
        // Zoom around the selected span's start when it is on screen, else around the middle.
        var anchor = from + length / 2
        if let range = context.selectedRange, range.start >= from, range.start < to { anchor = range.start }
        let share = Double(anchor - from) / Double(max(length, 1))
        let fullLength = max(context.now, 1)
        let newLength: UInt64
        if zoomingIn {
            newLength = max(ZoomWindow.minimumLength, length / 2)
            guard newLength < length else { return .none }
        } else {
            guard zoom != nil else { return .none }
            newLength = length > UInt64.max / 4 ? length : length * 2
            if newLength >= fullLength {
                zoom = nil
                return .redraw
            }
        }
        let offset = UInt64(share * Double(newLength))
        let start = anchor > offset ? anchor - offset : 0
        zoom = ZoomWindow(start: start, length: newLength)
        // A zoomed window that does not reach the newest data stops following it.
        if start + newLength < context.now { followLive = false }
        return .redraw
    }

    private mutating func pan(by direction: Int, context: ViewContext) -> ViewAction {
        guard zoom != nil else { return .none }
        let (from, to) = window(now: context.now)
        let length = to - from
        let step = max(1, length / 4)
        let latestStart = context.now > length ? context.now - length : 0
        let start: UInt64
        if direction < 0 {
            start = from > step ? from - step : 0
        } else {
            start = min(from + step, max(from, latestStart))
        }
        let follow = direction > 0 && start >= latestStart
        guard start != from || follow != followLive else { return .none }
        zoom = ZoomWindow(start: start, length: length)
        followLive = follow
        return .redraw
    }

    private mutating func zoomToSelection(context: ViewContext) -> ViewAction {
        guard let range = context.selectedRange else { return .none }
        let length = max(ZoomWindow.minimumLength, range.end - min(range.start, range.end))
        // A tenth of margin on either side.
        let margin = length / 10
        let start = range.start > margin ? range.start - margin : 0
        // A span as long as the run (the run itself) is the whole run: no zoom.
        if start == 0 && start + length + 2 * margin >= context.now {
            guard zoom != nil else { return .none }
            zoom = nil
            return .redraw
        }
        zoom = ZoomWindow(start: start, length: length + 2 * margin)
        followLive = false
        return .redraw
    }

    // MARK: Log pane

    private mutating func scrollLog(by lines: Int, context: ViewContext) -> ViewAction {
        guard logVisible else { return .none }
        let limit = max(0, context.logLines - context.logPageSize)
        let target = min(max(0, logScroll + lines), limit)
        guard target != logScroll else { return .none }
        logScroll = target
        return .redraw
    }

    // MARK: Search

    private mutating func handleSearchKey(_ key: Key, context: ViewContext) -> ViewAction {
        switch key {
        case .escape:
            isSearching = false
            searchText = ""
            clearSearch()
        case .enter:
            isSearching = false
            let query = searchText
            if query.isEmpty {
                clearSearch()
                return .redraw
            }
            searchQuery = query
            matches = context.search(query)
            if let first = matches.first {
                // The first match at or after the selection, else the first.
                let start = selectedIndex(in: context.rows)
                let rowsAfter = context.rows.indices.filter { $0 >= start }.map { context.rows[$0].span }
                let next = rowsAfter.first { matches.contains($0) } ?? first
                selection =
                    context.rows.first { $0 == .span(next) || $0 == .map(next) } ?? .span(next)
            }
        case .backspace, .delete:
            guard !searchText.isEmpty else { return .none }
            searchText.removeLast()
        case .character(let character):
            guard searchText.count < 200 else { return .none }
            searchText.append(character)
        default: return .none
        }
        return .redraw
    }

    private mutating func clearSearch() {
        searchQuery = nil
        matches = []
    }

    private mutating func jumpToMatch(forward: Bool, context: ViewContext) -> ViewAction {
        guard searchQuery != nil, !matches.isEmpty, !context.rows.isEmpty else { return .none }
        let matching = Set(matches)
        let current = selectedIndex(in: context.rows)
        let count = context.rows.count
        for step in 1...count {
            let index = ((current + (forward ? step : -step)) % count + count) % count
            if context.rows[index].isSpanRow, matching.contains(context.rows[index].span) {
                select(index, context: context)
                return .redraw
            }
        }
        return .none
    }
}

extension RowID {
    /// Whether the row is a span's own row (not a lane or a pending node).
    fileprivate var isSpanRow: Bool {
        switch self {
        case .span, .map: true
        case .lane, .pending: false
        }
    }
}
