/// What the model keeps about one map's items, apart from its other children: starts and ends in
/// sorted arrays with running sums, items by lane, outcomes, per-node latency and progress ticks.
/// Every "as of t" question about the map is a few binary searches here.
struct MapTrack: Sendable {
    /// A progress tick, on the model's timeline.
    struct Tick: Sendable {
        var time: UInt64
        var total: Int
        var done: Int
        var failed: Int
        var cached: Int
        var inFlight: Int
    }

    /// The map's span.
    let span: Int32
    /// The number of items, when the map's events said.
    var itemCount: Int?

    /// Item spans in start order, their starts and the running sums of their starts (wrapping).
    private(set) var items: [Int32] = []
    private(set) var itemStarts: [UInt64] = []
    private var startSums: [UInt64] = []
    /// Finished item spans in end order, their ends and the running sums of their ends (wrapping).
    private(set) var ended: [Int32] = []
    private(set) var endTimes: [UInt64] = []
    private var endSums: [UInt64] = []
    /// End times of failed and of cached items, ascending.
    private var failedEnds: [UInt64] = []
    private var cachedEnds: [UInt64] = []
    /// The items of one lane in start order (they never overlap), with their starts, the running
    /// sums of finished items' durations, and the end times of failed and cached items.
    struct Lane: Sendable {
        private(set) var items: [Int32] = []
        private(set) var starts: [UInt64] = []
        /// `busySums[i]` is the total duration of the finished items among `items[0...i]` (wrapping).
        private(set) var busySums: [UInt64] = []
        private(set) var failedEnds: [UInt64] = []
        private(set) var cachedEnds: [UInt64] = []

        mutating func insert(_ item: Int32, start: UInt64) {
            var position = items.count
            while position > 0 && starts[position - 1] > start { position -= 1 }
            items.insert(item, at: position)
            starts.insert(start, at: position)
            busySums.insert(position > 0 ? busySums[position - 1] : 0, at: position)
        }

        mutating func finish(_ item: Int32, duration: UInt64, end: UInt64, failed: Bool, cached: Bool) {
            guard let position = items.lastIndex(of: item) else { return }
            for index in position..<items.count { busySums[index] &+= duration }
            if failed { MapTrack.insertSorted(end, into: &failedEnds) }
            if cached { MapTrack.insertSorted(end, into: &cachedEnds) }
        }
    }

    /// Items by lane.
    private(set) var lanes: [Int: Lane] = [:]
    /// Items started and not finished.
    private(set) var openItems: [Int32] = []
    /// The union of finished items' intervals.
    private(set) var union = IntervalUnion()
    /// Latency of nodes inside the items, by name id, and the name ids in first-seen order.
    private(set) var latency: [UInt32: LatencyTrack] = [:]
    private(set) var latencyOrder: [UInt32] = []
    /// Progress ticks in time order.
    private(set) var ticks: [Tick] = []

    init(span: Int32, itemCount: Int?) {
        self.span = span
        self.itemCount = itemCount
    }

    /// Whether counts come from progress ticks (the trace has no item spans of this map).
    var usesTicks: Bool { items.isEmpty && !ticks.isEmpty }

    mutating func addItem(_ item: Int32, start: UInt64, lane: Int) {
        var position = items.count
        while position > 0 && itemStarts[position - 1] > start { position -= 1 }
        items.insert(item, at: position)
        itemStarts.insert(start, at: position)
        startSums.insert(0, at: position)
        for index in position..<items.count {
            startSums[index] = (index > 0 ? startSums[index - 1] : 0) &+ itemStarts[index]
        }
        openItems.append(item)
        lanes[lane, default: Lane()].insert(item, start: start)
    }

    mutating func finishItem(_ item: Int32, lane: Int, start: UInt64, end: UInt64, failed: Bool, cached: Bool) {
        lanes[lane]?.finish(item, duration: end - start, end: end, failed: failed, cached: cached)
        if let position = openItems.lastIndex(of: item) { openItems.remove(at: position) }
        var position = ended.count
        while position > 0 && endTimes[position - 1] > end { position -= 1 }
        ended.insert(item, at: position)
        endTimes.insert(end, at: position)
        endSums.insert(0, at: position)
        for index in position..<ended.count {
            endSums[index] = (index > 0 ? endSums[index - 1] : 0) &+ endTimes[index]
        }
        if failed { Self.insertSorted(end, into: &failedEnds) }
        if cached { Self.insertSorted(end, into: &cachedEnds) }
        union.insert(start, end)
    }

    mutating func addLatency(name: UInt32, end: UInt64, duration: UInt64) {
        if latency[name] == nil { latencyOrder.append(name) }
        latency[name, default: LatencyTrack()].insert(end: end, duration: duration)
    }

    mutating func addTick(_ tick: Tick) {
        var position = ticks.count
        while position > 0 && ticks[position - 1].time > tick.time { position -= 1 }
        ticks.insert(tick, at: position)
    }

    static func insertSorted(_ value: UInt64, into values: inout [UInt64]) {
        var position = values.count
        while position > 0 && values[position - 1] > value { position -= 1 }
        values.insert(value, at: position)
    }

    // MARK: Queries

    /// Items started at or before `t`.
    func started(at t: UInt64) -> Int { LatencyTrack.countAtOrBelow(t, in: itemStarts) }
    /// Items finished at or before `t`.
    func done(at t: UInt64) -> Int { LatencyTrack.countAtOrBelow(t, in: endTimes) }
    /// Failed items finished at or before `t`.
    func failed(at t: UInt64) -> Int { LatencyTrack.countAtOrBelow(t, in: failedEnds) }
    /// Failed items finished strictly before `t`.
    func failedBefore(_ t: UInt64) -> Int { IntervalUnion.partition(failedEnds) { $0 < t } }
    /// Cached items finished at or before `t`.
    func cached(at t: UInt64) -> Int { LatencyTrack.countAtOrBelow(t, in: cachedEnds) }

    /// The last tick at or before `t`.
    func tick(at t: UInt64) -> Tick? {
        var low = 0
        var high = ticks.count
        while low < high {
            let middle = (low + high) / 2
            if ticks[middle].time <= t { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? ticks[low - 1] : nil
    }

    /// Items finished at or before `t`, from the items or, without them, from the ticks.
    func doneCount(at t: UInt64) -> Int {
        usesTicks ? (tick(at: t)?.done ?? 0) : done(at: t)
    }

    /// Items finished strictly before `t`.
    func doneBefore(_ t: UInt64) -> Int {
        if usesTicks { return t == 0 ? 0 : (tick(at: t - 1)?.done ?? 0) }
        return IntervalUnion.partition(endTimes) { $0 < t }
    }

    /// The integral of the number of items in flight over time, up to `x` (wrapping arithmetic;
    /// differences of two values are exact). Only valid for `x` at or before the instant asked about.
    func inFlightIntegral(to x: UInt64) -> UInt64 {
        let startCount = IntervalUnion.partition(itemStarts) { $0 < x }
        let endCount = IntervalUnion.partition(endTimes) { $0 < x }
        let startSum = startCount > 0 ? startSums[startCount - 1] : 0
        let endSum = endCount > 0 ? endSums[endCount - 1] : 0
        return (x &* UInt64(startCount)) &- startSum &- (x &* UInt64(endCount)) &+ endSum
    }
}
