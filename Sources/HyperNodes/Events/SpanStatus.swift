/// The outcome carried by an event.
///
/// Start events carry ``running``; end events carry how the span ended.
public enum SpanStatus: UInt8, Sendable, CustomStringConvertible {
    /// The span is open.
    case running
    /// The span ended normally.
    case ok
    /// The span ended because of an error in it or below it.
    case error
    /// The result was served from the cache.
    case cached
    /// The span ended because its work was cancelled.
    case cancelled

    /// The status in lowercase (`ok`, `error`, …).
    public var description: String {
        switch self {
        case .running: "running"
        case .ok: "ok"
        case .error: "error"
        case .cached: "cached"
        case .cancelled: "cancelled"
        }
    }
}
