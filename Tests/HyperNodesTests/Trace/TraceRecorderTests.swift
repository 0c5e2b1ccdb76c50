import Foundation
import HyperNodes
import Logging
import Testing

@testable import HyperNodesTrace

private struct Boom: Error {}

/// `double: x → doubled`, `add_one: doubled → result`.
private func arithmetic(name: String = "arith", failOn: Int? = nil) throws -> Pipeline {
    let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in
        if x == failOn { throw Boom() }
        return x * 2
    }
    let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
    return try Pipeline(nodes: [double, addOne], name: name)
}

/// Reads a trace, failing the test on any problem.
private func read(_ path: String) throws -> [TraceRecord] {
    let (records, problems) = try TraceReader(path: path).readAll()
    #expect(problems.isEmpty, "problems: \(problems)")
    return records
}

private func writtenEvents(_ records: [TraceRecord]) -> [PipelineEvent] {
    records.compactMap { if case .event(let event) = $0 { event } else { nil } }
}

private func signature(_ event: PipelineEvent) -> String {
    "\(event.kind) \(event.name) \(event.spanID) \(event.parentSpanID.map(String.init(describing:)) ?? "-") "
        + "\(event.status) \(event.timestamp) \(event.itemIndex.map(String.init) ?? "-")"
}

@Suite("Trace recorder")
struct TraceRecorderTests {
    @Test("a run is complete in the file when run returns, with header, events and run end")
    func recordsARun() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("run.jsonl").path
        let recorder = try TraceRecorder(path: path)
        let events = EventRecorder()
        var pipeline = try arithmetic()
        pipeline.callbacks = [events, recorder]
        _ = try await pipeline.run(inputs: ["x": 2])

