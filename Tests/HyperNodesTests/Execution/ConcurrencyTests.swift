import Foundation
import Synchronization
import Testing

@testable import HyperNodes

@Suite("Concurrency, errors and cancellation")
struct ConcurrencyTests {
    struct Boom: Error {}

    static func sleeper(_ name: String, input: String, output: String, ms: Int) -> Node {
        Node(name, inputs: Input<Int>(input), output: Output<Int>(output)) { (x: Int) async throws -> Int in
            try await Task.sleep(for: .milliseconds(ms))
            return x + 1
        }
    }

    @Test func independentNodesOverlap() async throws {
        let recorder = EventRecorder()
        let a = Self.sleeper("a", input: "x", output: "a", ms: 50)
        let b = Self.sleeper("b", input: "x", output: "b", ms: 50)
        let sum = Node("sum", inputs: "a", "b", output: "sum") { (a: Int, b: Int) in a + b }
        let p = try Pipeline(nodes: [a, b, sum], name: "fan", callbacks: [recorder])
        let result = try await p.run(inputs: ["x": 1])
        #expect(result["sum", as: Int.self] == 4)

        // Checked through events: both nodes started before either ended, on
        // different lanes, and the two together took less than the sum of
        // their durations (each at least 50 ms).
        let events = recorder.events
        let starts = events.filter { $0.kind == .nodeStart && ["a", "b"].contains($0.name) }
        let ends = events.filter { $0.kind == .nodeEnd && ["a", "b"].contains($0.name) }
        #expect(starts.count == 2 && ends.count == 2)
        let lastStart = try #require(starts.map(\.timestamp).max())
        let firstEnd = try #require(ends.map(\.timestamp).min())
        #expect(lastStart < firstEnd)
        #expect(Set(starts.map(\.lane)).count == 2)
        let durations = ends.compactMap(\.duration)
        #expect(durations.count == 2 && durations.allSatisfy { $0 >= 50_000_000 })
        let span = try #require(ends.map(\.timestamp).max()) - (starts.map(\.timestamp).min() ?? 0)
        #expect(span < durations.reduce(0, +), "the nodes ran one after the other")
    }

