import HyperNodes
import HyperNodesTrace

/// The monitor without the terminal: the model, the playback clock, the view
/// state and the log, and the frame they make.
///
/// The terminal loop feeds it mailbox batches (``ingest(_:)``), the wall
/// clock (``tick(wallNanos:)``) and keys (``handle(_:wallNanos:)``), and draws
/// ``frame(width:height:)``. It does no I/O and reads no clock: the same
/// calls always give the same frames.
public struct MonitorSession: Sendable {
    /// Where the records come from.
    public let source: MonitorSourceKind
    /// How to draw and play.
    public let options: MonitorOptions
    /// Everything received.
    public private(set) var model = RunModel()
    /// The playback position.
    public private(set) var clock: PlaybackClock
    /// What the user is looking at.
    public private(set) var view = MonitorViewState()
    /// Lines for the log pane.
    public private(set) var log = LogBuffer()
    /// The latest unreadable lines of the trace (at most 20).
    public private(set) var problems: [TraceProblem] = []
    /// Unreadable lines of the trace, in all.
    public private(set) var problemCount = 0
    /// Records the source dropped, in all.
    public private(set) var dropped = 0
    /// How the source ended, once it has.
    public private(set) var sourceEnd: SourceEnd?
    /// Whether a live connection to another process was opened (attached and launched programs).
    public private(set) var connected = false
    /// How the launched program ended, once it has.
    public private(set) var programExit: ProgramExit?
    /// The spans a search in force shows (matches and their ancestors).
    private var searchKeep: Set<Int>?
    /// The matches of the search in force, as a set.
    private var searchMatches: Set<Int> = []
    /// The model's record count when the search was last run.
    private var searchedAt = 0

    /// Creates a session; replay starts paused when `options.startPaused`.
    public init(source: MonitorSourceKind, options: MonitorOptions) {
        self.source = source
        self.options = options
        let mode: PlaybackClock.Mode = source.isLive ? .live : .replay
        clock = PlaybackClock(mode: mode, speed: options.speed, paused: options.startPaused)
        // Live follows the newest data from the start; replay plays at its own pace.
        view.followLive = clock.follows
    }

    /// The glyphs and styles the options ask for.
    public var theme: Theme { Theme(ascii: options.ascii, color: options.color) }

    /// Whether the source has ended (the monitor stays open until the user quits). A launched program
    /// has ended once it exited and its connection, if it served its runs, has ended too.
    public var isFinished: Bool {
        if case .launched = source {
            return programExit != nil && (sourceEnd != nil || !connected)
        }
        return sourceEnd != nil
    }

    /// The playback position.
    public var now: UInt64 { clock.position }

    /// Takes what a source delivered.
    public mutating func ingest(_ batch: MailboxBatch) {
        if !batch.records.isEmpty { model.apply(batch.records) }
        if !batch.problems.isEmpty {
            problemCount += batch.problems.count
            problems = Array((problems + batch.problems).suffix(20))
        }
        dropped += max(0, batch.dropped)
        if let end = batch.finished, sourceEnd == nil {
            sourceEnd = end
            model.markSourceEnded()
        }
        // A search looks at every span: while records stream in it is redone when the model has
        // grown by a tenth since, and once more when the source ends.
        if view.searchQuery != nil
            && (batch.finished != nil || model.recordCount - searchedAt >= max(1, searchedAt / 10))
        {
            refreshSearch()
        }
        // The clock learns the latest time and the end right away, so a paused or
        // finished session draws the newest state without waiting for a tick.
        if let lastWall { clock.advance(to: lastWall, latest: model.latestTime, finished: isFinished) }
    }

    /// Advances the playback clock to the wall clock `wallNanos` (any monotonic clock, in nanoseconds).
    /// Call it before every frame.
    public mutating func tick(wallNanos: UInt64) {
        lastWall = wallNanos
        clock.advance(to: wallNanos, latest: model.latestTime, finished: isFinished)
    }

    /// The wall clock of the last tick or key, `nil` before the first.
    private var lastWall: UInt64?

    /// Adds text printed by the pipeline's nodes to the log pane.
    public mutating func appendLog(_ line: String) {
        log.append(line)
    }

    /// Notes that the live connection to the other process is open and streaming.
    public mutating func connectionOpened() {
        connected = true
    }

