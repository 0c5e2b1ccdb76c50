import Foundation
import HyperNodes
import HyperNodesTrace
import Testing

@testable import HyperNodesMonitor

/// Takes from `mailbox` until its source has finished (at most about 30 s, so a bug fails rather than hangs).
func drain(_ mailbox: RecordMailbox) -> MailboxBatch {
    var all = MailboxBatch()
    for _ in 0..<30_000 {
        let batch = mailbox.take()
        all.records += batch.records
        all.problems += batch.problems
        all.dropped += batch.dropped
        if let finished = batch.finished {
            let rest = mailbox.take()
            all.records += rest.records
            all.problems += rest.problems
            all.finished = finished
            return all
        }
        usleep(1_000)
    }
    return all
}

/// Writes `records` as a trace file in `directory`, with `extra` bytes after the line at `index`.
func writeTrace(
    _ records: [TraceRecord], in directory: TemporaryDirectory, name: String = "t.jsonl",
    inserting extra: [UInt8] = [], after index: Int = -1, truncateBy cut: Int = 0
) throws -> String {
    var bytes: [UInt8] = []
    for (position, record) in records.enumerated() {
        TraceEncoder().encode(record, into: &bytes)
        if position == index { bytes += extra }
    }
    bytes.removeLast(min(cut, bytes.count))
    let path = directory.url.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("Monitor record mailbox")
struct SourceMailboxTests {
    let s = ModelScript()

    @Test("a take returns what was posted since the last take; the end is reported by every later take")
    func takes() {
        let mailbox = RecordMailbox()
        #expect(mailbox.take().records.isEmpty)
        mailbox.post(s.header())
        mailbox.post([s.start(.pipelineStart, 1, parent: nil, "main", at: 0), s.runEnd(at: 1)])
        mailbox.post(problem: TraceProblem(line: 3, reason: "bad"))
        let first = mailbox.take()
        #expect(first.records.count == 3 && first.problems == [TraceProblem(line: 3, reason: "bad")])
        #expect(first.finished == nil && first.dropped == 0)
        mailbox.finish(.completed)
        mailbox.finish(.failed("later"))
        #expect(mailbox.take().records.isEmpty)
        #expect(mailbox.take().finished == .completed)
    }

    @Test("a full mailbox drops the oldest records and counts them; producers never wait")
    func dropsOldest() {
        let mailbox = RecordMailbox(capacity: 3)
        for k in 0..<10_000 { mailbox.post(s.start(.nodeStart, UInt64(k + 1), parent: nil, "n", at: UInt64(k))) }
        let batch = mailbox.take()
        #expect(batch.records.map(\.timestamp) == [9_997, 9_998, 9_999])
        #expect(batch.dropped == 9_997 && mailbox.droppedCount == 9_997)
        #expect(mailbox.take().dropped == 0)
    }

    @Test("records posted from many threads at once all arrive, each thread's in order")
    func concurrentProducers() async {
        let mailbox = RecordMailbox()
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<4 {
                group.addTask {
                    let script = ModelScript(runID: UInt64(thread))
                    for k in 0..<2_000 {
                        mailbox.post(script.start(.nodeStart, UInt64(k + 1), parent: nil, "n", at: UInt64(k)))
                    }
                }
            }
        }
        let records = mailbox.take().records
        #expect(records.count == 8_000)
        for thread in 0..<4 {
            let times = records.filter { $0.runID == UInt64(thread) }.map(\.timestamp)
            #expect(times == (0..<2_000).map(UInt64.init))
        }
    }
}

@Suite("Monitor trace file source")
struct SourceFileTests {
    let s = ModelScript()

    func sample(nodes: Int = 3) -> [TraceRecord] {
        var records = [s.header(), s.start(.pipelineStart, 1, parent: nil, "main", at: 0)]
        for k in 0..<nodes {
            let id = UInt64(10 + k)
            records.append(s.start(.nodeStart, id, parent: 1, "n\(k)", at: UInt64(k * 10)))
            records.append(s.end(.nodeEnd, id, parent: 1, "n\(k)", at: UInt64(k * 10 + 5)))
        }
        records.append(s.end(.pipelineEnd, 1, parent: nil, "main", at: UInt64(nodes * 10)))
        records.append(s.runEnd(at: UInt64(nodes * 10)))
        return records
    }

