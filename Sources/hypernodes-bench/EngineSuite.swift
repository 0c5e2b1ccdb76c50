import Foundation
import HyperNodes
import Synchronization

/// A callback that does nothing: every hook keeps its no-op default.
struct NoOpCallback: PipelineCallback {}

/// Counts the events it receives (used only outside timed regions, to check
/// how many events a run emits).
final class EventCounter: PipelineCallback {
    let count = Atomic<Int>(0)
    func handle(_ event: PipelineEvent, context: CallbackContext) {
        count.add(1, ordering: .relaxed)
    }
}

/// Counts executions of node bodies (used to prove cache hits).
final class BodyCounter: Sendable {
    let count = Atomic<Int>(0)
}

/// The `engine` suite.
enum EngineSuite {
    enum Group: String, CaseIterable, Hashable {
        case chain, map3, emit, overhead, cache
    }

    struct Config {
        let quick: Bool
        let groups: Set<Group>

        var chainRuns: Int { quick ? 2_000 : 10_000 }
        var chainWarmups: Int { quick ? 1 : 2 }
        var chainSamples: Int { quick ? 3 : 11 }
        var emitSamples: Int { quick ? 3 : 9 }
        var mapItems: Int { 100_000 }
        var mapWarmups: Int { 1 }
        var mapSamples: Int { quick ? 3 : 9 }
        var overheadSamples: Int { quick ? 3 : 9 }
        var cacheSamples: Int { quick ? 3 : 9 }
        var cacheBatchTargetNs: Double { quick ? 20e6 : 100e6 }
    }

    static let chainLength = 10

    /// Results are collected and printed at the end, required figures first.
    struct Figure {
        let name: String
        let value: Double
        let unit: String
        let decimals: Int
    }

    static let requiredOrder = ["run_chain10_us", "map3_items_per_s", "emit_ns", "map3_overhead_pct"]

    // MARK: Pipelines

    /// Node i reads `v{i}` and writes `v{i+1}` = `v{i}` + 1.
    static func chainNodes(counter: BodyCounter? = nil) -> [Node] {
        (0..<chainLength).map { i in
            if let counter {
                return Node("n\(i)", inputs: Input<Int>("v\(i)"), output: Output<Int>("v\(i + 1)")) {
                    (x: Int) in
                    counter.count.add(1, ordering: .relaxed)
                    return x + 1
                }
            }
            return Node("n\(i)", inputs: Input<Int>("v\(i)"), output: Output<Int>("v\(i + 1)")) {
                (x: Int) in x + 1
            }
        }
    }

    /// a = x + 1, b = 2a, c = b - 3.
    static func map3Nodes() -> [Node] {
        [
            Node("a", inputs: "x", output: "a") { (x: Int) in x + 1 },
            Node("b", inputs: "a", output: "b") { (a: Int) in 2 * a },
            Node("c", inputs: "b", output: "c") { (b: Int) in b - 3 },
        ]
    }

    static func callbacks(sink: AsyncCallback?) -> [any PipelineCallback] {
        sink.map { [NoOpCallback(), $0] } ?? [NoOpCallback()]
    }

    // MARK: Timed loops

    /// Runs the chain `runs` times (then flushes `sink`, if any) and returns
    /// nanoseconds per run. The inputs dictionary is built once by the caller.
    static func timeChain(
        _ pipeline: Pipeline, inputs: [String: any Sendable], runs: Int, sink: AsyncCallback? = nil
    ) async throws -> Double {
        var last: PipelineResult?
        let start = Harness.clock.now
        for _ in 0..<runs {
            last = try await pipeline.run(inputs: inputs)
        }
        sink?.flush()
        let elapsed = Harness.clock.now - start
        let expected = (inputs["v0"] as! Int) + chainLength
        guard let value = last?["v\(chainLength)", as: Int.self], value == expected else {
            Harness.fail("chain run returned \(String(describing: last?["v\(chainLength)"])), expected \(expected)")
        }
        return Harness.nanoseconds(elapsed) / Double(runs)
    }

    /// One `map` of map3 over `items` (then flushes `sink`, if any); returns
    /// the elapsed nanoseconds. The result is checked outside the timed region.
    static func timeMap(
        _ pipeline: Pipeline, inputs: [String: any Sendable], items: Int, sink: AsyncCallback? = nil
    ) async throws -> Double {
        let start = Harness.clock.now
        let result = try await pipeline.map(inputs: inputs, over: ["x"])
        sink?.flush()
        let elapsed = Harness.clock.now - start
        try verifyMap3(result, items: items)
        return Harness.nanoseconds(elapsed)
    }

