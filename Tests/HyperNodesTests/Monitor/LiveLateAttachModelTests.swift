import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace
import Testing

/// A monitor that attaches late receives only the most recent finished items of a large map (the
/// live server keeps a bounded number of them) and the map's latest progress tick: the map's counts
/// must still be the whole map's.
@Suite("Live late attach: map counts")
struct LiveLateAttachModelTests {
    let script = ModelScript()
    /// Map 2 under pipeline 1: 10 items, 2 at a time, 10 ns each; item k runs from (k / 2) * 10.
    static let mapID: UInt64 = 2
    /// The instant the monitor attached: items 0-5 have ended, 6 and 7 are running.
    static let attachedAt: UInt64 = 30

    var wholeRun: [TraceRecord] {
        [script.header(), script.start(.pipelineStart, 1, parent: nil, "main", at: 0)]
            + script.map(Self.mapID, parent: 1, from: 0, items: 10, lanes: 2, duration: 10)
            + [script.end(.pipelineEnd, 1, parent: nil, "main", at: 50), script.runEnd(at: 50)]
    }

    /// The tick the map had emitted by the time the monitor attached.
    var tickAtAttach: TraceRecord {
        script.progress(map: Self.mapID, at: Self.attachedAt, total: 10, done: 6, inFlight: 2)
    }

    /// What a late client receives: items 0-3 (and the nodes inside them) evicted, then the tick.
    var lateRun: [TraceRecord] {
        let evicted = Set(
            (0..<4).flatMap { k -> [UInt64] in
                let item = Self.mapID * 1000 + UInt64(k) * 2 + 1
                return [item, item + 1]
            })
        let kept = wholeRun.filter { record in
            guard case .event(let event) = record else { return true }
            return !evicted.contains(event.spanID.rawValue)
        }
        return kept + [tickAtAttach]
    }

    func model(_ records: [TraceRecord]) -> RunModel {
        var model = RunModel()
        model.apply(records)
        return model
    }

    func map(_ model: RunModel) throws -> Int {
        try #require(model.mapSpans.first)
    }

    @Test("counts of a map whose early items were evicted come from its latest progress tick, not only its items")
    func evictedItemsCounted() throws {
        let whole = model(wholeRun + [tickAtAttach])
        let late = model(lateRun)
        for t: UInt64 in [30, 31, 35, 40, 45, 50, 1_000] {
            #expect(late.mapCounts(of: try map(late), at: t) == whole.mapCounts(of: try map(whole), at: t), "at \(t)")
        }
        #expect(
            late.mapCounts(of: try map(late), at: 50)
                == MapCounts(total: 10, started: 10, done: 10, failed: 0, cached: 0, inFlight: 0))
        #expect(
            late.mapCounts(of: try map(late), at: 30)
                == MapCounts(total: 10, started: 8, done: 6, failed: 0, cached: 0, inFlight: 2))
    }

    @Test("without the tick the evicted items would be missing (the tick is what the counts rest on)")
    func itemsAloneUndercount() throws {
        var withoutTick = lateRun
        withoutTick.removeLast()
        let late = model(withoutTick)
        #expect(late.mapCounts(of: try map(late), at: 50).done == 6)
    }

    @Test("a tick that says more than the items counts its failed and cached items too, never beyond done")
    func failedAndCachedFromTick() throws {
        let tick = script.progress(
            map: Self.mapID, at: Self.attachedAt, total: 10, done: 6, failed: 2, cached: 1,
            inFlight: 2)
        let late = model(Array(lateRun.dropLast()) + [tick])
        let counts = late.mapCounts(of: try map(late), at: 50)
        #expect(counts.done == 10 && counts.failed == 2 && counts.cached == 1)
    }

    @Test("with every item known, ticks change no count")
    func completeTraceUnchanged() throws {
        let plain = model(wholeRun)
        let ticked = model(
            wholeRun + [
                script.progress(map: Self.mapID, at: 20, total: 10, done: 4, inFlight: 2), tickAtAttach,
                script.progress(map: Self.mapID, at: 50, total: 10, done: 10, inFlight: 0),
            ])
        for t: UInt64 in [0, 10, 19, 20, 25, 30, 45, 50, 60] {
            #expect(
                ticked.mapCounts(of: try map(ticked), at: t) == plain.mapCounts(of: try map(plain), at: t), "at \(t)")
        }
    }
}
