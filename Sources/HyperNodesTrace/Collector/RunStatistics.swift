import HyperNodes

/// The map and node statistics of one run, kept up to date event by event
/// in memory that does not grow with the number of items: a few entries per
/// open span, and per map path and node name a ``LatencyHistogram``.
///
/// Not thread-safe: its owner (the collector's state) updates it in event order.
struct RunStatistics: Sendable {
    private struct OpenSpan: Sendable {
        let parent: SpanID?
        let name: String
        /// The nearest enclosing map item, or the span itself for an item.
        let item: SpanID?
    }

    private struct OpenItem: Sendable {
        let group: Int
        let start: UInt64
        var ranNode = false
        var cacheHit = false
    }

    private struct NodeState: Sendable {
        let name: String
        var count = 0
        var failures = 0
        var cacheHits = 0
        var latency = LatencyHistogram()
    }

    /// The maps with one path, added up.
    private struct MapGroup: Sendable {
        let name: String
        let path: [String]
        var instances = 0
        var open = 0
        var items = 0
        var started = 0
        var done = 0
        var failed = 0
        var cached = 0
        var firstStart: UInt64 = .max
        var lastEnd: UInt64 = 0
        var itemLatency = LatencyHistogram()
        var nodes: [NodeState] = []
        var nodeIndex: [String: Int] = [:]
    }

    private var open = SpanTable<OpenSpan>()
    private var items = SpanTable<OpenItem>()
    /// The group of every open map span.
    private var openMaps = SpanTable<Int>()
    private var groups: [MapGroup] = []
    private var groupIndex: [[String]: Int] = [:]
    private var lastTimestamp: UInt64 = 0
    /// Map item spans started.
    private(set) var itemsStarted = 0

    /// Takes the next event of the run into account.
    mutating func add(_ event: PipelineEvent) {
        lastTimestamp = Swift.max(lastTimestamp, event.timestamp)
        let kind = event.kind
        let id = event.spanID
        if kind.opensSpan {
            let item = kind == .mapItemStart ? id : enclosingItem(of: event.parentSpanID)
            open[id] = OpenSpan(parent: event.parentSpanID, name: event.name, item: item)
            switch kind {
            case .mapStart: startMap(event)
            case .mapItemStart:
                if let parent = event.parentSpanID, let group = openMaps[parent] {
                    items[id] = OpenItem(group: group, start: event.timestamp)
                    groups[group].started += 1
                    itemsStarted += 1
                }
            case .nodeStart:
                if let item { items[item]?.ranNode = true }
            default: break
            }
            return
        }
        if kind.closesSpan {
            defer {
                // The run's outermost span closed: nothing is open any more, so the
                // tables of open spans give their memory back.
                if event.parentSpanID == nil { releaseOpenSpans() }
            }
            let span = open.remove(id)
            switch kind {
            case .nodeEnd:
                guard let item = span?.item ?? enclosingItem(of: event.parentSpanID), let state = items[item] else {
                    return
                }
                let duration = event.duration ?? 0
                recordNode(event.name, group: state.group, failed: event.status == .error, cached: false) {
                    $0.record(duration)
                }
            case .mapItemEnd:
                guard let state = items.remove(id) else { return }
                let group = state.group
                groups[group].done += 1
                if event.status == .error || event.status == .cancelled {
                    groups[group].failed += 1
                } else if event.status == .cached || (state.cacheHit && !state.ranNode && event.status == .ok) {
                    groups[group].cached += 1
                }
                let start = Swift.min(state.start, event.timestamp)
                groups[group].itemLatency.record(event.duration ?? (event.timestamp - start))
            case .mapEnd:
                guard let group = openMaps.remove(id) else { return }
                groups[group].open -= 1
                groups[group].lastEnd = Swift.max(groups[group].lastEnd, event.timestamp)
            default: break
            }
            return
        }
        switch kind {
        case .nodeCached:
            guard let item = enclosingItem(of: event.parentSpanID), let state = items[item] else { return }
            items[item]?.cacheHit = true
            recordNode(event.name, group: state.group, failed: false, cached: true) { _ in }
        case .mapItemCached:
            if items[id] != nil { items[id]?.cacheHit = true }
        default: break
        }
    }

    /// Empty tables every finished run shares (copy on write), so that a finished run holds none of its own.
    private static let noOpenSpans = SpanTable<OpenSpan>(capacity: 0)
    private static let noOpenItems = SpanTable<OpenItem>(capacity: 0)
    private static let noOpenMaps = SpanTable<Int>(capacity: 0)

    private mutating func releaseOpenSpans() {
        open = Self.noOpenSpans
        items = Self.noOpenItems
        openMaps = Self.noOpenMaps
    }

    /// The nearest map item enclosing a span whose parent is `parent`.
    private func enclosingItem(of parent: SpanID?) -> SpanID? {
        guard let parent else { return nil }
        if items[parent] != nil { return parent }
        return open[parent]?.item
    }

    private mutating func startMap(_ event: PipelineEvent) {
        var path = [event.name]
        var parent = event.parentSpanID
        while let id = parent, let span = open[id] {
            path.append(span.name)
            parent = span.parent
        }
        path.reverse()
        let group: Int
        if let known = groupIndex[path] {
            group = known
        } else {
            group = groups.count
            groups.append(MapGroup(name: event.name, path: path))
            groupIndex[path] = group
        }
        openMaps[event.spanID] = group
        groups[group].instances += 1
        groups[group].open += 1
        groups[group].items += event.itemCount ?? 0
        groups[group].firstStart = Swift.min(groups[group].firstStart, event.timestamp)
    }

    private mutating func recordNode(
        _ name: String, group: Int, failed: Bool, cached: Bool, latency: (inout LatencyHistogram) -> Void
    ) {
        let index: Int
        if let known = groups[group].nodeIndex[name] {
            index = known
        } else {
            index = groups[group].nodes.count
            groups[group].nodes.append(NodeState(name: name))
            groups[group].nodeIndex[name] = index
        }
        groups[group].nodes[index].count += 1
        if failed { groups[group].nodes[index].failures += 1 }
        if cached { groups[group].nodes[index].cacheHits += 1 }
        latency(&groups[group].nodes[index].latency)
    }

    /// The maps so far, in the order they first started.
    var collectedMaps: [CollectedMap] {
        groups.map { group in
            let end = group.open > 0 ? Swift.max(group.lastEnd, lastTimestamp) : group.lastEnd
            let duration = group.firstStart == .max || end < group.firstStart ? 0 : end - group.firstStart
            return CollectedMap(
                name: group.name, path: group.path, instances: group.instances,
                items: Swift.max(group.items, group.started), done: group.done, failed: group.failed,
                cached: group.cached, inFlight: group.started - group.done,
                duration: duration, itemLatency: group.itemLatency.latency,
                nodes: group.nodes.map {
                    CollectedNode(
                        name: $0.name, count: $0.count, failures: $0.failures, cacheHits: $0.cacheHits,
                        latency: $0.latency.latency)
                })
        }
    }
}