    /// For x = 0..<n: c = 2(x + 1) - 3 = 2x - 1, so Σc = n(n - 1) - n = n(n - 2).
    static func verifyMap3(_ result: MapResult, items: Int) throws {
        guard result.count == items else {
            Harness.fail("map3 returned \(result.count) items, expected \(items)")
        }
        let cs = try result.values("c", as: Int.self)
        var sum = 0
        for c in cs { sum &+= c }
        let expected = items * (items - 2)
        guard sum == expected, cs.first == -1, cs.last == 2 * (items - 1) - 1 else {
            Harness.fail("map3 sum of c is \(sum), expected \(expected)")
        }
    }

    // MARK: Suite

    static func runAll(_ config: Config) async throws {
        Harness.log(
            "hypernodes-bench engine: \(config.quick ? "quick" : "full") mode, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores, groups: "
                + Group.allCases.filter { config.groups.contains($0) }.map(\.rawValue).joined(separator: ","))
        var figures: [Figure] = []
        let all = Group.allCases.filter { config.groups.contains($0) }
        for group in all {
            let started = Harness.clock.now
            let load = ForeignLoad()
            switch group {
            case .chain: figures += try await chain(config)
            case .map3: figures += try await map3(config)
            case .emit: figures += try await emit(config)
            case .overhead: figures += try await overhead(config)
            case .cache: figures += try await cache(config)
            }
            let took = Harness.nanoseconds(Harness.clock.now - started) / 1e9
            if let foreign = load.cores() {
                Harness.log(
                    String(format: "  [%@ took %.1f s; other processes used %.2f cores]", group.rawValue, took, foreign)
                )
                if foreign > 0.25 {
                    Harness.log(
                        "  WARNING: the machine was busy during '\(group.rawValue)'; its figures are likely pessimistic"
                    )
                }
            } else {
                Harness.log(String(format: "  [%@ took %.1f s]", group.rawValue, took))
            }
        }
        let required = requiredOrder.compactMap { name in figures.first { $0.name == name } }
        let extra = figures.filter { !requiredOrder.contains($0.name) }
        for figure in required + extra {
            Harness.report(figure.name, figure.value, figure.unit, decimals: figure.decimals)
        }
    }

    /// run_chain10_us: batches of runs without callbacks or cache.
    static func chain(_ config: Config) async throws -> [Figure] {
        let pipeline = try Pipeline(nodes: chainNodes(), name: "chain10")
        let inputs: [String: any Sendable] = ["v0": 0]
        Harness.log(
            "chain10: \(config.chainWarmups) warm-up + \(config.chainSamples) batches of \(config.chainRuns) runs")
        for _ in 0..<config.chainWarmups {
            _ = try await timeChain(pipeline, inputs: inputs, runs: config.chainRuns)
        }
        var samples: [Double] = []
        for _ in 0..<config.chainSamples {
            samples.append(try await timeChain(pipeline, inputs: inputs, runs: config.chainRuns))
        }
        Harness.log("  run_chain10_us: " + Harness.spread(samples, scale: 1e-3, unit: "us"))
        return [Figure(name: "run_chain10_us", value: Harness.median(samples) / 1e3, unit: "us", decimals: 3)]
    }

    /// map3_items_per_s (default concurrent mode) and, interleaved with it,
    /// the sequential execution mode.
    static func map3(_ config: Config) async throws -> [Figure] {
        let n = config.mapItems
        let concurrent = try Pipeline(nodes: map3Nodes(), name: "map3")
        var sequential = concurrent
        sequential.executionMode = .sequential
        let inputs: [String: any Sendable] = ["x": Array(0..<n)]
        Harness.log(
            "map3: \(config.mapWarmups) warm-up + \(config.mapSamples) maps of \(n) items, concurrent/sequential interleaved"
        )
        let samples = try await Harness.interleaved(
            warmups: config.mapWarmups, samples: config.mapSamples,
            [
                { try await timeMap(concurrent, inputs: inputs, items: n) },
                { try await timeMap(sequential, inputs: inputs, items: n) },
            ])
        let perSec = samples.map { $0.map { Double(n) / ($0 / 1e9) } }
        Harness.log("  map3_items_per_s: " + Harness.spread(perSec[0], scale: 1e-3, unit: "k items/s"))
        Harness.log("  map3_sequential_items_per_s: " + Harness.spread(perSec[1], scale: 1e-3, unit: "k items/s"))
        return [
            Figure(
                name: "map3_items_per_s", value: Double(n) / (Harness.median(samples[0]) / 1e9), unit: "items/s",
                decimals: 0),
            Figure(
                name: "map3_sequential_items_per_s", value: Double(n) / (Harness.median(samples[1]) / 1e9),
                unit: "items/s", decimals: 0),
        ]
    }

