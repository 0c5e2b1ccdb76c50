import Foundation
import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc

    /// glibc's `malloc_trim`: hands freed heap memory back to the system (not in the Glibc module).
    @_silgen_name("malloc_trim")
    private func mallocTrim(_ pad: Int) -> Int32
#else
    private func mallocTrim(_ pad: Int) -> Int32 { 0 }
#endif

/// The `monitor` suite: loading a recorded trace of a million spans into the monitor's model,
/// its memory, and what seeking costs.
enum MonitorSuite {
    struct Config {
        let quick: Bool
        /// Items of the large map: five spans each (item, pipeline, three nodes).
        var largeItems: Int { quick ? 20_000 : 200_000 }
        /// Items of the small map (10,000 spans).
        var smallItems: Int { 2_000 }
        var loadSamples: Int { quick ? 1 : 3 }
        var querySamples: Int { quick ? 50 : 200 }
        var frameSamples: Int { quick ? 30 : 150 }
        var firstFrameSamples: Int { quick ? 3 : 7 }
    }

    static func workDirectory() throws -> URL {
        let base =
            Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let url = base.appendingPathComponent("bench-monitor-\(getpid())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        Harness.registerTemporary(url)
        return url
    }

    static func runAll(_ config: Config) async throws {
        let directory = try workDirectory()
        let load = ForeignLoad()
        let large = try await recordMap(items: config.largeItems, in: directory, name: "large.jsonl")
        let small = try await recordMap(items: config.smallItems, in: directory, name: "small.jsonl")
        var figures: [EngineSuite.Figure] = []
        figures += try memory(path: large)
        figures += try loadTime(path: large, config: config)
        figures += try applyTime(path: large, config: config)
        for (label, path) in [("", large), ("_10k", small)] {
            let model = try loadModel(path)
            figures += seek(model, config: config, label: label)
        }
        figures += try firstFrame(path: large, config: config)
        for (label, path) in [("", large), ("_10k", small)] {
            figures += try frames(path: path, config: config, label: label)
        }
        if let cores = load.cores() {
            Harness.log(String(format: "monitor: other processes used %.2f cores on average", cores))
        }
        Harness.removeTemporaries()
        for figure in figures {
            Harness.report(figure.name, figure.value, figure.unit, decimals: figure.decimals)
        }
    }

    /// Records a map3 `map` over `items` items with a ``TraceRecorder`` (per-item spans on).
    static func recordMap(items: Int, in directory: URL, name: String) async throws -> String {
        let path = directory.appendingPathComponent(name).path
        let recorder = try TraceRecorder(path: path)
        let pipeline = try Pipeline(
            nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: [recorder], maxConcurrency: 4)
        let start = Harness.clock.now
        _ = try await pipeline.map(inputs: ["x": Array(0..<items)], over: ["x"])
        recorder.close()
        if let error = recorder.error { Harness.fail("monitor: recording \(name): \(error)") }
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        Harness.log(
            String(
                format: "monitor: recorded %@: %d items, %d MB in %.1f s", name, items, bytes >> 20,
                Harness.nanoseconds(Harness.clock.now - start) / 1e9))
        return path
    }

    /// The whole file into a model through ``TraceFileSource``, as the monitor loads a replay.
    static func loadModel(_ path: String) throws -> RunModel {
        let source = try TraceFileSource(path: path)
        source.start()
        var model = RunModel()
        while true {
            let batch = source.mailbox.take()
            model.apply(batch.records)
            if !batch.problems.isEmpty { Harness.fail("monitor: \(batch.problems[0])") }
            if let finished = batch.finished {
                model.apply(source.mailbox.take().records)
                if finished != .completed { Harness.fail("monitor: loading ended with \(finished)") }
                break
            }
            if batch.records.isEmpty { usleep(200) }
        }
        if !model.issues.isEmpty { Harness.fail("monitor: model issues: \(model.issues.prefix(3))") }
        return model
    }

    /// The resident set size of this process, in bytes (`VmRSS` of /proc/self/status).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return kilobytes * 1024
    }

    /// replay_rss_mb and bytes per span: resident memory before and after loading, freed memory
    /// handed back to the system (`malloc_trim`) before each reading.
    static func memory(path: String) throws -> [EngineSuite.Figure] {
        _ = mallocTrim(0)
        let before = residentBytes()
        let model = try loadModel(path)
        _ = mallocTrim(0)
        let after = residentBytes()
        let spans = model.spanCount
        let grown = Double(max(0, after - before))
        Harness.log(
            String(
                format: "monitor: %d spans, %d records; RSS %.1f MB before, %.1f MB after loading", spans,
                model.recordCount, Double(before) / 1e6, Double(after) / 1e6))
        withExtendedLifetime(model) {}
        return [
            EngineSuite.Figure(name: "monitor_spans", value: Double(spans), unit: "spans", decimals: 0),
            EngineSuite.Figure(name: "replay_rss_mb", value: grown / 1e6, unit: "MB", decimals: 1),
            EngineSuite.Figure(
                name: "replay_bytes_per_span", value: grown / Double(max(1, spans)), unit: "bytes", decimals: 1),
        ]
    }

