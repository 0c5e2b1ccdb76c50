import HyperNodes
import HyperNodesTrace

extension RunModel {
    /// The span at `index` (`0..<spanCount`), built from the model's columns.
    ///
    /// ``MonitorSpan/end`` is `nil` and ``MonitorSpan/status`` is `running` while the span is open;
    /// for a map item, ``MonitorSpan/isCached`` is set when every node below it was served from the
    /// cache.
    public func span(_ index: Int) -> MonitorSpan {
        let key = Int32(truncatingIfNeeded: index)
        let parent = parents[index]
        let item = itemIndices[index]
        let side = flags[index] & Flag.sideData != 0
        return MonitorSpan(
            index: index, id: SpanID(rawValue: spanIDs[index]), run: Int(runIndices[index]),
            parent: parent >= 0 ? Int(parent) : nil, kind: Self.kind(kinds[index]), name: names[Int(nameIDs[index])],
            start: starts[index], end: ends[index] == .max ? nil : ends[index],
            status: SpanStatus(rawValue: statuses[index]) ?? .running, isCached: flags[index] & Flag.cached != 0,
            lane: Int(laneColumn[index]), depth: Int(depths[index]), itemIndex: item == .min ? nil : Int(item),
            itemCount: side ? itemCountTable[key] : nil, attributes: side ? attributeTable[key] ?? [:] : [:],
            error: side ? errorTable[key] : nil, cacheHits: side ? Int(cacheHitTable[key] ?? 0) : 0)
    }

    /// The span's name, without building the whole span.
    public func name(of index: Int) -> String { names[Int(nameIDs[index])] }

    /// The span's kind, without building the whole span.
    public func kind(of index: Int) -> SpanKind { Self.kind(kinds[index]) }

    /// The span's start on the model's timeline, without building the whole span.
    public func start(of index: Int) -> UInt64 { starts[index] }

    /// The span's parent, without building the whole span.
    public func parent(of index: Int) -> Int? { parents[index] >= 0 ? Int(parents[index]) : nil }

    /// The top-level spans of every run that started by `t`, in start order.
    public func roots(at t: UInt64) -> [Int] {
        var low = 0
        var high = rootList.count
        while low < high {
            let middle = (low + high) / 2
            if starts[Int(rootList[middle])] <= t { low = middle + 1 } else { high = middle }
        }
        return rootList[0..<low].map(Int.init)
    }

    /// The children of `index` that started by `t`, in start order. For a map these are its other
    /// children, not its items (ask ``items(of:lane:from:to:at:)`` or the map queries); for a map
    /// item, the spans inside it.
    public func children(of index: Int, at t: UInt64) -> [Int] {
        guard index >= 0 && index < spanCount else { return [] }
        var result: [Int] = []
        var child = firstChild[index]
        var sorted = true
        while child >= 0 {
            let c = Int(child)
            if starts[c] <= t {
                if let last = result.last, starts[last] > starts[c] { sorted = false }
                result.append(c)
            }
            child = nextSibling[c]
        }
        if !sorted {
            result.sort { starts[$0] != starts[$1] ? starts[$0] < starts[$1] : $0 < $1 }
        }
        return result
    }

    /// Where the span stands at `t`.
    public func phase(of index: Int, at t: UInt64) -> SpanPhase {
        if starts[index] > t { return .notStarted }
        if ends[index] > t {
            // Past the last record of a source that has ended, an open span never ends.
            return sourceEnded && ends[index] == .max && t >= latestTime ? .unfinished : .running
        }
        return .finished(SpanStatus(rawValue: statuses[index]) ?? .ok, cached: flags[index] & Flag.cached != 0)
    }

    /// The span's end as seen at `t`: its end when it ended by `t`, else `t` (a running span grows
    /// with `t`, and a span that never ends keeps growing). For a span not started by `t`, its start.
    public func end(of index: Int, at t: UInt64) -> UInt64 {
        if starts[index] > t { return starts[index] }
        return min(ends[index], t)
    }

    /// The span's duration as seen at `t`.
    public func duration(of index: Int, at t: UInt64) -> UInt64 {
        end(of: index, at: t) - min(starts[index], end(of: index, at: t))
    }

