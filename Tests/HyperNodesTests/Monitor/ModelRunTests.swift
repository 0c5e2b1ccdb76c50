import HyperNodes
import HyperNodesTrace
import Testing

@testable import HyperNodesMonitor

@Suite("Monitor run model")
struct ModelRunTests {
    let s = ModelScript()

    /// main(pipeline 1) → a(node 2) [10, 40), map(3) [40, 100) with 6 items on 2 lanes of 20 ns, b(node 4) [100, 120).
    func fixedRun() -> RunModel {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.start(.nodeStart, 2, parent: 1, "a", at: 10))
        model.apply(s.end(.nodeEnd, 2, parent: 1, "a", at: 40))
        model.apply(s.map(3, parent: 1, from: 40, items: 6, lanes: 2, duration: 20, failing: [4]))
        model.apply(s.start(.nodeStart, 4, parent: 1, "b", at: 100))
        model.apply(s.end(.nodeEnd, 4, parent: 1, "b", at: 120))
        model.apply(s.end(.pipelineEnd, 1, parent: nil, "main", at: 120))
        model.apply(s.runEnd(at: 120))
        return model
    }

    func index(_ model: RunModel, _ name: String) throws -> Int {
        try #require((0..<model.spanCount).first { model.span($0).name == name })
    }

    @Test("a run built from fixed records: spans, parents, roots, children, paths, totals")
    func fixed() throws {
        let model = fixedRun()
        #expect(model.issues.isEmpty)
        #expect(model.spanCount == 1 + 1 + 1 + 12 + 1)
        #expect(model.latestTime == 120)
        #expect(model.runs.count == 1)
        #expect(model.runs[0].name == "main" && model.runs[0].offset == 0 && model.runs[0].root == 0)
        #expect(model.runs[0].end?.status == .ok)
        #expect(model.roots(at: 120) == [0])
        #expect(model.children(of: 0, at: 120).map { model.span($0).name } == ["a", "inner", "b"])
        let map = try index(model, "inner")
        #expect(model.span(map).kind == .map && model.span(map).itemCount == 6)
        #expect(model.children(of: map, at: 120).isEmpty)  // items are not children
        for index in 0..<model.spanCount {
            if let parent = model.span(index).parent { #expect(parent < index) }
        }
        let work = try index(model, "work")
        #expect(model.path(of: work) == ["main", "inner", "inner", "work"])
        #expect(model.span(work).depth == 3)
        let item = try #require(model.span(work).parent)
        #expect(model.span(item).isItem && model.children(of: item, at: 120) == [work])
        #expect(model.recordCount == 1 + 1 + 2 + (2 + 6 * 4) + 2 + 1 + 1)
    }

    @Test("as of t: phases, children, ends and map counts at several instants")
    func asOfT() throws {
        let model = fixedRun()
        let a = try index(model, "a")
        let b = try index(model, "b")
        let map = try index(model, "inner")
        #expect(model.phase(of: a, at: 5) == .notStarted)
        #expect(model.phase(of: a, at: 10) == .running)
        #expect(model.phase(of: a, at: 39) == .running)
        #expect(model.phase(of: a, at: 40) == .finished(.ok, cached: false))
        #expect(model.end(of: a, at: 25) == 25)
        #expect(model.end(of: a, at: 500) == 40)
        #expect(model.children(of: 0, at: 5).isEmpty)
        #expect(model.children(of: 0, at: 50) == [a, map])
        #expect(model.children(of: 0, at: 100) == [a, map, b])
        #expect(model.roots(at: 0) == [0])

        #expect(
            model.mapCounts(of: map, at: 39)
                == MapCounts(total: 6, started: 0, done: 0, failed: 0, cached: 0, inFlight: 0))
        #expect(
            model.mapCounts(of: map, at: 40)
                == MapCounts(total: 6, started: 2, done: 0, failed: 0, cached: 0, inFlight: 2))
        #expect(
            model.mapCounts(of: map, at: 60)
                == MapCounts(total: 6, started: 4, done: 2, failed: 0, cached: 0, inFlight: 2))
        #expect(
            model.mapCounts(of: map, at: 85)
                == MapCounts(total: 6, started: 6, done: 4, failed: 0, cached: 0, inFlight: 2))
        #expect(
            model.mapCounts(of: map, at: 100)
                == MapCounts(total: 6, started: 6, done: 6, failed: 1, cached: 0, inFlight: 0))
        #expect(model.lanes(of: map) == [0, 1])
        #expect(
            model.items(of: map, lane: 0, from: 0, to: 1000, at: 1000).map { model.span($0).itemIndex } == [0, 2, 4])
        #expect(model.items(of: map, lane: 1, from: 65, to: 70, at: 1000).map { model.span($0).itemIndex } == [3])
        #expect(model.items(of: map, lane: 1, from: 0, to: 1000, at: 60).map { model.span($0).itemIndex } == [1, 3])
        #expect(model.completions(of: map, from: 40, to: 100, buckets: 3) == [0, 2, 2])
        #expect(model.completions(of: map, from: 40, to: 101, buckets: 1) == [6])
        let concurrency = model.concurrency(of: map, from: 40, to: 100, buckets: 3, at: 1000)
        #expect(concurrency.allSatisfy { abs($0 - 2) < 1e-9 })
        let halfKnown = model.concurrency(of: map, from: 40, to: 100, buckets: 3, at: 70)
        #expect(abs(halfKnown[0] - 2) < 1e-9 && abs(halfKnown[1] - 1) < 1e-9 && halfKnown[2] == 0)
        #expect(model.busiestMap(at: 50) == map)
        #expect(model.busiestMap(at: 5) == nil)
        #expect(model.selfTime(of: map, at: 1000) == 0)
        #expect(model.selfTime(of: 0, at: 1000) == 10)
        #expect(model.selfTime(of: 0, at: 50) == 10)
        let latency = model.latency(of: map, at: 1000)
        #expect(
            latency.map(\.name) == ["work"] && latency[0].count == 6 && latency[0].p50 == 19 && latency[0].max == 19)
        #expect(model.latency(of: map, at: 59).first?.count == 2)
        #expect(model.latency(of: map, at: 10).isEmpty)
    }

    @Test("lane activity per cell: busy share, items, failures and the running item, as of t")
    func laneActivity() throws {
        let model = fixedRun()
        let map = try index(model, "inner")
        let done = model.laneActivity(of: map, lane: 0, from: 30, to: 110, buckets: 4, at: 1000)
        #expect(done.map(\.busy) == [0.5, 1, 1, 0.5])
        #expect(done.map(\.items) == [1, 2, 2, 1])
        #expect(done.map(\.failed) == [0, 0, 0, 1] && done.allSatisfy { !$0.running && $0.cached == 0 })
        let partial = model.laneActivity(of: map, lane: 0, from: 30, to: 110, buckets: 4, at: 85)
        #expect(partial.map(\.busy) == [0.5, 1, 0.75, 0])
        #expect(partial.map(\.items) == [1, 2, 2, 0])
        #expect(partial.map(\.running) == [false, false, true, false])
        #expect(partial.map(\.failed) == [0, 0, 0, 0])
        let other = model.laneActivity(of: map, lane: 1, from: 30, to: 110, buckets: 4, at: 1000)
        #expect(other.map(\.failed) == [0, 0, 0, 0] && other.map(\.busy) == [0.5, 1, 1, 0.5])
        #expect(model.laneActivity(of: map, lane: 7, from: 0, to: 10, buckets: 2, at: 10).map(\.items) == [0, 0])
        #expect(model.laneActivity(of: map, lane: 0, from: 0, to: 10, buckets: 0, at: 10).isEmpty)
    }

    @Test("rate over the last five seconds and an ETA from it")
    func rateAndETA() {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        // 40 items of one second each, one at a time: one finishes every second.
        model.apply(s.map(3, parent: 1, from: 0, items: 40, lanes: 1, duration: 1_000_000_000))
        let map = 1
        #expect(model.span(map).kind == .map)
        #expect(abs(model.rate(of: map, at: 10_000_000_000) - 1) < 1e-9)
        #expect(abs(model.rate(of: map, at: 2_000_000_000) - 1) < 1e-9)  // whole map when shorter
        let eta = model.eta(of: map, at: 10_000_000_000)
        #expect(eta == 30_000_000_000)
        #expect(model.eta(of: map, at: 40_000_000_000) == nil)  // done
        #expect(model.rate(of: map, at: 0) == 0)
        #expect(model.eta(of: map, at: 0) == nil)
    }

    @Test("ends out of order: ends before starts, items ending out of order, children sorted by start")
    func outOfOrder() throws {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.start(.mapStart, 2, parent: 1, "m", at: 0, count: 3))
        model.apply(s.start(.mapItemStart, 10, parent: 2, "m", at: 0, lane: 0, item: 0))
        model.apply(s.start(.mapItemStart, 11, parent: 2, "m", at: 5, lane: 1, item: 1))
        model.apply(s.start(.mapItemStart, 12, parent: 2, "m", at: 6, lane: 2, item: 2))
        model.apply(s.end(.mapItemEnd, 12, parent: 2, "m", at: 30, lane: 2, item: 2))
        model.apply(s.end(.mapItemEnd, 11, parent: 2, "m", at: 10, lane: 1, item: 1))
        model.apply(s.end(.mapItemEnd, 10, parent: 2, "m", at: 20, lane: 0, item: 0))
        // A node that arrives after a later sibling, and one that ends before it starts.
        model.apply(s.start(.nodeStart, 4, parent: 1, "late", at: 50))
        model.apply(s.start(.nodeStart, 3, parent: 1, "early", at: 40))
        model.apply(s.end(.nodeEnd, 3, parent: 1, "early", at: 35))
        model.apply(s.end(.nodeEnd, 4, parent: 1, "late", at: 60))
        let map = 1
        #expect(model.mapCounts(of: map, at: 10).done == 1)
        #expect(model.mapCounts(of: map, at: 20).done == 2)
        #expect(model.mapCounts(of: map, at: 29).inFlight == 1)
        #expect(model.completions(of: map, from: 0, to: 40, buckets: 4) == [0, 1, 1, 1])
        let early = try index(model, "early")
        let late = try index(model, "late")
        #expect(model.children(of: 0, at: 100) == [map, early, late])
        #expect(model.span(early).end == 40)  // clamped to its start
        #expect(model.issues.contains { $0.message.contains("ends before it starts") })
        // The lane query relies on start order within a lane.
        #expect(model.items(of: map, lane: 0, from: 0, to: 100, at: 100) == [model.span(2).index])
    }

    @Test("spans that never end keep running, and growing, at every later t")
    func neverEnds() throws {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.start(.nodeStart, 2, parent: 1, "stuck", at: 10))
        #expect(model.phase(of: 1, at: 1_000_000) == .running)
        #expect(model.end(of: 1, at: 1_000_000) == 1_000_000)
        #expect(model.span(1).end == nil && model.span(1).status == .running)
        #expect(model.latestTime == 10)
        #expect(model.selfTime(of: 0, at: 50) == 10)
        #expect(model.criticalPath(of: 0, at: 50) == [1])
        #expect(model.pendingNodes(of: 0, at: 50).isEmpty)  // no graph
    }

    @Test("once the source has ended, spans still open are unfinished from the last record on, running before it")
    func unfinishedAfterSourceEnd() throws {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.start(.nodeStart, 2, parent: 1, "done", at: 5))
        model.apply(s.end(.nodeEnd, 2, parent: 1, "done", at: 8))
        model.apply(s.start(.nodeStart, 3, parent: 1, "stuck", at: 10))
        #expect(model.phase(of: 2, at: 10) == .running)  // open, the source still going
        model.markSourceEnded()
        #expect(model.sourceEnded)
        #expect(model.phase(of: 0, at: 10) == .unfinished)
        #expect(model.phase(of: 2, at: 10) == .unfinished)
        #expect(model.phase(of: 2, at: 1_000) == .unfinished)
        #expect(model.phase(of: 0, at: 9) == .running)  // as of a time before the last record
        #expect(model.phase(of: 1, at: 10) == .finished(.ok, cached: false))
        #expect(model.end(of: 2, at: 10) == 10)
    }

    @Test("a failing run: error on the node, statuses up the tree, the run's end")
    func failingRun() throws {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.start(.nodeStart, 2, parent: 1, "boom", at: 1))
        let error = ErrorInfo(type: "Test.Boom", message: "boom!")
        model.apply(
            .event(
                PipelineEvent(
                    kind: .error, status: .error, runID: 1, spanID: SpanID(rawValue: 2),
                    parentSpanID: SpanID(rawValue: 1), name: "boom", timestamp: 3, error: error)))
        model.apply(s.end(.nodeEnd, 2, parent: 1, "boom", at: 3, status: .error, error: error))
        model.apply(s.end(.pipelineEnd, 1, parent: nil, "main", at: 4, status: .error, error: error))
        model.apply(s.runEnd(at: 4, status: .error))
        #expect(model.phase(of: 1, at: 3) == .finished(.error, cached: false))
        #expect(model.phase(of: 0, at: 3) == .running)
        #expect(model.phase(of: 0, at: 4) == .finished(.error, cached: false))
        #expect(model.span(1).error == error)
        #expect(model.runs[0].end?.status == .error)
        #expect(model.issues.isEmpty)
    }

    @Test("a cached rerun: zero-length cached nodes, cached map items counted, cache hits on items")
    func cachedRerun() throws {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.cached(2, parent: 1, "a", at: 5))
        model.apply(s.start(.mapStart, 3, parent: 1, "m", at: 5, count: 2))
        for (k, item) in [UInt64(10), 20].enumerated() {
            let at = UInt64(10 + k)
            model.apply(s.start(.mapItemStart, item, parent: 3, "m", at: at, item: k))
            model.apply(s.start(.pipelineStart, item + 1, parent: item, "m", at: at))
            model.apply(s.cached(item + 2, parent: item + 1, "work", at: at))
            model.apply(
                .event(
                    PipelineEvent(
                        kind: .mapItemCached, status: .cached, runID: 1, spanID: SpanID(rawValue: item),
                        parentSpanID: SpanID(rawValue: 3), name: "work", timestamp: at)))
            if k == 1 {
                model.apply(s.start(.nodeStart, item + 3, parent: item + 1, "fresh", at: at))
                model.apply(s.end(.nodeEnd, item + 3, parent: item + 1, "fresh", at: at + 5))
            }
            model.apply(s.end(.pipelineEnd, item + 1, parent: item, "m", at: at + 5))
            model.apply(s.end(.mapItemEnd, item, parent: 3, "m", at: at + 5, item: k))
        }
        model.apply(s.end(.mapEnd, 3, parent: 1, "m", at: 30))
        model.apply(s.end(.pipelineEnd, 1, parent: nil, "main", at: 30))
        #expect(model.span(1).isCached && model.span(1).start == 5 && model.span(1).end == 5)
        #expect(model.phase(of: 1, at: 5) == .finished(.cached, cached: true))
        let map = 2
        #expect(
            model.mapCounts(of: map, at: 100)
                == MapCounts(total: 2, started: 2, done: 2, failed: 0, cached: 1, inFlight: 0))
        let items = model.items(of: map, lane: 0, from: 0, to: 100, at: 100)
        #expect(items.map { model.span($0).cacheHits } == [1, 1])
        #expect(items.map { model.span($0).isCached } == [true, false])
        #expect(model.latency(of: map, at: 100).map(\.name) == ["fresh"])  // cache hits are not executions
    }

    @Test("a nested map inside map items has its own counts, lanes and latency")
    func nestedMap() throws {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.start(.mapStart, 2, parent: 1, "outer", at: 0, count: 2))
        for k in 0..<2 {
            let item = UInt64(100 + k)
            let begin = UInt64(k) * 100
            model.apply(s.start(.mapItemStart, item, parent: 2, "outer", at: begin, item: k))
            model.apply(s.map(UInt64(10 + k), parent: item, from: begin, items: 4, lanes: 2, duration: 10))
            model.apply(s.end(.mapItemEnd, item, parent: 2, "outer", at: begin + 20, item: k))
        }
        model.apply(s.end(.mapEnd, 2, parent: 1, "outer", at: 120))
        let outer = 1
        #expect(
            model.mapCounts(of: outer, at: 1000)
                == MapCounts(total: 2, started: 2, done: 2, failed: 0, cached: 0, inFlight: 0))
        #expect(model.latency(of: outer, at: 1000).isEmpty)  // the nodes belong to the inner maps
        let inner = model.mapSpans.filter { $0 != outer }
        #expect(inner.count == 2)
        for map in inner {
            #expect(model.mapCounts(of: map, at: 1000).done == 4)
            #expect(model.latency(of: map, at: 1000).first?.count == 4)
            #expect(model.lanes(of: map) == [0, 1])
            #expect(model.span(map).depth == 3)
        }
        #expect(model.mapCounts(of: inner[1], at: 105).inFlight == 2)
        #expect(model.busiestMap(at: 105) == inner[1])
        // The critical path runs back through both outer items (one after the other) and their inner maps.
        let path = model.criticalPath(of: 0, at: 1000)
        #expect(path.contains(outer) && path.contains(inner[0]) && path.contains(inner[1]))
        #expect(path.filter { model.span($0).isItem && model.span($0).parent == inner[1] }.count == 2)
        // While the second inner map runs, the path ends in its running items.
        let running = model.criticalPath(of: 0, at: 105)
        #expect(
            running.contains(inner[1])
                && running.contains {
                    model.phase(of: $0, at: 105) == .running && model.span($0).isItem
                        && model.span($0).parent == inner[1]
                })
    }

    @Test("the busiest map among hundreds of small finished maps is the running one; after all, the latest")
    func busiestAmongMany() {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.start(.mapStart, 2, parent: 1, "outer", at: 0, count: 300))
        var inner: [Int] = []
        for k in 0..<300 {
            let item = UInt64(1_000_000 + k)
            let begin = UInt64(k) * 100
            model.apply(s.start(.mapItemStart, item, parent: 2, "outer", at: begin, item: k))
            inner.append(model.spanCount)
            model.apply(s.map(UInt64(10 + k), parent: item, from: begin, items: 4, lanes: 2, duration: 10))
            model.apply(s.end(.mapItemEnd, item, parent: 2, "outer", at: begin + 20, item: k))
        }
        model.apply(s.end(.mapEnd, 2, parent: 1, "outer", at: 30_000))
        #expect(model.mapSpans.count == 301)
        for k in [0, 63, 64, 200, 299] {
            #expect(model.busiestMap(at: UInt64(k) * 100 + 5) == inner[k])
        }
        #expect(model.busiestMap(at: 25_050) == inner[250])  // nothing in flight: the latest started
        #expect(model.busiestMap(at: 40_000) == inner[299])  // all done: the latest started
        #expect(model.roots(at: 0) == [0] && model.roots(at: 40_000) == [0])
    }

    @Test("without item spans, counts, rate and concurrency come from the last progress tick at or before t")
    func progressFallback() {
        var model = RunModel()
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.start(.mapStart, 2, parent: 1, "m", at: 0, count: 10))
        model.apply(s.progress(map: 2, at: 1_000_000_000, total: 10, done: 2, inFlight: 2))
        model.apply(s.progress(map: 2, at: 2_000_000_000, total: 10, done: 6, failed: 1, cached: 2, inFlight: 2))
        model.apply(s.progress(map: 2, at: 3_000_000_000, total: 10, done: 10, failed: 1, cached: 2))
        model.apply(s.end(.mapEnd, 2, parent: 1, "m", at: 3_000_000_000))
        let map = 1
        #expect(model.mapCounts(of: map, at: 500).done == 0)
        #expect(
            model.mapCounts(of: map, at: 1_500_000_000)
                == MapCounts(total: 10, started: 4, done: 2, failed: 0, cached: 0, inFlight: 2))
        #expect(
            model.mapCounts(of: map, at: 2_000_000_000)
                == MapCounts(total: 10, started: 8, done: 6, failed: 1, cached: 2, inFlight: 2))
        #expect(
            model.mapCounts(of: map, at: 9_000_000_000)
                == MapCounts(total: 10, started: 10, done: 10, failed: 1, cached: 2, inFlight: 0))
        #expect(abs(model.rate(of: map, at: 2_000_000_000) - 3) < 1e-9)
        #expect(model.completions(of: map, from: 0, to: 4_000_000_000, buckets: 4) == [0, 2, 4, 4])
        #expect(model.concurrency(of: map, from: 0, to: 2_000_000_000, buckets: 2, at: 9_000_000_000) == [2, 2])
        #expect(model.lanes(of: map).isEmpty)
    }

    @Test("two runs on one timeline: offsets from header start times; a headerless run follows the latest time")
    func twoRuns() {
        var model = RunModel()
        var second = ModelScript(runID: 2, startTime: s.startTime + 1_000)
        model.apply(s.header(pipeline: "first"))
        model.apply(s.start(.pipelineStart, 1, parent: nil, "first", at: 0))
        model.apply(second.header(pipeline: "second"))
        model.apply(second.start(.pipelineStart, 1, parent: nil, "second", at: 10))
        model.apply(second.end(.pipelineEnd, 1, parent: nil, "second", at: 20))
        model.apply(s.end(.pipelineEnd, 1, parent: nil, "first", at: 2_000))
        #expect(model.runs.map(\.offset) == [0, 1_000])
        #expect(model.runs.map(\.name) == ["first", "second"])
        #expect(model.span(1).start == 1_010 && model.span(1).end == 1_020 && model.span(1).run == 1)
        #expect(model.roots(at: 1_005) == [0])
        #expect(model.roots(at: 5_000) == [0, 1])
        #expect(model.latestTime == 2_000)
        // An earlier run than the origin is clamped to 0; a run without a header starts at latestTime.
        var early = ModelScript(runID: 3, startTime: s.startTime - 50)
        model.apply(early.header())
        #expect(model.runs[2].offset == 0)
        second.runID = 4
        model.apply(second.start(.pipelineStart, 1, parent: nil, "headless", at: 5))
        #expect(model.runs[3].offset == 2_000 && model.runs[3].header == nil && model.runs[3].name == "headless")
        #expect(model.span(2).start == 2_005)
        #expect(model.issues.contains { $0.message.contains("before (or without) its header") })
        early.runID = 3
    }

    @Test("damaged input is repaired, never trapped on, and each repair is listed (bounded)")
    func damaged() {
        var model = RunModel()
        // Before any header.
        model.apply(s.start(.nodeStart, 9, parent: nil, "orphan-first", at: 5))
        model.apply(s.header())
        model.apply(s.header())
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        // Unknown parent: attached to the run's root.
        model.apply(s.start(.nodeStart, 2, parent: 777, "lost", at: 10))
        // End of an unknown span: its start comes from its duration.
        model.apply(s.end(.nodeEnd, 3, parent: 1, "ghost", at: 50, duration: 20))
        // Closed twice, reused id, status running on an end, progress of a non-map, unknown cache hit and error.
        model.apply(s.end(.nodeEnd, 3, parent: 1, "ghost", at: 60))
        model.apply(s.start(.nodeStart, 2, parent: 1, "again", at: 70))
        model.apply(s.end(.nodeEnd, 2, parent: 1, "again", at: 80, status: .running))
        model.apply(s.progress(map: 1, at: 90, total: 3, done: 1))
        model.apply(s.progress(map: 12345, at: 90, total: 3, done: 1))
        model.apply(
            .event(
                PipelineEvent(
                    kind: .mapItemCached, status: .cached, runID: 1, spanID: SpanID(rawValue: 999), parentSpanID: nil,
                    name: "x", timestamp: 91)))
        model.apply(
            .event(
                PipelineEvent(
                    kind: .error, status: .error, runID: 1, spanID: SpanID(rawValue: 998), parentSpanID: nil,
                    name: "x", timestamp: 92, error: ErrorInfo(type: "E", message: "m"))))
        // Kind mismatch and huge times.
        model.apply(s.start(.nodeStart, 5, parent: 1, "k", at: 100))
        model.apply(s.end(.mapEnd, 5, parent: 1, "k", at: .max))
        model.apply(s.end(.nodeEnd, 6, parent: 1, "huge", at: .max, duration: .max))
        model.apply(s.runEnd(at: 200))
        model.apply(s.runEnd(at: 300))
        // Many repairs of one kind are bounded.
        for k in 0..<100 { model.apply(s.end(.nodeEnd, UInt64(5000 + k), parent: 1, "x", at: 100, duration: 1)) }

        let messages = model.issues.map(\.message)
        for expected in [
            "before (or without) its header", "a second header", "is not in the trace; attached to the run's root",
            "which never started; its start is taken from its duration", "closes span 3 again", "is used again",
            "has status running; taken as ok", "which is not a map", "a cache hit of 'x' refers to span 999",
            "an error of 'x' refers to span 998", "which is a node span", "a second run end", "more issues like these",
        ] {
            #expect(messages.contains { $0.contains(expected) }, "no issue containing '\(expected)'")
        }
        #expect(model.issues.count < 100)
        let lost = model.span(2)
        #expect(lost.name == "lost" && lost.parent == 0)  // the run's first top-level span
        let ghost = model.span(3)
        #expect(ghost.name == "ghost" && ghost.start == 30 && ghost.end == 50 && ghost.parent == 1)
        #expect(model.span(4).name == "again" && model.span(4).status == .ok)
        #expect(model.span(0).name == "orphan-first" && model.runs[0].offset == 0)
        #expect(model.latestTime == .max)
        // Queries stay well-defined on the damaged model.
        for index in 0..<model.spanCount {
            _ = model.selfTime(of: index, at: .max)
            _ = model.phase(of: index, at: 0)
            _ = model.path(of: index)
        }
        _ = model.criticalPath(of: 1, at: .max)
        _ = model.search("a")
    }

    @Test("critical path: from the end, the child ending last, recursively, items included")
    func criticalPath() throws {
        let model = fixedRun()
        let path = model.criticalPath(of: 0, at: 1000)
        let names = Set(path.map { model.span($0).name })
        #expect(names == ["a", "inner", "b", "work"])
        // b, then the map (ends at 100), inside it items 5 then 3 then 1 (lane 1) or 4, 2, 0 (lane 0).
        let map = try index(model, "inner")
        let items = path.filter { model.span($0).isItem }
        #expect(items.count == 3)
        #expect(items.allSatisfy { model.span($0).parent == map })
        #expect(model.criticalPath(of: 0, at: 50).contains(map))
        let mask = model.criticalPathMask(of: 0, at: 1000)
        #expect(Set(mask.indices) == path && mask.count == path.count)
        #expect((0..<model.spanCount).allSatisfy { mask.contains($0) == path.contains($0) })
        #expect(!mask.contains(-1) && !mask.contains(1 << 30))
        let itemsOnly = model.criticalPathMask(of: 0, at: 1000, insideItems: false)
        #expect(Set(itemsOnly.indices) == path.filter { model.span($0).name != "work" })
        #expect(!model.criticalPath(of: 0, at: 50).contains(try index(model, "b")))
    }

    @Test("search matches non-item spans by name, case-insensitively, in tree order; pending nodes come from the graph")
    func searchAndPending() throws {
        let graph = PipelineGraph(pipelines: [
            PipelineDescription(
                name: "main", inputs: [],
                nodes: [
                    NodeDescription(name: "a", inputs: [], outputs: [], cache: false),
                    NodeDescription(name: "inner", inputs: [], outputs: [], cache: false, pipeline: 1),
                    NodeDescription(name: "b", inputs: [], outputs: [], cache: false),
                ], edges: []),
            PipelineDescription(
                name: "inner", inputs: [],
                nodes: [NodeDescription(name: "work", inputs: [], outputs: [], cache: false)],
                edges: []),
        ])
        var model = RunModel()
        model.apply(s.header(graph: graph))
        model.apply(s.start(.pipelineStart, 1, parent: nil, "main", at: 0))
        model.apply(s.start(.nodeStart, 2, parent: 1, "a", at: 10))
        model.apply(s.end(.nodeEnd, 2, parent: 1, "a", at: 40))
        model.apply(s.map(3, parent: 1, from: 40, items: 2, lanes: 2, duration: 20))
        #expect(model.pendingNodes(of: 0, at: 5) == ["a", "inner", "b"])
        #expect(model.pendingNodes(of: 0, at: 50) == ["b"])
        #expect(model.search("WOR").map { model.span($0).name } == ["work", "work"])
        #expect(model.search("WOR").allSatisfy { !model.span($0).isItem })
        #expect(model.search("inner").map { model.span($0).kind } == [.map])
        #expect(model.search("nothing").isEmpty && model.search("").isEmpty)
        let item = try #require(model.span(model.search("work")[0]).parent)
        #expect(model.pendingNodes(of: item, at: 100).isEmpty)
        #expect(model.pendingNodes(of: item, at: 39) == ["work"])
    }

    @Test("latency percentiles beyond one checkpoint stay within 3 % and the maximum is exact")
    func latencyHistogram() {
        var track = LatencyTrack()
        var durations: [UInt64] = []
        for k in 0..<20_000 {
            let duration = UInt64(1_000 + (k * 7919) % 1_000_000)
            durations.append(duration)
            track.insert(end: UInt64(k), duration: duration)
        }
        track.insert(end: 5, duration: 123)  // out of order: rebuilds checkpoints
        durations.insert(123, at: 6)
        for t in [UInt64(100), 4_095, 4_096, 12_345, 30_000] {
            let count = min(Int(t) + 2, durations.count)
            let sorted = durations[0..<count].sorted()
            let latency = track.latency(name: "n", at: t)!
            #expect(latency.count == count)
            #expect(latency.max == sorted.last!)
            for (value, percent) in [(latency.p50, 50), (latency.p95, 95), (latency.p99, 99)] {
                let exact = Double(sorted[max(1, (percent * count + 99) / 100) - 1])
                #expect(abs(Double(value) - exact) <= exact * 0.032, "p\(percent) at \(t): \(value) vs \(exact)")
            }
        }
    }

    @Test("the backward exponential search agrees with a plain count for every bound and value")
    func backwardSearch() {
        let values: [UInt64] = [1, 3, 3, 5, 8, 8, 8, 13, 21, 34, 55]
        for x in UInt64(0)...60 {
            let exact = values.filter { $0 <= x }.count
            for bound in exact...(values.count + 2) {
                #expect(RunModel.countAtOrBelow(x, in: values, atMost: bound) == exact)
            }
        }
        #expect(RunModel.countAtOrBelow(5, in: [], atMost: 3) == 0)
    }

    @Test("the span id table agrees with a dictionary through random inserts, updates and removals")
    func spanIDTable() {
        var generator = SeededGenerator(state: 5)
        var table = SpanIDTable()
        var reference: [UInt64: Int32] = [:]
        for step in 0..<60_000 {
            // Small keys collide often; multiples of 2^32 probe the hashing of high bits; 0 is special.
            let key: UInt64 =
                switch step % 3 {
                case 0: UInt64.random(in: 0..<300, using: &generator)
                case 1: UInt64.random(in: 0..<300, using: &generator) << 32
                default: UInt64.random(in: 0...UInt64.max, using: &generator)
                }
            if Bool.random(using: &generator) || step < 2_000 {
                let value = Int32(truncatingIfNeeded: step)
                table[key] = value
                reference[key] = value
            } else {
                table[key] = nil
                reference[key] = nil
            }
            if step % 1_000 == 0 {
                #expect(table.count == reference.count)
                for (known, value) in reference { #expect(table[known] == value) }
            }
            #expect(table[key] == reference[key])
        }
        for key in Array(reference.keys) { table[key] = nil }
        #expect(table.count == 0 && table[0] == nil)
    }

    @Test("span masks insert, test, unite and list indices like a set")
    func spanMask() {
        var a = SpanMask(capacity: 10)
        #expect(a.isEmpty)
        for index in [3, 64, 3, 200, -5] { a.insert(index) }
        #expect(a.count == 3 && a.indices == [3, 64, 200] && a.contains(200) && !a.contains(199))
        var b = SpanMask()
        b.insert(1_000)
        b.insert(3)
        b.formUnion(a)
        #expect(b.indices == [3, 64, 200, 1_000] && b.count == 4)
    }

    @Test("interval union: merges, out-of-order inserts and windowed measures")
    func intervalUnion() {
        var union = IntervalUnion()
        union.insert(10, 20)
        union.insert(30, 40)
        union.insert(15, 25)
        union.insert(0, 5)
        union.insert(50, 60)
        union.insert(24, 31)
        #expect(union.measure(from: 0, to: 100) == 5 + 30 + 10)
        #expect(union.measure(from: 12, to: 35) == 23)
        #expect(union.measure(from: 41, to: 49) == 0)
        #expect(union.measure(from: 55, to: 55) == 0)
    }
}
