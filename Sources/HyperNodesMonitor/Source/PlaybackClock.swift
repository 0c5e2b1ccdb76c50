/// The playback position: the instant t the screens show, on the model's timeline.
///
/// The monitor calls ``advance(to:latest:finished:)`` every frame with the wall clock, the model's
/// ``RunModel/latestTime`` and whether the source has ended.
///
/// - **Replay** moves the position forward by the wall time elapsed times ``speed`` (``PlaybackSpeed/max``
///   and ``follows`` pin it to the latest time loaded). It never passes what has been loaded, and
///   stops at the end of the trace.
/// - **Live** follows the latest time: the position moves with the wall clock (so running spans grow
///   between events), never falls behind the latest event, and stops at the latest time when the
///   run finishes. Pausing, seeking or stepping stops following; ``jumpToEnd(latest:)`` (or setting
///   ``follows``) resumes it.
public struct PlaybackClock: Sendable, Hashable {
    /// Whether the records come from a running pipeline or a file.
    public enum Mode: Sendable, Hashable {
        /// A running pipeline.
        case live
        /// A recorded trace.
        case replay
    }

    /// The clock's mode.
    public let mode: Mode
    /// The position, on the model's timeline.
    public private(set) var position: UInt64 = 0
    /// Whether the position stands still.
    public var isPaused: Bool {
        didSet { lastWall = nil }
    }
    /// How fast replay moves (live ignores it while following).
    public var speed: PlaybackSpeed
    /// Whether the position is pinned to the latest time.
    public var follows: Bool {
        didSet {
            if follows { position = max(position, latest) }
        }
    }
    /// The latest time known at the last ``advance(to:latest:finished:)``.
    public private(set) var latest: UInt64 = 0
    /// Whether the source had ended at the last ``advance(to:latest:finished:)``.
    public private(set) var finished = false
    /// The wall clock at the last advance, `nil` after a pause or a seek.
    private var lastWall: UInt64?

    /// Creates a clock at time 0.
    public init(mode: Mode, speed: PlaybackSpeed = .normal, paused: Bool = false) {
        self.mode = mode
        self.speed = speed
        self.isPaused = paused
        self.follows = mode == .live
    }

    /// Whether the position is at the end of a finished source.
    public var isAtEnd: Bool { finished && position >= latest }

    /// Moves the position for a frame drawn at `wallNanos` (any monotonic clock in nanoseconds).
    public mutating func advance(to wallNanos: UInt64, latest: UInt64, finished: Bool) {
        self.latest = latest
        self.finished = finished
        let elapsed = lastWall.map { wallNanos >= $0 ? wallNanos - $0 : 0 } ?? 0
        lastWall = wallNanos
        if isPaused {
            position = min(position, latest)
            return
        }
        switch mode {
        case .live:
            if follows {
                position = finished ? latest : max(latest, position.addingSaturated(elapsed))
            } else {
                position = min(latest, position.addingSaturated(scaled(elapsed)))
            }
        case .replay:
            if follows || speed == .max {
                position = latest
            } else {
                position = min(latest, position.addingSaturated(scaled(elapsed)))
            }
        }
    }

    private func scaled(_ elapsed: UInt64) -> UInt64 {
        guard case .factor(let factor) = speed else { return .max }
        let value = Double(elapsed) * factor
        return value >= 1.8e19 ? .max : UInt64(Swift.max(0, value))
    }

    /// Pauses or resumes.
    public mutating func togglePause() {
        isPaused.toggle()
        if isPaused && mode == .live { follows = false }
    }

    /// One speed step up.
    public mutating func faster() { speed = speed.faster() }

    /// One speed step down.
    public mutating func slower() { speed = speed.slower() }

    /// Moves to `time` (at most the latest time known) and stops following.
    public mutating func seek(to time: UInt64) {
        follows = false
        position = min(time, latest)
        lastWall = nil
    }

    /// Moves by `steps` times ``stepSize`` (backwards when negative), within `0...latest`.
    public mutating func step(by steps: Int64) {
        let distance = stepSize.multipliedReportingOverflow(by: steps.magnitude)
        let amount = distance.overflow ? UInt64.max : distance.partialValue
        if steps < 0 {
            seek(to: position >= amount ? position - amount : 0)
        } else {
            seek(to: position.addingSaturated(amount))
        }
    }

    /// A step that suits the trace's length: about a hundredth of the latest time, rounded to 1, 2
    /// or 5 times a power of ten nanoseconds (at least 1 µs).
    public var stepSize: UInt64 {
        let target = max(latest / 100, 1_000)
        var unit: UInt64 = 1
        while unit <= target / 10 { unit *= 10 }
        for multiple: UInt64 in [1, 2, 5, 10] where unit * multiple >= target {
            return unit * multiple
        }
        return unit * 10
    }

    /// Moves to time 0.
    public mutating func jumpToStart() { seek(to: 0) }

    /// Moves to `latest`; live resumes following.
    public mutating func jumpToEnd(latest: UInt64) {
        self.latest = max(self.latest, latest)
        position = self.latest
        lastWall = nil
        if mode == .live { follows = true }
    }
}

extension UInt64 {
    /// `self + other`, or `UInt64.max` when the sum does not fit.
    func addingSaturated(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