    /// The span's duration at `t` minus the time covered by its children (map items included),
    /// clipped to the span.
    public func selfTime(of index: Int, at t: UInt64) -> UInt64 {
        let start = starts[index]
        let end = end(of: index, at: t)
        guard end > start else { return 0 }
        var intervals: [(UInt64, UInt64)] = []
        var child = firstChild[index]
        while child >= 0 {
            let c = Int(child)
            if starts[c] <= t {
                let from = max(starts[c], start)
                let to = min(self.end(of: c, at: t), end)
                if to > from { intervals.append((from, to)) }
            }
            child = nextSibling[c]
        }
        var covered: UInt64 = 0
        if let map = mapIndex[Int32(index)] {
            let track = maps[Int(map)]
            if intervals.isEmpty {
                covered = itemCoverage(track, from: start, to: end, at: t)
            } else {
                // Rare: a map with other children. Merge everything.
                for item in track.items {
                    let i = Int(item)
                    guard starts[i] <= t else { continue }
                    let from = max(starts[i], start)
                    let to = min(self.end(of: i, at: t), end)
                    if to > from { intervals.append((from, to)) }
                }
                covered = Self.unionLength(intervals)
            }
        } else {
            covered = Self.unionLength(intervals)
        }
        return (end - start) - min(covered, end - start)
    }

    /// The time the map's items cover within `[from, to)`, as seen at `t` (`to` ≤ `t`).
    func itemCoverage(_ track: MapTrack, from: UInt64, to: UInt64, at t: UInt64) -> UInt64 {
        var openStart = UInt64.max
        for item in track.openItems where starts[Int(item)] <= t {
            openStart = min(openStart, starts[Int(item)])
        }
        let boundary = max(from, min(openStart, to))
        return track.union.measure(from: from, to: boundary) + (to - boundary)
    }

    static func unionLength(_ intervals: [(UInt64, UInt64)]) -> UInt64 {
        let sorted = intervals.sorted { $0.0 < $1.0 }
        var covered: UInt64 = 0
        var reach: UInt64 = 0
        for (from, to) in sorted {
            let start = max(from, reach)
            if to > start {
                covered += to - start
                reach = to
            }
        }
        return covered
    }

    /// The node names of the graph of the pipeline that `index` runs (a pipeline, nested pipeline or
    /// map item span) that have not started inside it by `t`, in the graph's order. Empty for nodes,
    /// maps and runs without a graph.
    public func pendingNodes(of index: Int, at t: UInt64) -> [String] {
        let kind = Self.kind(kinds[index])
        guard kind == .pipeline || kind == .nestedPipeline || kind == .mapItem else { return [] }
        guard let graph = runStates[Int(runIndices[index])].graph else { return [] }
        let name = names[Int(nameIDs[index])]
        guard let description = graph.pipelines.first(where: { $0.name == name }) else { return [] }
        let children = children(of: index, at: t)
        if kind != .pipeline {
            // A nested pipeline or map item runs its pipeline in a pipeline span of its own.
            if let inner = children.first(where: { Self.kind(kinds[$0]) == .pipeline }) {
                return pendingNodes(of: inner, at: t)
            }
        }
        var started = Set<UInt32>()
        for child in children { started.insert(nameIDs[child]) }
        return description.nodes.map(\.name).filter { node in
            guard let id = nameTable[node] else { return true }
            return !started.contains(id)
        }
    }

    /// The names from the top-level span down to `index`.
    public func path(of index: Int) -> [String] {
        var result: [String] = []
        var current = Int32(index)
        var guardCount = 0
        while current >= 0 && guardCount <= Int(UInt16.max) + 1 {
            result.append(names[Int(nameIDs[Int(current)])])
            current = parents[Int(current)]
            guardCount += 1
        }
        return result.reversed()
    }

    /// The spans on the critical path below `root` at `t`: from the root's end, the child (map
    /// items included) that ends last at or before the current point, then recursively inside it,
    /// then the child ending last before that child started, and so on. `root` itself is not
    /// included. Running spans end at `t`.
    public func criticalPath(of root: Int, at t: UInt64) -> Set<Int> {
        var result = Set<Int>()
        guard root >= 0 && root < spanCount && starts[root] <= t else { return result }
        var path: [Int32] = []
        walkCriticalPath(root, at: t, insideItems: true, into: &path)
        result.reserveCapacity(path.count)
        for index in path { result.insert(Int(index)) }
        return result
    }

    /// The same spans as ``criticalPath(of:at:)``, as a ``SpanMask``: for a run with a large map
    /// the path holds a share of all its items, and a mask is several times cheaper to build and to
    /// ask than a `Set`.
    ///
    /// With `insideItems: false` the walk does not enter map items: the items on the path are in
    /// the mask, the spans inside them are not (ask ``criticalPath(of:at:)`` of an item that is
    /// shown opened). For a map of many small items this is several times cheaper.
    public func criticalPathMask(of root: Int, at t: UInt64, insideItems: Bool = true) -> SpanMask {
        var mask = SpanMask(capacity: spanCount)
        guard root >= 0 && root < spanCount && starts[root] <= t else { return mask }
        var path: [Int32] = []
        walkCriticalPath(root, at: t, insideItems: insideItems, into: &path)
        for index in path { mask.insert(Int(index)) }
        return mask
    }

