/// What a row of the tree or the waterfall shows; the selection is one of these,
/// so it stays on the same span while rows come and go.
public enum RowID: Sendable, Hashable {
    /// A pipeline, node or nested pipeline span.
    case span(Int)
    /// A map span (its items collapsed into the row).
    case map(Int)
    /// One worker lane of an expanded map, in the waterfall.
    case lane(map: Int, lane: Int)
    /// A node of a pipeline's graph that has not started, in the tree.
    case pending(parent: Int, name: String)

    /// The span the row stands for: the span, the map, a lane's map, a pending node's pipeline.
    public var span: Int {
        switch self {
        case .span(let index), .map(let index): index
        case .lane(let map, _): map
        case .pending(let parent, _): parent
        }
    }

    /// The map the row belongs to, for a map or lane row.
    public var map: Int? {
        switch self {
        case .map(let index), .lane(let index, _): index
        case .span, .pending: nil
        }
    }
}
