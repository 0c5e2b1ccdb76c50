import HyperNodes

/// What the progress model needs to know about where an event happened.
///
/// Built from a ``CallbackContext``; tests build it directly.
public struct ProgressEventContext: Sendable, Equatable {
    /// When the event's run started, in nanoseconds since 1970 (wall clock).
    public var runStartTime: UInt64
    /// The number of nodes of the pipeline the event belongs to.
    public var totalNodes: Int

    /// Creates a context.
    public init(runStartTime: UInt64, totalNodes: Int) {
        self.runStartTime = runStartTime
        self.totalNodes = totalNodes
    }

    /// The parts of `context` the model uses.
    public init(_ context: CallbackContext) {
        self.init(runStartTime: context.runStartTime, totalNodes: context.pipeline.totalNodes)
    }
}

/// The state of every run a ``ProgressCallback`` is showing, built from
/// events alone. A value: the renderer draws a copy while new events update
/// the original.
///
/// The tree mirrors the run with names, never ids: a run's root pipeline
/// (or map), its nodes, and below a node that wraps a nested pipeline that
/// pipeline's nodes. A node that maps a nested pipeline becomes a map row
/// whose children aggregate each inner node over all items. A pipeline
/// counts each of its nodes once, when the node ends or is served from the
/// cache.
public struct ProgressModel: Sendable {
    /// Every row, by id.
    public private(set) var rows: [Int: ProgressRow] = [:]
    /// The root row of each run, in the order the runs started.
    public private(set) var roots: [Int] = []
    /// Incremented by every event that changed the model.
    public private(set) var version = 0
    private var nextRow = 0
    private var spans: [SpanKey: SpanTarget] = [:]

    /// Creates an empty model.
    public init() {}

    /// The row `id`.
    public subscript(id: Int) -> ProgressRow? { rows[id] }

    /// The roots whose runs have ended.
    public var finishedRoots: [Int] { roots.filter { rows[$0]?.isFinished == true } }

    /// Applies one event and tells what it changed.
    @discardableResult
    public mutating func apply(_ event: PipelineEvent, context: ProgressEventContext) -> ProgressChange {
        version &+= 1
        var change = ProgressChange.other
        let time = context.runStartTime &+ event.timestamp
        let key = SpanKey(run: event.runID, span: event.spanID.rawValue)
        let parent = event.parentSpanID.flatMap { spans[SpanKey(run: event.runID, span: $0.rawValue)] }
        switch event.kind {
        case .pipelineStart:
            switch parent {
            case .nested(let row)?:
                rows[row]?.nodesTotal = context.totalNodes
                spans[key] = .pipeline(row)
            case .item(let map)?:
                spans[key] = .group(row: map, map: map)
            case .aggregateItem(let row, let map)?, .aggregateNested(let row, let map)?:
                spans[key] = .group(row: row, map: map)
            default:
                var row = ProgressRow(kind: .pipeline, name: event.name, parent: nil, start: time)
                row.nodesTotal = context.totalNodes
                spans[key] = .pipeline(addRoot(row))
            }
        case .pipelineEnd:
            if case .pipeline(let row)? = spans.removeValue(forKey: key), rows[row]?.parent == nil {
                close(row, event: event, at: time)
                change = .finished(row)
            }
        case .nodeStart:
            switch parent {
            case .pipeline(let owner)?:
                spans[key] = .row(add(ProgressRow(kind: .node, name: event.name, parent: owner, start: time)))
            case .group(let owner, let map)?:
                let row = aggregate(named: event.name, in: owner, at: time)
                rows[row]?.counts?.running += 1
                spans[key] = .aggregateNode(row: row, map: map)
            default:
                break
            }
        case .nodeEnd:
            switch spans.removeValue(forKey: key) {
            case .row(let row)?:
                close(row, event: event, at: time)
                if let owner = rows[row]?.parent { rows[owner]?.nodesDone += 1 }
                change = .finished(row)
            case .aggregateNode(let row, let map)?:
                rows[row]?.counts?.running -= 1
                switch event.status {
                case .error: rows[row]?.counts?.failed += 1
                case .cancelled: rows[row]?.counts?.cancelled += 1
                default:
                    rows[row]?.counts?.ok += 1
                    rows[row]?.counts?.record(duration: event.duration ?? 0)
                    rows[map]?.map?.executed += 1
                }
            default:
                break
            }
        case .nodeCached:
            switch parent {
            case .pipeline(let owner)?:
                var row = ProgressRow(kind: .node, name: event.name, parent: owner, start: time)
                row.status = .cached
                row.end = time
                row.duration = 0
                change = .finished(add(row))
                rows[owner]?.nodesDone += 1
            case .group(let owner, let map)?:
                let row = aggregate(named: event.name, in: owner, at: time)
                rows[row]?.counts?.cached += 1
                rows[map]?.map?.cacheHits += 1
            default:
                break
            }
        case .error:
            let message = event.error.map { "\($0.message)" } ?? "failed"
            switch spans[key] {
            case .row(let row)?:
                if rows[row]?.error == nil { rows[row]?.error = message }
            case .aggregateNode(let row, let map)?:
                if rows[row]?.error == nil { rows[row]?.error = message }
                if rows[map]?.error == nil { rows[map]?.error = "\(event.name): \(message)" }
            default:
                break
            }
        case .nestedPipelineStart:
            switch parent {
            case .row(let row)?: spans[key] = .nested(row)
            case .aggregateNode(let row, let map)?: spans[key] = .aggregateNested(row: row, map: map)
            default: break
            }
        case .nestedPipelineEnd:
            spans.removeValue(forKey: key)
        case .mapStart:
            switch parent {
            case .nested(let row)?:
                rows[row]?.map = MapProgress(total: event.itemCount ?? 0, start: time)
                spans[key] = .map(row)
            case .aggregateNested(let row, let map)?:
                spans[key] = .aggregateMap(row: row, map: map)
            default:
                var row = ProgressRow(kind: .map, name: event.name, parent: nil, start: time)
                row.map = MapProgress(total: event.itemCount ?? 0, start: time)
                spans[key] = .map(addRoot(row))
            }
        case .mapEnd:
            if case .map(let row)? = spans.removeValue(forKey: key), rows[row]?.parent == nil {
                close(row, event: event, at: time)
                change = .finished(row)
            }
        case .mapItemStart:
            switch parent {
            case .map(let row)?:
                rows[row]?.map?.running += 1
                spans[key] = .item(row)
            case .aggregateMap(let row, let map)?:
                spans[key] = .aggregateItem(row: row, map: map)
            default:
                break
            }
        case .mapItemEnd:
            if case .item(let row)? = spans.removeValue(forKey: key) {
                rows[row]?.map?.itemEnded(status: event.status, at: time)
                change = .advanced(row)
                if event.status == .error, rows[row]?.error == nil {
                    rows[row]?.error = event.error?.message
                }
            }
        case .mapItemCached:
            break  // counted by the node_cached event just before it
        }
        return change
    }

