/// What the status bar reports: the source, the playback, and trouble.
public struct StatusInfo: Sendable, Hashable {
    /// `live` or `replay`.
    public var isLive: Bool
    /// The pipeline's name (live) or the trace file's name (replay).
    public var sourceName: String
    /// The screen shown.
    public var screen: MonitorScreen
    /// The playback position.
    public var position: UInt64
    /// The latest time received.
    public var latest: UInt64
    /// Records received.
    public var events: Int
    /// The replay speed (`nil` live).
    public var speed: PlaybackSpeed?
    /// Whether playback is paused.
    public var paused: Bool
    /// Whether the position follows the newest data.
    public var following: Bool
    /// Records the source dropped.
    public var dropped: Int
    /// Lines of the trace that could not be read.
    public var badLines: Int
    /// Repairs the model made to damaged input.
    public var repairs: Int
    /// How the source ended, once it has (a source other than a live connection).
    public var finished: SourceEnd?
    /// How the live connection stands (attached and launched programs only).
    public var live: LiveState?

    /// Creates a status.
    public init(
        isLive: Bool, sourceName: String, screen: MonitorScreen, position: UInt64, latest: UInt64, events: Int,
        speed: PlaybackSpeed?, paused: Bool, following: Bool, dropped: Int = 0, badLines: Int = 0, repairs: Int = 0,
        finished: SourceEnd? = nil, live: LiveState? = nil
    ) {
        self.isLive = isLive
        self.sourceName = sourceName
        self.screen = screen
        self.position = position
        self.latest = latest
        self.events = events
        self.speed = speed
        self.paused = paused
        self.following = following
        self.dropped = dropped
        self.badLines = badLines
        self.repairs = repairs
        self.finished = finished
        self.live = live
    }
}
