import Foundation
import HyperNodes
import HyperNodesTrace
import Synchronization

#if canImport(Glibc)
    import Glibc

    /// glibc's `malloc_trim`: hands freed heap memory back to the system (not in the Glibc module).
    @_silgen_name("malloc_trim")
    private func liveMallocTrim(_ pad: Int) -> Int32
#else
    private func liveMallocTrim(_ pad: Int) -> Int32 { 0 }
#endif

/// The `live` suite: what a ``LiveServer`` costs a map next to the trace
/// recorder, how long an event takes to reach a client, and how much memory
/// a client that never reads makes the server hold.
enum LiveSuite {
    struct Config {
        let quick: Bool
        var samples: Int { quick ? 3 : 7 }
        var mapItems: Int { 100_000 }
        var latencyItems: Int { quick ? 300 : 2_000 }
        var memoryRuns: Int { quick ? 3 : 10 }
    }

    static func runAll(_ config: Config) async throws {
        let directory = try workDirectory()
        var figures: [EngineSuite.Figure] = []
        figures += try await overhead(config, directory: directory)
        figures += try await latency(config, directory: directory)
        figures += try await memory(config, directory: directory)
        Harness.removeTemporaries()
        for figure in figures {
            Harness.report(figure.name, figure.value, figure.unit, decimals: figure.decimals)
        }
    }

    /// A short private directory under /tmp (socket paths must stay under 108 bytes).
    static func workDirectory() throws -> String {
        var template = Array("/tmp/hn-bench-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            Harness.fail("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        Harness.registerTemporary(URL(fileURLWithPath: path))
        return path
    }

    /// A live server in a directory of its own under `directory` (one socket per process and directory).
    static func server(_ directory: String, _ name: String, clientBuffer: Int? = nil) throws -> LiveServer {
        let path = directory + "/" + name
        mkdir(path, 0o700)
        var options = LiveServer.Options()
        options.directory = LiveDirectory(path: path)
        if let clientBuffer { options.clientBuffer = clientBuffer }
        return try LiveServer(options: options)
    }

    /// A client that asks for the stream and then never reads.
    final class StalledClient: Sendable {
        let descriptor: Int32

        init(_ path: String) throws {
            descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: path.utf8)
                raw[path.utf8.count] = 0
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard connected == 0 else { Harness.fail("stalled client: cannot connect to \(path)") }
            let request = Array("{\"request\":\"stream\"}\n".utf8)
            _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        deinit { close(descriptor) }
    }

    /// Counts what a reading client receives.
    final class Tally: Sendable {
        let records = Atomic<Int>(0)
        let dropped = Atomic<Int>(0)

        func onMessage(_ message: LiveMessage) {
            switch message {
            case .record: records.add(1, ordering: .relaxed)
            case .dropped(let count): dropped.add(count, ordering: .relaxed)
            default: break
            }
        }
    }

    /// Waits until `condition` holds, at most `seconds`.
    static func waitFor(_ what: String, seconds: Double = 10, _ condition: () -> Bool) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !condition() {
            if Date() > deadline { Harness.fail("timed out waiting for \(what)") }
            usleep(1000)
        }
    }

