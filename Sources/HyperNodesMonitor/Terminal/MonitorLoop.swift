#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a monitor run ended.
public enum MonitorExit: Sendable, Hashable {
    /// The user quit (`q`).
    case quit
    /// A termination signal arrived (Ctrl-C, `kill`, a closed terminal) and no feed passed it on.
    case signal(Int32)
    /// The source ended and the loop was asked to stop then (`--exit-on-finish`).
    case finished
}

/// The monitor's UI loop: takes records from the source's mailbox and lines
/// from the output capture into the session, lets its feeds (a launched
/// program, a live connection) update the session, advances its clock, reads
/// keys, and draws frames, all on the calling thread.
///
/// A termination signal ends the loop unless a feed passes it on (a launched
/// program gets the Ctrl-C meant for it, and the monitor stays open to show
/// how it ends).
///
/// Frames come at most every ``frameInterval`` and only while something
/// changes: after a second without any change (a paused replay, a finished
/// run nobody touches) the loop looks again only every ``idleInterval``,
/// and any key, record or log line brings it back at once.
public struct MonitorLoop {
    /// The shortest time between two frames, in nanoseconds (about 30 frames a second).
    public static let frameInterval: UInt64 = 33_000_000
    /// How often an unchanging screen is looked at again, in nanoseconds.
    public static let idleInterval: UInt64 = 250_000_000
    /// How long the screen must stay unchanged before the loop slows down, in nanoseconds.
    public static let settleTime: UInt64 = 1_000_000_000
    /// The most keys handled before the next frame.
    public static let keysPerFrame = 64

    /// The session: view state and model.
    public private(set) var session: MonitorSession
    private let mailbox: RecordMailbox
    private let log: OutputCapture?
    private let feeds: [any MonitorFeed]
    private let exitWhenFinished: Bool
    private let clock: () -> UInt64

    /// A loop over `session`, fed from `mailbox`, `log` and `feeds`; with
    /// `exitWhenFinished` it ends as soon as the session's source has ended.
    /// `clock` gives the time in nanoseconds on any monotonic clock.
    public init(
        session: MonitorSession, mailbox: RecordMailbox, log: OutputCapture? = nil, feeds: [any MonitorFeed] = [],
        exitWhenFinished: Bool = false, clock: @escaping () -> UInt64 = MonitorLoop.monotonicClock
    ) {
        self.session = session
        self.mailbox = mailbox
        self.log = log
        self.feeds = feeds
        self.exitWhenFinished = exitWhenFinished
        self.clock = clock
    }

    /// Runs until the session asks to quit, `interrupted` returns a signal that no feed passes on, or
    /// (with `exitWhenFinished`) the source has ended. `interrupted` reports each signal once.
    public mutating func run(
        on screen: some MonitorDisplay, interrupted: () -> Int32? = { InterruptSignals.take() }
    ) -> MonitorExit {
        var shown: CellGrid?
        var lastFrame: UInt64 = 0
        var lastChange = clock()
        var dirty = true
        var sawEnd = false
        var size = (width: -1, height: -1)
        while true {
            if let signalNumber = interrupted() {
                guard forward(signalNumber) else { return .signal(signalNumber) }
                dirty = true
            }
            let batch = mailbox.take()
            let ended = batch.finished != nil && !sawEnd
            if !batch.records.isEmpty || !batch.problems.isEmpty || batch.dropped > 0 || ended {
                session.ingest(batch)
                sawEnd = sawEnd || ended
                dirty = true
            }
            if let log {
                for line in log.takeLines() {
                    session.appendLog(line)
                    dirty = true
                }
            }
            for feed in feeds where feed.update(&session) { dirty = true }
            if exitWhenFinished && session.isFinished {
                screen.draw(session.frame(width: screen.width, height: screen.height))
                return .finished
            }
            if screen.width != size.width || screen.height != size.height {
                size = (screen.width, screen.height)
                session.resize(width: size.width, height: size.height)
                dirty = true
            }
            var now = clock()
            session.tick(wallNanos: now)
            let settled = now &- lastChange >= Self.settleTime
            let due = now &- lastFrame >= (settled && !dirty ? Self.idleInterval : Self.frameInterval)
            if due || (dirty && now &- lastFrame >= Self.frameInterval) {
                let grid = session.frame(width: size.width, height: size.height)
                if grid != shown {
                    screen.draw(grid)
                    shown = grid
                    lastChange = now
                }
                lastFrame = now
                dirty = false
            }
            let wait = settled && !dirty ? Self.idleInterval : Self.frameInterval
            let remaining = max(1, Int64(wait) - Int64(now &- lastFrame))
            var event = screen.readEvent(timeout: Int32(min(remaining / 1_000_000, 1000)))
            var handled = 0
            while let current = event, handled < Self.keysPerFrame {
                handled += 1
                switch current {
                case .resize:
                    shown = nil
                    dirty = true
                case .key(let key):
                    now = clock()
                    switch session.handle(key, wallNanos: now) {
                    case .quit: return .quit
                    case .redraw, .none: dirty = true
                    }
                }
                if let signalNumber = interrupted() {
                    guard forward(signalNumber) else { return .signal(signalNumber) }
                }
                event = screen.readEvent(timeout: 0)
            }
        }
    }

    /// Passes `signalNumber` to the first feed that takes it, noting it in the log pane; whether one did.
    private mutating func forward(_ signalNumber: Int32) -> Bool {
        guard feeds.contains(where: { $0.forward(signal: signalNumber) }) else { return false }
        session.signalForwarded(signalNumber)
        return true
    }

    /// The time on the system's monotonic clock, in nanoseconds.
    public static func monotonicClock() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
