import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#endif

private func recorderOptions() -> TraceRecorder.Options {
    var options = TraceRecorder.Options()
    options.flushOnTerminationSignals = false
    return options
}

/// 10 outer items of 10 values each: 100 inner runs.
private let tenByTen: [[Int]] = (0..<10).map { outer in (0..<10).map { outer * 10 + $0 } }

/// The lines of `records`, encoded again, sorted: equal for two streams of the same lines in any order.
private func sortedLines(_ records: [TraceRecord]) -> [String] {
    records.map { String(decoding: TraceEncoder().encode($0), as: UTF8.self) }.sorted()
}

@Suite("Live server streaming")
struct LiveStreamTests {
    @Test("a client connected from the start receives exactly the lines the recorder writes")
    func streamEqualsRecorder() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        let tracePath = directory.file("run.jsonl")
        let recorder = try TraceRecorder(path: tracePath, options: recorderOptions())
        let (connection, collector) = try StreamCollector.stream(server.socketPath)
        defer { connection.cancel() }
        #expect(try await collector.wait { $0.contains { if case .status = $0 { true } else { false } } })
        #expect(try await collector.wait { _ in server.clientCount == 1 })

        var pipeline = try nestedMapPipeline()
        pipeline.callbacks = [recorder, server]
        _ = try await pipeline.map(inputs: ["x": tenByTen], over: ["x"])
        _ = try await pipeline.run(inputs: ["x": [1, 2, 3]])
        recorder.close()
        #expect(try await collector.wait { allRunsEnded($0) && $0.filter(isRunEnd).count == 2 })