    @Test("reads a whole trace into the mailbox, header first, and reports completion")
    func readsAll() throws {
        let directory = TemporaryDirectory()
        let path = try writeTrace(sample(nodes: 5_000), in: directory)
        let source = try TraceFileSource(path: path)
        #expect(source.header.runID == 1 && source.path == path)
        source.start()
        source.start()
        let batch = drain(source.mailbox)
        #expect(batch.finished == .completed && batch.problems.isEmpty)
        #expect(batch.records.count == 2 + 10_000 + 2)
        guard case .header = batch.records.first else {
            Issue.record("the first record is not the header")
            return
        }
        var model = RunModel()
        model.apply(batch.records)
        #expect(model.spanCount == 5_001 && model.issues.isEmpty && model.runs[0].end != nil)
    }

    @Test("a missing, empty, non-trace or directory path fails in init with the reader's message")
    func badFiles() throws {
        let directory = TemporaryDirectory()
        #expect(throws: TraceReadError.self) { try TraceFileSource(path: "/nonexistent/trace.jsonl") }
        do {
            _ = try TraceFileSource(path: "/nonexistent/trace.jsonl")
        } catch {
            #expect(error.description.contains("cannot open trace '/nonexistent/trace.jsonl'"))
        }
        let empty = directory.url.appendingPathComponent("empty").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(throws: TraceReadError.notATrace(path: empty, reason: "the file is empty")) {
            try TraceFileSource(path: empty)
        }
        let text = directory.url.appendingPathComponent("text").path
        #expect(FileManager.default.createFile(atPath: text, contents: Data("hello\nworld\n".utf8)))
        do {
            _ = try TraceFileSource(path: text)
            Issue.record("a text file was accepted")
        } catch {
            #expect(error.description.contains("is not a HyperNodes trace"))
        }
        do {
            _ = try TraceFileSource(path: directory.url.path)
            Issue.record("a directory was accepted")
        } catch {
            #expect(error.description.contains("it is a directory"))
        }
    }

    @Test("bad lines become problems with their line numbers and reading carries on")
    func badLines() throws {
        let directory = TemporaryDirectory()
        let path = try writeTrace(sample(), in: directory, inserting: Array("{not json\n".utf8), after: 2)
        let source = try TraceFileSource(path: path)
        source.start()
        let batch = drain(source.mailbox)
        #expect(batch.finished == .completed)
        #expect(batch.problems.map(\.line) == [4])
        #expect(batch.records.count == sample().count)
    }

    @Test("a trace cut off mid-line reports the cut line and keeps everything before it")
    func truncated() throws {
        let directory = TemporaryDirectory()
        let records = sample()
        let path = try writeTrace(records, in: directory, truncateBy: 10)
        let source = try TraceFileSource(path: path)
        source.start()
        let batch = drain(source.mailbox)
        #expect(batch.finished == .completed)
        #expect(batch.records.count == records.count - 1)
        #expect(batch.problems.count == 1 && batch.problems[0].reason.contains("cut off"))
    }

    @Test("a huge line (a 3 MB attribute) arrives whole")
    func hugeLine() throws {
        let directory = TemporaryDirectory()
        let value = String(repeating: "x", count: 3 << 20)
        var records = sample()
        records.insert(s.start(.nodeStart, 99, parent: 1, "big", at: 1, attributes: ["output.x": value]), at: 2)
        records.insert(s.end(.nodeEnd, 99, parent: 1, "big", at: 2), at: 3)
        let path = try writeTrace(records, in: directory)
        let source = try TraceFileSource(path: path)
        source.start()
        let batch = drain(source.mailbox)
        #expect(batch.problems.isEmpty && batch.records.count == records.count)
        var model = RunModel()
        model.apply(batch.records)
        let big = try #require((0..<model.spanCount).first { model.span($0).name == "big" })
        #expect(model.span(big).attributes["output.x"]?.count == 3 << 20)
    }