    /// Events emitted by one chain run, counted (not assumed).
    static func chainEventsPerRun() async throws -> Int {
        let counter = EventCounter()
        let pipeline = try Pipeline(nodes: chainNodes(), name: "chain10", callbacks: [counter])
        _ = try await pipeline.run(inputs: ["v0": 0])
        let events = counter.count.load(ordering: .relaxed)
        if events != 2 + 2 * chainLength {
            Harness.log("  WARNING: a chain run emitted \(events) events, expected \(2 + 2 * chainLength)")
        }
        return events
    }

    /// Events emitted by a map3 map over `items` items, counted.
    static func mapEvents(items: Int) async throws -> Int {
        let counter = EventCounter()
        let pipeline = try Pipeline(nodes: map3Nodes(), name: "map3", callbacks: [counter])
        _ = try await pipeline.map(inputs: ["x": Array(0..<items)], over: ["x"])
        return counter.count.load(ordering: .relaxed)
    }

    /// emit_ns: chain runs with [NoOpCallback(), AsyncCallback(NoOpCallback())]
    /// against no callbacks, interleaved batches; the sink is flushed inside
    /// the timed region once per batch. Also the sync-only variant.
    static func emit(_ config: Config) async throws -> [Figure] {
        let events = try await chainEventsPerRun()
        let runs = config.chainRuns
        let sink = AsyncCallback(NoOpCallback())
        let without = try Pipeline(nodes: chainNodes(), name: "chain10")
        let syncOnly = try Pipeline(nodes: chainNodes(), name: "chain10", callbacks: [NoOpCallback()])
        let with = try Pipeline(nodes: chainNodes(), name: "chain10", callbacks: callbacks(sink: sink))
        let inputs: [String: any Sendable] = ["v0": 0]
        Harness.log("emit: \(events) events/run, \(config.emitSamples) interleaved batches of \(runs) runs per variant")
        Harness.log(
            "  (PipelineEvent is \(MemoryLayout<PipelineEvent>.size) bytes, "
                + "EventQueue.Entry \(MemoryLayout<EventQueue.Entry>.size) bytes)")
        let samples = try await Harness.interleaved(
            warmups: 1, samples: config.emitSamples,
            [
                { try await timeChain(without, inputs: inputs, runs: runs) },
                { try await timeChain(syncOnly, inputs: inputs, runs: runs) },
                { try await timeChain(with, inputs: inputs, runs: runs, sink: sink) },
            ])
        let base = Harness.median(samples[0])
        let syncMedian = Harness.median(samples[1])
        let withMedian = Harness.median(samples[2])
        Harness.log("  chain10 without callbacks: " + Harness.spread(samples[0], scale: 1e-3, unit: "us"))
        Harness.log("  chain10 sync no-op only:   " + Harness.spread(samples[1], scale: 1e-3, unit: "us"))
        Harness.log("  chain10 sync + async sink: " + Harness.spread(samples[2], scale: 1e-3, unit: "us"))
        if sink.droppedCount != 0 { Harness.fail("the async sink dropped \(sink.droppedCount) events") }
        return [
            Figure(name: "emit_ns", value: (withMedian - base) / Double(events), unit: "ns", decimals: 1),
            Figure(name: "emit_sync_only_ns", value: (syncMedian - base) / Double(events), unit: "ns", decimals: 1),
            Figure(name: "run_chain10_with_callbacks_us", value: withMedian / 1e3, unit: "us", decimals: 3),
        ]
    }

