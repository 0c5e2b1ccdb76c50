import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace
import Testing

@Suite("Monitor session")
struct SessionTests {
    @Test("the same records give the same frame however they are batched")
    func batching() {
        let records = ScreenFixtures.demo
        let whole = SessionFixtures.replay(at: ScreenFixtures.midRun, keys: [.character("3"), .end, .enter])
        for size in [1, 7, 50] {
            var session = MonitorSession(source: .replay("demo.jsonl"), options: MonitorOptions())
            var start = 0
            while start < records.count {
                session.ingest(MailboxBatch(records: Array(records[start..<min(records.count, start + size)])))
                start += size
            }
            session.ingest(MailboxBatch(finished: .completed))
            session.tick(wallNanos: 1_000)
            session.tick(wallNanos: 1_000 + ScreenFixtures.midRun)
            SessionFixtures.press([.character("3"), .end, .enter], on: &session)
            for screen in ["1", "2", "3"] {
                var a = whole
                var b = session
                SessionFixtures.press([.character(Character(screen))], on: &a)
                SessionFixtures.press([.character(Character(screen))], on: &b)
                #expect(a.frame(width: 120, height: 40) == b.frame(width: 120, height: 40), "batches of \(size)")
            }
        }
    }

    @Test("a frame is a function of the session: drawing twice gives the same grid")
    func framesArePure() {
        let session = SessionFixtures.replay(at: ScreenFixtures.midRun)
        #expect(session.frame(width: 80, height: 24) == session.frame(width: 80, height: 24))
    }

    @Test("no frame of any size traps, leaves its grid or holds a control character")
    func everySize() {
        var sessions: [MonitorSession] = []
        let keySets: [[Key]] = [
            [], [.character("2")], [.character("3"), .end, .enter, .character("c"), .character("z")],
            [.character("d"), .character("o"), .character("/"), .character("e")], [.character("?")],
            [.character("3"), .character("d"), .character("o")],
        ]
        for (offset, keys) in keySets.enumerated() {
            var session = SessionFixtures.replay(
                at: ScreenFixtures.midRun, options: offset % 2 == 0 ? SessionFixtures.color : SessionFixtures.ascii,
                keys: keys)
            session.appendLog("line with \u{1B}[2J escape\nand a second\u{07} line")
            sessions.append(session)
        }
        var sizes: [(Int, Int)] = []
        // Every size up to 200×60 for the tree with details, log and search open; a sample for the rest.
        for width in 1...200 {
            for height in 1...60 { sizes.append((width, height)) }
        }
        let everySize = sizes
        sizes = []
        for width in 0...200 { for height in [0, 1, 5, 6, 7, 24, 60] { sizes.append((width, height)) } }
        for height in 0...60 { for width in [1, 19, 20, 21, 80, 100, 200] { sizes.append((width, height)) } }
        for (offset, session) in sessions.enumerated() {
            for (width, height) in offset == 3 ? everySize : sizes {
                let grid = session.frame(width: width, height: height)
                #expect(grid.width == width && grid.height == height)
                let lines = grid.lines
                #expect(lines.count == height)
                for line in lines {
                    #expect(DisplayWidth.of(line) <= width, "\(width)x\(height): \(line)")
                    let controls = line.unicodeScalars.filter { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }
                    #expect(controls.isEmpty, "\(width)x\(height): control character in \(line)")
                }
            }
        }
    }

    @Test("an empty session draws the screens with a waiting note")
    func empty() {
        var session = MonitorSession(source: .live("demo"), options: MonitorOptions())
        session.tick(wallNanos: 5)
        let text = session.frame(width: 60, height: 10).text
        #expect(text.contains("live demo"))
        #expect(text.contains("waiting for the first run"))
        _ = session.handle(.character("2"), wallNanos: 6)
        #expect(session.frame(width: 60, height: 10).text.contains("no map has started yet"))
        _ = session.handle(.character("3"), wallNanos: 7)
        #expect(session.frame(width: 60, height: 10).text.contains("no spans yet"))
    }

    @Test("playback keys drive the clock: pause, speed, step, start, end, follow")
    func playbackKeys() {
        var session = SessionFixtures.replay(at: ScreenFixtures.midRun, finished: false)
        #expect(session.now == ScreenFixtures.midRun)
        #expect(session.handle(.character(" "), wallNanos: 10_000_000_000) == .redraw)
        #expect(session.clock.isPaused)
        session.tick(wallNanos: 20_000_000_000)
        #expect(session.now == ScreenFixtures.midRun)
        _ = session.handle(.character("+"), wallNanos: 20_000_000_000)
        #expect(session.clock.speed == .factor(2))
        _ = session.handle(.character("-"), wallNanos: 20_000_000_000)
        _ = session.handle(.character("-"), wallNanos: 20_000_000_000)
        #expect(session.clock.speed == .factor(0.5))
        let step = session.clock.stepSize
        _ = session.handle(.left, wallNanos: 20_000_000_000)
        #expect(session.now == ScreenFixtures.midRun - step)
        _ = session.handle(.right, wallNanos: 20_000_000_000)
        _ = session.handle(.right, wallNanos: 20_000_000_000)
        #expect(session.now == ScreenFixtures.midRun + step)
        _ = session.handle(.character("g"), wallNanos: 20_000_000_000)
        #expect(session.now == 0)
        _ = session.handle(.character("G"), wallNanos: 20_000_000_000)
        #expect(session.now == session.model.latestTime)
        _ = session.handle(.character("L"), wallNanos: 20_000_000_000)
        #expect(session.clock.follows && session.view.followLive)
        _ = session.handle(.character("L"), wallNanos: 20_000_000_000)
        #expect(!session.clock.follows && !session.view.followLive)
        #expect(session.handle(.character("q"), wallNanos: 20_000_000_000) == .quit)
        #expect(session.handle(.control("c"), wallNanos: 20_000_000_000) == .quit)
    }

