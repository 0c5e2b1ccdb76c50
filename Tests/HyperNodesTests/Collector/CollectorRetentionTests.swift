import HyperNodes
import Testing

@testable import HyperNodesTrace

/// Feeds synthetic trace lines to a `LiveRetention` bounded on all spans, as a collector does.
private struct SpanFeeder {
    var retention: LiveRetention
    var seq = 0
    var t: UInt64 = 0

    init(totalSpans: Int) {
        var limits = LiveRetention.Limits()
        limits.spans = .max
        limits.items = .max
        limits.runs = .max
        limits.totalSpans = totalSpans
        retention = LiveRetention(limits: limits)
    }

    mutating func header(run: UInt64) {
        let header = TraceHeader(
            runID: run, startTime: 1, process: TraceProcess(pid: 1, executable: "p", arguments: [], hostName: "h"),
            pipeline: "p", graph: nil)
        TraceEncoder().encode(.header(header)).withUnsafeBytes { retention.addHeader($0) }
    }

    mutating func event(_ kind: EventKind, run: UInt64, span: UInt64, parent: UInt64?) {
        t += 1
        let event = PipelineEvent(
            kind: kind, status: kind.opensSpan ? .running : .ok, runID: run, spanID: SpanID(rawValue: span),
            parentSpanID: parent.map { SpanID(rawValue: $0) }, name: "s\(span)", timestamp: t,
            duration: kind.closesSpan ? 1 : nil)
        TraceEncoder().encode(.event(event)).withUnsafeBytes { retention.addEvent(event, line: $0, seq: seq) }
        seq += 1
    }

    mutating func end(run: UInt64) {
        t += 1
        let end = RunEnd(runID: run, timestamp: t, status: .ok, duration: t, totals: RunEnd.Totals())
        TraceEncoder().encode(.runEnd(end)).withUnsafeBytes { retention.addRunEnd($0) }
    }

    /// The spans the snapshot holds, and its model's issues.
    var kept: (spans: Int, issues: [TraceModelIssue]) {
        var bytes: [UInt8] = []
        retention.snapshot(into: &bytes)
        let records = bytes.split(separator: UInt8(ascii: "\n")).compactMap { try? TraceDecoder().decode($0) }
        let model = TraceModel(records: records)
        return (model.runs.reduce(0) { $0 + $1.spans.count }, model.issues)
    }
}

@Suite("Collector retention")
struct CollectorRetentionTests {
    /// One run: a map of `outer` items, each with a pipeline, a node and an inner map
    /// of `inner` items of one node each; checks the count after every event.
    private func nestedRun(_ feeder: inout SpanFeeder, run: UInt64, outer: Int, inner: Int, limit: Int) {
        var next: UInt64 = 10
        func id() -> UInt64 {
            next += 1
            return next
        }
        func check(_ feeder: SpanFeeder) {
            let kept = feeder.kept
            #expect(kept.spans == feeder.retention.keptSpans)
            // The run going on has open spans; no other issue, and none in earlier runs.
            let issues = kept.issues.filter { $0.runID != run || !$0.message.contains("never closed") }
            #expect(issues.isEmpty, "\(issues.prefix(2))")
        }
        feeder.header(run: run)
        feeder.event(.mapStart, run: run, span: 1, parent: nil)
        for _ in 0..<outer {
            let item = id()
            let pipeline = id()
            let node = id()
            let map = id()
            feeder.event(.mapItemStart, run: run, span: item, parent: 1)
            feeder.event(.pipelineStart, run: run, span: pipeline, parent: item)
            feeder.event(.nodeCached, run: run, span: id(), parent: pipeline)
            feeder.event(.nodeStart, run: run, span: node, parent: pipeline)
            feeder.event(.mapStart, run: run, span: map, parent: node)
            for _ in 0..<inner {
                let innerItem = id()
                let innerNode = id()
                feeder.event(.mapItemStart, run: run, span: innerItem, parent: map)
                feeder.event(.nodeStart, run: run, span: innerNode, parent: innerItem)
                feeder.event(.nodeEnd, run: run, span: innerNode, parent: innerItem)
                feeder.event(.mapItemEnd, run: run, span: innerItem, parent: map)
                check(feeder)
            }
            feeder.event(.mapEnd, run: run, span: map, parent: node)
            feeder.event(.nodeEnd, run: run, span: node, parent: pipeline)
            feeder.event(.pipelineEnd, run: run, span: pipeline, parent: item)
            feeder.event(.mapItemEnd, run: run, span: item, parent: 1)
            check(feeder)
            #expect(feeder.retention.keptSpans <= limit)
        }
        feeder.event(.mapEnd, run: run, span: 1, parent: nil)
        feeder.end(run: run)
        check(feeder)
    }

    @Test("nested items: the spans counted are the spans kept, within the bound, none without its parent")
    func nestedItems() {
        var feeder = SpanFeeder(totalSpans: 50)
        nestedRun(&feeder, run: 1, outer: 30, inner: 4, limit: 50)
        #expect(feeder.retention.keptSpans <= 50)
        #expect(feeder.retention.keptSpans >= 40)
    }

    @Test("runs after runs: old items go, then old runs; the counts stay exact")
    func runsAfterRuns() {
        var feeder = SpanFeeder(totalSpans: 40)
        // 28 spans a run; once old runs are down to their map span, they go too.
        for run in 1...60 { nestedRun(&feeder, run: UInt64(run), outer: 3, inner: 2, limit: 40) }
        #expect(feeder.retention.keptSpans <= 40)
        #expect(feeder.retention.runCount < 40)
        #expect(feeder.retention.runIDs.last == 60)
    }
}
