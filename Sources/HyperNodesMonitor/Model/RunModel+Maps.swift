import HyperNodes
import HyperNodesTrace

extension RunModel {
    /// Five seconds, the window of ``rate(of:at:)``.
    static let rateWindow: UInt64 = 5_000_000_000

    /// The map's track, when `map` is a map span.
    func track(_ map: Int) -> MapTrack? {
        guard let index = mapIndex[Int32(truncatingIfNeeded: map)] else { return nil }
        return maps[Int(index)]
    }

    /// The indices of every map span, in the order they started.
    public var mapSpans: [Int] { maps.map { Int($0.span) } }

    /// The map's items at `t`: from its item spans, or from its last progress tick at or before `t`
    /// when the trace has no item spans for it (recorded with `itemSpans: false`). A map that ended
    /// by `t` has nothing in flight.
    public func mapCounts(of map: Int, at t: UInt64) -> MapCounts {
        guard let track = track(map) else {
            return MapCounts(total: nil, started: 0, done: 0, failed: 0, cached: 0, inFlight: 0)
        }
        let mapEnded = ends[map] <= t
        if track.usesTicks {
            guard let tick = track.tick(at: t) else {
                return MapCounts(total: track.itemCount, started: 0, done: 0, failed: 0, cached: 0, inFlight: 0)
            }
            let inFlight = mapEnded ? 0 : tick.inFlight
            return MapCounts(
                total: track.itemCount ?? tick.total, started: tick.done + inFlight, done: tick.done,
                failed: tick.failed, cached: tick.cached, inFlight: inFlight)
        }
        var started = track.started(at: t)
        var done = track.done(at: t)
        var failed = track.failed(at: t)
        var cached = track.cached(at: t)
        let tick = track.tick(at: t)
        // A monitor that attached late may have received only the most recent finished items of a
        // large map (the live server keeps a bounded number): the items it never saw are those the
        // latest progress tick counts beyond the item spans known at the tick's time.
        if let tick {
            let missingDone = max(0, tick.done - track.done(at: tick.time))
            let missingStarted = max(0, tick.done + tick.inFlight - track.started(at: tick.time))
            done += missingDone
            started += max(missingStarted, missingDone)
            failed += max(0, tick.failed - track.failed(at: tick.time))
            cached += max(0, tick.cached - track.cached(at: tick.time))
        }
        var total = track.itemCount ?? tick?.total
        if let known = total, known < started { total = started }
        return MapCounts(
            total: total, started: started, done: done, failed: min(failed, done), cached: min(cached, done),
            inFlight: max(0, started - done))
    }

    /// Items finished per second over the five seconds before `t` (or before the map's end, when it
    /// ended by `t`); over the whole map when it ran for less.
    public func rate(of map: Int, at t: UInt64) -> Double {
        guard let track = track(map), starts[map] <= t else { return 0 }
        let to = end(of: map, at: t)
        let from = max(starts[map], to.saturatingSubtract(Self.rateWindow))
        guard to > from else { return 0 }
        let finished = track.doneCount(at: to) - track.doneCount(at: from)
        return Double(max(0, finished)) * 1e9 / Double(to - from)
    }

    /// Nanoseconds until the map is expected to finish at the current ``rate(of:at:)``; `nil` when
    /// the total is unknown, nothing finished recently, or the map is done by `t`.
    public func eta(of map: Int, at t: UInt64) -> UInt64? {
        guard track(map) != nil, starts[map] <= t, ends[map] > t else { return nil }
        let counts = mapCounts(of: map, at: t)
        guard let total = counts.total, counts.done < total else { return nil }
        let rate = rate(of: map, at: t)
        guard rate > 0 else { return nil }
        let seconds = Double(total - counts.done) / rate
        return seconds >= 1.8e10 ? .max : UInt64(seconds * 1e9)
    }

    /// The number of items finished in each of `buckets` equal parts of `[from, to)`.
    public func completions(of map: Int, from: UInt64, to: UInt64, buckets: Int) -> [Int] {
        guard buckets > 0 else { return [] }
        guard let track = track(map), to > from else { return [Int](repeating: 0, count: buckets) }
        let edges = Self.edges(from: from, to: to, buckets: buckets)
        var result: [Int] = []
        result.reserveCapacity(buckets)
        var previous = track.doneBefore(edges[0])
        for bucket in 0..<buckets {
            let next = track.doneBefore(edges[bucket + 1])
            result.append(max(0, next - previous))
            previous = next
        }
        return result
    }

