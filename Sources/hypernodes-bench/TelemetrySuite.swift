import Foundation
import HyperNodes
import HyperNodesTelemetry
import InMemoryTracing
import Tracing

/// The `telemetry` suite: what `TelemetryCallback` costs per span, with
/// swift-distributed-tracing's no-op tracer and with its in-memory recording
/// tracer, and what it adds to a map.
enum TelemetrySuite {
    struct Config {
        let quick: Bool

        var chainRuns: Int { quick ? 1_000 : 5_000 }
        var chainSamples: Int { quick ? 3 : 9 }
        var mapItems: Int { 10_000 }
        var mapSamples: Int { quick ? 3 : 9 }
    }

    /// Spans of one chain10 run: the pipeline and its 10 nodes.
    static let spansPerChainRun = 1 + EngineSuite.chainLength

    static func runAll(_ config: Config) async throws {
        Harness.log(
            "hypernodes-bench telemetry: \(config.quick ? "quick" : "full") mode, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        var figures: [EngineSuite.Figure] = []
        for (name, group) in [("span", span), ("map3", map3)]
            as [(String, (Config) async throws -> [EngineSuite.Figure])]
        {
            let started = Harness.clock.now
            let load = ForeignLoad()
            figures += try await group(config)
            let took = Harness.nanoseconds(Harness.clock.now - started) / 1e9
            if let foreign = load.cores() {
                Harness.log(String(format: "  [%@ took %.1f s; other processes used %.2f cores]", name, took, foreign))
                if foreign > 0.25 {
                    Harness.log("  WARNING: the machine was busy during '\(name)'; its figures are likely pessimistic")
                }
            }
        }
        for figure in figures {
            Harness.report(figure.name, figure.value, figure.unit, decimals: figure.decimals)
        }
    }

    /// Runs chain10 `runs` times and returns nanoseconds per run; `tracer`, if
    /// given, is emptied after the timed region and its span count checked.
    static func timeChain(
        _ pipeline: Pipeline, runs: Int, tracer: InMemoryTracer? = nil
    ) async throws -> Double {
        let perRun = try await EngineSuite.timeChain(pipeline, inputs: ["v0": 0], runs: runs)
        if let tracer {
            let spans = tracer.popFinishedSpans()
            guard spans.count == runs * spansPerChainRun else {
                Harness.fail("\(runs) chain runs recorded \(spans.count) spans, expected \(runs * spansPerChainRun)")
            }
            guard tracer.activeSpans.isEmpty else { Harness.fail("spans were left open after chain runs") }
        }
        return perRun
    }

    /// The tracer's own share: `runs` times, a root span and 10 child spans
    /// started and ended directly on `tracer`, as the callback does for one
    /// chain10 run, without the engine or the callback. Nanoseconds per run.
    static func timeTracerAlone(_ tracer: InMemoryTracer, runs: Int) -> Double {
        let start = Harness.clock.now
        for _ in 0..<runs {
            let root = tracer.startSpan("pipeline chain10", context: .topLevel)
            for i in 0..<EngineSuite.chainLength {
                tracer.startSpan(nodeNames[i], context: root.context).end()
            }
            root.end()
        }
        let elapsed = Harness.clock.now - start
        let spans = tracer.popFinishedSpans().count
        guard spans == runs * spansPerChainRun else {
            Harness.fail("the tracer alone recorded \(spans) spans, expected \(runs * spansPerChainRun)")
        }
        return Harness.nanoseconds(elapsed) / Double(runs)
    }

    static let nodeNames = (0..<EngineSuite.chainLength).map { "node n\($0)" }

    /// telemetry_span_us: chain10 with `TelemetryCallback` (previews off)
    /// against chain10 without callbacks, interleaved batches; the difference
    /// per span. With the in-memory tracer (the target), the no-op tracer, and
    /// the in-memory tracer with previews.
    static func span(_ config: Config) async throws -> [EngineSuite.Figure] {
        let runs = config.chainRuns
        let memory = InMemoryTracer()
        let memoryPreviews = InMemoryTracer()
        let alone = InMemoryTracer()
        let without = try Pipeline(nodes: EngineSuite.chainNodes(), name: "chain10")
        let noop = try Pipeline(
            nodes: EngineSuite.chainNodes(), name: "chain10",
            callbacks: [TelemetryCallback(tracer: NoOpTracer(), previews: false)])
        let recorded = try Pipeline(
            nodes: EngineSuite.chainNodes(), name: "chain10",
            callbacks: [TelemetryCallback(tracer: memory, previews: false)])
        let previews = try Pipeline(
            nodes: EngineSuite.chainNodes(), name: "chain10",
            callbacks: [TelemetryCallback(tracer: memoryPreviews, previews: true)])
        Harness.log(
            "span: \(spansPerChainRun) spans/run, \(config.chainSamples) interleaved batches of \(runs) chain10 runs per variant"
        )
        let samples = try await Harness.interleaved(
            warmups: 1, samples: config.chainSamples,
            [
                { try await timeChain(without, runs: runs) },
                { try await timeChain(noop, runs: runs) },
                { try await timeChain(recorded, runs: runs, tracer: memory) },
                { try await timeChain(previews, runs: runs, tracer: memoryPreviews) },
                { timeTracerAlone(alone, runs: runs) },
            ])
        let base = Harness.median(samples[0])
        func perSpan(_ k: Int) -> Double { (Harness.median(samples[k]) - base) / Double(spansPerChainRun) / 1e3 }
        Harness.log("  chain10 without callbacks:       " + Harness.spread(samples[0], scale: 1e-3, unit: "us"))
        Harness.log("  chain10 + no-op tracer:          " + Harness.spread(samples[1], scale: 1e-3, unit: "us"))
        Harness.log("  chain10 + in-memory tracer:      " + Harness.spread(samples[2], scale: 1e-3, unit: "us"))
        Harness.log("  chain10 + in-memory + previews:  " + Harness.spread(samples[3], scale: 1e-3, unit: "us"))
        Harness.log("  in-memory tracer alone, 11 spans:" + Harness.spread(samples[4], scale: 1e-3, unit: "us"))
        return [
            EngineSuite.Figure(name: "telemetry_span_us", value: perSpan(2), unit: "us", decimals: 3),
            EngineSuite.Figure(name: "telemetry_span_noop_us", value: perSpan(1), unit: "us", decimals: 3),
            EngineSuite.Figure(name: "telemetry_span_previews_us", value: perSpan(3), unit: "us", decimals: 3),
            EngineSuite.Figure(
                name: "telemetry_inmemory_tracer_alone_us",
                value: Harness.median(samples[4]) / Double(spansPerChainRun) / 1e3, unit: "us", decimals: 3),
        ]
    }

    /// One map of map3 over `items`; the tracer is emptied after the timed region.
    static func timeMap(
        _ pipeline: Pipeline, inputs: [String: any Sendable], items: Int, tracer: InMemoryTracer?,
        spansPerItem: Int
    ) async throws -> Double {
        let elapsed = try await EngineSuite.timeMap(pipeline, inputs: inputs, items: items)
        if let tracer {
            let spans = tracer.popFinishedSpans().count
            guard spans == 1 + items * spansPerItem else {
                Harness.fail("a map of \(items) items recorded \(spans) spans, expected \(1 + items * spansPerItem)")
            }
        }
        return elapsed
    }

    /// telemetry_map3_overhead_pct: map3 with `TelemetryCallback` and the
    /// in-memory tracer (previews off) against map3 without callbacks, per-item
    /// spans on and off, interleaved.
    static func map3(_ config: Config) async throws -> [EngineSuite.Figure] {
        let n = config.mapItems
        let items = InMemoryTracer()
        let noItems = InMemoryTracer()
        let without = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3")
        let withItems = try Pipeline(
            nodes: EngineSuite.map3Nodes(), name: "map3",
            callbacks: [TelemetryCallback(tracer: items, traceMapItems: true, previews: false)])
        let withoutItems = try Pipeline(
            nodes: EngineSuite.map3Nodes(), name: "map3",
            callbacks: [TelemetryCallback(tracer: noItems, traceMapItems: false, previews: false)])
        let inputs: [String: any Sendable] = ["x": Array(0..<n)]
        Harness.log("map3: \(config.mapSamples) interleaved maps of \(n) items per variant")
        let samples = try await Harness.interleaved(
            warmups: 1, samples: config.mapSamples,
            [
                { try await timeMap(without, inputs: inputs, items: n, tracer: nil, spansPerItem: 0) },
                { try await timeMap(withItems, inputs: inputs, items: n, tracer: items, spansPerItem: 5) },
                { try await timeMap(withoutItems, inputs: inputs, items: n, tracer: noItems, spansPerItem: 4) },
            ])
        let base = Harness.median(samples[0])
        Harness.log("  map3 without callbacks:        " + Harness.spread(samples[0], scale: 1e-6, unit: "ms"))
        Harness.log("  map3 + spans, item spans on:   " + Harness.spread(samples[1], scale: 1e-6, unit: "ms"))
        Harness.log("  map3 + spans, item spans off:  " + Harness.spread(samples[2], scale: 1e-6, unit: "ms"))
        func overhead(_ k: Int) -> Double { 100 * (Harness.median(samples[k]) - base) / base }
        return [
            EngineSuite.Figure(name: "telemetry_map3_overhead_pct", value: overhead(1), unit: "%", decimals: 1),
            EngineSuite.Figure(
                name: "telemetry_map3_no_item_spans_overhead_pct", value: overhead(2), unit: "%", decimals: 1),
            EngineSuite.Figure(
                name: "telemetry_map3_items_per_s", value: Double(n) / (Harness.median(samples[1]) / 1e9),
                unit: "items/s", decimals: 0),
        ]
    }
}
