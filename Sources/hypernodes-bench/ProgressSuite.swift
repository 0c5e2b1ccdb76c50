import Foundation
import HyperNodes
import HyperNodesTelemetry
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The `progress` suite: what a ``ProgressCallback`` drawing a live tree
/// (tty mode, into `/dev/null`) costs a pipeline, as ratios against runs
/// without callbacks measured in the same process, interleaved.
enum ProgressSuite {
    struct Config {
        let quick: Bool
        var chainRuns: Int { quick ? 2_000 : 10_000 }
        var chainSamples: Int { quick ? 3 : 11 }
        var mapItems: Int { 100_000 }
        var mapSamples: Int { quick ? 3 : 9 }
    }

    static let requiredOrder = ["progress_map3_overhead_pct", "progress_run_chain10_us", "run_chain10_us"]

    static func runAll(_ config: Config) async throws {
        Harness.log(
            "hypernodes-bench progress: \(config.quick ? "quick" : "full") mode, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores; ProgressCallback in tty mode writing to /dev/null"
        )
        let devNull = open("/dev/null", O_WRONLY)
        guard devNull >= 0 else { Harness.fail("cannot open /dev/null") }
        defer { close(devNull) }
        func progress() throws -> ProgressCallback {
            try ProgressCallback(
                options: ProgressOptions(
                    mode: .tty, output: .fileDescriptor(devNull), size: TerminalSize(columns: 120, rows: 40),
                    environment: ["TERM": "xterm-256color"]))
        }
        var figures: [EngineSuite.Figure] = []
        for (name, group) in [("model", model), ("chain", chain), ("map3", map3)]
            as [(String, (Config, () throws -> ProgressCallback) async throws -> [EngineSuite.Figure])]
        {
            let started = Harness.clock.now
            let load = ForeignLoad()
            figures += try await group(config, progress)
            let took = Harness.nanoseconds(Harness.clock.now - started) / 1e9
            if let foreign = load.cores() {
                Harness.log(String(format: "  [%@ took %.1f s; other processes used %.2f cores]", name, took, foreign))
                if foreign > 0.25 {
                    Harness.log("  WARNING: the machine was busy during '\(name)'; its figures are likely pessimistic")
                }
            }
        }
        let required = requiredOrder.compactMap { name in figures.first { $0.name == name } }
        let extra = figures.filter { !requiredOrder.contains($0.name) }
        for figure in required + extra {
            Harness.report(figure.name, figure.value, figure.unit, decimals: figure.decimals)
        }
    }

    /// Keeps every event with what the progress model needs of its context.
    final class Recorder: PipelineCallback {
        let events = Mutex<[(PipelineEvent, ProgressEventContext)]>([])
        func handle(_ event: PipelineEvent, context: CallbackContext) {
            events.withLock { $0.append((event, ProgressEventContext(context))) }
        }
    }

