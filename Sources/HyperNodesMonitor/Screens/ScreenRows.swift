/// The rows of the tree and the waterfall at a playback position: spans in
/// tree order (parents first, siblings in start order), map items folded
/// into their map, collapsed subtrees left out.
///
/// Only spans outside map items become rows, so the row count follows the
/// pipeline's shape, not the number of items.
public enum ScreenRows {
    /// Which screen the rows are for: the tree adds pending nodes, the
    /// waterfall adds the lanes of expanded maps.
    public enum Purpose: Sendable, Hashable {
        /// The tree screen (and the map screen's list of maps).
        case tree
        /// The waterfall.
        case waterfall
    }

    /// The rows at `now`. With `keep` (a search in force), only those spans
    /// (matches and their ancestors) are listed, collapsed or not.
    public static func build(
        _ model: RunModel, view: MonitorViewState, now: UInt64, purpose: Purpose, keep: Set<Int>? = nil
    ) -> [ScreenRow] {
        var rows: [ScreenRow] = []
        let roots = model.roots(at: now).filter { keep?.contains($0) ?? true }
        for (offset, root) in roots.enumerated() {
            visit(
                root, model: model, view: view, now: now, purpose: purpose, keep: keep, depth: 0, guides: [],
                isLast: offset == roots.count - 1, into: &rows)
        }
        return rows
    }

    /// The spans a search shows: `matches`, and every ancestor of a match up to its top-level span.
    public static func keepSet(for matches: [Int], in model: RunModel) -> Set<Int> {
        var keep = Set<Int>()
        for match in matches where match >= 0 && match < model.spanCount {
            var current: Int? = match
            while let span = current, keep.insert(span).inserted {
                current = model.parent(of: span)
            }
        }
        return keep
    }

    private static func visit(
        _ index: Int, model: RunModel, view: MonitorViewState, now: UInt64, purpose: Purpose, keep: Set<Int>?,
        depth: Int, guides: [Bool], isLast: Bool, into rows: inout [ScreenRow]
    ) {
        let kind = model.kind(of: index)
        let isMap = kind == .map
        var children = model.children(of: index, at: now).filter { keep?.contains($0) ?? true }
        if kind == .mapItem { children = [] }
        // Pending nodes are listed under the pipeline span that runs them (a nested pipeline's own
        // pipeline span is its child, and a mapped pipeline's nodes run inside the items).
        let pending = purpose == .tree && keep == nil && kind == .pipeline ? model.pendingNodes(of: index, at: now) : []
        let lanes = purpose == .waterfall && isMap && view.expandedMaps.contains(index) ? model.lanes(of: index) : []
        let hasChildren = !children.isEmpty || !pending.isEmpty || !lanes.isEmpty
        // A search shows its matches whatever is collapsed.
        let collapsed = keep == nil && view.collapsed.contains(index) && !isMap
        rows.append(
            ScreenRow(
                id: isMap ? .map(index) : .span(index), depth: depth, guides: guides, isLast: isLast,
                hasChildren: hasChildren || (isMap && purpose == .waterfall && !model.lanes(of: index).isEmpty),
                isCollapsed: collapsed || (isMap && purpose == .waterfall && lanes.isEmpty)))
        guard !collapsed, depth < 200 else { return }
        let below = guides + [!isLast]
        let count = children.count + pending.count + lanes.count
        var position = 0
        for child in children {
            position += 1
            visit(
                child, model: model, view: view, now: now, purpose: purpose, keep: keep, depth: depth + 1,
                guides: below, isLast: position == count, into: &rows)
        }
        for name in pending {
            position += 1
            rows.append(
                ScreenRow(
                    id: .pending(parent: index, name: name), depth: depth + 1, guides: below,
                    isLast: position == count, hasChildren: false, isCollapsed: false))
        }
        for lane in lanes {
            position += 1
            rows.append(
                ScreenRow(
                    id: .lane(map: index, lane: lane), depth: depth + 1, guides: below, isLast: position == count,
                    hasChildren: false, isCollapsed: false))
        }
    }
}
