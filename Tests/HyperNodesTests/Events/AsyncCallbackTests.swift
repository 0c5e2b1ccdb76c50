import Foundation
import Synchronization
import Testing

@testable import HyperNodes

@Suite("Asynchronous callbacks and event queues")
struct AsyncCallbackTests {
    /// Records the thread each event was delivered on.
    final class ThreadRecorder: PipelineCallback, Sendable {
        let threads = Mutex<Set<UInt>>([])
        let recorder = EventRecorder()
        func handle(_ event: PipelineEvent, context: CallbackContext) {
            let thread = UInt(pthread_self())  // pthread_t is an integer on Linux
            threads.withLock { _ = $0.insert(thread) }
            recorder.handle(event, context: context)
        }
    }

    static func sampleEvent(_ index: Int) -> (PipelineEvent, CallbackContext) {
        let scope = Scope(runID: 1, origin: 0, metadata: PipelineMetadata(name: "p", nodeIDs: []), parent: nil)
        let event = PipelineEvent(
            kind: .mapItemStart, status: .running, runID: 1, spanID: SpanID(rawValue: UInt64(index + 1)),
            parentSpanID: nil, name: "p", itemIndex: index)
        return (event, scope.context)
    }

    @Test func deliversEveryEventInOrderOnItsOwnThread() async throws {
        let inner = ThreadRecorder()
        let async = AsyncCallback(inner)
        let direct = ThreadRecorder()
        let double = Node("double", inputs: "x", output: "y") { (x: Int) in x * 2 }
        let p = try Pipeline(nodes: [double], name: "p", callbacks: [direct, async])
        _ = try await p.map(inputs: ["x": Array(0..<200)], over: ["x"])
        async.flush()
        let queued = inner.recorder.events
        let emitted = direct.recorder.events
        #expect(queued.count == emitted.count)
        // The same events, in causal order: every span well nested.
        func key(_ e: PipelineEvent) -> String { "\(e.spanID):\(e.kind)" }
        #expect(queued.map(key).sorted() == emitted.map(key).sorted())
        try SpanChecks.assertWellFormed(queued)
        // One delivery thread, which is none of the threads that ran the pipeline.
        let deliveryThreads = inner.threads.withLock { $0 }
        #expect(deliveryThreads.count == 1)
        #expect(deliveryThreads.isDisjoint(with: direct.threads.withLock { $0 }))
        #expect(async.droppedCount == 0)
    }

