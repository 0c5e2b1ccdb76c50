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

    /// The parts of `context` the model uses for `event` (the number of
    /// nodes is read only for the pipeline start events that need it).
    public init(_ context: CallbackContext, for event: PipelineEvent? = nil) {
        let needsNodes = event.map { $0.kind == .pipelineStart } ?? true
        self.init(runStartTime: context.runStartTime, totalNodes: needsNodes ? context.pipeline.totalNodes : 0)
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
    private var rows = RowStore()
    /// The root row of each run, in the order the runs started.
    public private(set) var roots: [Int] = []
    /// Incremented by every event that changed the model.
    public private(set) var version = 0
    private var spans = SpanTable<SpanTarget>()
    /// The aggregate rows below each row, by node name (found without copying rows).
    private var aggregates: [Int: [(name: String, id: Int)]] = [:]

    /// Creates an empty model.
    public init() {}

    /// The row `id`.
    public subscript(id: Int) -> ProgressRow? { rows[id] }

    /// Whether row `id` exists and is a run's root (read without copying the row).
    public func isRoot(_ id: Int) -> Bool { rows.exists(id) && rows.parent(of: id) == nil }

    /// The ids of every row, in the order the rows were added.
    public var rowIDs: [Int] { rows.ids }

    /// Whether the model holds no rows.
    public var isEmpty: Bool { rows.liveCount == 0 }

    /// The roots whose runs have ended.
    public var finishedRoots: [Int] { roots.filter { rows[$0]?.isFinished == true } }

    /// Applies one event and tells what it changed.
    @discardableResult
    public mutating func apply(_ event: PipelineEvent, context: ProgressEventContext) -> ProgressChange {
        version &+= 1
        var change = ProgressChange.other
        let time = context.runStartTime &+ event.timestamp
        let run = event.runID
        let span = event.spanID.rawValue
        let parent = event.parentSpanID.flatMap { spans.value(run: run, span: $0.rawValue) }
        switch event.kind {
        case .pipelineStart:
            switch parent {
            case .nested(let row)?:
                rows[row]?.nodesTotal = context.totalNodes
                spans.set(.pipeline(row), run: run, span: span)
            case .item(let map)?:
                spans.set(.group(row: map, map: map), run: run, span: span)
            case .aggregateItem(let row, let map)?, .aggregateNested(let row, let map)?:
                spans.set(.group(row: row, map: map), run: run, span: span)
            default:
                var row = ProgressRow(kind: .pipeline, name: event.name, parent: nil, start: time)
                row.nodesTotal = context.totalNodes
                spans.set(.pipeline(addRoot(row)), run: run, span: span)
            }
        case .pipelineEnd:
            if case .pipeline(let row)? = spans.remove(run: run, span: span), isRoot(row) {
                close(row, event: event, at: time)
                change = .finished(row)
            }
        case .nodeStart:
            switch parent {
            case .pipeline(let owner)?:
                spans.set(
                    .row(add(ProgressRow(kind: .node, name: event.name, parent: owner, start: time))), run: run,
                    span: span)
            case .group(let owner, let map)?:
                let row = aggregate(named: event.name, in: owner, at: time)
                rows[row]?.counts?.running += 1
                spans.set(.aggregateNode(row: row, map: map), run: run, span: span)
            default:
                break
            }
        case .nodeEnd:
            switch spans.remove(run: run, span: span) {
            case .row(let row)?:
                close(row, event: event, at: time)
                if let owner = rows.parent(of: row) { rows[owner]?.nodesDone += 1 }
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
            switch spans.value(run: run, span: span) {
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
            case .row(let row)?: spans.set(.nested(row), run: run, span: span)
            case .aggregateNode(let row, let map)?:
                spans.set(.aggregateNested(row: row, map: map), run: run, span: span)
            default: break
            }
        case .nestedPipelineEnd:
            spans.remove(run: run, span: span)
        case .mapStart:
            switch parent {
            case .nested(let row)?:
                rows[row]?.map = MapRowProgress(total: event.itemCount ?? 0, start: time)
                spans.set(.map(row), run: run, span: span)
            case .aggregateNested(let row, let map)?:
                spans.set(.aggregateMap(row: row, map: map), run: run, span: span)
            default:
                var row = ProgressRow(kind: .map, name: event.name, parent: nil, start: time)
                row.map = MapRowProgress(total: event.itemCount ?? 0, start: time)
                spans.set(.map(addRoot(row)), run: run, span: span)
            }
        case .mapEnd:
            if case .map(let row)? = spans.remove(run: run, span: span), isRoot(row) {
                close(row, event: event, at: time)
                change = .finished(row)
            }
        case .mapItemStart:
            switch parent {
            case .map(let row)?:
                rows[row]?.map?.running += 1
                spans.set(.item(row), run: run, span: span)
            case .aggregateMap(let row, let map)?:
                spans.set(.aggregateItem(row: row, map: map), run: run, span: span)
            default:
                break
            }
        case .mapItemEnd:
            if case .item(let row)? = spans.remove(run: run, span: span) {
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
        if ids.count == 1 {
            roots.removeAll { $0 == ids[0] }
        } else {
            let removed = Set(ids)
            roots.removeAll { removed.contains($0) }
        }
        var stack = ids
        while let id = stack.popLast() {
            aggregates.removeValue(forKey: id)
            if let row = rows.remove(id) { stack += row.children }
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
        let id = rows.append(row)
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
        if let list = aggregates[owner] {
            for entry in list where entry.name == name { return entry.id }
        }
        var row = ProgressRow(kind: .aggregate, name: name, parent: owner, start: time)
        row.counts = AggregateCounts()
        let id = add(row)
        aggregates[owner, default: []].append((name, id))
        return id
    }

    private mutating func close(_ id: Int, event: PipelineEvent, at time: UInt64) {
        rows.update(id) { row in
            row.status = event.status == .running ? .ok : event.status
            row.end = time
            row.duration = event.duration ?? (time > row.start ? time - row.start : 0)
            if row.error == nil, event.status == .error, let error = event.error { row.error = error.message }
        }
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

/// Rows by id, in an array: ids are handed out in increasing order and
/// rows of finished runs are removed mostly from the front, so an id maps to
/// an index by subtracting the id of the first slot kept. Rows are updated
/// in place (a dictionary of rows moved each updated row out and back).
private struct RowStore: Sendable {
    private var slots: [ProgressRow?] = []
    /// The id of `slots[0]`.
    private var base = 0
    /// Slots before this index are all empty.
    private var firstLive = 0
    private(set) var liveCount = 0

    subscript(id: Int) -> ProgressRow? {
        get {
            let index = id - base
            return index >= 0 && index < slots.count ? slots[index] : nil
        }
        _modify {
            let index = id - base
            if index >= 0 && index < slots.count {
                yield &slots[index]
            } else {
                var missing: ProgressRow? = nil
                yield &missing
            }
        }
    }

    /// Changes row `id` in place, if it exists.
    mutating func update(_ id: Int, _ body: (inout ProgressRow) -> Void) {
        let index = id - base
        guard index >= 0, index < slots.count, slots[index] != nil else { return }
        body(&slots[index]!)
    }

    func exists(_ id: Int) -> Bool {
        let index = id - base
        return index >= 0 && index < slots.count && slots[index] != nil
    }

    /// The parent of row `id`, read in place.
    func parent(of id: Int) -> Int? {
        let index = id - base
        guard index >= 0, index < slots.count else { return nil }
        return slots[index]?.parent
    }

    /// Adds a row and returns its id.
    mutating func append(_ row: ProgressRow) -> Int {
        slots.append(row)
        liveCount += 1
        return base + slots.count - 1
    }

    /// Removes row `id` and returns it.
    mutating func remove(_ id: Int) -> ProgressRow? {
        let index = id - base
        guard index >= 0, index < slots.count, let row = slots[index] else { return nil }
        slots[index] = nil
        liveCount -= 1
        if liveCount == 0 {
            base += slots.count
            slots.removeAll(keepingCapacity: true)
            firstLive = 0
            return row
        }
        while firstLive < slots.count && slots[firstLive] == nil { firstLive += 1 }
        if firstLive > 1024 && firstLive * 2 > slots.count {
            slots.removeFirst(firstLive)
            base += firstLive
            firstLive = 0
        }
        return row
    }

    var ids: [Int] { slots.indices.filter { slots[$0] != nil }.map { $0 + base } }
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
