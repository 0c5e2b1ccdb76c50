import Foundation
import Testing

@testable import HyperNodes

/// Pins the event order of the Python library (DESIGN.md, "Event order"),
/// with the fixes DESIGN.md asks for (spans closed on error).
@Suite("Event order")
struct EventOrderTests {
    static let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
    static let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }

    struct Boom: Error, CustomStringConvertible {
        var description: String { "boom!" }
    }
    static let boom = Node("boom", inputs: "x", output: "y") { (x: Int) throws -> Int in throw Boom() }

    func pipeline(_ nodes: [Node], name: String, _ recorder: EventRecorder) throws -> Pipeline {
        try Pipeline(nodes: nodes, name: name, callbacks: [recorder], executionMode: .sequential)
    }

    @Test func runOfTwoNodes() async throws {
        let recorder = EventRecorder()
        let p = try pipeline([Self.addOne, Self.double], name: "arith", recorder)
        _ = try await p.run(inputs: ["x": 5])
        #expect(
            recorder.trace == [
                "pipeline_start:arith",
                "node_start:double", "node_end:double",
                "node_start:add_one", "node_end:add_one",
                "pipeline_end:arith",
            ])
    }

    @Test func metadataIsSetBeforePipelineStart() async throws {
        let recorder = EventRecorder()
        let p = try pipeline([Self.addOne, Self.double], name: "arith", recorder)
        _ = try await p.run(inputs: ["x": 5])
        let first = try #require(recorder.records.first)
        #expect(first.event.kind == .pipelineStart)
        #expect(first.context.pipeline.name == "arith")
        #expect(first.context.pipeline.nodeIDs == ["double", "add_one"])
        #expect(first.context.pipeline.totalNodes == 2)
        #expect(first.context.depth == 0)
        #expect(first.context.hierarchyPath == ["arith"])
        #expect(first.context.parentPipelineID == nil)
    }

    @Test func mapOverTwoItems() async throws {
        let recorder = EventRecorder()
        let p = try pipeline([Self.double, Self.addOne], name: "arith", recorder)
        _ = try await p.map(inputs: ["x": [1, 2]], over: ["x"])
        var expected = ["map_start:arith"]
        for i in 0..<2 {
            expected += [
                "map_item_start[\(i)]", "pipeline_start:arith",
                "node_start:double", "node_end:double", "node_start:add_one", "node_end:add_one",
                "pipeline_end:arith", "map_item_end[\(i)]",
            ]
        }
        expected.append("map_end:arith")
        #expect(recorder.trace == expected)
        let mapStart = recorder.events[0]
        #expect(mapStart.itemCount == 2)
        #expect(recorder.records[0].context.pipeline.nodeIDs == ["double", "add_one"])
    }

    @Test func concurrentMapItemsStayNested() async throws {
        let recorder = EventRecorder()
        let p = try Pipeline(
            nodes: [Self.double, Self.addOne], name: "arith", callbacks: [recorder], maxConcurrency: 4)
        _ = try await p.map(inputs: ["x": Array(0..<50)], over: ["x"])
        let events = recorder.events
        #expect(events.first?.kind == .mapStart)
        #expect(events.last?.kind == .mapEnd)
        // Per item, its own sequence in order, under its own spans.
        let byItem = Dictionary(grouping: events.filter { $0.kind == .mapItemStart }, by: { $0.itemIndex! })
        #expect(byItem.count == 50)
        for (_, starts) in byItem {
            let itemSpan = starts[0].spanID
            let pipelineStart = try #require(events.first { $0.kind == .pipelineStart && $0.parentSpanID == itemSpan })
            let inside = events.filter { $0.parentSpanID == pipelineStart.spanID }.map { "\($0.kind):\($0.name)" }
            #expect(inside == ["node_start:double", "node_end:double", "node_start:add_one", "node_end:add_one"])
        }
        try SpanChecks.assertWellFormed(events)
    }

    @Test func nestedRun() async throws {
        let recorder = EventRecorder()
        let inner = try Pipeline(nodes: [Self.double], name: "inner")
        let outer = try pipeline([try inner.asNode(name: "inner"), Self.addOne], name: "outer", recorder)
        let result = try await outer.run(inputs: ["x": 5])
        #expect(result["result", as: Int.self] == 11)
        #expect(
            recorder.trace == [
                "pipeline_start:outer",
                "node_start:inner",
                "nested_pipeline_start:inner",
                "pipeline_start:inner",
                "node_start:double", "node_end:double",
                "pipeline_end:inner",
                "nested_pipeline_end:inner",
                "node_end:inner",
                "node_start:add_one", "node_end:add_one",
                "pipeline_end:outer",
            ])
        let nestedStart = recorder.records[2]
        #expect(nestedStart.event.attributes["parent.pipeline"] == "outer")
        #expect(nestedStart.event.attributes["child.pipeline"] == "inner")
        let innerStart = recorder.records[3]
        #expect(innerStart.context.depth == 1)
        #expect(innerStart.context.hierarchyPath == ["outer", "inner"])
        #expect(innerStart.context.parentPipelineID == "outer")
        #expect(innerStart.context.currentPipelineID == "inner")
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func nestedRunWithMapOver() async throws {
        let recorder = EventRecorder()
        let inner = try Pipeline(nodes: [Self.double], name: "inner")
        let node = try inner.asNode(name: "each", mapOver: ["x"])
        let outer = try pipeline([node], name: "outer", recorder)
        let result = try await outer.run(inputs: ["x": [1, 2]])
        #expect(result["doubled", as: [Int].self] == [2, 4])
        var expected = ["pipeline_start:outer", "node_start:each", "nested_pipeline_start:inner", "map_start:inner"]
        for i in 0..<2 {
            expected += [
                "map_item_start[\(i)]", "pipeline_start:inner", "node_start:double", "node_end:double",
                "pipeline_end:inner", "map_item_end[\(i)]",
            ]
        }
        expected += ["map_end:inner", "nested_pipeline_end:inner", "node_end:each", "pipeline_end:outer"]
        #expect(recorder.trace == expected)
        let mapStart = recorder.records[3]
        #expect(mapStart.context.pipeline.name == "inner")
        #expect(mapStart.context.depth == 1)
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func cachedRerun() async throws {
        let dir = TemporaryDirectory()
        let recorder = EventRecorder()
        var p = try pipeline([Self.double, Self.addOne], name: "arith", recorder)
        p.cache = DiskCache(directory: dir.url)
        _ = try await p.run(inputs: ["x": 5])
        recorder.clear()
        let again = try await p.run(inputs: ["x": 5])
        #expect(again["result", as: Int.self] == 11)
        #expect(
            recorder.trace == [
                "pipeline_start:arith", "node_cached:double", "node_cached:add_one", "pipeline_end:arith",
            ])
        #expect(recorder.events[1].status == .cached)
        #expect(recorder.events[1].attributes["cache.key"]?.count == 64)
    }

    @Test func cachedMapItem() async throws {
        let dir = TemporaryDirectory()
        let recorder = EventRecorder()
        var p = try pipeline([Self.double, Self.addOne], name: "arith", recorder)
        p.cache = DiskCache(directory: dir.url)
        _ = try await p.map(inputs: ["x": [3]], over: ["x"])
        recorder.clear()
        _ = try await p.map(inputs: ["x": [3]], over: ["x"])
        #expect(
            recorder.trace == [
                "map_start:arith",
                "map_item_start[0]", "pipeline_start:arith",
                "node_cached:double", "map_item_cached[0]",
                "node_cached:add_one", "map_item_cached[0]",
                "pipeline_end:arith", "map_item_end[0]",
                "map_end:arith",
            ])
        // The item-cached event concerns the item's span and closes nothing.
        let itemStart = recorder.events[1]
        let itemCached = recorder.events[4]
        #expect(itemCached.spanID == itemStart.spanID)
        #expect(itemCached.name == "double")
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func errorClosesEverySpan() async throws {
        let recorder = EventRecorder()
        let p = try pipeline([Self.boom], name: "failing", recorder)
        await #expect(throws: NodeError.self) { _ = try await p.run(inputs: ["x": 1]) }
        #expect(
            recorder.trace == [
                "pipeline_start:failing", "node_start:boom", "error:boom", "node_end:boom", "pipeline_end:failing",
            ])
        let error = recorder.events[2]
        #expect(error.error?.message == "boom!")
        #expect(error.error?.type.hasSuffix("Boom") == true)
        #expect(recorder.events[3].status == .error)
        #expect(recorder.events[4].status == .error)
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func nestedErrorIsReportedForInnerThenOuterNode() async throws {
        let recorder = EventRecorder()
        let inner = try Pipeline(nodes: [Self.boom], name: "inner")
        let outer = try pipeline([try inner.asNode(name: "wrapper")], name: "outer", recorder)
        do {
            _ = try await outer.run(inputs: ["x": 1])
            Issue.record("the run should fail")
        } catch let error as NodeError {
            #expect(error.path == ["outer", "wrapper", "boom"])
            #expect(error.description == "outer > wrapper > boom: boom!")
            #expect(error.underlying is Boom)
        }
        #expect(
            recorder.trace == [
                "pipeline_start:outer", "node_start:wrapper", "nested_pipeline_start:inner",
                "pipeline_start:inner", "node_start:boom", "error:boom", "node_end:boom", "pipeline_end:inner",
                "nested_pipeline_end:inner", "error:wrapper", "node_end:wrapper", "pipeline_end:outer",
            ])
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func mapItemErrorClosesMapSpans() async throws {
        let recorder = EventRecorder()
        let failOnThree = Node("check", inputs: "x", output: "y") { (x: Int) throws -> Int in
            if x == 3 { throw Boom() }
            return x
        }
        let p = try pipeline([failOnThree], name: "items", recorder)
        do {
            _ = try await p.map(inputs: ["x": [1, 2, 3, 4]], over: ["x"])
            Issue.record("the map should fail")
        } catch let error as NodeError {
            #expect(error.path == ["items[2]", "check"])
        }
        let kinds = recorder.trace
        #expect(
            kinds.suffix(6) == [
                "node_start:check", "error:check", "node_end:check", "pipeline_end:items", "map_item_end[2]",
                "map_end:items",
            ])
        #expect(!kinds.contains("map_item_start[3]"))  // fail fast: sequential mode stops at the failure
        #expect(recorder.events.last?.status == .error)
        try SpanChecks.assertWellFormed(recorder.events)
    }

    @Test func threeLevelsOfNestingHaveDepthAndPath() async throws {
        let recorder = EventRecorder()
        let level2 = try Pipeline(nodes: [Self.double], name: "level2")
        let level1 = try Pipeline(nodes: [try level2.asNode(name: "to_level2")], name: "level1")
        let level0 = try pipeline([try level1.asNode(name: "to_level1")], name: "level0", recorder)
        let result = try await level0.run(inputs: ["x": 4])
        #expect(result["doubled", as: Int.self] == 8)

        let starts = recorder.records.filter { $0.event.kind == .pipelineStart }
        #expect(starts.map(\.context.depth) == [0, 1, 2])
        #expect(
            starts.map(\.context.hierarchyPath) == [["level0"], ["level0", "level1"], ["level0", "level1", "level2"]])
        #expect(starts.map(\.context.parentPipelineID) == [nil, "level0", "level1"])
        #expect(starts.map(\.event.depth) == [0, 1, 2])
        let node = try #require(recorder.records.first { $0.event.kind == .nodeStart && $0.event.name == "double" })
        #expect(node.context.depth == 2)
        #expect(node.context.pipeline.nodeIDs == ["double"])
        // The parent chain of the innermost node goes up to the outermost pipeline.
        let events = recorder.events
        var chain: [String] = []
        var current: PipelineEvent? = node.event
        while let event = current {
            chain.append("\(event.kind):\(event.name)")
            current = event.parentSpanID.flatMap { parent in events.first { $0.spanID == parent && $0.kind.opensSpan } }
        }
        #expect(
            chain == [
                "node_start:double", "pipeline_start:level2", "nested_pipeline_start:level2",
                "node_start:to_level2", "pipeline_start:level1", "nested_pipeline_start:level1",
                "node_start:to_level1", "pipeline_start:level0",
            ])
        try SpanChecks.assertWellFormed(events)
    }

    @Test func firstEventCarriesTheGraph() async throws {
        let recorder = EventRecorder()
        let inner = try Pipeline(nodes: [Self.double], name: "inner")
        let outer = try pipeline([try inner.asNode(name: "each", mapOver: ["x"])], name: "outer", recorder)
        _ = try await outer.run(inputs: ["x": [1]])
        let graph = try #require(recorder.events.first?.graph)
        #expect(graph.pipelines.map(\.name) == ["outer", "inner"])
        #expect(graph.root.nodes.first?.pipeline == 1)
        #expect(graph.root.nodes.first?.mapOver == ["x"])
        #expect(recorder.events.dropFirst().allSatisfy { $0.graph == nil })

        let mapRecorder = EventRecorder()
        let mapped = try pipeline([Self.double], name: "m", mapRecorder)
        _ = try await mapped.map(inputs: ["x": [1, 2]], over: ["x"])
        #expect(mapRecorder.events.first?.kind == .mapStart)
        #expect(mapRecorder.events.first?.graph?.root.name == "m")
    }

    @Test func endEventsCarryDurationsAndTimestampsAreMonotonic() async throws {
        let recorder = EventRecorder()
        let p = try pipeline([Self.double, Self.addOne], name: "arith", recorder)
        _ = try await p.map(inputs: ["x": [1, 2, 3]], over: ["x"])
        let events = recorder.events
        for event in events where event.kind.closesSpan {
            let start = try #require(events.first { $0.spanID == event.spanID && $0.kind.opensSpan })
            #expect(event.duration == event.timestamp - start.timestamp)
        }
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
        #expect(Set(events.map(\.runID)).count == 1)
    }

    @Test func contextCarriesTheRunsWallClockStart() async throws {
        let recorder = EventRecorder()
        let inner = try Pipeline(nodes: [Self.double], name: "inner")
        let p = try pipeline([try inner.asNode(name: "inner")], name: "outer", recorder)
        let before = UInt64(Date().timeIntervalSince1970 * 1e9)
        _ = try await p.run(inputs: ["x": 1])
        let after = UInt64(Date().timeIntervalSince1970 * 1e9)
        let starts = Set(recorder.records.map(\.context.runStartTime))
        #expect(starts.count == 1, "every event of a run, nested ones included, has the same start")
        let start = try #require(starts.first)
        #expect(start >= before - 1_000_000 && start <= after)
    }

    @Test func previewsOnlyWhenAsked() async throws {
        let quiet = EventRecorder()
        let chatty = EventRecorder(previews: true)
        let p = try Pipeline(nodes: [Self.double], name: "p", callbacks: [quiet, chatty])
        _ = try await p.run(inputs: ["x": 21])
        let start = try #require(chatty.events.first { $0.kind == .nodeStart })
        let end = try #require(chatty.events.first { $0.kind == .nodeEnd })
        #expect(start.attributes["input.x"] == "21")
        #expect(end.attributes["output.doubled"] == "42")
        // Both callbacks see the same events: previews are computed once per event.
        #expect(quiet.events.first { $0.kind == .nodeEnd }?.attributes["output.doubled"] == "42")
    }

    @Test func longPreviewsAreTruncated() async throws {
        let recorder = EventRecorder(previews: true)
        let long = Node("long", inputs: "n", output: "text") { (n: Int) in String(repeating: "a", count: n) }
        let p = try Pipeline(nodes: [long], name: "p", callbacks: [recorder])
        _ = try await p.run(inputs: ["n": 2000])
        let end = try #require(recorder.events.first { $0.kind == .nodeEnd })
        let preview = try #require(end.attributes["output.text"])
        #expect(preview.count == 501)
        #expect(preview.hasSuffix("…"))
    }
}

/// Structural checks on a run's events.
enum SpanChecks {
    /// Every opened span is closed exactly once, after it opened; every parent
    /// is an open span when the child opens; no span id is reused.
    static func assertWellFormed(_ events: [PipelineEvent]) throws {
        var open: [SpanID: PipelineEvent] = [:]
        var closed = Set<SpanID>()
        for event in events {
            if event.kind.opensSpan {
                #expect(open[event.spanID] == nil && !closed.contains(event.spanID), "span \(event.spanID) reused")
                if let parent = event.parentSpanID {
                    #expect(open[parent] != nil, "parent \(parent) of \(event.kind):\(event.name) is not open")
                }
                open[event.spanID] = event
            } else if event.kind.closesSpan {
                let start = open.removeValue(forKey: event.spanID)
                #expect(start != nil, "\(event.kind):\(event.name) closes span \(event.spanID) that is not open")
                #expect(start?.parentSpanID == event.parentSpanID)
                #expect(event.status != .running)
                closed.insert(event.spanID)
            }
        }
        #expect(open.isEmpty, "spans left open: \(open.values.map { "\($0.kind):\($0.name)" })")
    }
}
