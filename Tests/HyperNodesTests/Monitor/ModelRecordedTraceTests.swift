import Foundation
import HyperNodes
import Testing

@testable import HyperNodesMonitor
@testable import HyperNodesTrace

/// The monitor's model against the trace model for the same recorded files.
@Suite("Monitor run model on recorded traces")
struct ModelRecordedTraceTests {
    /// Reads `path` into a monitor model and a trace model and checks that they agree at the end.
    func compare(_ path: String) throws {
        let reader = try TraceReader(path: path)
        let (records, problems) = reader.readAll()
        #expect(problems.isEmpty)
        var model = RunModel()
        model.apply(records)
        let trace = try TraceModel(path: path)
        #expect(model.issues.map(\.message) == trace.issues.map(\.message))
        #expect(model.runs.count == trace.runs.count)
        let origin = trace.runs.compactMap(\.header).first?.startTime ?? 0
        var spansOfRun: [[Int]] = Array(repeating: [], count: model.runs.count)
        for index in 0..<model.spanCount { spansOfRun[model.span(index).run].append(index) }
        let t = model.latestTime
        for (r, run) in trace.runs.enumerated() where r < model.runs.count {
            let monitorRun = model.runs[r]
            #expect(monitorRun.runID == run.runID && monitorRun.header == run.header && monitorRun.end == run.end)
            #expect(monitorRun.offset == (run.header?.startTime ?? origin) - origin)
            let mine = spansOfRun[r]
            #expect(mine.count == run.spans.count)
            guard mine.count == run.spans.count else { continue }
            for (position, expected) in run.spans.enumerated() {
                let span = model.span(mine[position])
                #expect(span.id == expected.id && span.name == expected.name && span.kind == expected.kind)
                #expect(span.parent == expected.parent.map { mine[$0] })
                #expect(span.depth == expected.depth && span.lane == expected.lane)
                #expect(span.start == monitorRun.offset + expected.start)
                #expect(span.status == expected.status)
                #expect(span.itemIndex == expected.itemIndex && span.itemCount == expected.itemCount)
                #expect(span.error == expected.error && span.cacheHits == expected.cacheHits)
                #expect(span.attributes == expected.attributes)
                if expected.isFinished {
                    #expect(span.end == monitorRun.offset + expected.end)
                    #expect(model.phase(of: span.index, at: t) == .finished(expected.status, cached: span.isCached))
                } else {
                    #expect(span.end == nil && model.phase(of: span.index, at: t) == .running)
                }
                if !span.isItem { #expect(span.isCached == expected.isCached) }
                let children = expected.children.filter { run.spans[$0].kind != .mapItem }.map { mine[$0] }
                #expect(model.children(of: span.index, at: t) == children)
            }
            #expect(model.roots(at: t).filter { model.span($0).run == r } == run.roots.map { mine[$0] })
            for statistics in run.maps {
                let counts = model.mapCounts(of: mine[statistics.span], at: t)
                #expect(counts.total == statistics.items)
                #expect(counts.done == statistics.done && counts.failed == statistics.failed)
                #expect(counts.cached == statistics.cached && counts.inFlight == statistics.inFlight)
                #expect(counts.started == statistics.done + statistics.inFlight)
            }
        }
    }

    @Test("a recorded demo run agrees with the trace model: spans, parents, statuses, map counts")
    func demo() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("demo.jsonl").path
        let run = try await Executable.run(["demo", "--items", "24", "--no-cache", "--record", path])
        #expect(run.status == 0, "\(run)")
        try compare(path)
        var model = RunModel()
        model.apply(try TraceReader(path: path).readAll().records)
        let map = try #require(model.busiestMap(at: model.latestTime))
        #expect(model.mapCounts(of: map, at: model.latestTime).done > 0)
        #expect(!model.latency(of: map, at: model.latestTime).isEmpty)
        #expect(!model.lanes(of: map).isEmpty)
        // Lane activity agrees with the lane's items, at the end and half way.
        let from = model.span(map).start
        let to = model.end(of: map, at: model.latestTime) + 1
        for t in [model.latestTime, from + (to - from) / 2] {
            for lane in model.lanes(of: map) {
                let cells = model.laneActivity(of: map, lane: lane, from: from, to: to, buckets: 7, at: t)
                let edges = RunModel.edges(from: from, to: to, buckets: 7)
                for (k, cell) in cells.enumerated() {
                    let items = model.items(of: map, lane: lane, from: edges[k], to: edges[k + 1], at: t)
                    var busy: UInt64 = 0
                    for item in items {
                        let a = max(model.span(item).start, edges[k])
                        let b = min(model.end(of: item, at: t), edges[k + 1])
                        if b > a { busy += b - a }
                    }
                    #expect(abs(cell.busy - Double(busy) / Double(edges[k + 1] - edges[k])) < 1e-9)
                    #expect(cell.items <= items.count && cell.items >= items.count - 1)
                }
            }
        }
        #expect(!model.criticalPath(of: 0, at: model.latestTime).isEmpty)
    }