    /// Appends the critical path below `span` to `path`.
    private func walkCriticalPath(_ span: Int, at t: UInt64, insideItems: Bool, into path: inout [Int32]) {
        var cursor = end(of: span, at: t)
        let floor = starts[span]
        let map: Int? = kinds[span] == Self.code(.map) ? mapIndex[Int32(span)].map { Int($0) } : nil
        var hint = map.map { maps[$0].endTimes.count } ?? 0
        while cursor > floor {
            var best = -1
            var bestEnd: UInt64 = 0
            var child = firstChild[span]
            while child >= 0 {
                let c = Int(child)
                child = nextSibling[c]
                guard starts[c] <= t && starts[c] < cursor else { continue }
                let end = min(ends[c], t)
                guard end <= cursor else { continue }
                if best < 0 || end > bestEnd || (end == bestEnd && starts[c] < starts[best]) {
                    best = c
                    bestEnd = end
                }
            }
            if let map {
                if cursor >= t {
                    for lane in maps[map].lanes.values {
                        let count = LatencyTrack.countAtOrBelow(t, in: lane.starts)
                        guard count > 0 else { continue }
                        let c = Int(lane.items[count - 1])
                        guard starts[c] < cursor else { continue }
                        let end = min(ends[c], t)
                        if best < 0 || end > bestEnd || (end == bestEnd && starts[c] < starts[best]) {
                            best = c
                            bestEnd = end
                        }
                    }
                }
                let endTimes = maps[map].endTimes
                // The cursor only moves back: search back from where the last step found its item.
                var position = Self.countAtOrBelow(min(cursor, t), in: endTimes, atMost: hint)
                hint = position
                while position > 0 {
                    let c = Int(maps[map].ended[position - 1])
                    if starts[c] < cursor {
                        let end = endTimes[position - 1]
                        if best < 0 || end > bestEnd || (end == bestEnd && starts[c] < starts[best]) {
                            best = c
                            bestEnd = end
                        }
                        break
                    }
                    position -= 1
                }
            }
            guard best >= 0 else { break }
            path.append(Int32(best))
            if insideItems || kinds[best] != Self.code(.mapItem) {
                walkCriticalPath(best, at: t, insideItems: insideItems, into: &path)
            }
            cursor = starts[best]
        }
    }

    /// The number of values in ascending `values` that are at most `x`, knowing that it is at most
    /// `bound`: an exponential search back from `bound`, cheap when the answer is close to it.
    static func countAtOrBelow(_ x: UInt64, in values: [UInt64], atMost bound: Int) -> Int {
        var high = min(bound, values.count)
        guard high > 0, values[high - 1] > x else { return high }
        // values[high - 1] > x: find the first index with a value above x.
        var step = 1
        var above = high - 1
        while above - step >= 0 && values[above - step] > x {
            above -= step
            step *= 2
        }
        var low = max(0, above - step)
        high = above
        while low < high {
            let middle = (low + high) / 2
            if values[middle] <= x { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The spans other than map items whose name contains `query` (case-insensitive), in tree
    /// order (parents before children, siblings in start order), including spans inside map items.
    public func search(_ query: String) -> [Int] {
        let needle = query.lowercased()
        guard !needle.isEmpty else { return [] }
        var matching = [Bool](repeating: false, count: names.count)
        var any = false
        for (id, name) in names.enumerated() where name.lowercased().contains(needle) {
            matching[id] = true
            any = true
        }
        guard any else { return [] }
        var result: [Int] = []
        var stack: [Int] = rootList.reversed().map(Int.init)
        let itemCode = Self.code(.mapItem)
        while let index = stack.popLast() {
            if kinds[index] != itemCode && matching[Int(nameIDs[index])] { result.append(index) }
            var children = self.children(of: index, at: .max)
            if let map = mapIndex[Int32(index)] {
                children.append(contentsOf: maps[Int(map)].items.map(Int.init))
                children.sort { starts[$0] != starts[$1] ? starts[$0] < starts[$1] : $0 < $1 }
            }
            stack.append(contentsOf: children.reversed())
        }
        return result
    }
}
