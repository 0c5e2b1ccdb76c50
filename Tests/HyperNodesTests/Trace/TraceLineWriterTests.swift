import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// Passes events on to a recorder, losing the ends of the map items whose
/// index `loses` picks, as a live server that fell behind loses events.
private struct LossyForwarder: PipelineCallback {
    let recorder: TraceRecorder
    let loses: @Sendable (Int) -> Bool

    func handle(_ event: PipelineEvent, context: CallbackContext) {
        if event.kind == .mapItemEnd, let item = event.itemIndex, loses(item) { return }
        recorder.handle(event, context: context)
    }
}

private func finalTicks(_ path: String) throws -> [MapProgress] {
    let (records, _) = try TraceReader(path: path).readAll()
    return records.compactMap { if case .progress(let progress) = $0 { progress } else { nil } }
}

@Suite("Trace line writer")
struct TraceLineWriterTests {
    @Test("a map that ended well reports every item done in its last tick, even when item ends were lost")
    func lostItemEndsDoNotLowerTheFinalCount() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("lossy.jsonl").path
        let recorder = try TraceRecorder(path: path)
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
        var pipeline = try Pipeline(nodes: [double], name: "lossy")
        pipeline.callbacks = [LossyForwarder(recorder: recorder, loses: { $0 % 3 == 0 })]
        _ = try await pipeline.map(inputs: ["x": Array(0..<30)], over: ["x"])
        recorder.close()
        let last = try #require(try finalTicks(path).last)
        #expect(last.total == 30)
        #expect(last.done == 30)
        #expect(last.inFlight == 0)
        #expect(last.failed == 0)
    }

    @Test("a map that failed keeps the counts it saw: items that never ended are not done")
    func failedMapKeepsItsCounts() async throws {
        struct Boom: Error {}
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("failed.jsonl").path
        let recorder = try TraceRecorder(path: path)
        let check = Node("check", inputs: "x", output: "checked") { (x: Int) in
            if x == 0 { throw Boom() }
            return x
        }
        var pipeline = try Pipeline(nodes: [check], name: "failing")
        pipeline.maxConcurrency = 1
        pipeline.callbacks = [recorder]
        await #expect(throws: (any Error).self) {
            _ = try await pipeline.map(inputs: ["x": Array(0..<5)], over: ["x"])
        }
        recorder.close()
        let last = try #require(try finalTicks(path).last)
        #expect(last.total == 5)
        #expect(last.failed >= 1)
        #expect(last.done < 5)
    }
}