    @Test("recorded maps, nesting, a cached rerun and a failure agree with the trace model")
    func inProcess() async throws {
        let directory = TemporaryDirectory()
        let cacheDirectory = TemporaryDirectory()
        let path = try await RecordedTrace.record(in: directory) { callbacks in
            let inner = try Pipeline(nodes: [RecordedTrace.double], name: "inner")
            let outer = try Pipeline(
                nodes: [try inner.asNode(name: "wrap"), RecordedTrace.addOne], name: "outer", callbacks: callbacks)
            _ = try await outer.run(inputs: ["x": 5])
            let slow = try Pipeline(
                nodes: [RecordedTrace.slow], name: "slowly", callbacks: callbacks, maxConcurrency: 3)
            _ = try await slow.map(inputs: ["x": Array(0..<9)], over: ["x"])
            var cached = try Pipeline(
                nodes: [RecordedTrace.double, RecordedTrace.addOne], name: "arith", callbacks: callbacks)
            cached.cache = DiskCache(directory: cacheDirectory.url)
            _ = try await cached.map(inputs: ["x": [1, 2]], over: ["x"])
            _ = try await cached.map(inputs: ["x": [1, 2, 3]], over: ["x"])
            let failing = try Pipeline(
                nodes: [try Pipeline(nodes: [RecordedTrace.boom], name: "bad").asNode(name: "wrapper")],
                name: "failing", callbacks: callbacks)
            _ = try? await failing.run(inputs: ["x": 1])
        }
        try compare(path)
        var model = RunModel()
        model.apply(try TraceReader(path: path).readAll().records)
        #expect(model.runs.count == 5)
        #expect(model.runs.last?.end?.status == .error)
        let cachedMap = model.mapSpans[2]
        #expect(model.mapCounts(of: cachedMap, at: model.latestTime).cached == 2)
    }

    @Test("a trace recorded without item spans gets its map counts from progress ticks")
    func withoutItemSpans() async throws {
        let directory = TemporaryDirectory()
        var options = TraceRecorder.Options()
        options.itemSpans = false
        let path = try await RecordedTrace.record(in: directory, options: options) { callbacks in
            let p = try Pipeline(nodes: [RecordedTrace.double], name: "doubling", callbacks: callbacks)
            _ = try await p.map(inputs: ["x": Array(0..<50)], over: ["x"])
        }
        try compare(path)
        var model = RunModel()
        model.apply(try TraceReader(path: path).readAll().records)
        let map = try #require(model.mapSpans.first)
        #expect(model.lanes(of: map).isEmpty)
        #expect(model.mapCounts(of: map, at: model.latestTime).done == 50)
        #expect(model.mapCounts(of: map, at: model.span(map).start).done == 0)
    }
}
