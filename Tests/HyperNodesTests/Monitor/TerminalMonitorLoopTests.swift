import Foundation
import HyperNodesMonitor
import HyperNodesTrace
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The UI loop with a scripted display and a clock the test moves: records
/// reach the screen, keys reach the session, resizes redraw, signals and
/// `q` end it, and an unchanging screen is not drawn again.
@Suite("Terminal monitor loop")
struct TerminalMonitorLoopTests {
    /// A display that plays a script of events (one per read, `nil` for
    /// none) and keeps every grid drawn; each read moves the clock by the
    /// read's timeout.
    final class ScriptedDisplay: MonitorDisplay {
        var width: Int
        var height: Int
        var script: [TerminalEvent?]
        var drawn: [CellGrid] = []
        var reads = 0
        let time: ManualClock
        /// Called before each read with the read's number.
        var beforeRead: (Int) -> Void = { _ in }

        init(width: Int = 100, height: Int = 30, script: [TerminalEvent?], time: ManualClock) {
            self.width = width
            self.height = height
            self.script = script
            self.time = time
        }

        func draw(_ grid: CellGrid) { drawn.append(grid) }

        func readEvent(timeout milliseconds: Int32) -> TerminalEvent? {
            reads += 1
            beforeRead(reads)
            time.advance(by: UInt64(max(1, milliseconds)) * 1_000_000)
            guard !script.isEmpty else { return .key(.character("q")) }
            return script.removeFirst()
        }
    }

    final class ManualClock: Sendable {
        private let nanos = Atomic<UInt64>(1_000_000_000)
        var now: UInt64 { nanos.load(ordering: .relaxed) }
        func advance(by amount: UInt64) { _ = nanos.add(amount, ordering: .relaxed) }
    }

    static func session(paused: Bool = false) -> MonitorSession {
        MonitorSession(
            source: .replay("analysis.jsonl"),
            options: MonitorOptions(ascii: false, color: false, startPaused: paused, speed: .max))
    }

    @Test("records from the mailbox are drawn, and q ends the loop")
    func recordsThenQuit() {
        let mailbox = RecordMailbox()
        mailbox.post(ScriptedTraces.analysis.records)
        mailbox.finish(.completed)
        let time = ManualClock()
        let display = ScriptedDisplay(script: [nil, nil, .key(.character("q"))], time: time)
        var loop = MonitorLoop(session: Self.session(), mailbox: mailbox, clock: { time.now })
        #expect(loop.run(on: display, interrupted: { nil }) == .quit)
        let last = display.drawn.last
        #expect(last?.width == 100 && last?.height == 30)
        #expect(last?.text.contains("analysis") == true, "\(last?.text ?? "")")
        #expect(loop.session.isFinished)
    }

    @Test("a signal ends the loop with that signal")
    func signalEnds() {
        let time = ManualClock()
        let display = ScriptedDisplay(script: Array(repeating: nil, count: 100), time: time)
        var loop = MonitorLoop(session: Self.session(), mailbox: RecordMailbox(), clock: { time.now })
        let exit = loop.run(on: display, interrupted: { display.reads >= 5 ? SIGTERM : nil })
        #expect(exit == .signal(SIGTERM))
        #expect(display.reads == 5)
    }

    @Test("after a resize the next frame has the new size (19×6: the too-small note)")
    func resize() {
        let time = ManualClock()
        let display = ScriptedDisplay(script: [nil, .resize, nil, .key(.character("q"))], time: time)
        display.beforeRead = { read in
            if read == 2 {
                display.width = 19
                display.height = 6
            }
        }
        var loop = MonitorLoop(session: Self.session(), mailbox: RecordMailbox(), clock: { time.now })
        #expect(loop.run(on: display, interrupted: { nil }) == .quit)
        #expect(display.drawn.first?.width == 100)
        #expect(display.drawn.last.map { ($0.width, $0.height) } ?? (0, 0) == (19, 6))
        #expect(display.drawn.last?.text.contains("too small") == true, "\(display.drawn.last?.text ?? "")")
    }

    @Test("keys reach the session: 3 shows the waterfall")
    func keys() {
        let mailbox = RecordMailbox()
        mailbox.post(ScriptedTraces.analysis.records)
        mailbox.finish(.completed)
        let time = ManualClock()
        let display = ScriptedDisplay(script: [nil, .key(.character("3")), nil, .key(.character("q"))], time: time)
        var loop = MonitorLoop(session: Self.session(), mailbox: mailbox, clock: { time.now })
        #expect(loop.run(on: display, interrupted: { nil }) == .quit)
        #expect(display.drawn.last?.text.contains("Waterfall") == true, "\(display.drawn.last?.text ?? "")")
    }

    @Test("a screen that does not change is drawn once, and looked at less often after a second")
    func idleScreen() {
        let time = ManualClock()
        var timeouts: [Int32] = []
        final class Recording: MonitorDisplay {
            let inner: ScriptedDisplay
            var timeouts: [Int32] = []
            init(_ inner: ScriptedDisplay) { self.inner = inner }
            var width: Int { inner.width }
            var height: Int { inner.height }
            func draw(_ grid: CellGrid) { inner.draw(grid) }
            func readEvent(timeout milliseconds: Int32) -> TerminalEvent? {
                timeouts.append(milliseconds)
                return inner.readEvent(timeout: milliseconds)
            }
        }
        let display = Recording(ScriptedDisplay(script: Array(repeating: nil, count: 200), time: time))
        var loop = MonitorLoop(session: Self.session(paused: true), mailbox: RecordMailbox(), clock: { time.now })
        #expect(loop.run(on: display, interrupted: { nil }) == .quit)
        timeouts = display.timeouts
        #expect(display.inner.drawn.count == 1, "drawn \(display.inner.drawn.count) times")
        #expect(timeouts.first.map { $0 <= 33 } == true)
        #expect(timeouts.dropFirst(100).allSatisfy { $0 >= 200 }, "\(timeouts.suffix(10))")
    }
}
