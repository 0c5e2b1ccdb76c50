/// A zoomed window of the waterfall's time axis.
public struct ZoomWindow: Sendable, Hashable {
    /// The first time shown (nanoseconds on the monitor's timeline).
    public var start: UInt64
    /// How long a stretch is shown, at least ``minimumLength``.
    public var length: UInt64

    /// The narrowest window: one microsecond across the screen.
    public static let minimumLength: UInt64 = 1_000

    /// Creates a window.
    public init(start: UInt64, length: UInt64) {
        self.start = start
        self.length = max(Self.minimumLength, length)
    }
}