    @Test("stepping in time while playing pauses first")
    func stepPauses() {
        var session = SessionFixtures.replay(at: ScreenFixtures.midRun, finished: false)
        _ = session.handle(.left, wallNanos: 10_000_000_000)
        #expect(session.clock.isPaused)
        #expect(session.now < ScreenFixtures.midRun)
    }

    @Test("the status bar names the source, position, speed, trouble and the end")
    func statusBar() {
        var session = MonitorSession(source: .replay("run.jsonl"), options: MonitorOptions(speed: .factor(4)))
        session.ingest(
            MailboxBatch(
                records: ScreenFixtures.demo, problems: [TraceProblem(line: 3, reason: "not JSON")], dropped: 5,
                finished: .failed("disk went away")))
        session.tick(wallNanos: 0)
        let text = session.frame(width: 200, height: 10).lines[0]
        #expect(text.contains("replay run.jsonl"))
        #expect(text.contains("4×"))
        #expect(text.contains("5 dropped"))
        #expect(text.contains("1 bad line"))
        #expect(text.contains("source failed: disk went away — press q to quit"))
        #expect(session.isFinished)
        #expect(session.problems == [TraceProblem(line: 3, reason: "not JSON")])
        // Narrow: the end note stays, the event count goes first.
        let narrow = session.frame(width: 60, height: 10).lines[0]
        #expect(narrow.contains("press q to quit"))
        #expect(!narrow.contains("events"))
    }

    @Test("a search keeps the matches' ancestors and jumps between matches")
    func search() {
        var session = SessionFixtures.replay(keys: [.character("/")] + SessionFixtures.typing("e") + [.enter])
        let text = session.frame(width: 100, height: 20).text
        // "e" matches embed_all, embed and the nodes inside the items; "load" does not match and is hidden.
        #expect(text.contains("embed_all"))
        #expect(!text.contains("load"))
        #expect(!session.view.matches.isEmpty)
        let before = session.view.selection
        _ = session.handle(.character("n"), wallNanos: 1)
        #expect(session.view.selection != before)
        _ = session.handle(.escape, wallNanos: 1)
        #expect(session.frame(width: 100, height: 20).text.contains("load"))
    }

    @Test("paging moves by the screen's height once the size is known")
    func paging() {
        var session = SessionFixtures.replay()
        session.resize(width: 80, height: 6)
        _ = session.handle(.pageDown, wallNanos: 1)
        // 6 rows: status, tree header, 3 rows of spans, key bar: a page is 3 rows.
        #expect(session.view.cursor == 3)
        session.resize(width: 80, height: 24)
        _ = session.handle(.pageUp, wallNanos: 1)
        #expect(session.view.cursor == 0)
    }

    @Test("log lines are split, kept up to the capacity and counted")
    func logBuffer() {
        var log = LogBuffer(capacity: 3)
        log.append("a\nb\r\n")
        log.append("c")
        log.append("d\ne")
        #expect(log.lines == ["c", "d", "e"])
        #expect(log.total == 5)
        var session = SessionFixtures.replay(keys: [.character("o")])
        session.appendLog("hello from a node")
        #expect(session.frame(width: 80, height: 24).text.contains("hello from a node"))
        // Without the pane, node output never reaches the screen.
        _ = session.handle(.character("o"), wallNanos: 1)
        #expect(!session.frame(width: 80, height: 24).text.contains("hello from a node"))
    }

    @Test("replay says finished only once playback reaches the end of a fully read trace")
    func finishedNote() {
        var session = SessionFixtures.replay(at: ScreenFixtures.midRun, finished: true)
        #expect(session.isFinished)
        #expect(!session.frame(width: 120, height: 10).lines[0].contains("finished"))
        _ = session.handle(.character("G"), wallNanos: 10_000_000_000)
        #expect(session.frame(width: 120, height: 10).lines[0].contains("finished — press q to quit"))
    }

    @Test("live follows the newest record and the wall clock, so running spans grow")
    func live() {
        var session = MonitorSession(source: .live("demo"), options: MonitorOptions())
        let records = ScreenFixtures.demo
        let cut = records.firstIndex { $0.timestamp > ScreenFixtures.midRun } ?? records.count
        session.ingest(MailboxBatch(records: Array(records[..<cut])))
        session.tick(wallNanos: 1_000_000_000)
        let latest = session.model.latestTime
        #expect(session.now == latest)
        session.tick(wallNanos: 1_050_000_000)
        #expect(session.now == latest + 50_000_000)
        let status = session.frame(width: 120, height: 10).lines[0]
        #expect(status.contains("live demo"))
        #expect(status.contains("following"))
        // Pausing stops following; G follows again.
        _ = session.handle(.character(" "), wallNanos: 1_060_000_000)
        #expect(!session.clock.follows)
        _ = session.handle(.character("G"), wallNanos: 1_070_000_000)
        #expect(session.clock.follows && !session.clock.isPaused)
    }
}
