import Foundation
import HyperNodes
import HyperNodesTelemetry
import InMemoryTracing
import Testing
import Tracing

@Suite("TelemetryCallback")
struct TelemetryCallbackTests {
    struct Boom: Error, CustomStringConvertible {
        var description: String { "boom at 3" }
    }

    static let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
    static let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }

    static func arith(_ callback: TelemetryCallback) throws -> Pipeline {
        try Pipeline(nodes: [double, addOne], name: "arith", callbacks: [callback])
    }

    static func tree(_ tracer: InMemoryTracer) -> SpanTree { SpanTree(tracer.finishedSpans) }

    @Test func runGivesAPipelineSpanWithReadableNodeSpansUnderIt() async throws {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer)
        _ = try await Self.arith(callback).run(inputs: ["x": 5])
        let tree = Self.tree(tracer)
        #expect(tree.edges == ["- > pipeline arith", "pipeline arith > node add_one", "pipeline arith > node double"])
        let pipeline = try #require(tree.one("pipeline arith"))
        #expect(pipeline.attribute("hypernodes.span.kind") == "pipeline")
        #expect(pipeline.attribute("hypernodes.pipeline.name") == "arith")
        #expect(pipeline.attribute("hypernodes.depth") == "0")
        #expect(pipeline.attribute("hypernodes.path") == "arith")
        #expect(pipeline.attribute("hypernodes.status") == "ok")
        #expect(pipeline.status == nil)
        let double = try #require(tree.one("node double"))
        #expect(double.attribute("hypernodes.node.name") == "double")
        #expect(double.attribute("hypernodes.span.kind") == "node")
        #expect(double.attribute("hypernodes.input.x") == "5")
        #expect(double.attribute("hypernodes.output.doubled") == "10")
        #expect(tree.one("node add_one")?.attribute("hypernodes.output.result") == "11")
        let duration = try #require(double.attribute("hypernodes.duration_ns").flatMap(UInt64.init))
        #expect(
            double.endInstant.nanosecondsSinceEpoch - double.startInstant.nanosecondsSinceEpoch == duration)
        #expect(Set(tree.spans.map(\.traceID)).count == 1)
        #expect(callback.openSpanCount == 0)
    }

    @Test func spanTimesAreTheEventTimesInWallClock() async throws {
        let tracer = InMemoryTracer()
        let before = UInt64(Date().timeIntervalSince1970 * 1e9)
        _ = try await Self.arith(TelemetryCallback(tracer: tracer)).run(inputs: ["x": 5])
        let after = UInt64(Date().timeIntervalSince1970 * 1e9)
        let tree = Self.tree(tracer)
        let pipeline = try #require(tree.one("pipeline arith"))
        for span in tree.spans {
            #expect(span.startInstant.nanosecondsSinceEpoch + 1_000_000 >= before)
            #expect(span.endInstant.nanosecondsSinceEpoch <= after + 1_000_000)
            #expect(span.startInstant.nanosecondsSinceEpoch >= pipeline.startInstant.nanosecondsSinceEpoch)
            #expect(span.endInstant.nanosecondsSinceEpoch <= pipeline.endInstant.nanosecondsSinceEpoch)
        }
    }

    @Test func eachRunIsOneTraceOfItsOwn() async throws {
        let tracer = InMemoryTracer()
        let pipeline = try Self.arith(TelemetryCallback(tracer: tracer))
        _ = try await pipeline.run(inputs: ["x": 1])
        _ = try await pipeline.run(inputs: ["x": 2])
        let tree = Self.tree(tracer)
        let roots = tree.named("pipeline arith")
        #expect(roots.count == 2)
        #expect(Set(roots.map(\.traceID)).count == 2)
        for root in roots {
            #expect(tree.spans.filter { $0.traceID == root.traceID }.count == 3)
        }
    }

    @Test func theRunHangsUnderTheCallersSpan() async throws {
        let tracer = InMemoryTracer()
        let pipeline = try Self.arith(TelemetryCallback(tracer: tracer))
        try await tracer.withSpan("request") { _ in
            _ = try await pipeline.run(inputs: ["x": 1])
        }
        let tree = Self.tree(tracer)
        #expect(tree.parentName(of: try #require(tree.one("pipeline arith"))) == "request")
        #expect(Set(tree.spans.map(\.traceID)).count == 1)
    }

    @Test func theBootstrappedTracerIsUsedWhenNoneIsGiven() async throws {
        // The process-wide tracer is the no-op tracer unless a program bootstraps
        // one; tests must not bootstrap it, so this checks only that runs work
        // and leave nothing open.
        let callback = TelemetryCallback()
        _ = try await Self.arith(callback).run(inputs: ["x": 1])
        #expect(callback.openSpanCount == 0)
    }

    @Test func nestedPipelinesHaveNestedSpansWithDepthAndPath() async throws {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer)
        let inner = try Pipeline(nodes: [Self.double], name: "inner")
        let outer = try Pipeline(
            nodes: [inner.asNode(name: "inner_node"), Self.addOne], name: "outer", callbacks: [callback])
        _ = try await outer.run(inputs: ["x": 3])
        let tree = Self.tree(tracer)
        #expect(
            tree.edges == [
                "- > pipeline outer", "nested inner > pipeline inner", "node inner_node > nested inner",
                "pipeline inner > node double", "pipeline outer > node add_one", "pipeline outer > node inner_node",
            ])
        let double = try #require(tree.one("node double"))
        #expect(double.attribute("hypernodes.depth") == "1")
        #expect(double.attribute("hypernodes.path") == "outer > inner")
        #expect(double.attribute("hypernodes.pipeline.name") == "inner")
        let nested = try #require(tree.one("nested inner"))
        #expect(nested.attribute("hypernodes.span.kind") == "nested_pipeline")
        #expect(nested.attribute("hypernodes.child.pipeline") == "inner")
        #expect(nested.attribute("hypernodes.parent.pipeline") == "outer")
        #expect(callback.openSpanCount == 0)
    }

    @Test func mapGivesAMapSpanWithItemSpansAndTheirPipelines() async throws {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer)
        _ = try await Self.arith(callback).map(inputs: ["x": [1, 2, 3]], over: ["x"])
        let tree = Self.tree(tracer)
        let map = try #require(tree.one("map arith"))
        #expect(map.attribute("hypernodes.map.total") == "3")
        #expect(map.attribute("hypernodes.span.kind") == "map")
        #expect(tree.parent(of: map) == nil)
        for index in 0..<3 {
            let item = try #require(tree.one("item arith[\(index)]"))
            #expect(item.attribute("hypernodes.map.item_index") == "\(index)")
            #expect(tree.parentName(of: item) == "map arith")
            let pipeline = try #require(tree.children(of: item).first)
            #expect(tree.children(of: item).map(\.operationName) == ["pipeline arith"])
            #expect(tree.children(of: pipeline).map(\.operationName) == ["node double", "node add_one"])
            #expect(tree.children(of: pipeline).first?.attribute("hypernodes.input.x") == "\(index + 1)")
        }
        #expect(Set(tree.spans.map(\.traceID)).count == 1)
        #expect(callback.openSpanCount == 0)
    }

    @Test func mapItemSpansCanBeSwitchedOff() async throws {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer, traceMapItems: false)
        _ = try await Self.arith(callback).map(inputs: ["x": [1, 2, 3]], over: ["x"])
        let tree = Self.tree(tracer)
        #expect(tree.spans.filter { $0.operationName.hasPrefix("item") }.isEmpty)
        let pipelines = tree.named("pipeline arith")
        #expect(pipelines.count == 3)
        for pipeline in pipelines {
            #expect(tree.parentName(of: pipeline) == "map arith")
            #expect(tree.children(of: pipeline).count == 2)
        }
        #expect(callback.openSpanCount == 0)
    }

    @Test func concurrentItemsAndParallelNodesEachGetTheirOwnParent() async throws {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer)
        let left = Node("left", inputs: "x", output: "l") { (x: Int) async in
            await Task.yield()
            return x + 1
        }
        let right = Node("right", inputs: "x", output: "r") { (x: Int) async in
            await Task.yield()
            return x - 1
        }
        let join = Node("join", inputs: "l", "r", output: "sum") { (l: Int, r: Int) in l + r }
        let pipeline = try Pipeline(
            nodes: [left, right, join], name: "fan", callbacks: [callback], maxConcurrency: 8)
        let values = Array(0..<200).map { $0 * 7 }
        let result = try await pipeline.map(inputs: ["x": values], over: ["x"])
        #expect(try result.values("sum", as: Int.self) == values.map { 2 * $0 })
        let tree = Self.tree(tracer)
        #expect(tree.spans.count == 1 + 200 * 5)  // map, and per item: item, pipeline, 3 nodes
        for index in values.indices {
            let item = try #require(tree.one("item fan[\(index)]"))
            let pipeline = try #require(tree.children(of: item).first)
            let nodes = tree.children(of: pipeline)
            #expect(Set(nodes.map(\.operationName)) == ["node left", "node right", "node join"])
            for node in nodes where node.operationName != "node join" {
                #expect(node.attribute("hypernodes.input.x") == "\(values[index])", "item \(index)")
            }
            #expect(
                nodes.first { $0.operationName == "node join" }?.attribute("hypernodes.output.sum")
                    == "\(2 * values[index])")
        }
        #expect(callback.openSpanCount == 0)
    }

    @Test func concurrentRunsThroughOneCallbackStayApart() async throws {
        let tracer = InMemoryTracer()
        let pipeline = try Self.arith(TelemetryCallback(tracer: tracer))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for x in 0..<40 {
                group.addTask { _ = try await pipeline.run(inputs: ["x": x]) }
            }
            try await group.waitForAll()
        }
        let tree = Self.tree(tracer)
        let roots = tree.named("pipeline arith")
        #expect(roots.count == 40)
        for root in roots {
            let nodes = tree.children(of: root)
            #expect(nodes.map(\.operationName) == ["node double", "node add_one"])
            let x = try #require(nodes.first?.attribute("hypernodes.input.x").flatMap(Int.init))
            #expect(nodes.last?.attribute("hypernodes.output.result") == "\(2 * x + 1)")
            #expect(nodes.allSatisfy { $0.traceID == root.traceID })
        }
    }

    @Test func cacheHitsGetShortSpansWithTheKey() async throws {
        let directory = TemporaryDirectory()
        let tracer = InMemoryTracer()
        var pipeline = try Self.arith(TelemetryCallback(tracer: tracer))
        pipeline.cache = DiskCache(directory: directory.url)
        _ = try await pipeline.run(inputs: ["x": 4])
        tracer.clearFinishedSpans()
        _ = try await pipeline.run(inputs: ["x": 4])
        let tree = Self.tree(tracer)
        #expect(
            tree.edges == [
                "- > pipeline arith", "pipeline arith > node add_one (cached)", "pipeline arith > node double (cached)",
            ])
        let cached = try #require(tree.one("node double (cached)"))
        #expect(cached.attribute("hypernodes.cache.hit") == "true")
        #expect(cached.attribute("hypernodes.span.kind") == "cache_hit")
        #expect(cached.attribute("hypernodes.node.name") == "double")
        #expect(cached.attribute("hypernodes.status") == "cached")
        #expect(cached.attribute("hypernodes.output.doubled") == "8")
        let key = try #require(cached.attribute("hypernodes.cache.key"))
        #expect(key.count == 64 && key.allSatisfy(\.isHexDigit))
        #expect(cached.startInstant.nanosecondsSinceEpoch == cached.endInstant.nanosecondsSinceEpoch)
    }

    @Test func cachedMapItemsGetCacheHitSpansAndAnEventOnTheItem() async throws {
        let directory = TemporaryDirectory()
        let tracer = InMemoryTracer()
        var pipeline = try Self.arith(TelemetryCallback(tracer: tracer))
        pipeline.cache = DiskCache(directory: directory.url)
        _ = try await pipeline.map(inputs: ["x": [1, 2]], over: ["x"])
        tracer.clearFinishedSpans()
        _ = try await pipeline.map(inputs: ["x": [1, 2]], over: ["x"])
        let tree = Self.tree(tracer)
        #expect(tree.named("node double (cached)").count == 2)
        for cached in tree.named("node double (cached)") {
            #expect(tree.parentName(of: cached) == "pipeline arith")
        }
        let item = try #require(tree.one("item arith[0]"))
        #expect(item.events.map(\.name) == ["cache hit double", "cache hit add_one"])
    }

    @Test func aFailingNodeRecordsTheErrorAndEveryEnclosingSpanEndsWithStatusError() async throws {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer)
        let boom = Node("boom", inputs: "doubled", output: "never") { (d: Int) throws -> Int in throw Boom() }
        let inner = try Pipeline(nodes: [Self.double, boom], name: "inner")
        let outer = try Pipeline(
            nodes: [inner.asNode(name: "wrapped", mapOver: ["x"])], name: "outer", callbacks: [callback],
            executionMode: .sequential)
        await #expect(throws: NodeError.self) { try await outer.run(inputs: ["x": [1, 2]]) }
        let tree = Self.tree(tracer)
        let failed = try #require(tree.one("node boom"))
        #expect(failed.status?.code == .error)
        #expect(failed.status?.message == "boom at 3")
        #expect(failed.attribute("hypernodes.status") == "error")
        #expect(failed.attribute("hypernodes.error.type")?.hasSuffix("Boom") == true)
        #expect(failed.attribute("hypernodes.error.message") == "boom at 3")
        let exception = try #require(failed.events.first { $0.name == "exception" })
        #expect(exception.attributes.get("exception.message") == .string("boom at 3"))
        var span: FinishedInMemorySpan? = failed
        var chain: [String] = []
        while let current = span {
            chain.append(current.operationName)
            #expect(current.status?.code == .error, "\(current.operationName)")
            span = tree.parent(of: current)
        }
        #expect(
            chain == [
                "node boom", "pipeline inner", "item inner[0]", "map inner", "nested inner", "node wrapped",
                "pipeline outer",
            ])
        #expect(tree.one("node double")?.status == nil)
        #expect(callback.openSpanCount == 0)
    }

    @Test func cancelledSpansAreMarkedCancelled() async throws {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer)
        let started = AsyncStream<Void>.makeStream()
        let slow = Node("slow", inputs: "x", output: "y") { (x: Int) async throws -> Int in
            started.continuation.yield()
            try await Task.sleep(for: .seconds(60))
            return x
        }
        let pipeline = try Pipeline(nodes: [slow], name: "slow_pipeline", callbacks: [callback])
        let task = Task { try await pipeline.run(inputs: ["x": 1]) }
        var iterator = started.stream.makeAsyncIterator()
        _ = await iterator.next()
        task.cancel()
        _ = await task.result
        let tree = Self.tree(tracer)
        let node = try #require(tree.one("node slow"))
        #expect(node.attribute("hypernodes.status") == "cancelled")
        #expect(node.status == nil)
        #expect(tree.one("pipeline slow_pipeline")?.attribute("hypernodes.status") == "cancelled")
        #expect(callback.openSpanCount == 0)
    }

    @Test func previewsCanBeSwitchedOff() async throws {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer, previews: false)
        #expect(!callback.wantsValuePreviews)
        _ = try await Self.arith(callback).run(inputs: ["x": 5])
        for span in tracer.finishedSpans {
            #expect(span.attributes.get("hypernodes.input.x") == nil)
            #expect(span.attributes.get("hypernodes.output.doubled") == nil)
        }
    }

    @Test func spansCarryScrubbedPreviews() async throws {
        let tracer = InMemoryTracer()
        let login = Node("login", inputs: "password", output: "ok") { (password: String) in !password.isEmpty }
        let pipeline = try Pipeline(nodes: [login], name: "login", callbacks: [TelemetryCallback(tracer: tracer)])
        _ = try await pipeline.run(inputs: ["password": "hunter2"])
        let span = try #require(Self.tree(tracer).one("node login"))
        #expect(span.attribute("hypernodes.input.password") == "[Scrubbed due to 'password']")
    }

    @Test func longPreviewsAreCutAt500Characters() async throws {
        let tracer = InMemoryTracer()
        let echo = Node("echo", inputs: "text", output: "same") { (text: String) in text }
        let pipeline = try Pipeline(nodes: [echo], name: "echo", callbacks: [TelemetryCallback(tracer: tracer)])
        _ = try await pipeline.run(inputs: ["text": String(repeating: "é", count: 2_000)])
        let span = try #require(Self.tree(tracer).one("node echo"))
        #expect(span.attribute("hypernodes.input.text") == String(repeating: "é", count: 500) + "…")
    }

    @Test func behindAnAsyncCallbackTheTreeIsTheSame() async throws {
        let tracer = InMemoryTracer()
        let sink = AsyncCallback(TelemetryCallback(tracer: tracer))
        let pipeline = try Pipeline(nodes: [Self.double, Self.addOne], name: "arith", callbacks: [sink])
        _ = try await pipeline.map(inputs: ["x": Array(0..<50)], over: ["x"])
        sink.flush()
        let tree = Self.tree(tracer)
        #expect(tree.spans.count == 1 + 50 * 4)
        for index in 0..<50 {
            let item = try #require(tree.one("item arith[\(index)]"))
            let pipeline = try #require(tree.children(of: item).first)
            #expect(tree.children(of: pipeline).first?.attribute("hypernodes.input.x") == "\(index)")
        }
    }
}
