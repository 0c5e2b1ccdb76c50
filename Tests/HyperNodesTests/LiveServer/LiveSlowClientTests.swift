import Foundation
import HyperNodes
import Synchronization
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#endif

/// Counts the events a pipeline emits.
private final class EmittedEvents: PipelineCallback {
    let count = Atomic<Int>(0)
    func handle(_ event: PipelineEvent, context: CallbackContext) {
        count.add(1, ordering: .relaxed)
    }
}

@Suite("Live server with slow clients")
struct LiveSlowClientTests {
    @Test("a client that does not read loses its oldest records, is told how many, and slows nobody down")
    func stalledClient() async throws {
        let directory = ShortDirectory()
        var options = liveOptions(directory)
        options.clientBuffer = 1000
        let server = try LiveServer(options: options)
        let tracePath = directory.file("run.jsonl")
        var recorderOptions = TraceRecorder.Options()
        recorderOptions.flushOnTerminationSignals = false
        let recorder = try TraceRecorder(path: tracePath, options: recorderOptions)

        let stalled = try RawClient(server.socketPath)
        stalled.send("{\"request\":\"stream\"}\n")  // and then it does not read
        let (connection, fast) = try StreamCollector.stream(server.socketPath)
        defer { connection.cancel() }
        #expect(try await fast.wait { _ in server.clientCount == 2 })

        // Every 25 values the run waits until the reading client has every event so far,
        // so that only the stalled client falls behind by more than its buffer.
        let emitted = EmittedEvents()
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) async in
            if x % 25 == 0 {
                let target = emitted.count.load(ordering: .relaxed)
                for _ in 0..<5000 {
                    let received = fast.messages.reduce(0) { if case .record(.event) = $1 { $0 + 1 } else { $0 } }
                    if received >= target { break }
                    try? await Task.sleep(for: .milliseconds(1))
                }
            }
            return x * 2
        }
        let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
        var pipeline = try Pipeline(nodes: [double, addOne], name: "paced")
        pipeline.maxConcurrency = 1
        pipeline.callbacks = [emitted, recorder, server]
        _ = try await pipeline.map(inputs: ["x": Array(0..<3000)], over: ["x"])
        recorder.close()
        #expect(try await fast.wait { allRunsEnded($0) })

        // The reading client got everything; the server holds at most its bound for the stalled one.
        let recorded = try readTrace(tracePath)
        #expect(fast.dropped == 0)
        #expect(canonical(fast.records) == canonical(recorded))
        let total = fast.records.count
        #expect(total > 20_000)
        let held = server.heldRecords
        #expect(held.count <= options.clientBuffer + LiveRecordLog.chunkBytes / 64, "held \(held)")

        // The stalled client reads again: what its socket held, a live_dropped, then the newest records.
        let lines = try await onOwnThread { stalled.readLines { $0.last?.contains("\"type\":\"run_end\"") == true } }
        #expect(lines.last?.contains("\"type\":\"run_end\"") == true)
        var traceLines = 0
        var dropped = 0
        var dropNotices = 0
        for line in lines {
            if line.hasPrefix("{\"type\":\"live_dropped\"") {
                dropNotices += 1
                let decoded = try Array(line.utf8).withUnsafeBufferPointer { try LiveControlLine.decode($0) }
                if case .dropped(let count)? = decoded { dropped += count }
            } else if !line.hasPrefix("{\"type\":\"live_") {
                traceLines += 1
            }
        }
        #expect(dropNotices >= 1)
        #expect(dropped > 0)
        #expect(traceLines + dropped == total, "received \(traceLines) + dropped \(dropped) vs \(total) sent")
        #expect(traceLines >= options.clientBuffer, "the newest records arrive after the notice")
        server.close()
    }

    @Test("a client whose socket stays full past closing is cut off without holding up close")
    func stalledClientDoesNotHoldClose() async throws {
        let directory = ShortDirectory()
        // A buffer larger than the run: everything waits for the client, far more than its socket holds.
        let server = try LiveServer(options: liveOptions(directory))
        let stalled = try RawClient(server.socketPath)
        stalled.send("{\"request\":\"stream\"}\n")
        #expect(
            try await onOwnThread {
                for _ in 0..<5000 where server.clientCount < 1 { usleep(1000) }
                return server.clientCount == 1
            })
        var pipeline = try nestedMapPipeline()
        pipeline.callbacks = [server]
        _ = try await pipeline.map(inputs: ["x": Array(repeating: Array(0..<100), count: 20)], over: ["x"])
        server.close()  // returns after the grace period although the client never read
        #expect(server.clientCount == 0)
        let (bytes, timedOut) = stalled.readAll()
        #expect(!timedOut, "the connection was closed")
        #expect(!bytes.isEmpty)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("\"type\":\"live_end\""), "cut off before everything (and live_end) was sent")
    }
}
