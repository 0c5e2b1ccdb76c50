import Foundation
import HyperNodes
import HyperNodesTelemetry
import InMemoryTracing
import Tracing

#if canImport(Glibc)
    import Glibc
#endif

/// The `compare` suite: the Swift side of `benchmarks/compare-python.sh`,
/// the scenarios `benchmarks/python/compare.py` runs with the Python library.
///
/// chain10 `run` and map3 `map` over 10,000 and 100,000 items, each bare,
/// with a ``ProgressCallback`` writing to a pseudo-terminal and to a file,
/// and with a ``TelemetryCallback`` recording into swift-distributed-tracing's
/// `InMemoryTracer`; every scenario on its own (not interleaved), a warm-up,
/// then timed rounds, the median reported, as the Python script does.
enum CompareSuite {
    struct Config {
        let quick: Bool
        /// Parts of figure names to measure (all when empty).
        var only: [String] = []

        var chainRounds: Int { quick ? 3 : 11 }
        var mapRounds10k: Int { quick ? 3 : 11 }
        var mapRounds100k: Int { quick ? 3 : 7 }
        /// The length of one timed batch of chain runs, as in the Python script.
        var batchSeconds: Double { quick ? 0.1 : 0.5 }

        func wants(_ name: String) -> Bool {
            only.isEmpty || only.contains { name.contains($0) }
        }
    }

    /// What a scenario attaches to its pipeline.
    enum Variant: String, CaseIterable {
        case bare
        case progressTTY = "progress_tty"
        case progressFile = "progress_file"
        case tracing
    }

    /// The size of the pseudo-terminal progress is drawn on.
    static let columns = 120
    static let rows = 40
    /// Spans of one chain10 run: the pipeline and its 10 nodes.
    static let spansPerChainRun = 1 + EngineSuite.chainLength
    /// Spans of a map: the map, and per item the item, its pipeline and 3 nodes.
    static func spansPerMap(items: Int) -> Int { 1 + 5 * items }

    static func runAll(_ config: Config) async throws {
        Harness.log(
            "hypernodes-bench compare: \(config.quick ? "quick" : "full") mode, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores; progress to a \(columns)x\(rows) "
                + "pseudo-terminal (read by cat) or a file; tracing into InMemoryTracer")
        var figures: [EngineSuite.Figure] = []
        let started = Harness.clock.now
        let load = ForeignLoad()
        for variant in Variant.allCases {
            if let figure = try await chain(config, variant) { figures.append(figure) }
        }
        for (items, rounds) in [(10_000, config.mapRounds10k), (100_000, config.mapRounds100k)] {
            for variant in Variant.allCases {
                if let figure = try await map3(config, variant, items: items, rounds: rounds) {
                    figures.append(figure)
                }
            }
            if let figure = try await map3Sequential(config, items: items, rounds: rounds) {
                figures.append(figure)
            }
        }
        let took = Harness.nanoseconds(Harness.clock.now - started) / 1e9
        if let foreign = load.cores() {
            Harness.log(String(format: "  [compare took %.1f s; other processes used %.2f cores]", took, foreign))
            if foreign > 0.25 {
                Harness.log("  WARNING: the machine was busy during 'compare'; its figures are likely pessimistic")
            }
        }
        for figure in figures {
            Harness.report(figure.name, figure.value, figure.unit, decimals: figure.decimals)
        }
    }

    // MARK: Variants

    /// The callbacks of one variant, and what it does at the end of a timed
    /// round (flush the progress display, inside the timed region) and after
    /// it (take the recorded spans and count them, outside).
    final class Attachment {
        let callbacks: [any PipelineCallback]
        private let progress: ProgressCallback?
        private let tracer: InMemoryTracer?
        private let terminal: PseudoTerminal?
        private let file: (descriptor: Int32, path: String)?

        init(_ variant: Variant) throws {
            var environment = ProcessInfo.processInfo.environment
            if (environment["TERM"] ?? "").isEmpty { environment["TERM"] = "xterm-256color" }
            var callbacks: [any PipelineCallback] = []
            var progress: ProgressCallback?
            var tracer: InMemoryTracer?
            var terminal: PseudoTerminal?
            var file: (descriptor: Int32, path: String)?
            switch variant {
            case .bare:
                break
            case .progressTTY:
                let opened = try PseudoTerminal(columns: CompareSuite.columns, rows: CompareSuite.rows)
                terminal = opened
                // `.auto`, as a program gets by default: the live tree on a terminal.
                let callback = try ProgressCallback(
                    options: ProgressOptions(output: .fileDescriptor(opened.slave), environment: environment))
                guard callback.mode == .tty else {
                    Harness.fail("progress on a pseudo-terminal chose \(callback.mode)")
                }
                progress = callback
                callbacks = [callback]
            case .progressFile:
                var template = Array("/tmp/hn-progress-XXXXXX".utf8CString)
                let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
                guard descriptor >= 0 else { Harness.fail("cannot create a file for progress output") }
                let path = String(cString: template)
                Harness.registerTemporary(URL(fileURLWithPath: path))
                file = (descriptor, path)
                // `.auto` on a file: plain lines.
                let callback = try ProgressCallback(
                    options: ProgressOptions(output: .fileDescriptor(descriptor), environment: environment))
                guard callback.mode == .plain else { Harness.fail("progress on a file chose \(callback.mode)") }
                progress = callback
                callbacks = [callback]
            case .tracing:
                let recording = InMemoryTracer()
                tracer = recording
                // The defaults: map items get spans, inputs and outputs are previewed.
                callbacks = [TelemetryCallback(tracer: recording)]
            }
            self.callbacks = callbacks
            self.progress = progress
            self.tracer = tracer
            self.terminal = terminal
            self.file = file
        }

