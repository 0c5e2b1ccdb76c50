import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// Records real runs with ``TraceRecorder`` and reads them back as a model.
enum RecordedTrace {
    static let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
    static let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
    static let slow = Node("slow", inputs: "x", output: "slowed") { (x: Int) async throws -> Int in
        try await Task.sleep(for: .milliseconds(2))
        return x
    }

    struct Boom: Error, CustomStringConvertible {
        var description: String { "boom!" }
    }
    static let boom = Node("boom", inputs: "x", output: "y") { (x: Int) throws -> Int in throw Boom() }

    /// The trace of what `body` runs with the recorder attached, as a file in `directory`.
    static func record(
        in directory: TemporaryDirectory, options: TraceRecorder.Options = TraceRecorder.Options(),
        _ body: ([any PipelineCallback]) async throws -> Void
    ) async throws -> String {
        let path = directory.url.appendingPathComponent("trace-\(UUID().uuidString).jsonl").path
        let recorder = try TraceRecorder(path: path, options: options)
        try await body([recorder])
        recorder.close()
        if let error = recorder.error { throw error }
        return path
    }

    /// The model of the trace of what `body` runs.
    static func model(
        options: TraceRecorder.Options = TraceRecorder.Options(),
        _ body: ([any PipelineCallback]) async throws -> Void
    ) async throws -> TraceModel {
        let directory = TemporaryDirectory()
        let path = try await record(in: directory, options: options, body)
        return try TraceModel(path: path)
    }
}

@Suite("Trace model")
struct TraceModelTests {
    @Test("a run of two nodes: one pipeline span with two node children, self time, totals")
    func runOfTwoNodes() async throws {
        let model = try await RecordedTrace.model { callbacks in
            let p = try Pipeline(
                nodes: [RecordedTrace.double, RecordedTrace.addOne], name: "arith", callbacks: callbacks)
            _ = try await p.run(inputs: ["x": 5])
        }
        #expect(model.problems.isEmpty)
        #expect(model.issues.isEmpty)
        let run = try #require(model.runs.first)
        #expect(model.runs.count == 1)
        #expect(run.name == "arith")
        #expect(run.isComplete)
        #expect(run.status == .ok)
        #expect(run.roots.count == 1)
        let root = run.spans[run.roots[0]]
        #expect(root.kind == .pipeline && root.parent == nil && root.depth == 0)
        #expect(root.children.map { run.spans[$0].name } == ["double", "add_one"])
        for child in root.children.map({ run.spans[$0] }) {
            #expect(child.kind == .node && child.depth == 1 && child.status == .ok && child.isFinished)
            #expect(child.start >= root.start && child.end <= root.end)
            #expect(child.selfTime == child.duration)
            #expect(run.path(of: child.index) == ["arith", child.name])
        }
        let childTime = root.children.reduce(UInt64(0)) { $0 + run.spans[$1].duration }
        #expect(root.selfTime == root.duration - childTime)
        #expect(run.totals.spans == 3 && run.totals.nodes == 2 && run.totals.pipelines == 1)
        #expect(run.totals.failed == 0 && run.totals.unfinished == 0 && run.totals.cachedNodes == 0)
        #expect(run.duration >= root.duration)
    }

    @Test("a concurrent map: item spans, counts, throughput, latency and peak concurrency")
    func map() async throws {
        let model = try await RecordedTrace.model { callbacks in
            let p = try Pipeline(nodes: [RecordedTrace.slow], name: "slowly", callbacks: callbacks, maxConcurrency: 3)
            _ = try await p.map(inputs: ["x": Array(0..<9)], over: ["x"])
        }
        let run = try #require(model.runs.first)
        #expect(model.issues.isEmpty)
        let map = try #require(run.maps.first)
        #expect(run.maps.count == 1)
        #expect(map.name == "slowly")
        #expect(map.items == 9 && map.done == 9 && map.failed == 0 && map.cached == 0 && map.inFlight == 0)
        #expect(map.peakConcurrency >= 1 && map.peakConcurrency <= 3)
        let latency = try #require(map.latency)
        #expect(latency.p50 >= 2_000_000 && latency.p50 <= latency.p90 && latency.p90 <= latency.p99)
        #expect(latency.p99 <= latency.max)
        let rate = try #require(map.itemsPerSecond)
        #expect(rate > 0 && rate < 9 / 0.002)
        let mapSpan = run.spans[map.span]
        #expect(mapSpan.itemCount == 9)
        let items = mapSpan.children.map { run.spans[$0] }
        #expect(items.map(\.kind) == Array(repeating: .mapItem, count: 9))
        #expect(Set(items.compactMap(\.itemIndex)) == Set(0..<9))
        #expect(Set(items.map(\.lane)).count == map.peakConcurrency || map.peakConcurrency == 1)
        for item in items {
            let pipeline = try #require(item.children.first.map { run.spans[$0] })
            #expect(pipeline.kind == .pipeline && pipeline.name == "slowly" && pipeline.depth == 2)
            #expect(pipeline.children.map { run.spans[$0].name } == ["slow"])
        }
        #expect(run.totals.mapItems == 9 && run.totals.maps == 1 && run.totals.nodes == 9)
    }

