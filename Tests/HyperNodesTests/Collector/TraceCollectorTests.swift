import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// The spans of `run` as `kind name status` lines with their paths, for readable failures.
private func describe(_ run: TraceRun) -> [String] {
    run.depthFirstOrder.map { index in
        let span = run.spans[index]
        return "\(span.kind) \(run.path(of: index).joined(separator: "/")) \(span.outcome)"
    }
}

@Suite("Trace collector")
struct TraceCollectorTests {
    @Test("after run returns, the collector holds the run: spans, parents, paths, statuses and the graph")
    func oneRun() async throws {
        let collector = TraceCollector()
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.callbacks = [collector]
        _ = try await pipeline.run(inputs: ["x": 2])

        let runs = collector.runs
        #expect(runs.count == 1)
        let collected = try #require(collector.lastRun)
        let run = collected.run
        #expect(run.runID == runs[0].run.runID)
        #expect(run.isComplete && run.status == .ok)
        #expect(run.name == "arith")
        #expect(run.header?.graph?.root.nodes.map(\.name) == ["double", "add_one"])
        #expect(describe(run) == ["pipeline arith ok", "node arith/double ok", "node arith/add_one ok"])
        let root = try #require(run.roots.first)
        for index in run.spans.indices where index != root {
            #expect(run.spans[index].parent == root)
            #expect(run.spans[index].start >= run.spans[root].start && run.spans[index].end <= run.spans[root].end)
        }
        #expect(collected.aggregatedItems == 0)
        #expect(collected.maps.isEmpty)
        #expect(collected.model.runs == [run])
        #expect(collector.model.runs == [run])
        #expect(collector.model.issues.isEmpty && collector.model.problems.isEmpty)
    }

    @Test("a map: one item span per item under the map, the map's counts, and per-node counts and latency")
    func map() async throws {
        let collector = TraceCollector()
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.callbacks = [collector]
        _ = try await pipeline.map(inputs: ["x": Array(1...5)], over: ["x"])

        let collected = try #require(collector.lastRun)
        let run = collected.run
        #expect(run.isComplete && run.status == .ok)
        let statistics = try #require(run.maps.first)
        #expect(statistics.items == 5 && statistics.done == 5 && statistics.failed == 0)
        let items = run.spans.filter { $0.kind == .mapItem }
        #expect(items.count == 5)
        #expect(items.allSatisfy { $0.parent == statistics.span && $0.status == .ok })
        #expect(items.compactMap(\.itemIndex).sorted() == [0, 1, 2, 3, 4])
        let doubles = run.spans.indices.filter { run.spans[$0].name == "double" }
        #expect(doubles.count == 5)
        for index in doubles {
            let path = run.path(of: index)
            #expect(path.first == run.spans[statistics.span].name && path.last == "double", "\(path)")
            #expect(run.spans[index].kind == .node)
        }

        #expect(collected.aggregatedItems == 0)
        let map = try #require(collected.maps.first)
        #expect(collected.maps.count == 1)
        #expect(map.path == run.path(of: statistics.span))
        #expect(map.instances == 1 && map.items == 5 && map.done == 5 && map.failed == 0 && map.cached == 0)
        #expect(map.inFlight == 0)
        #expect(map.itemLatency?.count == 5)
        #expect(map.nodes.map(\.name) == ["double", "add_one"])
        for node in map.nodes {
            #expect(node.count == 5 && node.failures == 0 && node.cacheHits == 0)
            let latency = try #require(node.latency)
            #expect(latency.count == 5 && latency.isExact)
            #expect(latency.minimum <= latency.p50 && latency.p50 <= latency.p95 && latency.p95 <= latency.p99)
            #expect(latency.p99 <= latency.maximum)
            let durations = run.spans.filter { $0.name == node.name }.map(\.duration)
            #expect(latency.maximum == durations.max() && latency.minimum == durations.min())
        }
        #expect(map.itemsPerSecond != nil)
    }

