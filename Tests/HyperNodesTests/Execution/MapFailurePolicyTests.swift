import Foundation
import Synchronization
import Testing

@testable import HyperNodes

@Suite("Map failure policy")
struct MapFailurePolicyTests {
    struct BadRow: Error, Equatable, CustomStringConvertible {
        let row: Int
        var description: String { "row \(row) is malformed" }
    }

    /// `parse` throws for the items in `failing`; `label` runs after it. Every
    /// execution of `parse` is counted.
    static func cleaning(
        failing: Set<Int>, counter: Counter = Counter(), callbacks: [any PipelineCallback] = [],
        maxConcurrency: Int = 4, mode: ExecutionMode = .concurrent
    ) throws -> Pipeline {
        let parse = Node("parse", inputs: "x", output: "parsed") { (x: Int) throws -> Int in
            counter.tick("parse")
            if failing.contains(x) { throw BadRow(row: x) }
            return x * 10
        }
        let label = Node("label", inputs: "parsed", output: "label") { (p: Int) in "v\(p)" }
        return try Pipeline(
            nodes: [parse, label], name: "clean", callbacks: callbacks, maxConcurrency: maxConcurrency,
            executionMode: mode)
    }

    // MARK: Results

    @Test(
        "collect runs every item and lists the failures in item order",
        arguments: [(1, ExecutionMode.sequential), (1, .concurrent), (4, .concurrent)])
    func collectRunsEveryItem(maxConcurrency: Int, mode: ExecutionMode) async throws {
        let counter = Counter()
        let p = try Self.cleaning(failing: [7, 3], counter: counter, maxConcurrency: maxConcurrency, mode: mode)

        let results = try await p.map(inputs: ["x": Array(0..<10)], over: ["x"], onItemFailure: .collect)

        #expect(counter["parse"] == 10)
        #expect(results.count == 10)
        #expect(results.failures.map(\.index) == [3, 7])
        #expect((0..<10).filter { !results.succeeded($0) } == [3, 7])
        #expect(results.failure(at: 3)?.index == 3)
        #expect(results.failure(at: 4) == nil)
        let values = try results.successfulValues("label", as: String.self)
        #expect(values.map(\.index) == [0, 1, 2, 4, 5, 6, 8, 9])
        #expect(values.map(\.value) == [0, 1, 2, 4, 5, 6, 8, 9].map { "v\($0 * 10)" })
        #expect(try results.successfulValues(Output<Int>("parsed")).map(\.value) == [0, 10, 20, 40, 50, 60, 80, 90])
        #expect(results[4]["label", as: String.self] == "v40")
        #expect(!results[4].isFailure)
    }

    @Test("a collected failure is the error stop would have thrown, with the item in its path")
    func collectedErrorIsTheWrappedError() async throws {
        let p = try Self.cleaning(failing: [3])

        let stopped = await #expect(throws: NodeError.self) {
            _ = try await p.map(inputs: ["x": Array(0..<6)], over: ["x"])
        }
        let results = try await p.map(inputs: ["x": Array(0..<6)], over: ["x"], onItemFailure: .collect)

