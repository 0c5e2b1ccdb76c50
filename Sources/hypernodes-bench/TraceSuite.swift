import Foundation
import HyperNodes
import HyperNodesTrace
import Synchronization

#if canImport(Glibc)
    import Glibc

    /// glibc's `malloc_trim`: hands freed heap memory back to the system (not in the Glibc module).
    @_silgen_name("malloc_trim")
    private func collectorMallocTrim(_ pad: Int) -> Int32
#else
    private func collectorMallocTrim(_ pad: Int) -> Int32 { 0 }
#endif

/// Keeps every event with its context, so the recorder can be timed on
/// real events without the pipeline that produced them.
final class EventCapture: PipelineCallback {
    let entries = Mutex<[(PipelineEvent, CallbackContext)]>([])
    func handle(_ event: PipelineEvent, context: CallbackContext) {
        entries.withLock { $0.append((event, context)) }
    }
}

/// The `trace` suite: recorder and reader throughput, time to the first
/// event, and what recording costs a map and the demo pipeline.
enum TraceSuite {
    enum Group: String, CaseIterable, Hashable {
        case record, read, overhead, collector, demo
    }

    struct Config {
        let quick: Bool
        var groups = Set(Group.allCases)
        var samples: Int { quick ? 3 : 7 }
        var mapItems: Int { 100_000 }
        var demoSamples: Int { quick ? 2 : 9 }
        var memoryRuns: Int { quick ? 3 : 6 }
    }