        let records = try read(path)  // no close(), no flush(): the run end flushed
        guard case .header(let header) = records.first else {
            Issue.record("no header")
            return
        }
        #expect(header.pipeline == "arith")
        #expect(header.runID == events.events[0].runID)
        #expect(header.process.pid == Int(ProcessInfo.processInfo.processIdentifier))
        #expect(header.graph?.root.nodes.map(\.name) == ["double", "add_one"])
        let now = UInt64(Date().timeIntervalSince1970 * 1e9)
        #expect(header.startTime <= now && header.startTime > now - 60_000_000_000)
        #expect(writtenEvents(records).map(signature) == events.events.map(signature))
        guard case .runEnd(let end) = records.last else {
            Issue.record("no run end")
            return
        }
        #expect(end.status == .ok)
        #expect(end.totals == RunEnd.Totals(events: 6, spans: 3, nodes: 2, cached: 0, failed: 0, mapItems: 0))
    }

    @Test("several runs in one file each get a header and a run end")
    func severalRuns() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("runs.jsonl").path
        let recorder = try TraceRecorder(path: path)
        var pipeline = try arithmetic()
        pipeline.callbacks = [recorder]
        _ = try await pipeline.run(inputs: ["x": 1])
        _ = try await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])
        let records = try read(path)
        let headers = records.compactMap { if case .header(let h) = $0 { h } else { nil } }
        let ends = records.compactMap { if case .runEnd(let e) = $0 { e } else { nil } }
        #expect(headers.count == 2)
        #expect(ends.count == 2)
        #expect(Set(headers.map(\.runID)) == Set(ends.map(\.runID)))
        #expect(ends[1].totals.mapItems == 3)
    }

    @Test("a failing run ends with status error and the error's type and message")
    func failure() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("fail.jsonl").path
        let recorder = try TraceRecorder(path: path)
        var pipeline = try arithmetic(failOn: 3)
        pipeline.callbacks = [recorder]
        await #expect(throws: (any Error).self) { try await pipeline.run(inputs: ["x": 3]) }
        let records = try read(path)
        let errors = writtenEvents(records).filter { $0.kind == .error }
        #expect(errors.first?.error?.type.hasSuffix("Boom") == true)
        guard case .runEnd(let end) = records.last else {
            Issue.record("no run end")
            return
        }
        #expect(end.status == .error)
        #expect(end.totals.failed == 1)
    }

    @Test("map progress ticks count done, failed and cached items; the last tick is complete")
    func progressTicks() async throws {
        let directory = TemporaryDirectory()
        let cache = DiskCache(directory: directory.url.appendingPathComponent("cache"))
        let path = directory.url.appendingPathComponent("map.jsonl").path
        var pipeline = try arithmetic(failOn: 7)
        pipeline.cache = cache
        _ = try? await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])  // warms the cache for 1, 2, 3
        let recorder = try TraceRecorder(path: path)
        pipeline.callbacks = [recorder]
        _ = try? await pipeline.map(inputs: ["x": Array(1...10)], over: ["x"])
        let records = try read(path)
        let ticks = records.compactMap { if case .progress(let p) = $0 { p } else { nil } }
        let last = try #require(ticks.last)
        #expect(last.total == 10)
        #expect(last.done + last.inFlight <= 10)
        #expect(last.cached == 3)
        #expect(last.failed <= 1)
        #expect(ticks.map(\.done) == ticks.map(\.done).sorted(), "done never goes back")
    }

    @Test("with item spans off, no item spans are written but progress ticks and the map span are")
    func itemSpansOff() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("items-off.jsonl").path
        var options = TraceRecorder.Options()
        options.itemSpans = false
        let recorder = try TraceRecorder(path: path, options: options)
        var pipeline = try arithmetic()
        pipeline.callbacks = [recorder]
        _ = try await pipeline.map(inputs: ["x": Array(1...500)], over: ["x"])
        let records = try read(path)
        let kinds = Set(writtenEvents(records).map(\.kind))
        #expect(kinds == [.mapStart, .mapEnd])
        let ticks = records.compactMap { if case .progress(let p) = $0 { p } else { nil } }
        #expect(ticks.last?.done == 500)
        #expect(ticks.last?.inFlight == 0)
        guard case .runEnd(let end) = records.last else {
            Issue.record("no run end")
            return
        }
        #expect(end.totals.mapItems == 500)
        #expect(end.totals.nodes == 1_000)
    }

    @Test("with item spans off, a map nested inside map items writes neither spans nor ticks")
    func nestedMapItemsOff() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("nested-off.jsonl").path
        var options = TraceRecorder.Options()
        options.itemSpans = false
        let recorder = try TraceRecorder(path: path, options: options)
        let inner = try arithmetic(name: "inner")
        let perValue = try inner.asNode(name: "per_value", mapOver: ["x"])
        let total = Node("total", inputs: "result", output: "total") { (results: [Int]) in results.reduce(0, +) }
        var outer = try Pipeline(nodes: [perValue, total], name: "outer")
        outer.callbacks = [recorder]
        _ = try await outer.map(inputs: ["x": [[1, 2], [3, 4, 5]]], over: ["x"])
        let records = try read(path)
        let written = writtenEvents(records)
        #expect(written.map(\.kind) == [.mapStart, .mapEnd])
        let ticks = records.compactMap { if case .progress(let p) = $0 { p } else { nil } }
        #expect(Set(ticks.map(\.spanID)) == [written[0].spanID])
        #expect(ticks.last?.done == 2)
    }

    @Test("nothing is lost when the queue is tiny and the map is large (the pipeline waits instead)")
    func lossless() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("lossless.jsonl").path
        var options = TraceRecorder.Options()
        options.capacity = 16
        let recorder = try TraceRecorder(path: path, options: options)
        let events = EventRecorder()
        var pipeline = try arithmetic()
        pipeline.callbacks = [events, recorder]
        _ = try await pipeline.map(inputs: ["x": Array(0..<5_000)], over: ["x"])
        let records = try read(path)
        let written = writtenEvents(records)
        #expect(written.count == events.events.count)
        #expect(Set(written.map(signature)) == Set(events.events.map(signature)))
        // Causal order: every span starts before its children and ends after them.
        var open: Set<SpanID> = []
        for event in written {
            if let parent = event.parentSpanID { #expect(open.contains(parent), "parent of \(signature(event))") }
            if event.kind.opensSpan { open.insert(event.spanID) }
            if event.kind.closesSpan { open.remove(event.spanID) }
        }
        #expect(open.isEmpty)
    }

    @Test("a file that cannot be created is a clear error naming the path")
    func cannotCreate() throws {
        let directory = TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("no/such/dir/run.jsonl").path
        #expect {
            try TraceRecorder(path: missing)
        } throws: { error in
            let text = "\(error)"
            return text.contains(missing) && text.contains("No such file or directory")
        }
        #expect {
            try TraceRecorder(path: directory.url.path)
        } throws: { error in
            "\(error)".contains("Is a directory")
        }
    }

    @Test("a disk-full error is reported once with the path and the pipeline's result is unaffected")
    func diskFull() async throws {
        let (logger, store) = CapturingLogHandler.logger()
        var options = TraceRecorder.Options()
        options.flushOnTerminationSignals = false
        let recorder = try TraceRecorder(path: "/dev/full", options: options, logger: logger)
        var pipeline = try arithmetic()
        pipeline.callbacks = [recorder]
        for x in 0..<5 {
            let result = try await pipeline.run(inputs: ["x": x])
            #expect(result["result", as: Int.self] == x * 2 + 1)
        }
        let errors = store.all.filter { $0.0 == .error }.map(\.1)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("/dev/full") == true)
        #expect(errors.first?.contains("No space left on device") == true)
        #expect(recorder.error != nil)
    }

    @Test("previews are recorded only when asked for")
    func previews() async throws {
        let directory = TemporaryDirectory()
        for wanted in [false, true] {
            let path = directory.url.appendingPathComponent("previews-\(wanted).jsonl").path
            var options = TraceRecorder.Options()
            options.valuePreviews = wanted
            let recorder = try TraceRecorder(path: path, options: options)
            var pipeline = try arithmetic()
            pipeline.callbacks = [recorder]
            _ = try await pipeline.run(inputs: ["x": 21])
            let end = writtenEvents(try read(path)).first { $0.kind == .nodeEnd && $0.name == "double" }
            #expect((end?.attributes["output.doubled"] == "42") == wanted)
        }
    }
}
