import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The session and status bar of a monitor watching another process: attached to it or having
/// launched it. The bar says how the connection stands, and the key bar is the same as for any
/// live run.
@Suite("Live session status")
struct LiveStatusTests {
    static func session(_ source: MonitorSourceKind) -> MonitorSession {
        MonitorSession(source: source, options: MonitorOptions(ascii: false, color: false))
    }

    static func statusLine(_ session: MonitorSession, width: Int = 160) -> String {
        var grid = CellGrid(width: width, height: 1)
        StatusBar.draw(session.status, into: &grid, in: Rect(x: 0, y: 0, width: width, height: 1), theme: session.theme)
        return grid.text
    }

    @Test("attached: connected, records dropped by the server, then the process's goodbye")
    func attachedEndsCleanly() {
        var session = Self.session(.attached(pid: 4242, program: "longrun"))
        session.connectionOpened()
        session.ingest(MailboxBatch(records: ScreenFixtures.demo, dropped: 17))
        var line = Self.statusLine(session)
        #expect(line.contains("● live longrun (pid 4242)"), "\(line)")
        #expect(line.contains("connected"), "\(line)")
        #expect(line.contains("17 dropped"), "\(line)")
        #expect(session.status.live == .connected)
        #expect(session.status.speed == nil)
        #expect(!session.isFinished)

        session.ingest(MailboxBatch(finished: .completed))
        line = Self.statusLine(session)
        #expect(session.isFinished)
        #expect(session.status.live == .ended(nil))
        #expect(line.contains("process ended — press q to quit"), "\(line)")
        #expect(!line.contains("finished"), "\(line)")
        #expect(!line.contains("connected"), "\(line)")
    }

    @Test("attached: a lost connection reads 'disconnected: reason' and keeps the final state")
    func attachedLost() {
        var session = Self.session(.attached(pid: 7, program: "longrun"))
        session.tick(wallNanos: 1)
        session.connectionOpened()
        session.ingest(MailboxBatch(records: ScreenFixtures.demo))
        let before = session.model.recordCount
        session.ingest(MailboxBatch(finished: .failed("connection lost (no goodbye from pid 7)")))
        let line = Self.statusLine(session)
        #expect(line.contains("disconnected: connection lost (no goodbye from pid 7) — press q to quit"), "\(line)")
        #expect(session.model.recordCount == before)
        #expect(session.isFinished)
        // The tree is still there to browse.
        #expect(session.frame(width: 120, height: 40).text.contains("embed_all"))
    }

    @Test("launched: waiting for the program, then connected, then its exit status")
    func launchedJourney() {
        var session = Self.session(.launched(program: "longrun"))
        var line = Self.statusLine(session)
        #expect(line.contains("● live longrun"), "\(line)")
        #expect(line.contains("waiting for longrun to serve its runs"), "\(line)")
        session.connectionOpened()
        #expect(Self.statusLine(session).contains("connected"))
        session.programEnded(.exited(3))
        // The connection has not ended yet: the rest of the stream may still come.
        #expect(!session.isFinished)
        session.ingest(MailboxBatch(finished: .completed))
        #expect(session.isFinished)
        line = Self.statusLine(session)
        #expect(line.contains("process ended (status 3) — press q to quit"), "\(line)")
        #expect(session.log.lines.last == "hypernodes: longrun ended (status 3)")
    }

    @Test("launched: a program that never serves ends the session with its exit; a signal shows its name")
    func launchedNeverServes() {
        var session = Self.session(.launched(program: "sleep"))
        session.signalForwarded(SIGINT)
        session.programEnded(.signalled(SIGINT))
        #expect(session.isFinished)
        let line = Self.statusLine(session)
        #expect(line.contains("process ended (status 130, SIGINT)"), "\(line)")
        #expect(
            session.log.lines == [
                "hypernodes: SIGINT passed on to sleep", "hypernodes: sleep ended (status 130, SIGINT)",
            ])
        // Only the first exit counts.
        session.programEnded(.exited(0))
        #expect(session.programExit == .signalled(SIGINT))
    }

    @Test("the end of the connection is shown even on a narrow bar, before anything else")
    func narrowBar() {
        var session = Self.session(.attached(pid: 99_999, program: "a-program-with-a-long-name"))
        session.connectionOpened()
        session.ingest(MailboxBatch(records: ScreenFixtures.demo, dropped: 3, finished: .failed("connection lost")))
        let line = Self.statusLine(session, width: 50)
        #expect(line.contains("disconnected: connection lost"), "\(line)")
    }

    @Test("the key bar of an attached or launched run is the live key bar")
    func keyBarUnchanged() {
        let theme = Theme(ascii: false, color: false)
        for source: MonitorSourceKind in [.attached(pid: 1, program: "p"), .launched(program: "p")] {
            let session = Self.session(source)
            let live = Self.session(.live("p"))
            #expect(
                KeyBar.items(for: session.view, theme: theme).map(\.key)
                    == KeyBar.items(for: live.view, theme: theme).map(\.key))
            #expect(session.clock.mode == .live)
        }
    }

    @Test("exit statuses as a shell reports them")
    func exitStatuses() {
        #expect(ProgramExit(waitStatus: 3 << 8) == .exited(3))
        #expect(ProgramExit(waitStatus: SIGKILL) == .signalled(SIGKILL))
        #expect(ProgramExit.signalled(SIGKILL).status == 137)
        #expect(ProgramExit(waitStatus: 0x137F) == nil)  // stopped
        #expect(ProgramExit.exited(1).description == "status 1")
    }
}