    @Test("nesting: depth, paths and kinds down to the inner node")
    func nested() async throws {
        let model = try await RecordedTrace.model { callbacks in
            let inner = try Pipeline(nodes: [RecordedTrace.double], name: "inner")
            let outer = try Pipeline(
                nodes: [try inner.asNode(name: "wrap"), RecordedTrace.addOne], name: "outer", callbacks: callbacks)
            _ = try await outer.run(inputs: ["x": 5])
        }
        let run = try #require(model.runs.first)
        let double = try #require(run.spans.first { $0.name == "double" })
        #expect(run.path(of: double.index) == ["outer", "wrap", "inner", "inner", "double"])
        #expect(double.depth == 4 && double.nestingDepth == 1)
        var kinds: [SpanKind] = []
        var current: Int? = double.index
        while let index = current {
            kinds.append(run.spans[index].kind)
            current = run.spans[index].parent
        }
        #expect(kinds == [.node, .pipeline, .nestedPipeline, .node, .pipeline])
        #expect(run.totals.pipelines == 2 && run.totals.nodes == 3)
    }

    @Test("cache hits: zero-length cached node spans; two runs in one file are two runs")
    func cachedRerunAndTwoRuns() async throws {
        let cacheDirectory = TemporaryDirectory()
        let model = try await RecordedTrace.model { callbacks in
            var p = try Pipeline(
                nodes: [RecordedTrace.double, RecordedTrace.addOne], name: "arith", callbacks: callbacks)
            p.cache = DiskCache(directory: cacheDirectory.url)
            _ = try await p.run(inputs: ["x": 5])
            _ = try await p.run(inputs: ["x": 5])
        }
        #expect(model.runs.count == 2)
        #expect(model.runs[0].runID != model.runs[1].runID)
        #expect(model.runs.allSatisfy { $0.header != nil && $0.isComplete })
        let first = model.runs[0]
        let second = model.runs[1]
        #expect(first.totals.nodes == 2 && first.totals.cachedNodes == 0)
        #expect(second.totals.nodes == 0 && second.totals.cachedNodes == 2)
        let hits = second.spans.filter { $0.kind == .node }
        #expect(hits.count == 2)
        for hit in hits {
            #expect(hit.isCached && hit.status == .cached && hit.duration == 0 && hit.outcome == "cached")
            #expect(hit.attributes["cache.key"]?.count == 64)
            #expect(hit.parent == second.roots.first)
        }
        #expect(model.totals.cachedNodes == 2 && model.totals.nodes == 2)
        #expect(model.earliestStart == first.startTime)
    }

    @Test("cached map items count as cached in the map's statistics")
    func cachedMapItems() async throws {
        let cacheDirectory = TemporaryDirectory()
        let model = try await RecordedTrace.model { callbacks in
            var p = try Pipeline(
                nodes: [RecordedTrace.double, RecordedTrace.addOne], name: "arith", callbacks: callbacks)
            p.cache = DiskCache(directory: cacheDirectory.url)
            _ = try await p.map(inputs: ["x": [1, 2]], over: ["x"])
            _ = try await p.map(inputs: ["x": [1, 2, 3]], over: ["x"])
        }
        let map = try #require(model.runs.last?.maps.first)
        #expect(map.items == 3 && map.done == 3 && map.cached == 2)
        let run = try #require(model.runs.last)
        let cachedItems = run.spans.filter { $0.kind == .mapItem && $0.cacheHits == 2 }
        #expect(cachedItems.count == 2)
    }