    /// Where the suite's files go: a directory next to the benchmark binary
    /// (the build directory), removed at the end.
    static func workDirectory() throws -> URL {
        let base =
            Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let url = base.appendingPathComponent("bench-trace-\(getpid())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        Harness.registerTemporary(url)
        return url
    }

    static func runAll(_ config: Config) async throws {
        let directory = try workDirectory()
        var figures: [EngineSuite.Figure] = []
        // Reading needs the file that recording writes.
        if config.groups.contains(.record) || config.groups.contains(.read) {
            figures += try await record(config, directory: directory)
        }
        if config.groups.contains(.read) { figures += try read(config, directory: directory) }
        if config.groups.contains(.overhead) { figures += try await overhead(config, directory: directory) }
        if config.groups.contains(.collector) { figures += try await collectorMemory(config, directory: directory) }
        if config.groups.contains(.demo) { figures += try demoOverhead(config, directory: directory) }
        Harness.removeTemporaries()
        for figure in figures {
            Harness.report(figure.name, figure.value, figure.unit, decimals: figure.decimals)
        }
    }

    /// record_events_per_s: real events of a 100,000-item map3, captured once,
    /// handed to a recorder writing a file; timed until the file has them all.
    static func record(_ config: Config, directory: URL) async throws -> [EngineSuite.Figure] {
        let capture = EventCapture()
        let pipeline = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [capture])
        _ = try await pipeline.map(inputs: ["x": Array(0..<config.mapItems)], over: ["x"])
        let entries = capture.entries.withLock { $0 }
        let path = directory.appendingPathComponent("record.jsonl").path
        var samples: [Double] = []
        var cpu: [Double] = []
        var bytes = 0
        for _ in 0..<(config.samples + 1) {
            let recorder = try TraceRecorder(path: path)
            let cpuStart = ForeignLoad.ownCPUSeconds()
            let start = Harness.clock.now
            for (event, context) in entries { recorder.handle(event, context: context) }
            recorder.flush()
            let elapsed = Harness.nanoseconds(Harness.clock.now - start)
            cpu.append((ForeignLoad.ownCPUSeconds() - cpuStart) * 1e9 / Double(entries.count))
            recorder.close()
            if let error = recorder.error { Harness.fail("recorder: \(error)") }
            samples.append(elapsed)
            bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        samples.removeFirst()  // warm-up
        cpu.removeFirst()
        Harness.log("record: CPU time (all threads) per event " + Harness.spread(cpu, unit: "ns"))
        let perSecond = samples.map { Double(entries.count) / ($0 / 1e9) }
        Harness.log(
            "record: \(entries.count) events, \(bytes / entries.count) bytes/event; "
                + Harness.spread(perSecond, scale: 1e-6, unit: "M events/s"))
        return [
            EngineSuite.Figure(
                name: "record_events_per_s", value: Harness.median(perSecond), unit: "events/s", decimals: 0),
            EngineSuite.Figure(
                name: "record_mb_per_s", value: Harness.median(perSecond) * Double(bytes / entries.count) / 1e6,
                unit: "MB/s", decimals: 1),
        ]
    }

    /// read_events_per_s and read_first_event_ms on a file of 1,000,000 events.
    static func read(_ config: Config, directory: URL) throws -> [EngineSuite.Figure] {
        let source = directory.appendingPathComponent("record.jsonl").path
        let path = directory.appendingPathComponent("million.jsonl").path
        // The recorded map3 file holds about a million events: pad or cut to exactly 1,000,000.
        let lines = try Data(contentsOf: URL(fileURLWithPath: source)).split(separator: 0x0A)
        guard lines.count > 2 else { Harness.fail("read: the recorded file is empty") }
        var eventLines = lines.dropFirst().filter { $0.starts(with: Array(#"{"type":"map_item"#.utf8)) }
        while eventLines.count < 1_000_000 { eventLines += eventLines.prefix(1_000_000 - eventLines.count) }
        var output = Data(lines[0])
        output.append(0x0A)
        for line in eventLines.prefix(1_000_000) {
            output.append(line)
            output.append(0x0A)
        }
        try output.write(to: URL(fileURLWithPath: path))

        var throughput: [Double] = []
        var firstEvent: [Double] = []
        for _ in 0..<(config.samples + 1) {
            let start = Harness.clock.now
            let reader = try TraceReader(path: path)
            let iterator = reader.makeIterator()
            guard case .record = iterator.next() else { Harness.fail("read: no first record") }
            let first = Harness.nanoseconds(Harness.clock.now - start)
            var count = 1
            while let element = iterator.next() {
                if case .problem(let problem) = element { Harness.fail("read: \(problem)") }
                count += 1
            }
            let total = Harness.nanoseconds(Harness.clock.now - start)
            guard count == 1_000_000 else { Harness.fail("read: \(count) events, expected 1,000,000") }
            throughput.append(Double(count) / (total / 1e9))
            firstEvent.append(first / 1e6)
        }
        throughput.removeFirst()
        firstEvent.removeFirst()
        Harness.log(
            "read: \(output.count / 1_000_000) MB file; " + Harness.spread(throughput, scale: 1e-6, unit: "M events/s"))
        Harness.log("read: first event " + Harness.spread(firstEvent, unit: "ms"))
        return [
            EngineSuite.Figure(
                name: "read_events_per_s", value: Harness.median(throughput), unit: "events/s", decimals: 0),
            EngineSuite.Figure(
                name: "read_first_event_ms", value: Harness.median(firstEvent), unit: "ms", decimals: 3),
        ]
    }

    /// recorder_map3_overhead_pct: map3 over 100,000 items with a recorder
    /// (per-item spans on; the file complete when `map` returns) against none.
    /// collector_map3_overhead_pct: the same with a `TraceCollector` (default
    /// options), until every event is processed (`flush()`); reading the run
    /// back (`lastRun`) is timed apart (collector_map3_read_ms).
    static func overhead(_ config: Config, directory: URL) async throws -> [EngineSuite.Figure] {
        let n = config.mapItems
        let inputs: [String: any Sendable] = ["x": Array(0..<n)]
        let path = directory.appendingPathComponent("overhead.jsonl").path
        let recorder = try TraceRecorder(path: path)
        var options = TraceRecorder.Options()
        options.itemSpans = false
        let itemsOff = try TraceRecorder(path: path + ".items-off", options: options)
        let without = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3")
        let with = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [recorder])
        let withItemsOff = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [itemsOff])
        let collector = TraceCollector()
        let reads = Reads()
        let withCollector = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [collector])
        let samples = try await Harness.interleaved(
            warmups: 1, samples: config.samples,
            [
                { try await EngineSuite.timeMap(without, inputs: inputs, items: n) },
                { try await EngineSuite.timeMap(with, inputs: inputs, items: n) },
                { try await EngineSuite.timeMap(withItemsOff, inputs: inputs, items: n) },
                {
                    try await timeCollected(withCollector, collector: collector, inputs: inputs, items: n, reads: reads)
                },
            ])
        if let error = recorder.error ?? itemsOff.error { Harness.fail("recorder: \(error)") }
        let base = Harness.median(samples[0])
        Harness.log("overhead: map3 without recorder " + Harness.spread(samples[0], scale: 1e-6, unit: "ms"))
        Harness.log("overhead: map3 with recorder    " + Harness.spread(samples[1], scale: 1e-6, unit: "ms"))
        Harness.log("overhead: map3, item spans off  " + Harness.spread(samples[2], scale: 1e-6, unit: "ms"))
        Harness.log("overhead: map3 with collector   " + Harness.spread(samples[3], scale: 1e-6, unit: "ms"))
        return [
            EngineSuite.Figure(
                name: "recorder_map3_overhead_pct", value: 100 * (Harness.median(samples[1]) - base) / base,
                unit: "%", decimals: 1),
            EngineSuite.Figure(
                name: "recorder_map3_items_off_overhead_pct", value: 100 * (Harness.median(samples[2]) - base) / base,
                unit: "%", decimals: 1),
            EngineSuite.Figure(
                name: "collector_map3_overhead_pct", value: 100 * (Harness.median(samples[3]) - base) / base,
                unit: "%", decimals: 1),
            EngineSuite.Figure(
                name: "collector_map3_read_ms", value: Harness.median(reads.samples) * 1e-6, unit: "ms", decimals: 1),
        ]
    }

    /// collector_rss_growth_mb: resident memory after each of several map3
    /// runs over 100,000 items kept by one `TraceCollector` (default options:
    /// at most 100,000 spans), against before the collector's first run;
    /// collector_kept_mb: the size of the trace `write(to:)` writes of what it keeps.
    static func collectorMemory(_ config: Config, directory: URL) async throws -> [EngineSuite.Figure] {
        let inputs: [String: any Sendable] = ["x": Array(0..<config.mapItems)]
        let plain = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3")
        _ = try await plain.map(inputs: inputs, over: ["x"])  // the engine's own memory, warmed up
        _ = collectorMallocTrim(0)
        let before = MonitorSuite.residentBytes()
        let collector = TraceCollector()
        let pipeline = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [collector])
        var growth: [Double] = []
        for _ in 0..<config.memoryRuns {
            _ = try await pipeline.map(inputs: inputs, over: ["x"])
            collector.flush()
            _ = collectorMallocTrim(0)
            growth.append(Double(MonitorSuite.residentBytes() - before) / 1e6)
        }
        let runs = collector.runs
        let spans = runs.reduce(0) { $0 + $1.run.spans.count }
        guard spans <= collector.options.maximumSpans, runs.allSatisfy({ $0.maps.first?.done == config.mapItems })
        else {
            Harness.fail("collector: \(spans) spans kept over \(runs.count) runs, or map counts wrong")
        }
        let path = directory.appendingPathComponent("collected.jsonl").path
        try collector.write(to: path)
        let kept = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1e6
        Harness.log(
            "collector: RSS growth after each of \(config.memoryRuns) map3 runs (MB): "
                + growth.map { String(format: "%.1f", $0) }.joined(separator: ", ")
                + "; \(runs.count) runs and \(spans) spans kept")
        return [
            EngineSuite.Figure(name: "collector_rss_growth_mb", value: growth.last ?? 0, unit: "MB", decimals: 1),
            EngineSuite.Figure(name: "collector_kept_mb", value: kept, unit: "MB", decimals: 1),
        ]
    }

