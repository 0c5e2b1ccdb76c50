/// What a key asks of the playback or the session, beyond the view state.
///
/// View state handles keys as a pure function and returns one of these; the
/// session applies it to the playback clock.
public enum ViewAction: Sendable, Hashable {
    /// Nothing happened.
    case none
    /// The view changed; draw again.
    case redraw
    /// Leave the monitor.
    case quit
    /// Pause or resume playback.
    case togglePause
    /// Play faster.
    case faster
    /// Play slower.
    case slower
    /// Step the playback position back (`-1`) or forward (`+1`) by one step.
    case step(Int)
    /// Jump to the start of the trace.
    case jumpToStart
    /// Jump to the latest time received.
    case jumpToEnd
    /// Follow the newest data, or stop following it.
    case setFollow(Bool)
}
