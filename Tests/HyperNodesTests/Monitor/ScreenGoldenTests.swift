import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace
import Testing

/// Every screen as golden text, from the demo records, at 80×24, 120×40 and
/// 20×6, in colour, NO_COLOR and ASCII. Colour frames carry a style map.
@Suite("Monitor screen goldens")
struct ScreenGoldenTests {
    /// The frames of one state: 80×24, 120×40 and 20×6 in colour and in NO_COLOR (both with their
    /// style maps), and 80×24 and 20×6 in ASCII.
    func frames(_ make: (MonitorOptions) -> MonitorSession) -> [(title: String, grid: CellGrid, styles: Bool)] {
        let color = make(SessionFixtures.color)
        let noColor = make(SessionFixtures.noColor)
        let ascii = make(SessionFixtures.ascii)
        return [
            ("colour", color.frame(width: 80, height: 24), true),
            ("NO_COLOR", noColor.frame(width: 80, height: 24), true),
            ("ASCII", ascii.frame(width: 80, height: 24), false),
            ("colour", color.frame(width: 120, height: 40), true),
            ("NO_COLOR", noColor.frame(width: 120, height: 40), true),
            ("colour", color.frame(width: 20, height: 6), true),
            ("NO_COLOR", noColor.frame(width: 20, height: 6), true),
            ("ASCII", ascii.frame(width: 20, height: 6), false),
        ]
    }

    func check(_ name: String, at now: UInt64 = ScreenFixtures.finished, keys: [Key] = [], finished: Bool = true)
        throws
    {
        try ViewGolden.check(
            frames { SessionFixtures.replay(at: now, options: $0, keys: keys, finished: finished) },
            named: name + ".txt")
    }

    @Test("tree while the map runs: spinners, pending nodes, map bar, rate and ETA")
    func treeRunning() throws {
        try check("tree-running", at: ScreenFixtures.midRun, finished: false)
    }

    @Test("tree after the run: failed, cached and not-run nodes, finished note")
    func treeFinished() throws {
        try check("tree-finished")
    }

    @Test("tree with a subtree collapsed")
    func treeCollapsed() throws {
        try check("tree-collapsed", keys: [.down, .down, .down, .enter])
    }

    @Test("map screen: progress, items per second, in flight, latency per node")
    func map() throws {
        try check("map-running", at: ScreenFixtures.midRun, keys: [.character("2")], finished: false)
        try check("map-finished", keys: [.character("2")])
    }

    @Test("waterfall with the map folded into a density row")
    func waterfallCollapsed() throws {
        try check("waterfall-collapsed", at: ScreenFixtures.midRun, keys: [.character("3")], finished: false)
    }

    @Test("waterfall with the map opened into lanes and the critical path shown")
    func waterfallExpanded() throws {
        try check("waterfall-expanded", keys: [.character("3"), .end, .enter, .character("c")])
    }

    @Test("waterfall zoomed in twice around the selected map")
    func waterfallZoomed() throws {
        try check("waterfall-zoomed", keys: [.character("3"), .end, .enter, .character("z"), .character("z")])
    }

    @Test("waterfall zoomed, then playback moved back into the window: the ruler marks the position")
    func waterfallPlaybackMark() throws {
        try check(
            "waterfall-position",
            keys: [.character("3"), .character("z"), .character("z"), .character("g")]
                + Array(repeating: .right, count: 12))
    }

    @Test("details of the cached node: cache key and attributes")
    func details() throws {
        try check("details-cached", keys: [.down, .down, .character("d")])
        try check("details-failed", keys: [.character("3"), .end, .character("d")])
    }

    @Test("help overlay lists the keys")
    func help() throws {
        try check("help", keys: [.character("?")])
    }

    @Test("search: the prompt while typing, then matches with their ancestors")
    func search() throws {
        try check("search-typing", keys: [.character("/")] + SessionFixtures.typing("vec"))
        try check("search-matches", keys: [.character("/")] + SessionFixtures.typing("load") + [.enter])
    }

    @Test("log pane below the screen, with node output")
    func logPane() throws {
        let lines = ["loading docs/*.txt", "warning: doc 5 is empty\u{1B}[31m", "embedding 12 documents\tdone"]
        try ViewGolden.check(
            frames { options in
                var session = SessionFixtures.replay(options: options, keys: [.character("o")])
                for line in lines { session.appendLog(line) }
                return session
            }, named: "log-pane.txt")
    }

    @Test("below 20×6 only the too-small note is drawn")
    func tooSmall() throws {
        let session = SessionFixtures.replay(options: SessionFixtures.color)
        let ascii = SessionFixtures.replay(options: SessionFixtures.ascii)
        try ViewGolden.check(
            [
                ("colour", session.frame(width: 19, height: 6), true),
                ("colour", session.frame(width: 40, height: 5), true),
                ("ASCII", ascii.frame(width: 12, height: 4), false),
            ], named: "too-small.txt")
    }
}
