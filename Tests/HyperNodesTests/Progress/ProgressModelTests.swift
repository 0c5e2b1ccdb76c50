import Foundation
import HyperNodes
import Synchronization
import Testing

@testable import HyperNodesTelemetry

/// A callback that feeds a ``ProgressModel`` directly (under a lock), to
/// check the model against real concurrent runs.
final class ModelFeeder: PipelineCallback {
    let model = Mutex(ProgressModel())
    func handle(_ event: PipelineEvent, context: CallbackContext) {
        model.withLock { _ = $0.apply(event, context: ProgressEventContext(context)) }
    }
    var snapshot: ProgressModel { model.withLock { $0 } }
}

@Suite("Progress model")
struct ProgressModelTests {
    static let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
    static let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }

    /// The row named `name` below `parent` (or among the roots).
    func row(_ model: ProgressModel, _ path: String...) throws -> ProgressRow {
        var candidates = model.roots
        var found: ProgressRow?
        for name in path {
            let id = try #require(candidates.first { model[$0]?.name == name }, "no row \(name) in \(path)")
            found = model[id]
            candidates = found?.children ?? []
        }
        return try #require(found)
    }

    @Test("a nested pipeline advances its parent exactly once per child, at every depth")
    func nestedCountsOncePerChild() async throws {
        let feeder = ModelFeeder()
        let inner = try Pipeline(nodes: [Self.double, Self.addOne], name: "inner")
        let middle = try Pipeline(
            nodes: [
                try inner.asNode(name: "run_inner"), Node("square", inputs: "x", output: "sq") { (x: Int) in x * x },
            ],
            name: "middle")
        let outer = try Pipeline(
            nodes: [
                try middle.asNode(name: "run_middle"),
                Node("report", inputs: "result", output: "text") { (r: Int) in "\(r)" },
            ], name: "outer", callbacks: [feeder])
        _ = try await outer.run(inputs: ["x": 3])
        let model = feeder.snapshot
        let root = try row(model, "outer")
        #expect(root.nodesDone == 2 && root.nodesTotal == 2 && root.status == .ok)
        let runMiddle = try row(model, "outer", "run_middle")
        #expect(runMiddle.nodesDone == 2 && runMiddle.nodesTotal == 2)
        let runInner = try row(model, "outer", "run_middle", "run_inner")
        #expect(runInner.nodesDone == 2 && runInner.nodesTotal == 2)
        #expect(try row(model, "outer", "run_middle", "run_inner", "add_one").status == .ok)
        // Names, never ids.
        #expect(
            Set(model.rowIDs.compactMap { model[$0]?.name }) == [
                "outer", "run_middle", "run_inner", "double", "add_one", "square", "report",
            ])
    }

    @Test("a concurrent map counts every item once and aggregates nodes by name")
    func concurrentMap() async throws {
        let feeder = ModelFeeder()
        let items = try Pipeline(nodes: [Self.double, Self.addOne], name: "per_item")
        let outer = try Pipeline(
            nodes: [try items.asNode(name: "each", mapOver: ["x"])], name: "outer", callbacks: [feeder],
            maxConcurrency: 4)
        _ = try await outer.run(inputs: ["x": Array(0..<300)])
        let model = feeder.snapshot
        let each = try row(model, "outer", "each")
        let map = try #require(each.map)
        #expect(map.total == 300 && map.ended == 300 && map.running == 0 && map.failed == 0)
        #expect(map.executed == 600 && map.cacheHits == 0)
        #expect(each.children.compactMap { model[$0]?.name } == ["double", "add_one"])
        for child in each.children {
            let counts = try #require(model[child]?.counts)
            #expect(counts.ok == 300 && counts.running == 0 && counts.failed == 0)
        }
        #expect(try row(model, "outer").nodesDone == 1)
    }

    @Test("a cached rerun shows cached rows and still counts every node once")
    func cachedRerun() async throws {
        let directory = TemporaryDirectory()
        let nodes = [
            Node("double", inputs: "x", output: "doubled", codeVersion: "1") { (x: Int) in x * 2 },
            Node("add_one", inputs: "doubled", output: "result", codeVersion: "1") { (d: Int) in d + 1 },
        ]
        _ = try await Pipeline(nodes: nodes, name: "arith", cache: DiskCache(directory: directory.url)).run(
            inputs: ["x": 1])
        let feeder = ModelFeeder()
        _ = try await Pipeline(
            nodes: nodes, name: "arith", cache: DiskCache(directory: directory.url), callbacks: [feeder]
        ).run(inputs: ["x": 1])
        let model = feeder.snapshot
        let root = try row(model, "arith")
        #expect(root.nodesDone == 2)
        #expect(root.children.compactMap { model[$0]?.status } == [.cached, .cached])
    }

    @Test("a top-level map is a root map row; finished runs can be removed")
    func topLevelMapAndRemoval() async throws {
        let feeder = ModelFeeder()
        let pipeline = try Pipeline(nodes: [Self.double, Self.addOne], name: "arith", callbacks: [feeder])
        _ = try await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])
        _ = try await pipeline.run(inputs: ["x": 1])
        var model = feeder.snapshot
        #expect(model.roots.count == 2)
        let map = try #require(model[model.roots[0]])
        #expect(map.kind == .map && map.map?.ended == 3 && map.status == .ok)
        #expect(model.finishedRoots == model.roots)
        model.remove(roots: model.finishedRoots)
        #expect(model.roots.isEmpty && model.isEmpty)
    }

    @Test("the item rate is smoothed like tqdm's, sampled at most every 100 ms")
    func smoothedRate() {
        var map = MapRowProgress(total: 100, start: 0)
        #expect(map.rate(start: 0, now: 0) == nil)
        for i in 1...10 { map.itemEnded(status: .ok, at: UInt64(i) * 10_000_000) }  // 100 items/s for 0.1 s
        #expect(map.smoothedRate == 100)
        for i in 1...20 { map.itemEnded(status: .ok, at: 100_000_000 + UInt64(i) * 5_000_000) }  // then 200/s
        #expect(abs((map.smoothedRate ?? 0) - (0.3 * 200 + 0.7 * 100)) < 1e-6)
        #expect(map.ended == 30)
        map.itemEnded(status: .error, at: 300_000_000)
        #expect(map.failed == 1 && map.ended == 31)
    }

    @Test("events of unknown spans (a callback added mid-run) are ignored, not fatal")
    func unknownSpans() {
        var model = ProgressModel()
        let orphan = PipelineEvent(
            kind: .nodeEnd, status: .ok, runID: 9, spanID: SpanID(rawValue: 5), parentSpanID: SpanID(rawValue: 4),
            name: "late", timestamp: 10, duration: 5)
        #expect(model.apply(orphan, context: ProgressEventContext(runStartTime: 0, totalNodes: 1)) == .other)
        #expect(model.isEmpty)
    }
}