    @Test("a failure: error on the failing node, counted once though reported twice")
    func failure() async throws {
        let model = try await RecordedTrace.model { callbacks in
            let inner = try Pipeline(nodes: [RecordedTrace.boom], name: "inner")
            let outer = try Pipeline(nodes: [try inner.asNode(name: "wrapper")], name: "outer", callbacks: callbacks)
            _ = try? await outer.run(inputs: ["x": 1])
        }
        let run = try #require(model.runs.first)
        #expect(run.status == .error)
        let boom = try #require(run.spans.first { $0.name == "boom" })
        #expect(boom.status == .error && boom.error?.message == "boom!" && boom.outcome == "error")
        #expect(boom.error?.type.hasSuffix("Boom") == true)
        let wrapper = try #require(run.spans.first { $0.name == "wrapper" })
        #expect(wrapper.status == .error && wrapper.error?.message == "boom!")
        #expect(run.totals.errors == 1)
        #expect(run.totals.failed == 5)  // boom, inner pipeline, nested, wrapper, outer pipeline
    }

    @Test("a trace cut off mid-line: the cut line is a problem, open spans are unfinished")
    func truncated() async throws {
        let directory = TemporaryDirectory()
        let path = try await RecordedTrace.record(in: directory) { callbacks in
            let p = try Pipeline(nodes: [RecordedTrace.slow], name: "slowly", callbacks: callbacks, maxConcurrency: 2)
            _ = try await p.map(inputs: ["x": Array(0..<6)], over: ["x"])
        }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let lineEnds = bytes.indices.filter { bytes[$0] == 0x0A }
        // Keep the first 60 % of the lines and half of the next one.
        let keep = lineEnds[lineEnds.count * 6 / 10]
        let cut = Array(bytes[...keep]) + Array(bytes[(keep + 1)...].prefix(20))
        let model = TraceModel(reader: try TraceReader(bytes: cut, name: "cut.jsonl"))
        #expect(model.problems.count == 1)
        #expect(model.problems.first?.reason.contains("cut off") == true)
        let run = try #require(model.runs.first)
        #expect(run.end == nil && !run.isComplete && run.status == .running)
        let unfinished = run.spans.filter { !$0.isFinished }
        #expect(!unfinished.isEmpty)
        #expect(run.totals.unfinished == unfinished.count)
        for span in unfinished {
            #expect(span.end == max(span.start, run.lastTimestamp))
            #expect(span.status == .running && span.outcome == "unfinished")
        }
        #expect(run.spans[run.roots[0]].isFinished == false)
        #expect(run.issues.contains { $0.message.contains("never closed") })
        let map = try #require(run.maps.first)
        #expect(map.done < 6)
    }

    @Test("per-item spans off: the map's counts come from its progress ticks")
    func progressOnly() async throws {
        var options = TraceRecorder.Options()
        options.itemSpans = false
        let model = try await RecordedTrace.model(options: options) { callbacks in
            let p = try Pipeline(nodes: [RecordedTrace.double], name: "m", callbacks: callbacks)
            _ = try await p.map(inputs: ["x": Array(0..<50)], over: ["x"])
        }
        let run = try #require(model.runs.first)
        let map = try #require(run.maps.first)
        #expect(run.spans[map.span].children.isEmpty)
        #expect(map.items == 50 && map.done == 50 && map.inFlight == 0)
        #expect(run.progress[map.span]?.done == 50)
        #expect(run.totals.mapItems == 50)
    }

    @Test("scripted: statistics of a map with a cached item, a partly cached one and progress ticks")
    func scriptedAnalysis() throws {
        let model = TraceModel(records: ScriptedTraces.analysis.records)
        #expect(model.issues.isEmpty)
        let run = try #require(model.runs.first)
        let map = try #require(run.maps.first)
        #expect(map.items == 6 && map.done == 6 && map.cached == 1 && map.failed == 0)
        #expect(map.peakConcurrency == 3)
        #expect(map.duration == 1_759_000_000)
        #expect(map.latency?.max == 959_000_000)
        #expect(map.latency?.p50 == 600_000_000)
        let analyze = try #require(run.spans.first { $0.name == "analyze" })
        #expect(analyze.duration == 1_761_000_000)
        #expect(analyze.selfTime == 1_000_000)  // 0.5 ms before the nested span, 0.5 ms after it
        let item1 = try #require(run.spans.first { $0.kind == .mapItem && $0.itemIndex == 1 })
        #expect(item1.cacheHits == 1)
        #expect(run.totals.cachedNodes == 4 && run.totals.nodes == 12)
    }