    @Test func sequentialModeDoesNotOverlap() async throws {
        let recorder = EventRecorder()
        let a = Self.sleeper("a", input: "x", output: "a", ms: 10)
        let b = Self.sleeper("b", input: "x", output: "b", ms: 10)
        let p = try Pipeline(nodes: [a, b], name: "fan", callbacks: [recorder], executionMode: .sequential)
        _ = try await p.run(inputs: ["x": 1])
        #expect(
            recorder.trace == [
                "pipeline_start:fan", "node_start:a", "node_end:a", "node_start:b", "node_end:b", "pipeline_end:fan",
            ])
    }

    @Test func concurrentResultsEqualSequentialResults() async throws {
        let square = Node("square", inputs: "x", output: "sq") { (x: Int) in x * x }
        let neg = Node("neg", inputs: "x", output: "neg") { (x: Int) in -x }
        let combine = Node("combine", inputs: "sq", "neg", "offset", output: "out") { (s: Int, n: Int, o: Int) in
            s + n + o
        }
        let inner = try Pipeline(nodes: [square, neg, combine], name: "inner")
        let outerNode = try inner.asNode(name: "each", mapOver: ["x"])
        let total = Node("total", inputs: "out", output: "total") { (out: [Int]) in out.reduce(0, +) }
        let concurrent = try Pipeline(nodes: [outerNode, total], name: "outer", maxConcurrency: 8)
        var sequential = concurrent
        sequential.executionMode = .sequential
        let xs = Array(-500..<500)
        let a = try await concurrent.run(inputs: ["x": xs, "offset": 7])
        let b = try await sequential.run(inputs: ["x": xs, "offset": 7])
        #expect(a["out", as: [Int].self] == b["out", as: [Int].self])
        #expect(a["out", as: [Int].self] == xs.map { $0 * $0 - $0 + 7 })
        #expect(a["total", as: Int.self] == b["total", as: Int.self])
    }

    @Test func mapItemsRunConcurrentlyUpToTheLimit() async throws {
        let recorder = EventRecorder()
        let slow = Self.sleeper("slow", input: "x", output: "y", ms: 20)
        let p = try Pipeline(nodes: [slow], name: "p", callbacks: [recorder], maxConcurrency: 3)
        _ = try await p.map(inputs: ["x": Array(0..<9)], over: ["x"])
        // Replay the item spans: never more than 3 open at once, and at some point more than 1.
        var open = 0
        var peak = 0
        for event in recorder.events {
            if event.kind == .mapItemStart { open += 1 }
            if event.kind == .mapItemEnd { open -= 1 }
            peak = max(peak, open)
        }
        #expect(peak <= 3)
        #expect(peak >= 2)
        let lanes = Set(recorder.events.filter { $0.kind == .mapItemStart }.map(\.lane))
        #expect(lanes.count <= 3)
    }

    @Test func failureCancelsSiblingsAndClosesEverySpan() async throws {
        let recorder = EventRecorder()
        let fail = Node("fail", inputs: "x", output: "f") { (x: Int) async throws -> Int in
            try await Task.sleep(for: .milliseconds(20))
            throw Boom()
        }
        // Far longer than any scheduling delay of a loaded test machine, so the
        // bound below tells "cancelled" from "ran to completion" and nothing else.
        let slow = Self.sleeper("slow", input: "x", output: "s", ms: 600_000)
        let after = Node("after", inputs: "s", output: "t") { (s: Int) in s }
        let p = try Pipeline(nodes: [fail, slow, after], name: "p", callbacks: [recorder])
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try await p.run(inputs: ["x": 1])
            Issue.record("the run should fail")
        } catch let error as NodeError {
            #expect(error.path == ["p", "fail"])
            #expect(error.underlying is Boom)
        }
        #expect(clock.now - started < .seconds(300), "the slow sibling (600 s) was not cancelled")
        let slowEnd = try #require(recorder.events.first { $0.kind == .nodeEnd && $0.name == "slow" })
        #expect(slowEnd.status == .cancelled)
        #expect(!recorder.trace.contains("node_start:after"))
        #expect(recorder.events.last?.kind == .pipelineEnd)
        #expect(recorder.events.last?.status == .error)
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func mapFailureStopsRemainingItems() async throws {
        let started = Atomic<Int>(0)
        let node = Node("work", inputs: "x", output: "y") { (x: Int) async throws -> Int in
            started.add(1, ordering: .relaxed)
            if x == 0 { throw Boom() }
            try await Task.sleep(for: .milliseconds(5))
            return x
        }
        let recorder = EventRecorder()
        let p = try Pipeline(nodes: [node], name: "p", callbacks: [recorder], maxConcurrency: 2)
        await #expect(throws: NodeError.self) {
            _ = try await p.map(inputs: ["x": Array(0..<1000)], over: ["x"])
        }
        #expect(started.load(ordering: .relaxed) < 100)
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func cancellingTheCallerStopsTheRun() async throws {
        let recorder = EventRecorder()
        let slow = Self.sleeper("slow", input: "x", output: "y", ms: 30_000)
        let p = try Pipeline(nodes: [slow], name: "p", callbacks: [recorder])
        let task = Task { try await p.run(inputs: ["x": 1]) }
        // Wait until the node has started, then cancel.
        for _ in 0..<500 where !recorder.trace.contains("node_start:slow") {
            try await Task.sleep(for: .milliseconds(2))
        }
        task.cancel()
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        let statuses = recorder.events.filter(\.kind.closesSpan).map(\.status)
        #expect(statuses == [.cancelled, .cancelled])
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func cancellingTheCallerStopsAMap() async throws {
        let recorder = EventRecorder()
        let slow = Self.sleeper("slow", input: "x", output: "y", ms: 30_000)
        let p = try Pipeline(nodes: [slow], name: "p", callbacks: [recorder], maxConcurrency: 2)
        let task = Task { try await p.map(inputs: ["x": Array(0..<100)], over: ["x"]) }
        for _ in 0..<500 where !recorder.trace.contains("node_start:slow") {
            try await Task.sleep(for: .milliseconds(2))
        }
        task.cancel()
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(recorder.events.last?.kind == .mapEnd)
        #expect(recorder.events.last?.status == .cancelled)
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func errorInsideNestedMapNamesTheItem() async throws {
        let check = Node("check", inputs: "x", output: "y") { (x: Int) throws -> Int in
            if x == 7 { throw Boom() }
            return x
        }
        let inner = try Pipeline(nodes: [check], name: "inner")
        let outer = try Pipeline(
            nodes: [try inner.asNode(name: "each", mapOver: ["x"])], name: "outer", executionMode: .sequential)
        do {
            _ = try await outer.run(inputs: ["x": [5, 6, 7, 8]])
            Issue.record("the run should fail")
        } catch let error as NodeError {
            #expect(error.path == ["outer", "each[2]", "check"])
            #expect(error.description.hasPrefix("outer > each[2] > check: "))
        }
    }
}
