import HyperNodes

/// How a span of the HTML waterfall ended, as it is drawn: each state has a
/// colour, a fill pattern and a glyph, so that it reads without colour too.
package enum HTMLWaterfallState: String, Sendable, Hashable, CaseIterable {
    /// Ended normally: solid fill, `✓`.
    case ok
    /// Served from the cache: hatched fill, `⚡`.
    case cached
    /// Ended with an error: solid fill with a dark end cap, `✗`.
    case failed
    /// Never closed in the trace (still running when it was written, or cut
    /// off by a crash): a fill that fades out, `◌`.
    case unfinished
    /// Cancelled: pale fill with a dotted outline, `⊘`.
    case cancelled

    /// The state of `span`.
    package init(_ span: TraceSpan) {
        if !span.isFinished {
            self = .unfinished
            return
        }
        switch span.status {
        case .error: self = .failed
        case .cancelled: self = .cancelled
        case .running: self = .unfinished
        case .cached: self = .cached
        case .ok: self = span.isCached ? .cached : .ok
        }
    }

    /// The state of the map item `item`: cached when every node inside it was.
    init(item: Int, in run: TraceRun) {
        let state = HTMLWaterfallState(run.spans[item])
        self = state == .ok && SpanTreeQueries.isCachedItem(item, in: run.spans) ? .cached : state
    }

    /// The glyph in front of a row's name (the monitor's).
    var glyph: String {
        switch self {
        case .ok: "✓"
        case .cached: "⚡"
        case .failed: "✗"
        case .unfinished: "◌"
        case .cancelled: "⊘"
        }
    }

    /// The state in words, for tooltips and the legend.
    var word: String {
        switch self {
        case .ok: "ok"
        case .cached: "cached"
        case .failed: "failed"
        case .unfinished: "unfinished"
        case .cancelled: "cancelled"
        }
    }

    /// What the legend says about the state.
    var meaning: String {
        switch self {
        case .ok: "finished"
        case .cached: "served from the cache"
        case .failed: "ended with an error"
        case .unfinished: "running or cut off when the trace ends"
        case .cancelled: "stopped before it finished"
        }
    }

    /// Which state a cell shows when several items share it: failures first.
    var rank: Int {
        switch self {
        case .failed: 4
        case .unfinished: 3
        case .cancelled: 2
        case .ok: 1
        case .cached: 0
        }
    }
}
