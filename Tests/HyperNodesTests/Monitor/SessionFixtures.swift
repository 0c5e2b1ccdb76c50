import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace

/// Sessions over the demo records, at fixed playback positions, with keys pressed.
enum SessionFixtures {
    /// A replay session holding the whole demo run at position `now` (paused there), after `keys`.
    static func replay(
        at now: UInt64 = ScreenFixtures.finished, options: MonitorOptions = MonitorOptions(), keys: [Key] = [],
        finished: Bool = true, records: [TraceRecord] = ScreenFixtures.demo
    ) -> MonitorSession {
        var session = MonitorSession(source: .replay("demo.jsonl"), options: options)
        session.ingest(MailboxBatch(records: records, finished: finished ? .completed : nil))
        // Speed 1: the position moves with the wall clock, up to the latest time loaded.
        session.tick(wallNanos: 1_000)
        session.tick(wallNanos: 1_000 + now)
        press(keys, on: &session)
        return session
    }

    static func press(_ keys: [Key], on session: inout MonitorSession) {
        for key in keys { _ = session.handle(key, wallNanos: 5_000_000_000) }
    }

    /// Keys for typing `text`.
    static func typing(_ text: String) -> [Key] { text.map { .character($0) } }

    /// The themes every golden frame is drawn in: colour, NO_COLOR, ASCII without colour.
    static let color = MonitorOptions(ascii: false, color: true)
    static let noColor = MonitorOptions(ascii: false, color: false)
    static let ascii = MonitorOptions(ascii: true, color: false)
}