    @Test("scripted: self time is the duration minus the union of overlapping children")
    func selfTimeOfOverlappingChildren() throws {
        var s = TraceScript()
        s.header(runID: 1, pipeline: "p")
        let root = s.start(.pipelineStart, "p", at: 0, parent: nil)
        let a = s.start(.nodeStart, "a", at: 10, parent: root, lane: 0)
        let b = s.start(.nodeStart, "b", at: 20, parent: root, lane: 1)
        s.end(a, at: 40)
        s.end(b, at: 50)
        let c = s.start(.nodeStart, "c", at: 70, parent: root, lane: 0)
        s.end(c, at: 80)
        s.end(root, at: 100)
        let run = try #require(TraceModel(records: s.records).runs.first)
        #expect(run.spans[run.roots[0]].selfTime == TraceScript.ns(100 - 40 - 10))
    }

    @Test("damaged input: unknown spans, missing parents, duplicate ids, headerless runs — repaired and listed")
    func damaged() throws {
        var s = TraceScript()
        s.header(runID: 9, pipeline: "p")
        s.event(.pipelineStart, "p", span: 1, parent: nil, at: 0)
        s.event(.nodeEnd, "ghost", span: 50, parent: 1, at: 30, status: .ok, duration: 10)  // never started
        s.event(.nodeStart, "orphan", span: 2, parent: 77, at: 5)  // parent missing
        s.event(.nodeEnd, "orphan", span: 2, parent: 77, at: 6, status: .ok, duration: 1)
        s.event(.nodeEnd, "orphan", span: 2, parent: 77, at: 7, status: .ok, duration: 2)  // closed twice
        s.event(.nodeStart, "twin", span: 3, parent: 1, at: 8)
        s.event(.nodeEnd, "twin", span: 3, parent: 1, at: 9, status: .ok, duration: 1)
        s.event(.nodeStart, "twin", span: 3, parent: 1, at: 10)  // id used again
        s.event(.nodeEnd, "twin", span: 3, parent: 1, at: 12, status: .running, duration: 2)  // end says running
        s.event(
            .error, "nobody", span: 99, parent: nil, at: 13, status: .error,
            error: ErrorInfo(type: "E", message: "lost"))
        s.event(.mapItemCached, "x", span: 98, parent: nil, at: 13)
        s.progress(SpanID(rawValue: 3), "twin", at: 14, total: 1, done: 1, inFlight: 0)  // not a map
        s.event(.nodeStart, "mismatch", span: 4, parent: 1, at: 14)
        s.event(.mapEnd, "mismatch", span: 4, parent: 1, at: 15, status: .ok, duration: 1)  // closes a node as a map
        s.event(.pipelineEnd, "p", span: 1, parent: nil, at: 40, status: .ok, duration: 40)
        s.runID = 10
        s.event(.pipelineStart, "headless", span: 1, parent: nil, at: 0)  // a run without a header
        let model = TraceModel(records: s.records)
        #expect(model.runs.map(\.runID) == [9, 10])
        let run = model.runs[0]
        let ghost = try #require(run.spans.first { $0.name == "ghost" })
        #expect(ghost.start == TraceScript.ns(20) && ghost.end == TraceScript.ns(30) && ghost.isFinished)
        #expect(ghost.parent == run.roots[0])
        let orphan = try #require(run.spans.first { $0.name == "orphan" })
        #expect(orphan.parent == run.roots[0] && orphan.recordedParentID == SpanID(rawValue: 77))
        #expect(orphan.end == TraceScript.ns(6))
        let twins = run.spans.filter { $0.name == "twin" }
        #expect(twins.count == 2 && twins.allSatisfy(\.isFinished) && twins[1].status == .ok)
        let messages = run.issues.map(\.message).joined(separator: "\n")
        for expected in [
            "never started; its start is taken from its duration",
            "is not in the trace; attached to the run's root 'p'",
            "closes span 2 again", "span id 3 is used again", "has status running", "which never started: E: lost",
            "cache hit of 'x'", "which is not a map", "which is a node span",
        ] {
            #expect(messages.contains(expected), "missing issue: \(expected)\n\(messages)")
        }
        let headless = model.runs[1]
        #expect(headless.header == nil && headless.name == "headless")
        #expect(headless.issues.first?.message.contains("before (or without) its header") == true)
        #expect(headless.spans.first?.isFinished == false)
    }

    @Test("many issues of one kind are listed up to a limit, then counted")
    func issueFlood() throws {
        var s = TraceScript()
        s.header(runID: 3, pipeline: "p")
        for span in 1...500 {
            s.event(.error, "e", span: UInt64(span), parent: nil, at: 1, status: .error)
        }
        let run = try #require(TraceModel(records: s.records).runs.first)
        #expect(run.issues.count == 21)
        #expect(run.issues.last?.message.contains("480 more issues") == true)
    }