    @Test func concurrentRunsSharingOneAsyncCallbackStayWellNested() async throws {
        let recorder = EventRecorder()
        let async = AsyncCallback(recorder)
        let double = Node("double", inputs: "x", output: "y") { (x: Int) in x * 2 }
        let p = try Pipeline(nodes: [double], name: "p", callbacks: [async], maxConcurrency: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { _ = try await p.map(inputs: ["x": Array(0..<300)], over: ["x"]) }
            }
            try await group.waitForAll()
        }
        async.flush()
        let events = recorder.events
        let runs = Set(events.map(\.runID))
        #expect(runs.count == 4)
        #expect(events.count == 4 * (2 + 300 * 6))
        for run in runs {
            // Each run's events arrive in causal order even though the runs share lanes and shards.
            try SpanChecks.assertWellFormed(events.filter { $0.runID == run })
        }
    }

    @Test func shardsOfDifferentRunsMergeByAbsoluteTime() throws {
        // Run B started first (origin 0); run A a millisecond later (origin 1_000_000).
        // Shard 0 (lane 0) holds B's late event, then A's map start; shard 1 (lane 1)
        // holds A's first item. Relative timestamps would put A's item (10) first.
        let metadata = PipelineMetadata(name: "p", nodeIDs: [])
        let scopeA = Scope(runID: 1, origin: 1_000_000, metadata: metadata, parent: nil)
        let scopeB = Scope(runID: 2, origin: 0, metadata: metadata, parent: nil)
        func event(_ kind: EventKind, run: UInt64, span: UInt64, parent: UInt64?, at time: UInt64, lane: Int)
            -> PipelineEvent
        {
            PipelineEvent(
                kind: kind, status: .running, runID: run, spanID: SpanID(rawValue: span),
                parentSpanID: parent.map { SpanID(rawValue: $0) }, name: "p", timestamp: time, lane: lane)
        }
        let started = Mutex(false)
        let gate = Mutex(false)
        let delivered = Mutex<[String]>([])
        let queue = EventQueue { batch in
            started.withLock { $0 = true }
            while !gate.withLock({ $0 }) { usleep(100) }
            delivered.withLock { $0 += batch.map { "\($0.event.runID):\($0.event.kind)" } }
        }
        // A first event, held in delivery, so that the next three are taken in one pass.
        queue.enqueue(event(.pipelineStart, run: 2, span: 1, parent: nil, at: 0, lane: 0), context: scopeB.context)
        while !started.withLock({ $0 }) { usleep(100) }
        queue.enqueue(event(.nodeStart, run: 2, span: 2, parent: 1, at: 999_999, lane: 0), context: scopeB.context)
        queue.enqueue(event(.mapStart, run: 1, span: 1, parent: nil, at: 0, lane: 0), context: scopeA.context)
        queue.enqueue(event(.mapItemStart, run: 1, span: 2, parent: 1, at: 10, lane: 1), context: scopeA.context)
        gate.withLock { $0 = true }
        queue.flush()
        #expect(
            delivered.withLock { $0 } == [
                "2:pipeline_start", "2:node_start", "1:map_start", "1:map_item_start",
            ])
    }

    @Test func blockingQueueIsLosslessUnderASlowConsumer() {
        let delivered = Mutex<[Int]>([])
        let queue = EventQueue(capacity: 16, overflow: .block) { batch in
            usleep(200)
            delivered.withLock { $0 += batch.map { $0.event.itemIndex! } }
        }
        for i in 0..<500 {
            let (event, context) = Self.sampleEvent(i)
            queue.enqueue(event, context: context)
        }
        queue.flush()
        #expect(delivered.withLock { $0 } == Array(0..<500))
        #expect(queue.droppedCount == 0)
    }

    @Test func droppingQueueNeverBlocksAndCountsDrops() {
        let gate = Mutex(false)
        let delivered = Mutex<[Int]>([])
        // 160 events of capacity: 10 per lane shard; every event here is on lane 0.
        let queue = EventQueue(capacity: 160, overflow: .dropOldest) { batch in
            // Hold the first delivery until every event has been offered.
            while !gate.withLock({ $0 }) { usleep(100) }
            delivered.withLock { $0 += batch.map { $0.event.itemIndex! } }
        }
        for i in 0..<1000 {
            let (event, context) = Self.sampleEvent(i)
            queue.enqueue(event, context: context)
        }
        gate.withLock { $0 = true }
        queue.flush()
        let got = delivered.withLock { $0 }
        #expect(got.count + queue.droppedCount == 1000)
        // At most one shard's worth was taken before the gate, and one shard's worth after.
        #expect(queue.droppedCount >= 1000 - 10 - 10)
        #expect(got == got.sorted(), "what is delivered stays in order")
        #expect(got.last == 999, "the newest events survive")
    }

    @Test func closeDeliversWhatIsQueuedThenDiscards() {
        let delivered = Mutex(0)
        let queue = EventQueue { batch in delivered.withLock { $0 += batch.count } }
        for i in 0..<100 {
            let (event, context) = Self.sampleEvent(i)
            queue.enqueue(event, context: context)
        }
        queue.close()
        #expect(delivered.withLock { $0 } == 100)
        let (event, context) = Self.sampleEvent(100)
        queue.enqueue(event, context: context)
        queue.flush()
        #expect(delivered.withLock { $0 } == 100)
    }

    @Test func flushAndCloseFromInsideDeliverDoNotDeadlock() {
        let box = Mutex<EventQueue?>(nil)
        let delivered = Mutex(0)
        let queue = EventQueue { batch in
            delivered.withLock { $0 += batch.count }
            box.withLock { $0 }?.flush()
            box.withLock { $0 }?.close()
        }
        box.withLock { $0 = queue }
        let (event, context) = Self.sampleEvent(0)
        queue.enqueue(event, context: context)
        queue.flush()
        #expect(delivered.withLock { $0 } == 1)
        queue.enqueue(event, context: context)  // closed from inside: discarded
        queue.flush()
        #expect(delivered.withLock { $0 } == 1)
        box.withLock { $0 = nil }
    }

    @Test func idleQueueWakesForLateEvents() async throws {
        let delivered = Mutex(0)
        let queue = EventQueue { batch in delivered.withLock { $0 += batch.count } }
        // Long enough for the drain thread to go to sleep (50 polls × 2 ms).
        try await Task.sleep(for: .milliseconds(250))
        let (event, context) = Self.sampleEvent(0)
        queue.enqueue(event, context: context)
        queue.flush()
        #expect(delivered.withLock { $0 } == 1)
    }
}
