import Foundation
import HyperNodesMonitor
import HyperNodesTrace
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The monitor loop with a launched program as a feed: its output reaches the log pane, its exit the
/// status bar, and a Ctrl-C reaches the program instead of closing the monitor.
@Suite("Live launched program in the monitor loop")
struct LiveLaunchedLoopTests {
    /// A display with no keys: every read waits a millisecond of real time (the program runs in
    /// real time) and returns nothing; it gives up with `q` after `limit` reads.
    final class IdleDisplay: MonitorDisplay {
        let width = 100
        let height = 30
        var reads = 0
        let limit: Int
        var drawn: CellGrid?

        init(limit: Int = 60_000) { self.limit = limit }

        func draw(_ grid: CellGrid) { drawn = grid }

        func readEvent(timeout milliseconds: Int32) -> TerminalEvent? {
            reads += 1
            usleep(1_000)
            return reads >= limit ? .key(.character("q")) : nil
        }
    }

    static func loop(_ launcher: ProgramLauncher) -> MonitorLoop {
        MonitorLoop(
            session: MonitorSession(
                source: .launched(program: "sh"), options: MonitorOptions(ascii: false, color: false)),
            mailbox: RecordMailbox(), feeds: [launcher], exitWhenFinished: true)
    }

    @Test("a program that never serves: its output in the log pane, its exit in the status bar, then the loop ends")
    func outputAndExit() async throws {
        let launcher = try ProgramLauncher(
            program: "/bin/sh", arguments: ["-c", "echo hi; echo oops >&2; exit 3"],
            environment: ProcessInfo.processInfo.environment)
        let (exit, session, frame) = try await onOwnThread {
            var loop = Self.loop(launcher)
            let display = IdleDisplay()
            let exit = loop.run(on: display, interrupted: { nil })
            return (exit, loop.session, display.drawn?.text ?? "")
        }
        #expect(exit == .finished)
        #expect(session.programExit == .exited(3))
        #expect(session.log.lines.contains("hi") && session.log.lines.contains("oops"), "\(session.log.lines)")
        #expect(frame.contains("process ended (status 3)"), "\(frame)")
    }

    @Test("Ctrl-C is passed on to the running program and the monitor stays open to show how it ended")
    func interruptForwarded() async throws {
        let directory = TemporaryDirectory("hn-launch")
        let marker = directory.url.appendingPathComponent("ready").path
        let launcher = try ProgramLauncher(
            program: "/bin/sh", arguments: ["-c", "touch \"$0\"; exec sleep 60", marker],
            environment: ProcessInfo.processInfo.environment)
        let (exit, session) = try await onOwnThread {
            var loop = Self.loop(launcher)
            let display = IdleDisplay()
            var sent = false
            // The signal arrives once the program is running (it has created the marker).
            let exit = loop.run(on: display) {
                guard !sent, access(marker, F_OK) == 0 else { return nil }
                sent = true
                return SIGINT
            }
            return (exit, loop.session)
        }
        #expect(exit == .finished)
        #expect(session.programExit == .signalled(SIGINT))
        #expect(session.log.lines.contains("hypernodes: SIGINT passed on to sh"), "\(session.log.lines)")
    }

    @Test("a signal after the program ended closes the monitor with that signal")
    func signalAfterEnd() async throws {
        let launcher = try ProgramLauncher(
            program: "/bin/sh", arguments: ["-c", "exit 0"], environment: ProcessInfo.processInfo.environment)
        #expect(try await onOwnThread { launcher.wait(timeout: 60) } == .exited(0))
        let exit = try await onOwnThread {
            var loop = MonitorLoop(
                session: MonitorSession(source: .launched(program: "sh"), options: MonitorOptions()),
                mailbox: RecordMailbox(), feeds: [launcher])
            return loop.run(on: IdleDisplay(), interrupted: { SIGTERM })
        }
        #expect(exit == .signal(SIGTERM))
    }
}
