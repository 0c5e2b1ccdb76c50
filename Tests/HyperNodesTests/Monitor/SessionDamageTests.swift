import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace
import Testing

@Suite("Monitor session with odd input")
struct SessionDamageTests {
    typealias E = ScreenFixtures

    /// Names with escapes, wide characters and emoji; a chain 300 spans deep; a span that never
    /// ends; an end before its start; an empty map; times near the end of the clock.
    static var odd: [TraceRecord] {
        var records: [TraceRecord] = [
            E.event(.pipelineStart, id: 1, parent: nil, "evil\u{1B}[2J\u{7}name", at: 0),
            E.event(.nodeStart, id: 2, parent: 1, "東京🚀データ処理の長い名前", at: 10, attributes: ["x\ny": "a\u{1B}b"]),
            E.event(.nodeEnd, .ok, id: 2, parent: 1, "東京🚀データ処理の長い名前", at: 5),
            E.event(.nodeStart, id: 3, parent: 1, "never ends", at: 20),
            E.event(.mapStart, id: 4, parent: 1, "empty map", at: 30, count: 0),
            E.event(.mapEnd, .ok, id: 4, parent: 1, "empty map", at: 31),
            E.event(.mapStart, id: 5, parent: 1, "unknown total", at: 40),
            E.event(.mapItemStart, id: 6, parent: 5, "unknown total", at: 41, lane: 3_000_000, item: 0),
        ]
        var parent: UInt64 = 1
        for depth in 0..<300 {
            let id = UInt64(100 + depth)
            records.append(E.event(.nodeStart, id: id, parent: parent, "level \(depth)", at: UInt64(50 + depth)))
            parent = id
        }
        records.append(E.event(.nodeStart, id: 900, parent: 1, "late", at: UInt64.max - 10))
        records.append(
            E.event(
                .error, .error, id: 900, parent: 1, "late", at: UInt64.max - 5,
                error: ErrorInfo(type: "T\u{1B}", message: String(repeating: "long error ", count: 200))))
        return records
    }

    @Test("spans still open when the source ends show as unfinished, not as running")
    func unfinishedWhenTheSourceEnds() throws {
        let records: [TraceRecord] = [
            E.event(.pipelineStart, id: 1, parent: nil, "killed", at: 0),
            E.event(.nodeStart, id: 2, parent: 1, "first", at: 10),
            E.event(.nodeEnd, .ok, id: 2, parent: 1, "first", at: 20),
            E.event(.nodeStart, id: 3, parent: 1, "interrupted", at: 30),
        ]
        for (options, glyph) in [(SessionFixtures.color, "◌"), (SessionFixtures.ascii, "?")] {
            var session = MonitorSession(source: .live("killed"), options: options)
            session.ingest(MailboxBatch(records: records))
            session.tick(wallNanos: 1)
            let running = session.frame(width: 80, height: 12).lines
            let before = try #require(running.first { $0.contains("interrupted") })
            #expect(!before.contains(glyph), "\(before)")
            session.ingest(MailboxBatch(finished: .failed("connection lost")))
            session.tick(wallNanos: 2)
            let ended = session.frame(width: 80, height: 12).lines
            let after = try #require(ended.first { $0.contains("interrupted") })
            #expect(after.contains(glyph), "\(ended.joined(separator: "\n"))")
            #expect(ended.first { $0.contains(" killed ") && !$0.contains("live") }?.contains(glyph) == true)
            #expect(ended.first { $0.contains("first") }?.contains(glyph) == false)
        }
    }

    @Test("odd names, depths and times never trap, never leave the grid and never reach the terminal as controls")
    func oddInput() {
        let keySets: [[Key]] = [
            [], [.character("2")], [.character("3"), .end, .enter, .character("c"), .character("f")],
            [.down, .character("d")], [.character("3"), .character("z"), .character("z"), .character("l")],
            [.character("/")] + SessionFixtures.typing("level") + [.enter, .character("n"), .character("N")],
        ]
        for options in [SessionFixtures.color, SessionFixtures.ascii] {
            for keys in keySets {
                var session = MonitorSession(source: .live("odd\u{1B}"), options: options)
                session.ingest(MailboxBatch(records: Self.odd, problems: [TraceProblem(line: 9, reason: "bad")]))
                session.tick(wallNanos: 1)
                session.tick(wallNanos: 2)
                session.appendLog("\u{1B}]0;title\u{7}")
                for key in keys { _ = session.handle(key, wallNanos: 3) }
                for (width, height) in [(20, 6), (33, 9), (80, 24), (120, 40), (200, 60)] {
                    let lines = session.frame(width: width, height: height).lines
                    #expect(lines.count == height)
                    for line in lines {
                        #expect(DisplayWidth.of(line) <= width)
                        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
                    }
                }
            }
        }
    }
}