    /// live_map3_overhead_pct and live_map3_stalled_overhead_pct, next to
    /// recorder_map3_overhead_pct measured in the same interleaved rounds.
    static func overhead(_ config: Config, directory: String) async throws -> [EngineSuite.Figure] {
        let n = config.mapItems
        let inputs: [String: any Sendable] = ["x": Array(0..<n)]
        let recorder = try TraceRecorder(path: directory + "/overhead.jsonl")
        let reading = try server(directory, "reading")
        let stalled = try server(directory, "stalled")
        let tally = Tally()
        let connection = try LiveConnection.connect(path: reading.socketPath)
        try connection.stream(onMessage: tally.onMessage, onClose: { _ in })
        let stalledClient = try StalledClient(stalled.socketPath)
        waitFor("the clients to connect") { reading.clientCount == 1 && stalled.clientCount == 1 }

        let without = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3")
        let withRecorder = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [recorder])
        let withReading = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [reading])
        let withStalled = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [stalled])
        let load = ForeignLoad()
        let samples = try await Harness.interleaved(
            warmups: 1, samples: config.samples,
            [
                { try await EngineSuite.timeMap(without, inputs: inputs, items: n) },
                { try await EngineSuite.timeMap(withRecorder, inputs: inputs, items: n) },
                { try await EngineSuite.timeMap(withReading, inputs: inputs, items: n) },
                { try await EngineSuite.timeMap(withStalled, inputs: inputs, items: n) },
            ])
        if let cores = load.cores() { Harness.log(String(format: "overhead: other processes used %.2f cores", cores)) }
        if let error = recorder.error { Harness.fail("recorder: \(error)") }
        // Let the reading client take what is still on its way, for the counts below.
        let expected = (config.samples + 1) * (10 * n + 2 + 4)
        let deadline = Date(timeIntervalSinceNow: 30)
        while tally.records.load(ordering: .relaxed) + tally.dropped.load(ordering: .relaxed) < expected
            && Date() < deadline
        {
            usleep(10_000)
        }
        let received = tally.records.load(ordering: .relaxed)
        let dropped = tally.dropped.load(ordering: .relaxed)
        Harness.log(
            "overhead: the reading client received \(received) records, \(dropped) dropped "
                + String(format: "(%.1f %%)", 100 * Double(dropped) / Double(max(1, received + dropped)))
                + "; dropped by the server's queue: \(reading.droppedEventCount) (reading), "
                + "\(stalled.droppedEventCount) (stalled)")
        connection.cancel()
        _ = stalledClient
        reading.close()
        stalled.close()
        recorder.close()

        let base = Harness.median(samples[0])
        Harness.log("overhead: map3 without callbacks     " + Harness.spread(samples[0], scale: 1e-6, unit: "ms"))
        Harness.log("overhead: map3 with recorder         " + Harness.spread(samples[1], scale: 1e-6, unit: "ms"))
        Harness.log("overhead: map3 live, reading client  " + Harness.spread(samples[2], scale: 1e-6, unit: "ms"))
        Harness.log("overhead: map3 live, stalled client  " + Harness.spread(samples[3], scale: 1e-6, unit: "ms"))
        func percent(_ variant: Int) -> Double { 100 * (Harness.median(samples[variant]) - base) / base }
        return [
            EngineSuite.Figure(name: "recorder_map3_overhead_pct", value: percent(1), unit: "%", decimals: 1),
            EngineSuite.Figure(name: "live_map3_overhead_pct", value: percent(2), unit: "%", decimals: 1),
            EngineSuite.Figure(name: "live_map3_stalled_overhead_pct", value: percent(3), unit: "%", decimals: 1),
            EngineSuite.Figure(
                name: "live_map3_dropped_pct", value: 100 * Double(dropped) / Double(max(1, received + dropped)),
                unit: "%", decimals: 1),
        ]
    }

    /// Remembers when each run's clock started, in this process's continuous clock, so a
    /// record's `t` can be turned into the instant the event was emitted.
    final class EmissionClock: PipelineCallback {
        let origins = Mutex<[UInt64: ContinuousClock.Instant]>([:])

        func handle(_ event: PipelineEvent, context: CallbackContext) {
            let now = Harness.clock.now
            origins.withLock { origins in
                if origins[event.runID] == nil {
                    origins[event.runID] = now - .nanoseconds(Int64(event.timestamp))
                }
            }
        }
    }

    /// Collects emission-to-receipt latencies of event records.
    final class LatencyProbe: Sendable {
        let clock: EmissionClock
        let latencies = Mutex<[Double]>([])
        let runEnds = Atomic<Int>(0)
        /// Messages received, drop notices included: the stream is quiet when it stops moving.
        let messages = Atomic<Int>(0)
        let dropped = Atomic<Int>(0)

        init(clock: EmissionClock) { self.clock = clock }

        func onMessage(_ message: LiveMessage) {
            let now = Harness.clock.now
            messages.add(1, ordering: .relaxed)
            if case .dropped(let count) = message { dropped.add(count, ordering: .relaxed) }
            guard case .record(let record) = message else { return }
            if case .runEnd = record { runEnds.add(1, ordering: .relaxed) }
            guard case .event(let event) = record,
                let origin = clock.origins.withLock({ $0[event.runID] })
            else { return }
            let emitted = origin + .nanoseconds(Int64(event.timestamp))
            latencies.withLock { $0.append(Harness.nanoseconds(now - emitted) / 1e6) }
        }
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }

    /// live_latency_p50_ms / p99: a map whose items take about a millisecond
    /// each (events arrive one by one, the common case of a real pipeline);
    /// live_latency_loaded_p99_ms: map3 at full speed (events in bulk).
    static func latency(_ config: Config, directory: String) async throws -> [EngineSuite.Figure] {
        let live = try server(directory, "latency")
        let clock = EmissionClock()
        let probe = LatencyProbe(clock: clock)
        let connection = try LiveConnection.connect(path: live.socketPath)
        try connection.stream(onMessage: probe.onMessage, onClose: { _ in })
        waitFor("the latency client to connect") { live.clientCount == 1 }

        let paced = Node("work", inputs: "x", output: "y") { (x: Int) async in
            try? await Task.sleep(for: .milliseconds(1))
            return x + 1
        }
        var pacedPipeline = try Pipeline(nodes: [paced], name: "paced", callbacks: [clock, live])
        pacedPipeline.maxConcurrency = 1
        _ = try await pacedPipeline.map(inputs: ["x": Array(0..<config.latencyItems)], over: ["x"])
        waitFor("the paced run's end", seconds: 30) { probe.runEnds.load(ordering: .relaxed) >= 1 }
        let paced1 = probe.latencies.withLock { list in
            defer { list.removeAll() }
            return list
        }
        let pacedDrops = probe.dropped.load(ordering: .relaxed)

        let loaded = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [clock, live])
        _ = try await loaded.map(inputs: ["x": Array(0..<config.mapItems)], over: ["x"])
        // The run's end may be among the records dropped for a client that fell behind: wait
        // for it, or for the stream to stay quiet for half a second.
        var last = -1
        waitFor("the loaded run's records", seconds: 60) {
            let now = probe.messages.load(ordering: .relaxed)
            defer { last = now }
            if probe.runEnds.load(ordering: .relaxed) >= 2 { return true }
            if now == last { usleep(500_000) }
            return now == last && probe.messages.load(ordering: .relaxed) == now
        }
        let bulk = probe.latencies.withLock { $0 }
        connection.cancel()
        live.close()

        Harness.log(
            String(
                format: "latency: paced, %d events, %d dropped: p50 %.3f ms, p90 %.3f, p99 %.3f, max %.3f",
                paced1.count, pacedDrops, percentile(paced1, 0.5), percentile(paced1, 0.9),
                percentile(paced1, 0.99), paced1.max() ?? 0))
        Harness.log(
            String(
                format: "latency: map3 at full speed, %d events received: p50 %.3f ms, p99 %.3f, max %.3f",
                bulk.count, percentile(bulk, 0.5), percentile(bulk, 0.99), bulk.max() ?? 0))
        return [
            EngineSuite.Figure(name: "live_latency_p50_ms", value: percentile(paced1, 0.5), unit: "ms", decimals: 3),
            EngineSuite.Figure(name: "live_latency_p99_ms", value: percentile(paced1, 0.99), unit: "ms", decimals: 3),
            EngineSuite.Figure(
                name: "live_latency_loaded_p99_ms", value: percentile(bulk, 0.99), unit: "ms", decimals: 3),
        ]
    }

    /// live_stalled_rss_growth_mb: resident memory after several map3 runs
    /// streamed to a client that never reads, against before the server started.
    static func memory(_ config: Config, directory: String) async throws -> [EngineSuite.Figure] {
        let inputs: [String: any Sendable] = ["x": Array(0..<config.mapItems)]
        let plain = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3")
        _ = try await plain.map(inputs: inputs, over: ["x"])  // the engine's own memory, warmed up
        _ = liveMallocTrim(0)
        let before = MonitorSuite.residentBytes()
        let live = try server(directory, "memory")
        let client = try StalledClient(live.socketPath)
        waitFor("the stalled client to connect") { live.clientCount == 1 }
        let pipeline = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [live])
        var growth: [Double] = []
        for _ in 0..<config.memoryRuns {
            _ = try await pipeline.map(inputs: inputs, over: ["x"])
            usleep(200_000)  // let the server take the run in
            _ = liveMallocTrim(0)
            growth.append(Double(MonitorSuite.residentBytes() - before) / 1e6)
        }
        _ = client
        live.close()
        Harness.log(
            "memory: RSS growth after each of \(config.memoryRuns) map3 runs with a stalled client (MB): "
                + growth.map { String(format: "%.1f", $0) }.joined(separator: ", "))
        return [
            EngineSuite.Figure(name: "live_stalled_rss_growth_mb", value: growth.last ?? 0, unit: "MB", decimals: 1),
            EngineSuite.Figure(name: "live_stalled_rss_peak_mb", value: growth.max() ?? 0, unit: "MB", decimals: 1),
        ]
    }
}
