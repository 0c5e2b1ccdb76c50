/// Something besides the record mailbox that the monitor loop looks at on every turn: a launched
/// program (its output and its exit) or a live connection (its state).
///
/// The loop calls both methods on its own thread.
public protocol MonitorFeed: AnyObject, Sendable {
    /// Applies to `session` what changed since the last call; whether anything did.
    func update(_ session: inout MonitorSession) -> Bool

    /// A termination signal (Ctrl-C, `kill`, a closed terminal) reached the monitor: whether the feed
    /// passed it on (to a launched program), so that the monitor keeps running.
    func forward(signal signalNumber: Int32) -> Bool
}

extension MonitorFeed {
    /// Passes nothing on.
    public func forward(signal signalNumber: Int32) -> Bool { false }
}