    /// Notes how the launched program ended (the first report counts).
    public mutating func programEnded(_ exit: ProgramExit) {
        guard programExit == nil else { return }
        programExit = exit
        log.append("hypernodes: \(programName ?? "the program") ended (\(exit))")
        if let lastWall { clock.advance(to: lastWall, latest: model.latestTime, finished: isFinished) }
    }

    /// Notes in the log pane that `signalNumber` reached the monitor and was passed on to the launched
    /// program.
    public mutating func signalForwarded(_ signalNumber: Int32) {
        let name = ProgramExit.signalName(signalNumber)
        log.append("hypernodes: \(name) passed on to \(programName ?? "the program")")
    }

    /// The program of an attached or launched source.
    private var programName: String? {
        switch source {
        case .attached(_, let program), .launched(let program): return program
        case .live, .replay: return nil
        }
    }

    /// Handles a key pressed at `wallNanos`.
    public mutating func handle(_ key: Key, wallNanos: UInt64) -> SessionCommand {
        lastWall = wallNanos
        let layout = FrameLayout(width: lastSize.width, height: lastSize.height, view: view)
        let context = context(pageSize: layout.pageSize(for: view.screen), logPage: layout.logPageSize)
        let query = view.searchQuery
        let matches = view.matches
        let action = view.handle(key, context: context)
        // The view searched the model itself: only what the search shows is derived here.
        if view.searchQuery != query || view.matches != matches { refreshSearch(searching: false) }
        switch action {
        case .none: return .none
        case .redraw: return .redraw
        case .quit: return .quit
        case .togglePause: clock.togglePause()
        case .faster: clock.faster()
        case .slower: clock.slower()
        case .step(let steps):
            if !clock.isPaused { clock.togglePause() }
            clock.step(by: Int64(steps))
        case .jumpToStart: clock.jumpToStart()
        case .jumpToEnd:
            // Live, the end is now: going there also resumes a paused view.
            if clock.mode == .live && clock.isPaused { clock.togglePause() }
            clock.jumpToEnd(latest: model.latestTime)
        case .setFollow:
            clock.follows.toggle()
        }
        // One follow for both: the clock pinned to the newest data, the waterfall ending at it.
        view.followLive = clock.follows
        clock.advance(to: wallNanos, latest: model.latestTime, finished: isFinished)
        return .redraw
    }

    /// The size of the last frame drawn: key handling pages by it.
    private var lastSize = (width: 80, height: 24)

    /// Tells the session the terminal's size, so that paging keys move by a screenful.
    /// ``frame(width:height:)`` does not change the session; call this when the size changes.
    public mutating func resize(width: Int, height: Int) {
        lastSize = (max(0, width), max(0, height))
    }

    /// The rows of the current screen and what keys need to know about them.
    private func context(pageSize: Int, logPage: Int) -> ViewContext {
        let rows = currentRows().map(\.id)
        var range: (start: UInt64, end: UInt64)?
        if let row = view.selectedRow(in: rows), row.span < model.spanCount {
            range = (model.start(of: row.span), model.end(of: row.span, at: now))
        }
        let model = self.model
        return ViewContext(
            rows: rows, pageSize: pageSize, now: now, selectedRange: range, logLines: log.lines.count,
            logPageSize: logPage, search: { model.search($0) })
    }

    /// The rows of the screen shown: the tree's, the waterfall's, or the maps among the tree's.
    func currentRows() -> [ScreenRow] {
        switch view.screen {
        case .tree: return ScreenRows.build(model, view: view, now: now, purpose: .tree, keep: searchKeep)
        case .waterfall: return ScreenRows.build(model, view: view, now: now, purpose: .waterfall, keep: searchKeep)
        case .map:
            return ScreenRows.build(model, view: view, now: now, purpose: .tree, keep: searchKeep).filter {
                $0.id.map != nil
            }
        }
    }

    /// Runs the search in force again (unless `searching` is false: the view has just run it) and
    /// derives the spans it shows.
    private mutating func refreshSearch(searching: Bool = true) {
        guard let query = view.searchQuery else {
            searchKeep = nil
            searchMatches = []
            return
        }
        if searching { view.matches = model.search(query) }
        searchedAt = model.recordCount
        searchKeep = ScreenRows.keepSet(for: view.matches, in: model)
        searchMatches = Set(view.matches)
    }