    /// replay_load_ms: the whole file into a model through ``TraceFileSource``.
    static func loadTime(path: String, config: Config) throws -> [EngineSuite.Figure] {
        var samples: [Double] = []
        for _ in 0..<config.loadSamples {
            let start = Harness.clock.now
            let model = try loadModel(path)
            samples.append(Harness.nanoseconds(Harness.clock.now - start) / 1e6)
            withExtendedLifetime(model) {}
        }
        Harness.log("monitor: load " + Harness.spread(samples, unit: "ms"))
        return [EngineSuite.Figure(name: "replay_load_ms", value: Harness.median(samples), unit: "ms", decimals: 0)]
    }

    /// model_apply_ns: the cost per record of ``RunModel/apply(_:)-(TraceRecord)`` alone (what the
    /// monitor's UI thread pays to take in records), the records read into memory first.
    static func applyTime(path: String, config: Config) throws -> [EngineSuite.Figure] {
        let records = try TraceReader(path: path).readAll().records
        var samples: [Double] = []
        for _ in 0..<config.loadSamples {
            var model = RunModel()
            let start = Harness.clock.now
            model.apply(records)
            samples.append(Harness.nanoseconds(Harness.clock.now - start) / Double(records.count))
            withExtendedLifetime(model) {}
        }
        Harness.log("monitor: apply per record " + Harness.spread(samples, unit: "ns"))
        return [EngineSuite.Figure(name: "model_apply_ns", value: Harness.median(samples), unit: "ns", decimals: 0)]
    }

    /// The model queries one frame of every screen makes at `t`, for a 200-column, 60-row screen.
    @discardableResult
    static func frameQueries(_ model: RunModel, at t: UInt64) -> Int {
        var sink = 0
        let roots = model.roots(at: t)
        var stack = roots
        var rows = 0
        while let span = stack.popLast(), rows < 60 {
            rows += 1
            _ = model.phase(of: span, at: t)
            sink &+= Int(truncatingIfNeeded: model.selfTime(of: span, at: t))
            sink &+= model.pendingNodes(of: span, at: t).count
            stack.append(contentsOf: model.children(of: span, at: t).reversed())
        }
        if let map = model.busiestMap(at: t) {
            let counts = model.mapCounts(of: map, at: t)
            sink &+= counts.done
            sink &+= Int(model.rate(of: map, at: t))
            sink &+= Int(truncatingIfNeeded: model.eta(of: map, at: t) ?? 0)
            let from = model.start(of: map)
            sink &+= model.completions(of: map, from: from, to: t, buckets: 200).reduce(0, +)
            sink &+= Int(model.concurrency(of: map, from: from, to: t, buckets: 200, at: t).reduce(0, +))
            sink &+= model.latency(of: map, at: t).count
            // The waterfall's lanes: a window of a hundredth of the map around t.
            let window = max(1, (t - min(t, from)) / 100)
            for lane in model.lanes(of: map).prefix(50) {
                sink &+= model.items(of: map, lane: lane, from: t - min(t, window), to: t, at: t).count
            }
        }
        return sink
    }

    /// seek_ms: the clock moves to the middle of the trace and the queries of a frame are
    /// answered there (nothing is rebuilt; the time is the queries'); median over many seeks to
    /// alternating instants.
    static func seek(_ model: RunModel, config: Config, label: String) -> [EngineSuite.Figure] {
        let latest = model.latestTime
        var clock = PlaybackClock(mode: .replay, paused: true)
        clock.advance(to: 0, latest: latest, finished: true)
        var samples: [Double] = []
        var sink = 0
        for sample in 0..<config.querySamples {
            let start = Harness.clock.now
            clock.seek(to: sample % 2 == 0 ? latest / 2 : latest / 2 + latest / 7)
            sink &+= frameQueries(model, at: clock.position)
            samples.append(Harness.nanoseconds(Harness.clock.now - start) / 1e6)
        }
        var pathSamples: [Double] = []
        var maskSamples: [Double] = []
        var itemSamples: [Double] = []
        for _ in 0..<5 {
            var start = Harness.clock.now
            sink &+= model.roots(at: latest / 2).first.map { model.criticalPath(of: $0, at: latest / 2).count } ?? 0
            pathSamples.append(Harness.nanoseconds(Harness.clock.now - start) / 1e6)
            start = Harness.clock.now
            sink &+= model.roots(at: latest / 2).first.map { model.criticalPathMask(of: $0, at: latest / 2).count } ?? 0
            maskSamples.append(Harness.nanoseconds(Harness.clock.now - start) / 1e6)
            start = Harness.clock.now
            sink &+=
                model.roots(at: latest / 2).first.map {
                    model.criticalPathMask(of: $0, at: latest / 2, insideItems: false).count
                } ?? 0
            itemSamples.append(Harness.nanoseconds(Harness.clock.now - start) / 1e6)
        }
        Harness.log("monitor\(label): seek and frame queries " + Harness.spread(samples, unit: "ms") + " (\(sink & 1))")
        Harness.log("monitor\(label): critical path at the middle " + Harness.spread(pathSamples, unit: "ms"))
        Harness.log("monitor\(label): critical path mask at the middle " + Harness.spread(maskSamples, unit: "ms"))
        Harness.log(
            "monitor\(label): critical path mask of items at the middle " + Harness.spread(itemSamples, unit: "ms"))
        return [
            EngineSuite.Figure(name: "seek_ms\(label)", value: Harness.median(samples), unit: "ms", decimals: 3),
            EngineSuite.Figure(
                name: "critical_path_ms\(label)", value: Harness.median(pathSamples), unit: "ms", decimals: 1),
            EngineSuite.Figure(
                name: "critical_path_mask_ms\(label)", value: Harness.median(maskSamples), unit: "ms", decimals: 1),
            EngineSuite.Figure(
                name: "critical_path_items_ms\(label)", value: Harness.median(itemSamples), unit: "ms", decimals: 1),
        ]
    }