        /// Waits until the progress display has drawn everything (inside the timed region).
        func flush() { progress?.flush() }

        /// Takes the recorded spans out of the tracer and checks their number.
        func take(expected: Int, _ what: @autoclosure () -> String) {
            guard let tracer else { return }
            let spans = tracer.popFinishedSpans().count
            guard spans == expected else { Harness.fail("\(what()) recorded \(spans) spans, expected \(expected)") }
        }

        func close() {
            progress?.close()
            terminal?.close()
            if let file {
                var status = stat()
                if fstat(file.descriptor, &status) == 0 {
                    Harness.log("    progress wrote \(status.st_size) bytes to the file")
                }
                Glibc.close(file.descriptor)
                unlink(file.path)
            }
        }
    }

    // MARK: Scenarios

    /// Seconds per run over `runs` consecutive chain10 runs; the last result is checked.
    static func timeChain(_ pipeline: Pipeline, runs: Int, _ attachment: Attachment) async throws -> Double {
        let inputs: [String: any Sendable] = ["v0": 0]
        var last: PipelineResult?
        let start = Harness.clock.now
        for _ in 0..<runs { last = try await pipeline.run(inputs: inputs) }
        attachment.flush()
        let elapsed = Harness.clock.now - start
        guard last?["v\(EngineSuite.chainLength)", as: Int.self] == EngineSuite.chainLength else {
            Harness.fail("chain run returned \(String(describing: last?["v\(EngineSuite.chainLength)"]))")
        }
        attachment.take(expected: runs * spansPerChainRun, "\(runs) chain runs")
        return Harness.nanoseconds(elapsed) / 1e9 / Double(runs)
    }

    /// Seconds for one map of map3 over `items`; results checked outside the timed region.
    static func timeMap(_ pipeline: Pipeline, items: Int, _ attachment: Attachment) async throws -> Double {
        let inputs: [String: any Sendable] = ["x": Array(0..<items)]
        let start = Harness.clock.now
        let result = try await pipeline.map(inputs: inputs, over: ["x"])
        attachment.flush()
        let elapsed = Harness.clock.now - start
        try EngineSuite.verifyMap3(result, items: items)
        attachment.take(expected: spansPerMap(items: items), "a map of \(items) items")
        return Harness.nanoseconds(elapsed) / 1e9
    }

    static func figure(_ name: String, _ samples: [Double], unit: String, scale: Double) -> EngineSuite.Figure {
        Harness.log("  \(name): " + Harness.spread(samples, scale: scale, unit: unit))
        return EngineSuite.Figure(name: name, value: Harness.median(samples) * scale, unit: unit, decimals: 3)
    }

    /// compare_chain10_run_<variant>: µs per run, batches of about `batchSeconds`.
    static func chain(_ config: Config, _ variant: Variant) async throws -> EngineSuite.Figure? {
        let name = "compare_chain10_run_\(variant.rawValue)"
        guard config.wants(name) else { return nil }
        let attachment = try Attachment(variant)
        defer { attachment.close() }
        let pipeline = try Pipeline(nodes: EngineSuite.chainNodes(), name: "chain10", callbacks: attachment.callbacks)
        // Warm-up, and a batch size of about `batchSeconds`.
        let probe = try await timeChain(pipeline, runs: 200, attachment)
        let runs = max(100, min(50_000, Int(config.batchSeconds / probe)))
        Harness.log("chain10 \(variant.rawValue): \(config.chainRounds) batches of \(runs) runs")
        var samples: [Double] = []
        for _ in 0..<config.chainRounds {
            samples.append(try await timeChain(pipeline, runs: runs, attachment))
        }
        return figure(name, samples, unit: "us", scale: 1e6)
    }

    /// compare_map3_<n>k_<variant>: ms per map, default (concurrent) execution.
    static func map3(_ config: Config, _ variant: Variant, items: Int, rounds: Int) async throws
        -> EngineSuite.Figure?
    {
        let name = "compare_map3_\(items / 1000)k_\(variant.rawValue)"
        guard config.wants(name) else { return nil }
        let attachment = try Attachment(variant)
        defer { attachment.close() }
        let pipeline = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: attachment.callbacks)
        Harness.log("map3 \(variant.rawValue): 1 warm-up of 500 items, \(rounds) maps of \(items) items")
        _ = try await timeMap(pipeline, items: 500, attachment)
        var samples: [Double] = []
        for _ in 0..<rounds {
            samples.append(try await timeMap(pipeline, items: items, attachment))
        }
        return figure(name, samples, unit: "ms", scale: 1e3)
    }

    /// compare_map3_<n>k_bare_sequential: as bare with one worker
    /// (`executionMode = .sequential`), the way the Python library's SeqEngine runs.
    static func map3Sequential(_ config: Config, items: Int, rounds: Int) async throws -> EngineSuite.Figure? {
        let name = "compare_map3_\(items / 1000)k_bare_sequential"
        guard config.wants(name) else { return nil }
        let attachment = try Attachment(.bare)
        var pipeline = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3")
        pipeline.executionMode = .sequential
        Harness.log("map3 bare, sequential: 1 warm-up of 500 items, \(rounds) maps of \(items) items")
        _ = try await timeMap(pipeline, items: 500, attachment)
        var samples: [Double] = []
        for _ in 0..<rounds {
            samples.append(try await timeMap(pipeline, items: items, attachment))
        }
        return figure(name, samples, unit: "ms", scale: 1e3)
    }
}