    /// What the status bar shows.
    public var status: StatusInfo {
        let name: String
        switch source {
        case .live(let pipeline): name = pipeline
        case .replay(let file): name = file
        case .attached(let pid, let program): name = "\(program) (pid \(pid))"
        case .launched(let program): name = program
        }
        let isLive = source.isLive
        return StatusInfo(
            isLive: isLive, sourceName: name, screen: view.screen, position: now, latest: model.latestTime,
            events: model.recordCount, speed: isLive ? nil : clock.speed, paused: clock.isPaused,
            following: clock.follows, dropped: dropped, badLines: problemCount, repairs: model.issues.count,
            finished: source.isConnection ? nil : endShown, live: liveState)
    }

    /// How the live connection stands, for attached and launched programs: a launched program's exit
    /// first, then the end of the connection, then whether it is open yet.
    private var liveState: LiveState? {
        switch source {
        case .live, .replay: return nil
        case .attached, .launched:
            if let programExit { return .ended(programExit) }
            switch sourceEnd {
            case .completed?: return .ended(nil)
            case .failed(let reason)?: return .disconnected(reason)
            case nil: break
            }
            if connected { return .connected }
            return .waiting(program: programName ?? "the program")
        }
    }

    /// The end of the source as the status bar reports it: a failure at once, a normal end once
    /// playback has reached the last record (replay keeps playing after the file is read).
    private var endShown: SourceEnd? {
        guard let sourceEnd else { return nil }
        if case .failed = sourceEnd { return sourceEnd }
        return now >= model.latestTime ? sourceEnd : nil
    }

    /// The whole screen at `width` × `height`: status bar, the current screen, open panes, search line,
    /// key bar, and the help over them; below 20×6 only a note that the terminal is too small.
    public func frame(width: Int, height: Int) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        let theme = self.theme
        if TooSmallNote.applies(width: width, height: height) {
            TooSmallNote.draw(into: &grid, theme: theme)
            return grid
        }
        let layout = FrameLayout(width: width, height: height, view: view)
        StatusBar.draw(status, into: &grid, in: layout.status, theme: theme)
        KeyBar.draw(KeyBar.items(for: view, theme: theme), into: &grid, in: layout.keys, theme: theme)
        if let search = layout.search { SearchPrompt.draw(view, into: &grid, in: search, theme: theme) }
        let rows = currentRows()
        let highlights = RowHighlights(
            matches: searchMatches, critical: criticalPath(rows: rows))
        switch view.screen {
        case .tree:
            TreeScreen.draw(
                rows, model: model, view: view, now: now, theme: theme, highlights: highlights,
                into: &grid, in: layout.screen)
        case .waterfall:
            WaterfallScreen.draw(
                rows, model: model, view: view, now: now, theme: theme, highlights: highlights,
                into: &grid, in: layout.screen)
        case .map:
            let map = MapScreen.chosenMap(model: model, selection: view.selectedRow(in: rows.map(\.id)), now: now)
            MapScreen.draw(map: map, model: model, now: now, theme: theme, into: &grid, in: layout.screen)
        }
        if let details = layout.details {
            let row = view.selectedRow(in: rows.map(\.id))
            DetailsPane.draw(for: row, model: model, now: now, theme: theme, into: &grid, in: details)
        }
        if let logRect = layout.log {
            LogPane.draw(log.lines, total: log.total, scroll: view.logScroll, theme: theme, into: &grid, in: logRect)
        }
        if view.helpVisible { HelpOverlay.draw(into: &grid, in: layout.main, theme: theme) }
        return grid
    }

    /// The spans on the critical path of the runs shown, when it is switched on. The walk stops at
    /// map items (the screens draw items, never what runs inside them), which keeps it cheap for
    /// a map of many items.
    private func criticalPath(rows: [ScreenRow]) -> SpanMask {
        guard view.showCriticalPath else { return SpanMask() }
        var result = SpanMask()
        for row in rows where row.depth == 0 {
            if result.isEmpty {
                result = model.criticalPathMask(of: row.id.span, at: now, insideItems: false)
            } else {
                result.formUnion(model.criticalPathMask(of: row.id.span, at: now, insideItems: false))
            }
            result.insert(row.id.span)
        }
        return result
    }
}