    /// Frame size of the frame figures.
    static let frameWidth = 200
    static let frameHeight = 60

    /// replay_first_frame_ms: from opening the file to the first frame drawn after the first batch,
    /// as `hypernodes replay` does it.
    static func firstFrame(path: String, config: Config) throws -> [EngineSuite.Figure] {
        var samples: [Double] = []
        var cells = 0
        for _ in 0..<config.firstFrameSamples {
            let start = Harness.clock.now
            let source = try TraceFileSource(path: path)
            source.start()
            var session = MonitorSession(source: .replay("large.jsonl"), options: MonitorOptions())
            var batch = source.mailbox.take()
            while batch.records.isEmpty && batch.finished == nil {
                usleep(100)
                batch = source.mailbox.take()
            }
            session.ingest(batch)
            session.tick(wallNanos: 1)
            let grid = session.frame(width: frameWidth, height: frameHeight)
            samples.append(Harness.nanoseconds(Harness.clock.now - start) / 1e6)
            cells &+= grid.lines.count
            source.cancel()
            while source.isReading { usleep(100) }
        }
        Harness.log("monitor: first frame " + Harness.spread(samples, unit: "ms") + " (\(cells & 1))")
        return [
            EngineSuite.Figure(
                name: "replay_first_frame_ms", value: Harness.median(samples), unit: "ms", decimals: 1)
        ]
    }

    /// frame_ms of each screen: the whole file in a paused replay session, the clock stepped (→) to
    /// the middle of the trace (and, for the waterfall, its map row expanded into lanes), then
    /// ``MonitorSession/frame(width:height:)`` at 200 × 60 many times.
    static func frames(path: String, config: Config, label: String) throws -> [EngineSuite.Figure] {
        var session = MonitorSession(
            source: .replay(URL(fileURLWithPath: path).lastPathComponent), options: MonitorOptions(startPaused: true))
        let source = try TraceFileSource(path: path)
        source.start()
        while true {
            let batch = source.mailbox.take()
            session.ingest(batch)
            if batch.finished != nil { break }
            if batch.records.isEmpty { usleep(200) }
        }
        session.ingest(source.mailbox.take())
        var wall: UInt64 = 1
        session.tick(wallNanos: wall)
        _ = session.handle(.character("g"), wallNanos: wall)
        // As many steps as reach the middle of the trace.
        var probe = PlaybackClock(mode: .replay, paused: true)
        probe.advance(to: 0, latest: session.model.latestTime, finished: true)
        let steps = Int(session.model.latestTime / 2 / max(1, probe.stepSize))
        for _ in 0..<steps { _ = session.handle(.right, wallNanos: wall) }
        session.resize(width: frameWidth, height: frameHeight)
        let latest = session.model.latestTime
        Harness.log(
            String(
                format: "monitor%@: %d spans, frames at %.1f%% of the trace", label, session.model.spanCount,
                100 * Double(session.now) / Double(max(1, latest))))
        var figures: [EngineSuite.Figure] = []
        let screens: [(String, [Key])] = [
            ("tree", [.character("1")]),
            ("map", [.character("2")]),
            ("waterfall", [.character("3")]),
            ("waterfall_lanes", [.character("3"), .down, .enter]),
            ("waterfall_critical", [.character("3"), .character("c")]),
        ]
        for (name, keys) in screens {
            var screen = session
            for key in keys { _ = screen.handle(key, wallNanos: wall) }
            var samples: [Double] = []
            var sink = 0
            for _ in 0..<config.frameSamples {
                wall += 16_000_000
                screen.tick(wallNanos: wall)
                let start = Harness.clock.now
                let grid = screen.frame(width: frameWidth, height: frameHeight)
                samples.append(Harness.nanoseconds(Harness.clock.now - start) / 1e6)
                sink &+= grid.lines.count
            }
            Harness.log("monitor\(label): frame \(name) " + Harness.spread(samples, unit: "ms") + " (\(sink & 1))")
            figures.append(
                EngineSuite.Figure(
                    name: "frame_ms_\(name)\(label)", value: Harness.median(samples), unit: "ms", decimals: 3))
        }
        return figures
    }
}
