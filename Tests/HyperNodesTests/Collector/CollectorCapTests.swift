import Foundation
import HyperNodes
import Synchronization
import Testing

@testable import HyperNodesTrace

/// Keeps the duration of every `node_end` of one node, to check the collector's percentiles against.
private final class DurationCapture: PipelineCallback, Sendable {
    let node: String
    private let durations = Mutex<[UInt64]>([])

    init(node: String) { self.node = node }

    var wantsValuePreviews: Bool { false }

    func handle(_ event: PipelineEvent, context: CallbackContext) {
        guard event.kind == .nodeEnd, event.name == node, let duration = event.duration else { return }
        durations.withLock { $0.append(duration) }
    }

    var sorted: [UInt64] { durations.withLock { $0 }.sorted() }
}

/// Nearest-rank percentile of sorted values.
private func rank(_ percent: Int, of sorted: [UInt64]) -> UInt64 {
    sorted[max(1, (percent * sorted.count + 99) / 100) - 1]
}

/// Whether `value` is within 1 % of `expected` (or 1 ns of it, for tiny durations).
private func close(_ value: UInt64, _ expected: UInt64) -> Bool {
    let difference = value > expected ? value - expected : expected - value
    return difference <= 1 || Double(difference) <= Double(expected) * 0.01
}

@Suite("Trace collector: bounded memory")
struct CollectorCapTests {
    @Test("a 100,000-item map keeps at most maximumSpans spans; counts and node percentiles cover every item")
    func bigMap() async throws {
        var options = TraceCollector.Options()
        options.maximumSpans = 10_000
        let collector = TraceCollector(options: options)
        let capture = DurationCapture(node: "double")
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.callbacks = [collector, capture]
        let items = 100_000
        _ = try await pipeline.map(inputs: ["x": Array(0..<items)], over: ["x"])

        let collected = try #require(collector.lastRun)
        let run = collected.run
        #expect(run.spans.count <= 10_000)
        #expect(run.spans.count >= 9_000)  // the bound is used, not emptied
        #expect(run.isComplete && run.status == .ok)
        #expect(run.issues.isEmpty, "\(run.issues.prefix(3))")
        let keptItems = run.spans.filter { $0.kind == .mapItem }.count
        // Every kept item is whole: its pipeline and both nodes are there too.
        #expect(run.spans.count == 1 + 4 * keptItems)
        #expect(collected.aggregatedItems == items - keptItems)
        #expect(collected.aggregatedItems >= 97_500)

        // The model's map counts are true: from the map's last progress record.
        let statistics = try #require(run.maps.first)
        #expect(statistics.items == items && statistics.done == items && statistics.failed == 0)
        #expect(run.totals.mapItems == items)
        #expect(TraceSummary.render(collected.model, width: 100).contains("100,000 items · 100,000 done"))

        let map = try #require(collected.maps.first)
        #expect(map.items == items && map.done == items && map.failed == 0 && map.inFlight == 0)
        #expect(map.itemLatency?.count == items)
        let double = try #require(map.node("double"))
        #expect(double.count == items && double.failures == 0)
        #expect(map.node("add_one")?.count == items)
        let latency = try #require(double.latency)
        let exact = capture.sorted
        #expect(exact.count == items)
        #expect(latency.count == items && !latency.isExact)
        #expect(latency.minimum == exact.first && latency.maximum == exact.last)
        #expect(close(latency.p50, rank(50, of: exact)), "p50 \(latency.p50) against \(rank(50, of: exact))")
        #expect(close(latency.p95, rank(95, of: exact)), "p95 \(latency.p95) against \(rank(95, of: exact))")
        #expect(close(latency.p99, rank(99, of: exact)), "p99 \(latency.p99) against \(rank(99, of: exact))")
    }

    @Test("nested maps under a small bound: whole items go, no kept span loses its parent, counts stay true")
    func nestedMaps() async throws {
        var options = TraceCollector.Options()
        options.maximumSpans = 60
        let collector = TraceCollector(options: options)
        var pipeline = try CollectorFixtures.nested()
        pipeline.callbacks = [collector]
        _ = try await pipeline.map(inputs: ["row": Array(0..<40)], over: ["row"])

        let collected = try #require(collector.lastRun)
        let run = collected.run
        #expect(run.spans.count <= 60)
        #expect(run.issues.isEmpty, "\(run.issues.prefix(3))")
        #expect(run.isComplete && run.status == .ok)
        #expect(run.maps.first?.done == 40)
        // Every kept inner item is whole: the item, its pipeline and its two nodes.
        let inner = run.spans.indices.filter { run.spans[$0].kind == .mapItem && run.spans[$0].parent != run.roots[0] }
        func size(_ index: Int) -> Int { 1 + run.spans[index].children.reduce(0) { $0 + size($1) } }
        #expect(inner.allSatisfy { size($0) == 4 }, "\(inner.map(size))")
        #expect(collected.aggregatedItems == 40 + 40 * 3 - run.spans.filter { $0.kind == .mapItem }.count)
        #expect(collected.maps.map(\.done) == [40, 120])
        #expect(collected.maps.last?.node("double")?.count == 120)
    }

    @Test("the bound holds over many runs: old runs' items go first, then the oldest runs; the newest stays whole")
    func manyRuns() async throws {
        var options = TraceCollector.Options()
        options.maximumSpans = 200
        let collector = TraceCollector(options: options)
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.callbacks = [collector]
        for _ in 0..<30 {
            _ = try await pipeline.map(inputs: ["x": Array(0..<20)], over: ["x"])  // 81 spans each
        }
        let runs = collector.runs
        let kept = runs.reduce(0) { $0 + $1.run.spans.count }
        #expect(kept <= 200)
        #expect(runs.count >= 2)
        #expect(runs.allSatisfy { $0.run.isComplete && $0.run.issues.isEmpty })
        #expect(runs.allSatisfy { $0.run.maps.first?.done == 20 && $0.maps.first?.done == 20 })
        #expect(runs.allSatisfy { $0.aggregatedItems == 20 - $0.run.spans.filter { $0.kind == .mapItem }.count })
        let last = try #require(runs.last)
        #expect(last.run.spans.filter { $0.kind == .mapItem }.count > 0)
    }

    @Test("a run larger than the bound without map items stays whole while it is the newest")
    func largeRunWithoutItems() async throws {
        var options = TraceCollector.Options()
        options.maximumSpans = 2
        let collector = TraceCollector(options: options)
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.callbacks = [collector]
        _ = try await pipeline.run(inputs: ["x": 1])
        _ = try await pipeline.run(inputs: ["x": 2])
        let runs = collector.runs
        #expect(runs.count == 1)
        #expect(runs.first?.run.spans.count == 3 && runs.first?.run.isComplete == true)
    }
}