    /// Removes the runs rooted at `ids` and everything below them.
    public mutating func remove(roots ids: [Int]) {
        guard !ids.isEmpty else { return }
        let removed = Set(ids)
        roots.removeAll { removed.contains($0) }
        var stack = ids
        while let id = stack.popLast() {
            if let row = rows.removeValue(forKey: id) { stack += row.children }
        }
        version &+= 1
    }

    /// The depth-first order of the rows below and including `id`.
    public func subtree(_ id: Int) -> [Int] {
        var order: [Int] = []
        var stack = [id]
        while let next = stack.popLast() {
            order.append(next)
            if let row = rows[next] { stack += row.children.reversed() }
        }
        return order
    }

    // MARK: Building

    @discardableResult
    private mutating func add(_ row: ProgressRow) -> Int {
        let id = nextRow
        nextRow += 1
        rows[id] = row
        if let parent = row.parent { rows[parent]?.children.append(id) }
        return id
    }

    private mutating func addRoot(_ row: ProgressRow) -> Int {
        let id = add(row)
        roots.append(id)
        return id
    }

    /// The aggregate row for node `name` below `owner`, created on first use.
    private mutating func aggregate(named name: String, in owner: Int, at time: UInt64) -> Int {
        if let existing = rows[owner]?.children.first(where: { rows[$0]?.kind == .aggregate && rows[$0]?.name == name })
        {
            return existing
        }
        var row = ProgressRow(kind: .aggregate, name: name, parent: owner, start: time)
        row.counts = AggregateCounts()
        return add(row)
    }

    private mutating func close(_ id: Int, event: PipelineEvent, at time: UInt64) {
        guard var row = rows[id] else { return }
        row.status = event.status == .running ? .ok : event.status
        row.end = time
        row.duration = event.duration ?? (time > row.start ? time - row.start : 0)
        if row.error == nil, event.status == .error, let error = event.error { row.error = error.message }
        rows[id] = row
    }
}

/// What one event changed in a ``ProgressModel``.
public enum ProgressChange: Sendable, Equatable {
    /// A row's span ended (a node, a run's root); aggregate rows never finish on their own.
    case finished(Int)
    /// A map row's item ended.
    case advanced(Int)
    /// Anything else.
    case other
}

/// A span, by run and id.
private struct SpanKey: Hashable, Sendable {
    let run: UInt64
    let span: UInt64
}

/// What an open span means for the tree.
private enum SpanTarget: Sendable {
    /// A node's span: the node's row.
    case row(Int)
    /// A pipeline span whose nodes become children of the row (a root pipeline, or a nested node).
    case pipeline(Int)
    /// A nested-pipeline span inside the node row.
    case nested(Int)
    /// A map span shown by the row.
    case map(Int)
    /// A map item of the map row.
    case item(Int)
    /// A pipeline span inside a map: its nodes aggregate below `row`; `map` is the map row.
    case group(row: Int, map: Int)
    /// A node span inside a map, counted in the aggregate row.
    case aggregateNode(row: Int, map: Int)
    /// A nested-pipeline span of a node inside a map.
    case aggregateNested(row: Int, map: Int)
    /// A map inside a map: its items aggregate below `row`.
    case aggregateMap(row: Int, map: Int)
    /// An item of a map inside a map.
    case aggregateItem(row: Int, map: Int)
}
