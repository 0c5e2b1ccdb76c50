import HyperNodes

/// The rows of one run's HTML waterfall: spans in tree order (parents first,
/// siblings in start order), a map's items folded into the map's row, and
/// nothing from inside the items, so the row count follows the pipeline's
/// shape and not the number of items. These are the rows the monitor's
/// waterfall shows for the same run with nothing collapsed and no map opened.
package struct HTMLWaterfallLayout: Sendable {
    /// One row: a span, or a map (its items folded into it).
    package struct Row: Sendable, Hashable {
        /// The span's index in ``TraceRun/spans``.
        package var span: Int
        /// Depth in the rows' tree: 0 for a top-level span.
        package var depth: Int
        /// Whether the row is a map whose items it aggregates.
        package var isMap: Bool
    }

    /// The rows, at most ``maximumRows``.
    package private(set) var rows: [Row] = []
    /// Rows left out past ``maximumRows``.
    package private(set) var omitted = 0

    /// The most rows one run gets; the rest are counted in ``omitted``.
    package static let maximumRows = 5_000
    /// The deepest row whose children are still listed (as in the monitor).
    static let maximumDepth = 200

    /// Lays out the rows of `run`.
    package init(run: TraceRun) {
        // Depth-first with an explicit stack: a damaged trace may nest deeply.
        var stack: [(span: Int, depth: Int)] = run.roots.reversed().map { ($0, 0) }
        while let (index, depth) = stack.popLast() {
            let span = run.spans[index]
            if rows.count < Self.maximumRows {
                rows.append(Row(span: index, depth: depth, isMap: span.kind == .map))
            } else {
                omitted += 1
            }
            guard span.kind != .mapItem, depth < Self.maximumDepth else { continue }
            let children =
                span.kind == .map ? span.children.filter { run.spans[$0].kind != .mapItem } : span.children
            for child in children.reversed() { stack.append((child, depth + 1)) }
        }
    }

    /// The item spans of `map`, in start order.
    package static func items(of map: Int, in run: TraceRun) -> [Int] {
        run.spans[map].children.filter { run.spans[$0].kind == .mapItem }
    }

    /// The worker lanes the items of `map` ran on, ascending.
    package static func lanes(of map: Int, in run: TraceRun) -> [Int] {
        Set(items(of: map, in: run).map { run.spans[$0].lane }).sorted()
    }
}
