import HyperNodes

/// How a waterfall bar's span ended, as the character waterfall colours it
/// when asked to (``TraceWaterfall/Options/color``). Without colour the
/// states still read from the row markers (`!`, `x`, `>`, `=`).
public enum WaterfallState: String, Sendable, Hashable, CaseIterable {
    /// Ended normally: green.
    case ok
    /// Served from the cache (a cached node, or a map item whose nodes all were): cyan.
    case cached
    /// Ended with an error: bold red.
    case failed
    /// Not closed in the trace (still running, or cut off by a crash): yellow.
    case running
    /// Stopped before it finished: magenta.
    case cancelled

    /// The parameters of the ANSI SGR sequence (`ESC [ parameters m`) that
    /// colours the state's bars.
    public var sgrParameters: String {
        switch self {
        case .ok: "32"
        case .cached: "36"
        case .failed: "1;31"
        case .running: "33"
        case .cancelled: "35"
        }
    }

    /// The escape sequence that starts the state's colour.
    public var sgr: String { "\u{1B}[\(sgrParameters)m" }

    /// The escape sequence that ends any colour: `ESC [0m`.
    public static let reset = "\u{1B}[0m"

    /// The state in words, for the legend.
    public var word: String {
        switch self {
        case .ok: "ok"
        case .cached: "cached"
        case .failed: "failed"
        case .running: "unfinished"
        case .cancelled: "cancelled"
        }
    }

    /// `text` in the state's colour, followed by a reset.
    func paint(_ text: some StringProtocol) -> String {
        sgr + text + Self.reset
    }

    /// The state of `span`, the same one its row marker shows.
    init(_ span: TraceSpan) {
        if !span.isFinished {
            self = .running
            return
        }
        switch span.status {
        case .error: self = .failed
        case .cancelled: self = .cancelled
        default: self = span.isCached ? .cached : .ok
        }
    }

    /// The state of the map item `item`: cached when every node inside it was.
    init(item: Int, in run: TraceRun) {
        let state = WaterfallState(run.spans[item])
        self = state == .ok && SpanTreeQueries.isCachedItem(item, in: run.spans) ? .cached : state
    }

    /// Which state a cell of a map's row shows when several items share it: failures first.
    var rank: Int {
        switch self {
        case .failed: 4
        case .running: 3
        case .cancelled: 2
        case .ok: 1
        case .cached: 0
        }
    }
}