    /// The number of items that failed in each of `buckets` equal parts of `[from, to]`, by the time
    /// they ended, counting those that ended by `t` (the last part includes `to`). Without item spans
    /// (a trace recorded with `itemSpans: false`) the failures have no times and every part is 0.
    public func failures(of map: Int, from: UInt64, to: UInt64, buckets: Int, at t: UInt64) -> [Int] {
        guard buckets > 0 else { return [] }
        guard let track = track(map), to > from else { return [Int](repeating: 0, count: buckets) }
        let edges = Self.edges(from: from, to: to, buckets: buckets)
        func failed(before x: UInt64) -> Int { x > t ? track.failed(at: t) : track.failedBefore(x) }
        var result: [Int] = []
        result.reserveCapacity(buckets)
        var previous = failed(before: edges[0])
        for bucket in 0..<buckets {
            let edge = edges[bucket + 1]
            let next = bucket == buckets - 1 ? track.failed(at: min(edge, t)) : failed(before: edge)
            result.append(max(0, next - previous))
            previous = next
        }
        return result
    }

    /// The mean number of items in flight in each of `buckets` equal parts of `[from, to)`, as known
    /// at `t` (items running at `t` count as running until `t`; nothing is in flight after `t`).
    /// Without item spans, the progress tick in force at each bucket's end.
    public func concurrency(of map: Int, from: UInt64, to: UInt64, buckets: Int, at t: UInt64) -> [Double] {
        guard buckets > 0 else { return [] }
        guard let track = track(map), to > from else { return [Double](repeating: 0, count: buckets) }
        let edges = Self.edges(from: from, to: to, buckets: buckets)
        var result: [Double] = []
        result.reserveCapacity(buckets)
        if track.usesTicks {
            for bucket in 0..<buckets {
                let at = min(edges[bucket + 1], t)
                let value = edges[bucket] > t ? 0 : (track.tick(at: at)?.inFlight ?? 0)
                result.append(Double(value))
            }
            return result
        }
        var previous = track.inFlightIntegral(to: min(edges[0], t))
        for bucket in 0..<buckets {
            let next = track.inFlightIntegral(to: min(edges[bucket + 1], t))
            let width = edges[bucket + 1] - edges[bucket]
            result.append(width > 0 ? Double(next &- previous) / Double(width) : 0)
            previous = next
        }
        return result
    }

    /// `buckets + 1` edges splitting `[from, to)` evenly.
    static func edges(from: UInt64, to: UInt64, buckets: Int) -> [UInt64] {
        let span = Double(to - from)
        var edges = (0...buckets).map { from + UInt64(span * Double($0) / Double(buckets)) }
        edges[buckets] = to
        for index in 1...buckets where edges[index] < edges[index - 1] { edges[index] = edges[index - 1] }
        return edges
    }

    /// Latency of each node executed inside the map's items (nodes whose nearest enclosing map item
    /// belongs to this map), over executions finished by `t`, in the order the nodes first finished.
    /// Cache hits are not executions and are left out. Percentiles are within about 3 % (see
    /// ``NodeLatency``).
    public func latency(of map: Int, at t: UInt64) -> [NodeLatency] {
        guard let track = track(map) else { return [] }
        return track.latencyOrder.compactMap { id in
            track.latency[id]?.latency(name: names[Int(id)], at: t)
        }
    }

    /// The worker lanes the map's items ran on, ascending.
    public func lanes(of map: Int) -> [Int] {
        guard let track = track(map) else { return [] }
        return track.lanes.keys.sorted()
    }

    /// The map's items on `lane` that overlap `[from, to)` and started by `t`, in start order.
    /// Items on one lane never overlap, so this is two binary searches and the items returned.
    public func items(of map: Int, lane: Int, from: UInt64, to: UInt64, at t: UInt64) -> [Int] {
        guard let track = track(map), let items = track.lanes[lane] else { return [] }
        let limit = min(to, t == .max ? .max : t + 1)
        let upper = IntervalUnion.partition(items.starts) { $0 < limit }
        // First item whose end reaches `from` (ends follow starts on a lane).
        var low = 0
        var high = upper
        while low < high {
            let middle = (low + high) / 2
            if ends[Int(items.items[middle])] < from { low = middle + 1 } else { high = middle }
        }
        return items.items[low..<upper].map(Int.init)
    }