    @Test("a nested map: inner maps under the outer items, added up by path, with their own nodes")
    func nestedMap() async throws {
        let collector = TraceCollector()
        var pipeline = try CollectorFixtures.nested()
        pipeline.callbacks = [collector]
        _ = try await pipeline.map(inputs: ["row": [10, 20, 30, 40]], over: ["row"])

        let collected = try #require(collector.lastRun)
        let run = collected.run
        #expect(run.isComplete && run.status == .ok, "\(describe(run))")
        #expect(run.issues.isEmpty, "\(run.issues)")
        let mapSpans = run.spans.indices.filter { run.spans[$0].kind == .map }
        #expect(mapSpans.count == 5)  // the outer map and one inner map per row
        let outer = try #require(mapSpans.first { run.spans[$0].parent == nil })
        let inner = mapSpans.filter { $0 != outer }
        for index in inner {
            // Each inner map lies inside an item of the outer map.
            var ancestor = run.spans[index].parent
            var insideOuterItem = false
            while let current = ancestor {
                if run.spans[current].kind == .mapItem && run.spans[current].parent == outer { insideOuterItem = true }
                ancestor = run.spans[current].parent
            }
            #expect(insideOuterItem, "\(run.path(of: index))")
            #expect(run.mapStatistics(of: index)?.done == 3)
        }

        #expect(collected.maps.count == 2)
        let outerMap = try #require(collected.maps.first)
        let innerMap = try #require(collected.maps.last)
        #expect(outerMap.path == run.path(of: outer))
        #expect(innerMap.path == run.path(of: inner[0]))
        #expect(Set(inner.map { run.path(of: $0) }).count == 1)
        #expect(outerMap.instances == 1 && outerMap.items == 4 && outerMap.done == 4)
        #expect(innerMap.instances == 4 && innerMap.items == 12 && innerMap.done == 12)
        #expect(innerMap.nodes.map(\.name) == ["double", "add_one"])
        #expect(innerMap.nodes.allSatisfy { $0.count == 12 })
        // The outer items' own nodes: spread, the node wrapping the inner map, total; not the inner nodes.
        #expect(Set(outerMap.nodes.map(\.name)).isSuperset(of: ["spread", "total"]))
        #expect(outerMap.node("double") == nil)
        #expect(outerMap.node("spread")?.count == 4 && outerMap.node("total")?.count == 4)
    }