    @Test("seeded random event soup never crashes and keeps the tree consistent")
    func randomSoup() throws {
        var generator = SeededGenerator(state: 0x5EED)
        let kinds = EventKind.allCases
        for round in 0..<40 {
            var s = TraceScript()
            s.header(runID: UInt64(round % 3), pipeline: "soup")
            for _ in 0..<300 {
                let kind = kinds[Int(generator.next() % UInt64(kinds.count))]
                let parent = generator.next() % 4 == 0 ? nil : generator.next() % 40
                s.event(
                    kind, "n\(generator.next() % 5)", span: generator.next() % 40, parent: parent,
                    at: Double(generator.next() % 1000), status: SpanStatus(rawValue: UInt8(generator.next() % 5))!,
                    duration: generator.next() % 3 == 0 ? nil : Double(generator.next() % 2000),
                    lane: Int(generator.next() % 4))
                if generator.next() % 50 == 0 { s.runID = generator.next() % 3 }
            }
            let model = TraceModel(records: s.records)
            for run in model.runs {
                for span in run.spans {
                    #expect(span.end >= span.start && span.selfTime <= span.duration)
                    if let parent = span.parent {
                        #expect(parent < span.index && run.spans[parent].children.contains(span.index))
                        #expect(span.depth == run.spans[parent].depth + 1)
                    } else {
                        #expect(run.roots.contains(span.index))
                    }
                }
                #expect(run.depthFirstOrder.count == run.spans.count)
            }
            _ = TraceSummary.render(model, width: 60)
            _ = ChromeTraceExporter().export(model)
            _ = OTLPJSONExporter().export(model)
            _ = SpeedscopeExporter().export(model)
        }
    }
}

extension TraceModelTests {
    @Test("timestamps and durations near the 64-bit limit: no overflow anywhere")
    func hugeNumbers() throws {
        let huge = UInt64.max - 10
        var records: [TraceRecord] = [
            .header(
                TraceHeader(
                    runID: 1, startTime: .max - 5,
                    process: TraceProcess(pid: 1, executable: "x", arguments: [], hostName: "h"),
                    pipeline: "p", graph: nil))
        ]
        func event(
            _ kind: EventKind, span: UInt64, parent: UInt64?, at t: UInt64, duration: UInt64? = nil, item: Int? = nil
        )
            -> TraceRecord
        {
            .event(
                PipelineEvent(
                    kind: kind, status: kind.opensSpan ? .running : .ok, runID: 1, spanID: SpanID(rawValue: span),
                    parentSpanID: parent.map { SpanID(rawValue: $0) }, name: "n", timestamp: t, duration: duration,
                    lane: Int.max, itemIndex: item, itemCount: item.map { _ in Int.max }))
        }
        records += [
            event(.pipelineStart, span: 1, parent: nil, at: 0),
            event(.mapStart, span: 2, parent: 1, at: 1, item: 0),
            event(.mapItemStart, span: 3, parent: 2, at: 2, item: Int.max),
            event(.mapItemEnd, span: 3, parent: 2, at: huge, duration: huge, item: Int.max),
            event(.mapItemStart, span: 4, parent: 2, at: 3, item: Int.min + 1),
            event(.mapItemEnd, span: 4, parent: 2, at: .max, duration: .max, item: Int.min + 1),
            event(.nodeEnd, span: 5, parent: 1, at: .max, duration: .max),
            .progress(
                MapProgress(
                    runID: 1, spanID: SpanID(rawValue: 2), name: "n", timestamp: .max, total: Int.max, done: Int.max,
                    failed: 0, cached: 0, inFlight: 0)),
            .runEnd(RunEnd(runID: 1, timestamp: .max, status: .ok, duration: .max, totals: RunEnd.Totals())),
        ]
        let model = TraceModel(records: records)
        let run = try #require(model.runs.first)
        #expect(run.duration == .max)
        #expect(run.maps.first?.latency?.mean ?? 0 > huge / 2)
        for width in [20, 100] {
            for line in TraceSummary.render(model, width: width).split(separator: "\n") {
                #expect(DisplayWidth.of(line) <= width)
            }
        }
        _ = try ExportChecks.checkChrome(ChromeTraceExporter().export(model))
        _ = try ExportChecks.checkSpeedscope(SpeedscopeExporter().export(model))
        _ = try ExportChecks.object(OTLPJSONExporter().export(model))
    }
}