    /// progress_model_apply_ns: the cost per event of updating a
    /// ProgressModel (the work of the progress queue's thread), on events
    /// recorded from a map3 map and from chain10 runs, applied in one thread.
    static func model(_ config: Config, _ makeProgress: () throws -> ProgressCallback) async throws
        -> [EngineSuite.Figure]
    {
        let recorder = Recorder()
        let map = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [recorder])
        _ = try await map.map(inputs: ["x": Array(0..<20_000)], over: ["x"])
        let chain = try Pipeline(nodes: EngineSuite.chainNodes(), name: "chain10", callbacks: [recorder])
        for _ in 0..<1_000 { _ = try await chain.run(inputs: ["v0": 0]) }
        let events = recorder.events.withLock { $0 }
        Harness.log("model: \(config.chainSamples) passes over \(events.count) recorded events")
        var samples: [Double] = []
        for _ in 0..<(config.chainSamples + 1) {
            var model = ProgressModel()
            let start = Harness.clock.now
            for (event, context) in events {
                if case .finished(let id) = model.apply(event, context: context), model.isRoot(id) {
                    model.remove(roots: [id])
                }
            }
            let elapsed = Harness.nanoseconds(Harness.clock.now - start)
            if !model.isEmpty { Harness.fail("the model kept rows of finished runs") }
            samples.append(elapsed / Double(events.count))
        }
        samples.removeFirst()  // warm-up
        Harness.log("  progress_model_apply_ns: " + Harness.spread(samples, unit: "ns"))
        return [
            EngineSuite.Figure(name: "progress_model_apply_ns", value: Harness.median(samples), unit: "ns", decimals: 1)
        ]
    }

    /// Runs the chain `runs` times, then flushes `progress` (its queue and one
    /// redraw) inside the timed region; returns nanoseconds per run.
    static func timeChain(
        _ pipeline: Pipeline, runs: Int, progress: ProgressCallback?
    ) async throws -> Double {
        let inputs: [String: any Sendable] = ["v0": 0]
        var last: PipelineResult?
        let start = Harness.clock.now
        for _ in 0..<runs { last = try await pipeline.run(inputs: inputs) }
        progress?.flush()
        let elapsed = Harness.clock.now - start
        guard last?["v\(EngineSuite.chainLength)", as: Int.self] == EngineSuite.chainLength else {
            Harness.fail("chain run returned a wrong result")
        }
        return Harness.nanoseconds(elapsed) / Double(runs)
    }

    /// progress_run_chain10_us against run_chain10_us (no callbacks), interleaved batches.
    static func chain(_ config: Config, _ makeProgress: () throws -> ProgressCallback) async throws
        -> [EngineSuite.Figure]
    {
        let progress = try makeProgress()
        defer { progress.close() }
        let without = try Pipeline(nodes: EngineSuite.chainNodes(), name: "chain10")
        let with = try Pipeline(nodes: EngineSuite.chainNodes(), name: "chain10", callbacks: [progress])
        let runs = config.chainRuns
        Harness.log("chain10: \(config.chainSamples) interleaved batches of \(runs) runs, without / with progress")
        let samples = try await Harness.interleaved(
            warmups: 1, samples: config.chainSamples,
            [
                { try await timeChain(without, runs: runs, progress: nil) },
                { try await timeChain(with, runs: runs, progress: progress) },
            ])
        let base = Harness.median(samples[0])
        let withMedian = Harness.median(samples[1])
        Harness.log("  run_chain10_us:          " + Harness.spread(samples[0], scale: 1e-3, unit: "us"))
        Harness.log("  progress_run_chain10_us: " + Harness.spread(samples[1], scale: 1e-3, unit: "us"))
        let model = progress.model
        if !model.roots.isEmpty { Harness.fail("\(model.roots.count) chain runs were never summarised") }
        return [
            EngineSuite.Figure(name: "run_chain10_us", value: base / 1e3, unit: "us", decimals: 3),
            EngineSuite.Figure(name: "progress_run_chain10_us", value: withMedian / 1e3, unit: "us", decimals: 3),
            EngineSuite.Figure(name: "progress_run_chain10_ratio", value: withMedian / base, unit: "x", decimals: 2),
        ]
    }

    /// One map of map3 over `items` items, flushing `progress` inside the
    /// timed region; returns nanoseconds.
    static func timeMap(_ pipeline: Pipeline, items: Int, progress: ProgressCallback?, sink: AsyncCallback?)
        async throws -> Double
    {
        let inputs: [String: any Sendable] = ["x": Array(0..<items)]
        let start = Harness.clock.now
        let result = try await pipeline.map(inputs: inputs, over: ["x"])
        progress?.flush()
        sink?.flush()
        let elapsed = Harness.clock.now - start
        try EngineSuite.verifyMap3(result, items: items)
        return Harness.nanoseconds(elapsed)
    }

    /// progress_map3_overhead_pct: map3 with a ProgressCallback against none;
    /// also an AsyncCallback(NoOpCallback()), the cost of the event queue alone.
    static func map3(_ config: Config, _ makeProgress: () throws -> ProgressCallback) async throws
        -> [EngineSuite.Figure]
    {
        let n = config.mapItems
        let progress = try makeProgress()
        defer { progress.close() }
        let sink = AsyncCallback(NoOpCallback())
        let without = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3")
        let with = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [progress])
        let queueOnly = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [sink])
        Harness.log(
            "map3: \(config.mapSamples) interleaved maps of \(n) items, without / with progress / with a no-op AsyncCallback"
        )
        let samples = try await Harness.interleaved(
            warmups: 1, samples: config.mapSamples,
            [
                { try await timeMap(without, items: n, progress: nil, sink: nil) },
                { try await timeMap(with, items: n, progress: progress, sink: nil) },
                { try await timeMap(queueOnly, items: n, progress: nil, sink: sink) },
            ])
        let base = Harness.median(samples[0])
        let withMedian = Harness.median(samples[1])
        let queueMedian = Harness.median(samples[2])
        Harness.log("  map3 without callbacks: " + Harness.spread(samples[0], scale: 1e-6, unit: "ms"))
        Harness.log("  map3 with progress:     " + Harness.spread(samples[1], scale: 1e-6, unit: "ms"))
        Harness.log("  map3 no-op async sink:  " + Harness.spread(samples[2], scale: 1e-6, unit: "ms"))
        return [
            EngineSuite.Figure(
                name: "progress_map3_overhead_pct", value: 100 * (withMedian - base) / base, unit: "%", decimals: 2),
            EngineSuite.Figure(
                name: "progress_map3_queue_only_overhead_pct", value: 100 * (queueMedian - base) / base, unit: "%",
                decimals: 2),
            EngineSuite.Figure(
                name: "progress_map3_items_per_s", value: Double(n) / (withMedian / 1e9), unit: "items/s", decimals: 0),
        ]
    }
}