    @Test("a cached rerun: cached node spans, cached items and cache hits per node")
    func cachedRerun() async throws {
        let directory = TemporaryDirectory()
        let collector = TraceCollector()
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.cache = DiskCache(directory: directory.url)
        pipeline.callbacks = [collector]
        _ = try await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])
        _ = try await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])

        let runs = collector.runs
        #expect(runs.count == 2)
        let first = runs[0]
        let second = runs[1]
        #expect(first.run.spans.filter { $0.kind == .node }.allSatisfy { !$0.isCached })
        let nodes = second.run.spans.filter { $0.kind == .node }
        #expect(nodes.count == 6)
        #expect(nodes.allSatisfy { $0.isCached && $0.outcome == "cached" }, "\(describe(second.run))")
        #expect(second.run.totals.cachedNodes == 6 && second.run.totals.nodes == 0)
        #expect(second.run.maps.first?.cached == 3)
        let map = try #require(second.maps.first)
        #expect(map.done == 3 && map.cached == 3)
        for node in map.nodes {
            #expect(node.count == 3 && node.cacheHits == 3 && node.latency == nil)
        }
        #expect(first.maps.first?.cached == 0)
        #expect(first.maps.first?.nodes.allSatisfy { $0.cacheHits == 0 && $0.latency?.count == 3 } == true)
    }

    @Test("a failing run: the node's span and the run end with status error and the node's error")
    func failingRun() async throws {
        let collector = TraceCollector()
        var pipeline = try CollectorFixtures.arithmetic(failOn: 3)
        pipeline.callbacks = [collector]
        await #expect(throws: (any Error).self) { try await pipeline.run(inputs: ["x": 3]) }

        let run = try #require(collector.lastRun).run
        #expect(run.isComplete)
        #expect(run.status == .error)
        let double = try #require(run.spans.first { $0.name == "double" })
        #expect(double.status == .error)
        #expect(double.error?.message.contains("boom at 3") == true, "\(String(describing: double.error))")
        #expect(!run.spans.contains { $0.name == "add_one" && $0.status == .ok })
        #expect(run.totals.errors == 1)
    }

    @Test("a map that stops at a failing item: the map and the item fail; the node's failure is counted")
    func mapStopsAtFailure() async throws {
        let collector = TraceCollector()
        var pipeline = try CollectorFixtures.arithmetic(failOn: 4)
        pipeline.callbacks = [collector]
        await #expect(throws: (any Error).self) {
            try await pipeline.map(inputs: ["x": Array(1...8)], over: ["x"], onItemFailure: .stop)
        }

        let collected = try #require(collector.lastRun)
        let run = collected.run
        #expect(run.isComplete && run.status == .error)
        let mapSpan = try #require(run.spans.first { $0.kind == .map })
        #expect(mapSpan.status == .error)
        let failedItem = try #require(run.spans.first { $0.kind == .mapItem && $0.itemIndex == 3 })
        #expect(failedItem.status == .error)
        let map = try #require(collected.maps.first)
        #expect(map.failed >= 1)
        #expect(map.node("double")?.failures == 1)
        #expect(map.done == run.maps.first?.done)
        let errors = run.spans.filter { $0.kind == .mapItem && $0.status == .error }.count
        let cancelled = run.spans.filter { $0.kind == .mapItem && $0.status == .cancelled }.count
        #expect(map.failed == errors + cancelled)  // failed or cancelled, as in the progress records
    }

    @Test("a map that collects its failures: the map ends ok, the failed items and node failures are counted")
    func mapCollectsFailures() async throws {
        let collector = TraceCollector()
        try await CollectedFailureFixture.run(callbacks: [collector])

        let collected = try #require(collector.lastRun)
        let run = collected.run
        #expect(run.isComplete && run.status == .ok)
        let statistics = try #require(run.maps.first)
        #expect(statistics.items == 30 && statistics.done == 30 && statistics.failed == 4)
        let failedItems = run.spans.filter { $0.kind == .mapItem && $0.status == .error }
        #expect(failedItems.compactMap(\.itemIndex).sorted() == CollectedFailureFixture.failed)
        let map = try #require(collected.maps.first)
        #expect(map.items == 30 && map.done == 30 && map.failed == 4 && map.cached == 0)
        #expect(map.node("parse")?.count == 30 && map.node("parse")?.failures == 4)
        #expect(map.node("label")?.count == 26 && map.node("label")?.failures == 0)
    }

    @Test("runs in a row are kept apart, in start order, each with its own spans")
    func severalRuns() async throws {
        let collector = TraceCollector()
        var arithmetic = try CollectorFixtures.arithmetic()
        arithmetic.callbacks = [collector]
        var other = try CollectorFixtures.arithmetic(name: "other")
        other.callbacks = [collector]
        _ = try await arithmetic.run(inputs: ["x": 1])
        _ = try await other.map(inputs: ["x": [1, 2]], over: ["x"])
        _ = try await arithmetic.run(inputs: ["x": 3])

        let runs = collector.runs
        #expect(runs.map(\.run.name) == ["arith", "other", "arith"])
        #expect(Set(runs.map(\.run.runID)).count == 3)
        #expect(runs.map(\.run.spans.count) == [3, 1 + 2 * 4, 3])
        #expect(runs.allSatisfy { $0.run.isComplete && $0.run.issues.isEmpty })
        #expect(collector.lastRun?.run.runID == runs[2].run.runID)
        #expect(collector.model.runs.map(\.runID) == runs.map(\.run.runID))
    }

    @Test("clear forgets every run; runs after it are kept")
    func clear() async throws {
        let collector = TraceCollector()
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.callbacks = [collector]
        _ = try await pipeline.run(inputs: ["x": 1])
        _ = try await pipeline.map(inputs: ["x": [1, 2]], over: ["x"])
        #expect(collector.runs.count == 2)

        collector.clear()
        #expect(collector.runs.isEmpty)
        #expect(collector.lastRun == nil)
        #expect(collector.model.runs.isEmpty)

        _ = try await pipeline.run(inputs: ["x": 5])
        let runs = collector.runs
        #expect(runs.count == 1)
        #expect(runs.first?.run.isComplete == true && runs.first?.run.spans.count == 3)
    }

    @Test("clear while a run is open drops that run: its later events are not kept, the next run is")
    func clearDuringARun() async throws {
        // Real events and contexts of two runs, replayed by hand so that clear() comes mid-run.
        let events = EventRecorder()
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.callbacks = [events]
        _ = try await pipeline.run(inputs: ["x": 1])
        _ = try await pipeline.run(inputs: ["x": 2])
        let records = events.records
        let firstRun = records[0].event.runID
        let first = records.filter { $0.event.runID == firstRun }
        let second = records.filter { $0.event.runID != firstRun }

        let collector = TraceCollector()
        for record in first.prefix(2) { collector.handle(record.event, context: record.context) }
        #expect(collector.runs.count == 1)
        #expect(collector.lastRun?.run.isComplete == false)
        collector.clear()
        for record in first.dropFirst(2) { collector.handle(record.event, context: record.context) }
        #expect(collector.runs.isEmpty)
        for record in second { collector.handle(record.event, context: record.context) }
        let runs = collector.runs
        #expect(runs.map(\.run.runID) == [second[0].event.runID])
        #expect(runs.first?.run.isComplete == true)
    }

    @Test("runs from several tasks at once are all kept, each complete and apart")
    func concurrentRuns() async throws {
        let collector = TraceCollector()
        var shared = try CollectorFixtures.arithmetic()
        shared.callbacks = [collector]
        let pipeline = shared
        let tasks = 4
        let runsPerTask = 10
        let finished = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for index in 0..<runsPerTask {
                        if index % 2 == 0 {
                            _ = try await pipeline.run(inputs: ["x": task * 100 + index])
                        } else {
                            _ = try await pipeline.map(inputs: ["x": [task, index, 7]], over: ["x"])
                        }
                    }
                    return runsPerTask
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(finished == tasks * runsPerTask)

        let runs = collector.runs
        #expect(runs.count == tasks * runsPerTask)
        #expect(Set(runs.map(\.run.runID)).count == runs.count)
        #expect(runs.allSatisfy { $0.run.isComplete && $0.run.status == .ok && $0.run.issues.isEmpty })
        let maps = runs.filter { !$0.maps.isEmpty }
        #expect(maps.count == tasks * runsPerTask / 2)
        #expect(maps.allSatisfy { $0.maps[0].done == 3 && $0.run.spans.count == 1 + 3 * 4 })
        #expect(runs.filter { $0.maps.isEmpty }.allSatisfy { $0.run.spans.count == 3 })
    }
}
