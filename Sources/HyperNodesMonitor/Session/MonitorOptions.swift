/// How the monitor draws and plays.
public struct MonitorOptions: Sendable, Hashable {
    /// ASCII glyphs only (`--ascii`, `TERM=dumb`).
    public var ascii: Bool
    /// Colours (off with `NO_COLOR` or on a monochrome terminal); every state stays visible without.
    public var color: Bool
    /// Start replay paused (`--start paused`).
    public var startPaused: Bool
    /// The replay speed to start with.
    public var speed: PlaybackSpeed

    /// Creates options.
    public init(ascii: Bool = false, color: Bool = true, startPaused: Bool = false, speed: PlaybackSpeed = .normal) {
        self.ascii = ascii
        self.color = color
        self.startPaused = startPaused
        self.speed = speed
    }
}