    /// The lane's activity in each of `buckets` equal parts of `[from, to)`, as known at `t` (an
    /// item running at `t` counts as running until `t`; nothing happens after `t`). Costs a few
    /// binary searches per bucket however many items the window holds: use it where items are
    /// denser than the cells, and ``items(of:lane:from:to:at:)`` where they are not.
    public func laneActivity(
        of map: Int, lane: Int, from: UInt64, to: UInt64, buckets: Int, at t: UInt64
    ) -> [LaneCell] {
        guard buckets > 0 else { return [] }
        let empty = LaneCell(busy: 0, items: 0, failed: 0, cached: 0, running: false)
        guard let track = track(map), let items = track.lanes[lane], to > from else {
            return [LaneCell](repeating: empty, count: buckets)
        }
        let edges = Self.edges(from: from, to: to, buckets: buckets)
        let limit = t == .max ? UInt64.max : t + 1
        let startedByT = LatencyTrack.countAtOrBelow(t, in: items.starts)
        var running: (start: UInt64, item: Int)?
        if startedByT > 0 {
            let item = Int(items.items[startedByT - 1])
            if ends[item] > t { running = (starts[item], item) }
        }
        /// Busy time of the lane before `x` (at most `t`).
        func busyBefore(_ x: UInt64) -> UInt64 {
            let x = min(x, t)
            let count = IntervalUnion.partition(items.starts) { $0 < x }
            guard count > 0 else { return 0 }
            let last = Int(items.items[count - 1])
            let earlier = count >= 2 ? items.busySums[count - 2] : 0
            let lastEnd = min(ends[last], x)
            return earlier &+ (lastEnd > starts[last] ? lastEnd - starts[last] : 0)
        }
        var cells: [LaneCell] = []
        cells.reserveCapacity(buckets)
        var busyBelow = busyBefore(edges[0])
        for bucket in 0..<buckets {
            let a = edges[bucket]
            let b = edges[bucket + 1]
            let busyAbove = busyBefore(b)
            let width = b - a
            let busy = width > 0 ? min(1, Double(busyAbove &- busyBelow) / Double(width)) : 0
            busyBelow = busyAbove
            guard a <= t else {
                cells.append(empty)
                continue
            }
            let high = IntervalUnion.partition(items.starts) { $0 < min(b, limit) }
            var low = 0
            var top = high
            while low < top {
                let middle = (low + top) / 2
                if min(ends[Int(items.items[middle])], t) <= a { low = middle + 1 } else { top = middle }
            }
            let upper = min(b, limit)
            let failed =
                IntervalUnion.partition(items.failedEnds) { $0 < upper }
                - IntervalUnion.partition(items.failedEnds) { $0 < a }
            let cached =
                IntervalUnion.partition(items.cachedEnds) { $0 < upper }
                - IntervalUnion.partition(items.cachedEnds) { $0 < a }
            let isRunning = running.map { $0.start < b && t >= a } ?? false
            cells.append(
                LaneCell(
                    busy: busy, items: high - low, failed: max(0, failed), cached: max(0, cached), running: isRunning))
        }
        return cells
    }

    /// The map with the most items in flight at `t`; when none has any, the map that started last
    /// by `t`; `nil` when no map started by `t`. Blocks of maps that all ended by `t` are skipped,
    /// so a run with many small finished maps (a map inside every item of another) stays cheap.
    public func busiestMap(at t: UInt64) -> Int? {
        var best: Int?
        var bestInFlight = 0
        var latest: Int?
        for block in mapBlockMaxEnd.indices.reversed() where mapBlockMinStart[block] <= t {
            let range = (block * Self.mapBlockSize)..<min((block + 1) * Self.mapBlockSize, maps.count)
            let running = mapBlockMaxEnd[block] > t
            guard running || latest == nil else { continue }
            for position in range {
                let map = Int(maps[position].span)
                guard starts[map] <= t else { continue }
                if latest == nil || starts[map] > starts[latest!] { latest = map }
                guard running, ends[map] > t else { continue }
                let inFlight = mapCounts(of: map, at: t).inFlight
                if inFlight > bestInFlight || (inFlight == bestInFlight && inFlight > 0 && starts[map] > starts[best!])
                {
                    best = map
                    bestInFlight = inFlight
                }
            }
        }
        return best ?? latest
    }
}