        let failure = try #require(results.failures.first)
        let error = try #require(failure.error as? NodeError)
        #expect(error.path == ["clean[3]", "parse"])
        #expect(error.underlying as? BadRow == BadRow(row: 3))
        #expect(error.description == "clean[3] > parse: row 3 is malformed")
        #expect(error.description == stopped?.description)
        #expect(failure.description == "item 3: clean[3] > parse: row 3 is malformed")
    }

    @Test("stop stays the default: the first failure ends the map with the wrapped error")
    func stopIsTheDefault() async throws {
        let counter = Counter()
        let p = try Self.cleaning(failing: [0], counter: counter, maxConcurrency: 1)

        let error = await #expect(throws: NodeError.self) {
            _ = try await p.map(inputs: ["x": Array(0..<50)], over: ["x"], onItemFailure: .stop)
        }
        #expect(error?.path == ["clean[0]", "parse"])
        #expect(counter["parse"] == 1)
    }

    @Test("reading a failed item's output throws a ResultError naming the item and its failure")
    func readingAFailedItemThrows() async throws {
        let p = try Self.cleaning(failing: [2, 5])
        let results = try await p.map(inputs: ["x": Array(0..<6)], over: ["x"], onItemFailure: .collect)

        let item = results[2]
        #expect(item.isFailure)
        #expect(item["label", as: String.self] == nil)
        #expect(item.names.isEmpty)
        #expect(item.description == "failed: clean[2] > parse: row 2 is malformed")
        let single = #expect(throws: ResultError.self) { _ = try item.value("label", as: String.self) }
        #expect(single == .itemFailed(name: "label", item: 2, error: "clean[2] > parse: row 2 is malformed"))
        #expect(
            single?.description == "no output 'label' for item 2: the item failed: clean[2] > parse: row 2 is malformed"
        )

        // The list readers name the first failed item; the optional ones give nil.
        let all = #expect(throws: ResultError.self) { _ = try results.values("label", as: String.self) }
        #expect(all == .itemFailed(name: "label", item: 2, error: "clean[2] > parse: row 2 is malformed"))
        #expect(results["label", as: String.self] == nil)
        #expect(results[Output<String>("label")] == nil)
    }

    @Test("an unknown output name is reported as such, also for a map with failures")
    func unknownNameIsReportedFirst() async throws {
        let p = try Self.cleaning(failing: [1])
        let results = try await p.map(inputs: ["x": [0, 1]], over: ["x"], onItemFailure: .collect)

        let error = #expect(throws: ResultError.self) { _ = try results.successfulValues("nope", as: Int.self) }
        #expect(error == .missing(name: "nope", available: ["parsed", "label"]))
        let typed = #expect(throws: ResultError.self) { _ = try results.successfulValues("label", as: Int.self) }
        #expect(typed == .wrongType(name: "label", requested: "Int", actual: "String"))
        #expect(throws: ResultError.missing(name: "nope", available: ["parsed", "label"])) {
            _ = try results.values("nope", as: Int.self)
        }
    }

    @Test("collect with no failure gives the same result as stop", arguments: [1, 4])
    func collectWithoutFailures(maxConcurrency: Int) async throws {
        let p = try Self.cleaning(failing: [], maxConcurrency: maxConcurrency)
        let collected = try await p.map(inputs: ["x": Array(0..<20)], over: ["x"], onItemFailure: .collect)
        let stopped = try await p.map(inputs: ["x": Array(0..<20)], over: ["x"])

        #expect(collected.failures.isEmpty)
        #expect((0..<20).allSatisfy(collected.succeeded))
        #expect(try collected.values("label", as: String.self) == stopped.values("label", as: String.self))
        #expect(try collected.successfulValues("parsed", as: Int.self).map(\.value) == (0..<20).map { $0 * 10 })
    }

    @Test("every item failing leaves no successful values and one failure per item")
    func everyItemFails() async throws {
        let p = try Self.cleaning(failing: Set(0..<5))
        let results = try await p.map(inputs: ["x": Array(0..<5)], over: ["x"], onItemFailure: .collect)

        #expect(results.failures.map(\.index) == [0, 1, 2, 3, 4])
        #expect(try results.successfulValues("label", as: String.self).isEmpty)
    }

    // MARK: Zip and product

    @Test("zip and product maps collect failures at the right item indices")
    func zipAndProduct() async throws {
        let divide = Node("divide", inputs: "a", "b", output: "q") { (a: Int, b: Int) throws -> Int in
            guard b != 0 else { throw BadRow(row: a) }
            return a / b
        }
        let p = try Pipeline(nodes: [divide], name: "div", maxConcurrency: 3)

        let zipped = try await p.map(
            inputs: ["a": [10, 20, 30, 40], "b": [2, 0, 3, 0]], over: ["a", "b"], onItemFailure: .collect)
        #expect(zipped.failures.map(\.index) == [1, 3])
        #expect((zipped.failures[1].error as? NodeError)?.path == ["div[3]", "divide"])
        #expect(try zipped.successfulValues("q", as: Int.self).map(\.value) == [5, 10])

        // Product: `a` varies slowest; item = ia * 3 + ib.
        let product = try await p.map(
            inputs: ["a": [6, 12], "b": [0, 2, 3]], over: ["a", "b"], mode: .product, onItemFailure: .collect)
        #expect(product.count == 6)
        #expect(product.failures.map(\.index) == [0, 3])
        let values = try product.successfulValues("q", as: Int.self)
        #expect(values.map(\.index) == [1, 2, 4, 5])
        #expect(values.map(\.value) == [3, 2, 6, 4])
    }

    // MARK: Events

    @Test("failed items end with status error and their error; the map ends ok", arguments: [1, 3])
    func eventsOfCollectedFailures(maxConcurrency: Int) async throws {
        let recorder = EventRecorder()
        let p = try Self.cleaning(failing: [1, 4], callbacks: [recorder], maxConcurrency: maxConcurrency)

        _ = try await p.map(inputs: ["x": Array(0..<6)], over: ["x"], onItemFailure: .collect)

        let events = recorder.events
        try SpanChecks.assertWellFormed(events)
        let itemEnds = events.filter { $0.kind == .mapItemEnd }
        #expect(itemEnds.count == 6)
        let failed = itemEnds.filter { $0.status == .error }.compactMap(\.itemIndex).sorted()
        #expect(failed == [1, 4])
        #expect(itemEnds.filter { $0.status == .ok }.count == 4)
        for end in itemEnds where end.status == .error {
            let index = try #require(end.itemIndex)
            #expect(end.error?.message == "row \(index) is malformed")
        }
        let parseErrors = events.filter { $0.kind == .nodeEnd && $0.name == "parse" && $0.status == .error }
        #expect(parseErrors.count == 2)
        // The failing items never reach `label`.
        #expect(events.filter { $0.kind == .nodeStart && $0.name == "label" }.count == 4)
        let mapEnd = try #require(events.last)
        #expect(mapEnd.kind == .mapEnd)
        #expect(mapEnd.status == .ok)
        #expect(mapEnd.error == nil)
        #expect(mapEnd.itemCount == 6)
    }

    @Test("in sequential mode a failed item's events come in order before the next item starts")
    func sequentialEventOrder() async throws {
        let recorder = EventRecorder()
        let p = try Self.cleaning(failing: [1], callbacks: [recorder], mode: .sequential)

        _ = try await p.map(inputs: ["x": [0, 1, 2]], over: ["x"], onItemFailure: .collect)

        let item = { (index: Int, failing: Bool) -> [String] in
            let parse = ["node_start:parse"] + (failing ? ["error:parse"] : []) + ["node_end:parse"]
            let label = failing ? [] : ["node_start:label", "node_end:label"]
            return ["map_item_start[\(index)]", "pipeline_start:clean"] + parse + label
                + ["pipeline_end:clean", "map_item_end[\(index)]"]
        }
        #expect(
            recorder.trace
                == ["map_start:clean"] + item(0, false) + item(1, true) + item(2, false) + ["map_end:clean"])
        let ends = recorder.events.filter(\.kind.closesSpan).map { "\($0.kind):\($0.status)" }
        let okItem = ["node_end:ok", "node_end:ok", "pipeline_end:ok", "map_item_end:ok"]
        let failedItem = ["node_end:error", "pipeline_end:error", "map_item_end:error"]
        #expect(ends == okItem + failedItem + okItem + ["map_end:ok"])
    }

    // MARK: Cancellation

    @Test("cancelling the caller stops a collecting map at once", arguments: [1, 2])
    func cancellationStopsACollectingMap(maxConcurrency: Int) async throws {
        let recorder = EventRecorder()
        let started = Atomic<Int>(0)
        let slow = Node("slow", inputs: "x", output: "y") { (x: Int) async throws -> Int in
            started.add(1, ordering: .relaxed)
            if x % 2 == 1 { throw BadRow(row: x) }
            try await Task.sleep(for: .seconds(600))
            return x
        }
        let p = try Pipeline(nodes: [slow], name: "p", callbacks: [recorder], maxConcurrency: maxConcurrency)
        let task = Task { try await p.map(inputs: ["x": Array(0..<1000)], over: ["x"], onItemFailure: .collect) }
        for _ in 0..<5000 where !recorder.trace.contains("node_start:slow") {
            try await Task.sleep(for: .milliseconds(2))
        }
        task.cancel()
        let outcome = await task.result

        #expect(throws: CancellationError.self) { try outcome.get() }
        // Items 0 (sleeping) and at most a few odd ones that fail at once ran; not the whole list.
        #expect(started.load(ordering: .relaxed) < 100)
        #expect(recorder.events.last?.kind == .mapEnd)
        #expect(recorder.events.last?.status == .cancelled)
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test("an item that throws CancellationError stops a collecting map")
    func itemCancellationIsNotCollected() async throws {
        let node = Node("n", inputs: "x", output: "y") { (x: Int) throws -> Int in
            if x == 2 { throw CancellationError() }
            return x
        }
        let p = try Pipeline(nodes: [node], name: "p", maxConcurrency: 1)
        await #expect(throws: CancellationError.self) {
            _ = try await p.map(inputs: ["x": Array(0..<5)], over: ["x"], onItemFailure: .collect)
        }
    }

    // MARK: Nesting

    @Test("a nested mapOver pipeline fails fast inside a collecting outer map")
    func nestedMapFailsFast() async throws {
        let counter = Counter()
        let check = Node("check", inputs: "v", output: "w") { (v: Int) throws -> Int in
            counter.tick("check")
            if v < 0 { throw BadRow(row: v) }
            return v
        }
        let inner = try Pipeline(nodes: [check], name: "inner", maxConcurrency: 1)
        let outer = try Pipeline(
            nodes: [try inner.asNode(name: "each", mapOver: ["v"])], name: "outer", maxConcurrency: 1)

        let results = try await outer.map(
            inputs: ["v": [[1, 2], [3, -4, 5, 6], [7]]], over: ["v"], onItemFailure: .collect)

        #expect(results.failures.map(\.index) == [1])
        let error = try #require(results.failures.first?.error as? NodeError)
        #expect(error.path == ["outer[1]", "each[1]", "check"])
        #expect(error.description == "outer[1] > each[1] > check: row -4 is malformed")
        // The nested map stopped at -4: 2 + 2 + 1 executions, not 2 + 4 + 1.
        #expect(counter["check"] == 5)
        #expect(try results.successfulValues("w", as: [Int].self).map(\.value) == [[1, 2], [7]])
    }

    // MARK: Cache

    @Test("a failed item is never cached and a rerun retries it")
    func failedItemsAreRetried() async throws {
        let dir = TemporaryDirectory("hypernodes-policy-cache")
        let counter = Counter()
        let broken = Mutex<Set<Int>>([2, 5])
        let parse = Node("parse", inputs: "x", output: "parsed", cache: true) { (x: Int) throws -> Int in
            counter.tick("parse")
            counter.tick("parse \(x)")
            if broken.withLock({ $0.contains(x) }) { throw BadRow(row: x) }
            return x * 10
        }
        let recorder = EventRecorder()
        var p = try Pipeline(nodes: [parse], name: "clean", callbacks: [recorder], maxConcurrency: 2)
        p.cache = DiskCache(directory: dir.url)

        let first = try await p.map(inputs: ["x": Array(0..<8)], over: ["x"], onItemFailure: .collect)
        #expect(first.failures.map(\.index) == [2, 5])
        #expect(counter["parse"] == 8)

        // Same inputs, same failures: only the failed items run again.
        counter.reset()
        recorder.clear()
        let second = try await p.map(inputs: ["x": Array(0..<8)], over: ["x"], onItemFailure: .collect)
        #expect(second.failures.map(\.index) == [2, 5])
        #expect(counter["parse"] == 2)
        #expect(recorder.events.filter { $0.kind == .nodeCached }.count == 6)

        // Fixed: the retried items succeed, the others still come from the cache.
        broken.withLock { $0.removeAll() }
        counter.reset()
        recorder.clear()
        let third = try await p.map(inputs: ["x": Array(0..<8)], over: ["x"], onItemFailure: .collect)
        #expect(third.failures.isEmpty)
        #expect(counter["parse"] == 2)
        #expect(try third.values("parsed", as: Int.self) == (0..<8).map { $0 * 10 })
        #expect(counter["parse 2"] == 1 && counter["parse 5"] == 1)
    }
}