    /// map3_overhead_pct: map3 with [NoOpCallback(), AsyncCallback(NoOpCallback())]
    /// against none, interleaved repetitions, flush inside the timed region.
    static func overhead(_ config: Config) async throws -> [Figure] {
        let n = config.mapItems
        let e10 = try await mapEvents(items: 10)
        let e20 = try await mapEvents(items: 20)
        let perItem = (e20 - e10) / 10
        let events = e10 - 10 * perItem + n * perItem
        let sink = AsyncCallback(NoOpCallback())
        let without = try Pipeline(nodes: map3Nodes(), name: "map3")
        let with = try Pipeline(nodes: map3Nodes(), name: "map3", callbacks: callbacks(sink: sink))
        let syncOnly = try Pipeline(nodes: map3Nodes(), name: "map3", callbacks: callbacks(sink: nil))
        let inputs: [String: any Sendable] = ["x": Array(0..<n)]
        Harness.log(
            "overhead: \(events) events per map (\(perItem)/item), \(config.overheadSamples) interleaved maps per variant"
        )
        let samples = try await Harness.interleaved(
            warmups: 1, samples: config.overheadSamples,
            [
                { try await timeMap(without, inputs: inputs, items: n) },
                { try await timeMap(with, inputs: inputs, items: n, sink: sink) },
                { try await timeMap(syncOnly, inputs: inputs, items: n) },
            ])
        let base = Harness.median(samples[0])
        let withMedian = Harness.median(samples[1])
        let syncMedian = Harness.median(samples[2])
        Harness.log("  map3 without callbacks: " + Harness.spread(samples[0], scale: 1e-6, unit: "ms"))
        Harness.log(
            "    in run order (ms): " + samples[0].map { String(format: "%.0f", $0 / 1e6) }.joined(separator: " "))
        Harness.log("  map3 sync + async sink: " + Harness.spread(samples[1], scale: 1e-6, unit: "ms"))
        Harness.log(
            "    in run order (ms): " + samples[1].map { String(format: "%.0f", $0 / 1e6) }.joined(separator: " "))
        Harness.log("  map3 sync no-op only:   " + Harness.spread(samples[2], scale: 1e-6, unit: "ms"))
        Harness.log(
            "    in run order (ms): " + samples[2].map { String(format: "%.0f", $0 / 1e6) }.joined(separator: " "))
        if sink.droppedCount != 0 { Harness.fail("the async sink dropped \(sink.droppedCount) events") }
        return [
            Figure(name: "map3_overhead_pct", value: 100 * (withMedian - base) / base, unit: "%", decimals: 2),
            Figure(
                name: "map3_overhead_sync_only_pct", value: 100 * (syncMedian - base) / base, unit: "%", decimals: 2),
            Figure(
                name: "map3_events_per_s", value: Double(events) / (withMedian / 1e9), unit: "events/s", decimals: 0),
            Figure(
                name: "map3_with_callbacks_items_per_s", value: Double(n) / (withMedian / 1e9), unit: "items/s",
                decimals: 0),
        ]
    }

    /// cache_hit_run_chain10_us: every node served from a DiskCache in a
    /// fresh temporary directory, filled by a first run.
    static func cache(_ config: Config) async throws -> [Figure] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hypernodes-bench-\(getpid())-\(UUID().uuidString)", isDirectory: true)
        Harness.registerTemporary(directory)
        defer { Harness.removeTemporaries() }
        let counter = BodyCounter()
        let pipeline = try Pipeline(
            nodes: chainNodes(counter: counter), name: "chain10", cache: DiskCache(directory: directory))
        let inputs: [String: any Sendable] = ["v0": 0]
        _ = try await timeChain(pipeline, inputs: inputs, runs: 1)  // fills the cache
        let filled = counter.count.load(ordering: .relaxed)
        guard filled == chainLength else { Harness.fail("the filling run executed \(filled) node bodies") }
        // Calibrate the batch size, then warm up.
        let probe = try await timeChain(pipeline, inputs: inputs, runs: 20)
        let runs = max(20, min(10_000, Int(config.cacheBatchTargetNs / probe)))
        Harness.log("cache: \(config.cacheSamples) batches of \(runs) cache-hit runs in \(directory.path)")
        _ = try await timeChain(pipeline, inputs: inputs, runs: runs)
        var samples: [Double] = []
        for _ in 0..<config.cacheSamples {
            samples.append(try await timeChain(pipeline, inputs: inputs, runs: runs))
        }
        let executed = counter.count.load(ordering: .relaxed) - filled
        guard executed == 0 else {
            Harness.fail("\(executed) node bodies ran although every node should hit the cache")
        }
        Harness.log("  cache_hit_run_chain10_us: " + Harness.spread(samples, scale: 1e-3, unit: "us"))
        return [Figure(name: "cache_hit_run_chain10_us", value: Harness.median(samples) / 1e3, unit: "us", decimals: 3)]
    }
}