    /// The times `lastRun` took, in ns, one per collected map3.
    final class Reads: Sendable {
        private let storage = Mutex<[Double]>([])

        func append(_ sample: Double) { storage.withLock { $0.append(sample) } }

        var samples: [Double] { storage.withLock { $0 } }
    }

    /// One map3 with a collector attached, until the collector has processed
    /// every event; then, untimed here, reads the run back (its time goes to
    /// `reads`) and checks that it is complete, its map's counts cover every
    /// item and the span bound holds. The collector is cleared before the clock starts.
    static func timeCollected(
        _ pipeline: Pipeline, collector: TraceCollector, inputs: [String: any Sendable], items: Int, reads: Reads
    ) async throws -> Double {
        collector.clear()
        let start = Harness.clock.now
        let result = try await pipeline.map(inputs: inputs, over: ["x"])
        collector.flush()
        let elapsed = Harness.clock.now - start
        try EngineSuite.verifyMap3(result, items: items)
        let readStart = Harness.clock.now
        let run = collector.lastRun
        reads.append(Harness.nanoseconds(Harness.clock.now - readStart))
        guard let run, run.run.isComplete, run.maps.first?.done == items,
            run.run.spans.count <= collector.options.maximumSpans
        else {
            Harness.fail("collector: the map3 run is not complete, or its counts or span bound are wrong")
        }
        return Harness.nanoseconds(elapsed)
    }

    /// recorder_demo_overhead_pct: `hypernodes demo` with and without
    /// `--record`, as whole processes, interleaved.
    static func demoOverhead(_ config: Config, directory: URL) throws -> [EngineSuite.Figure] {
        guard let binary = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("hypernodes"),
            FileManager.default.isExecutableFile(atPath: binary.path)
        else {
            Harness.log("demo overhead: no hypernodes binary next to the benchmark; build it to measure this figure")
            return []
        }
        let base = ["demo", "--no-cache", "--scale", "1"]
        let record = base + ["--record", directory.appendingPathComponent("demo.jsonl").path]
        func time(_ arguments: [String]) throws -> Double {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = Harness.clock.now
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { Harness.fail("demo exited with \(process.terminationStatus)") }
            return Harness.nanoseconds(Harness.clock.now - start)
        }
        var plain: [Double] = []
        var recorded: [Double] = []
        _ = try time(base)
        for rep in 0..<config.demoSamples {
            if rep % 2 == 0 {
                plain.append(try time(base))
                recorded.append(try time(record))
            } else {
                recorded.append(try time(record))
                plain.append(try time(base))
            }
        }
        Harness.log("demo: without --record " + Harness.spread(plain, scale: 1e-6, unit: "ms"))
        Harness.log("demo: with --record    " + Harness.spread(recorded, scale: 1e-6, unit: "ms"))
        let basis = Harness.median(plain)
        return [
            EngineSuite.Figure(
                name: "recorder_demo_overhead_pct", value: 100 * (Harness.median(recorded) - basis) / basis,
                unit: "%", decimals: 1)
        ]
    }
}