        let recorded = try readTrace(tracePath)
        let received = collector.records
        #expect(sortedLines(received) == sortedLines(recorded))
        #expect(canonical(received) == canonical(recorded))
        #expect(collector.dropped == 0)
        guard case .status(let status)? = collector.messages.first else {
            Issue.record("the stream does not start with a status")
            return
        }
        #expect(status.pid == getpid())
    }

    @Test("a client that connects halfway through a run ends with the same model as the recorded trace")
    func lateJoinerGetsTheWholeRun() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        let tracePath = directory.file("run.jsonl")
        let recorder = try TraceRecorder(path: tracePath, options: recorderOptions())
        let gate = Gate(at: 55)
        var pipeline = try nestedMapPipeline(gate: gate)
        pipeline.callbacks = [recorder, server]
        let run = Task { try await pipeline.map(inputs: ["x": tenByTen], over: ["x"]) }
        #expect(try await gate.waitReached())
        let (connection, collector) = try StreamCollector.stream(
            server.socketPath, record: directory.file("seen.jsonl"))
        defer { connection.cancel() }
        // Joined while the run is blocked halfway: the state so far comes first.
        #expect(
            try await collector.wait { messages in messages.contains { if case .record = $0 { true } else { false } } })
        #expect(!allRunsEnded(collector.messages))
        gate.release()
        _ = try await run.value
        recorder.close()
        #expect(try await collector.wait { allRunsEnded($0) })
        server.close()
        #expect(try await collector.waitClosed())
        #expect(collector.closeError == nil)
        #expect(collector.sawEnd)

        let recorded = try readTrace(tracePath)
        #expect(canonical(collector.records) == canonical(recorded))
        #expect(TraceModel(records: collector.records).issues.isEmpty)
        // The record file is a trace with what was received.
        #expect(canonical(try readTrace(directory.file("seen.jsonl"))) == canonical(recorded))
    }

    @Test("with small retention bounds a late joiner gets the latest items, the map counts and no orphans")
    func retentionBounds() async throws {
        let directory = ShortDirectory()
        var options = liveOptions(directory)
        options.retainedItems = 5
        options.retainedSpans = 3
        let server = try LiveServer(options: options)
        var pipeline = try nestedMapPipeline()
        pipeline.callbacks = [server]
        _ = try await pipeline.map(inputs: ["x": tenByTen], over: ["x"])
        // Wait until the server has taken the run in: a status lists it as finished.
        #expect(try await firstRunFinished(on: server))
        let (connection, collector) = try StreamCollector.stream(server.socketPath)
        defer { connection.cancel() }
        #expect(try await collector.wait { allRunsEnded($0) })
        let model = TraceModel(records: collector.records)
        #expect(model.issues.isEmpty, "issues: \(model.issues)")
        let run = try #require(model.runs.first)
        let items = run.spans.filter { $0.kind == .mapItem }
        #expect(items.count <= 5)
        #expect(items.count >= 1)
        // The outer map's count survives through its latest progress.
        let outerMap = try #require(run.spans.first { $0.kind == .map && $0.parent == nil })
        let progress = try #require(run.progress[outerMap.index])
        #expect(progress.done == 10 && progress.total == 10)
        #expect(run.end != nil)
    }

    @Test("the retention bounds hold over all runs together, and every kept run stays well formed")
    func retentionAcrossRuns() async throws {
        let directory = ShortDirectory()
        var options = liveOptions(directory)
        options.retainedItems = 30
        let server = try LiveServer(options: options)
        var pipeline = try nestedMapPipeline()
        pipeline.callbacks = [server]
        for _ in 0..<3 { _ = try await pipeline.map(inputs: ["x": tenByTen], over: ["x"]) }
        #expect(
            try await onOwnThread {
                for _ in 0..<2000 {
                    if let status = try? LiveConnection.connect(path: server.socketPath).status(),
                        status.runs.count == 3, status.runs.allSatisfy(\.finished)
                    {
                        return true
                    }
                    usleep(5000)
                }
                return false
            })
        let (connection, collector) = try StreamCollector.stream(server.socketPath)
        defer { connection.cancel() }
        #expect(try await collector.wait { allRunsEnded($0) && $0.filter(isRunEnd).count == 3 })
        let model = TraceModel(records: collector.records)
        #expect(model.issues.isEmpty, "issues: \(model.issues)")
        #expect(model.runs.count == 3)
        let items = model.runs.flatMap(\.spans).filter { $0.kind == .mapItem }
        #expect(items.count <= 30)
        #expect(model.runs.last!.spans.contains { $0.kind == .mapItem }, "the newest items are kept")
        for run in model.runs {
            let outerMap = try #require(run.spans.first { $0.kind == .map && $0.parent == nil })
            #expect(run.progress[outerMap.index]?.done == 10)
        }
    }

    @Test("memory kept for late joiners stays bounded over a long map")
    func retentionMemoryBounded() async throws {
        let directory = ShortDirectory()
        var options = liveOptions(directory)
        options.retainedItems = 5
        options.queueCapacity = 1 << 20  // no event dropped, even in a slow debug build
        let server = try LiveServer(options: options)
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
        var pipeline = try Pipeline(nodes: [double], name: "long")
        pipeline.callbacks = [server]
        // 4,000 items of 6 lines each: 24,000 lines streamed.
        _ = try await pipeline.map(inputs: ["x": Array(0..<4000)], over: ["x"])
        #expect(try await firstRunFinished(on: server))
        let kept = server.retainedSize
        #expect(kept.lines < 17_000, "compacted as items went: \(kept)")
        let (connection, collector) = try StreamCollector.stream(server.socketPath)
        defer { connection.cancel() }
        #expect(try await collector.wait { allRunsEnded($0) })
        let items = TraceModel(records: collector.records).runs.first?.spans.filter { $0.kind == .mapItem }
        #expect(items?.count == 5, "\(items?.map { "\($0.itemIndex ?? -1) \($0.isFinished)" } ?? [])")
    }

    @Test("several clients at once each receive the whole run")
    func manyClients() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        let tracePath = directory.file("run.jsonl")
        let recorder = try TraceRecorder(path: tracePath, options: recorderOptions())
        var clients: [(LiveConnection, StreamCollector)] = []
        for _ in 0..<6 { clients.append(try StreamCollector.stream(server.socketPath)) }
        defer { for (connection, _) in clients { connection.cancel() } }
        #expect(try await clients[0].1.wait { _ in server.clientCount == 6 })
        var pipeline = try nestedMapPipeline()
        pipeline.callbacks = [recorder, server]
        _ = try await pipeline.map(inputs: ["x": tenByTen], over: ["x"])
        recorder.close()
        let expected = canonical(try readTrace(tracePath))
        for (_, collector) in clients {
            #expect(try await collector.wait { allRunsEnded($0) })
            #expect(canonical(collector.records) == expected)
        }
    }

    @Test("a client that disconnects mid-stream disturbs neither the other clients nor the pipeline")
    func clientLeavesMidStream() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        let tracePath = directory.file("run.jsonl")
        let recorder = try TraceRecorder(path: tracePath, options: recorderOptions())
        let (leaving, leaver) = try StreamCollector.stream(server.socketPath)
        let (staying, stayer) = try StreamCollector.stream(server.socketPath)
        defer { staying.cancel() }
        let raw = try RawClient(server.socketPath)
        raw.send("{\"request\":\"stream\"}\n")
        #expect(try await stayer.wait { _ in server.clientCount == 3 })
        let gate = Gate(at: 40)
        var pipeline = try nestedMapPipeline(gate: gate)
        pipeline.callbacks = [recorder, server]
        let run = Task { try await pipeline.map(inputs: ["x": tenByTen], over: ["x"]) }
        #expect(try await gate.waitReached())
        leaving.cancel()  // one leaves politely
        close(raw.descriptor)  // one just drops its socket
        #expect(try await leaver.waitClosed())
        #expect(leaver.closeError == nil)
        gate.release()
        _ = try await run.value
        recorder.close()
        #expect(try await stayer.wait { allRunsEnded($0) })
        #expect(canonical(stayer.records) == canonical(try readTrace(tracePath)))
        #expect(try await stayer.wait { _ in server.clientCount == 1 })
    }

    @Test("close sends live_end, removes the socket, and later events are ignored")
    func closeEndsTheStream() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        let path = server.socketPath
        #expect(path == directory.file("\(getpid()).sock"))
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o600)
        let (connection, collector) = try StreamCollector.stream(path)
        defer { connection.cancel() }
        #expect(try await collector.wait { _ in server.clientCount == 1 })
        var pipeline = try nestedMapPipeline()
        pipeline.callbacks = [server]
        _ = try await pipeline.run(inputs: ["x": [1, 2]])
        server.close()
        #expect(try await collector.waitClosed())
        #expect(collector.closeError == nil)
        #expect(collector.sawEnd)
        #expect(allRunsEnded(collector.messages), "what was queued arrived before live_end")
        #expect(lstat(path, &info) != 0 && errno == ENOENT)
        _ = try await pipeline.run(inputs: ["x": [1, 2]])  // no crash, no hang
        server.close()  // a second close does nothing
    }

    @Test("a server whose socket file is left over from an earlier process with the same pid replaces it")
    func replacesStaleSocket() throws {
        let directory = ShortDirectory()
        let path = directory.file("\(getpid()).sock")
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let address = try #require(LiveSocketAddress(path: path))
        #expect(address.withSocketAddress { bind(stale, $0, $1) } == 0)
        close(stale)  // a socket file nobody listens on
        let server = try LiveServer(options: liveOptions(directory))
        #expect(try LiveConnection.connect(path: path).status().pid == getpid())
        server.close()
    }
}

private func isRunEnd(_ message: LiveMessage) -> Bool {
    if case .record(.runEnd) = message { return true }
    return false
}