    @Test("cancel stops a reader that waits for the monitor, and a reader that never started")
    func cancel() throws {
        let directory = TemporaryDirectory()
        let path = try writeTrace(sample(nodes: 20_000), in: directory)
        let source = try TraceFileSource(path: path, backlog: 1_000)
        source.start()
        // Nobody takes: the reader stops at the backlog and waits.
        for _ in 0..<10_000 where source.mailbox.pendingCount < 1_000 { usleep(1_000) }
        source.cancel()
        for _ in 0..<10_000 where source.isReading { usleep(1_000) }
        #expect(!source.isReading)
        let batch = source.mailbox.take()
        #expect(batch.finished == .failed("cancelled"))
        #expect(batch.records.count < 40_000 && batch.records.count >= 1_000)

        let unstarted = try TraceFileSource(path: path)
        unstarted.cancel()
        unstarted.start()
        #expect(unstarted.mailbox.take().finished == .failed("cancelled") && !unstarted.isReading)
    }
}

@Suite("Monitor in-process source")
struct SourceInProcessTests {
    @Test("a run's events become a header, the events and a run end that a model reads without issues")
    func projectsRuns() async throws {
        let source = InProcessSource()
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
        let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
        let pipeline = try Pipeline(nodes: [double, addOne], name: "arith", callbacks: [source])
        let before = UInt64(Date().timeIntervalSince1970 * 1e9)
        _ = try await pipeline.run(inputs: ["x": 1])
        _ = try await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])
        let batch = source.mailbox.take()
        #expect(batch.dropped == 0 && batch.problems.isEmpty)
        let headers = batch.records.compactMap { if case .header(let h) = $0 { h } else { nil } }
        let ends = batch.records.compactMap { if case .runEnd(let e) = $0 { e } else { nil } }
        #expect(headers.count == 2 && ends.count == 2)
        #expect(headers[0].pipeline == "arith" && headers[0].graph?.root.nodes.map(\.name) == ["double", "add_one"])
        #expect(headers[0].startTime >= before - 1_000_000_000 && headers[0].process.pid == TraceProcess.current.pid)
        guard case .header = batch.records.first, case .runEnd = batch.records.last else {
            Issue.record("the records do not begin with a header and end with a run end")
            return
        }
        #expect(ends[0].status == .ok && ends[0].totals.nodes == 2 && ends[0].totals.spans == 3)
        #expect(ends[1].totals.mapItems == 3)
        var model = RunModel()
        model.apply(batch.records)
        #expect(model.issues.isEmpty)
        #expect(model.runs.count == 2 && model.runs.allSatisfy { $0.header != nil && $0.end != nil })
        let map = try #require(model.mapSpans.first)
        #expect(model.mapCounts(of: map, at: model.latestTime).done == 3)
    }

    @Test("a failing run ends with status error and counts the failed node")
    func failingRun() async throws {
        struct Boom: Error {}
        let source = InProcessSource()
        let boom = Node("boom", inputs: "x", output: "y") { (x: Int) throws -> Int in throw Boom() }
        let pipeline = try Pipeline(nodes: [boom], name: "failing", callbacks: [source])
        _ = try? await pipeline.run(inputs: ["x": 1])
        let records = source.mailbox.take().records
        guard case .runEnd(let end) = records.last else {
            Issue.record("no run end")
            return
        }
        #expect(end.status == .error && end.totals.failed == 1)
    }

    @Test("beyond its capacity the source drops the oldest records and counts them")
    func drops() async throws {
        let source = InProcessSource(capacity: 10)
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
        let pipeline = try Pipeline(nodes: [double], name: "d", callbacks: [source])
        _ = try await pipeline.map(inputs: ["x": Array(0..<50)], over: ["x"])
        let batch = source.mailbox.take()
        #expect(batch.records.count == 10)
        // A header, 2 map events, 50 × (item start, pipeline start, node start, node end, pipeline end, item end), a run end.
        #expect(batch.dropped + batch.records.count == 1 + 2 + 50 * 6 + 1)
        guard case .runEnd = batch.records.last else {
            Issue.record("the newest record (the run end) was dropped")
            return
        }
    }
}
