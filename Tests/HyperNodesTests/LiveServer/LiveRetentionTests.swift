import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// Feeds lines to a `LiveRetention` as the server's thread does, numbering them.
private struct Feeder {
    var retention: LiveRetention
    var seq = 0

    init(_ limits: LiveRetention.Limits = LiveRetention.Limits()) {
        retention = LiveRetention(limits: limits)
    }

    mutating func header(run: UInt64, pipeline: String) {
        let header = TraceHeader(
            runID: run, startTime: 1, process: TraceProcess(pid: 1, executable: "p", arguments: [], hostName: "h"),
            pipeline: pipeline, graph: nil)
        TraceEncoder().encode(.header(header)).withUnsafeBytes { retention.addHeader($0) }
        seq += 1
    }

    mutating func event(
        _ kind: EventKind, run: UInt64, span: UInt64, parent: UInt64?, t: UInt64, item: Int? = nil
    ) {
        let event = PipelineEvent(
            kind: kind, status: kind.opensSpan ? .running : .ok, runID: run, spanID: SpanID(rawValue: span),
            parentSpanID: parent.map { SpanID(rawValue: $0) }, name: "m", timestamp: t,
            duration: kind.closesSpan ? 1 : nil, itemIndex: item)
        let line = TraceEncoder().encode(.event(event))
        line.withUnsafeBytes { retention.addEvent(event, line: $0, seq: seq) }
        seq += 1
    }

    mutating func end(run: UInt64, t: UInt64) {
        let end = RunEnd(runID: run, timestamp: t, status: .ok, duration: t, totals: RunEnd.Totals())
        TraceEncoder().encode(.runEnd(end)).withUnsafeBytes { retention.addRunEnd($0) }
        seq += 1
    }

    var snapshot: [TraceRecord] {
        var bytes: [UInt8] = []
        retention.snapshot(into: &bytes)
        return bytes.split(separator: UInt8(ascii: "\n")).compactMap { try? TraceDecoder().decode($0) }
    }
}

@Suite("Live retention")
struct LiveRetentionTests {
    @Test("an item whose end was dropped does not stay open in a finished run")
    func unclosedItemsGoAtRunEnd() {
        var feeder = Feeder()
        feeder.header(run: 7, pipeline: "m")
        feeder.event(.mapStart, run: 7, span: 1, parent: nil, t: 1)
        for item in 0..<3 { feeder.event(.mapItemStart, run: 7, span: 2 + UInt64(item), parent: 1, t: 2, item: item) }
        feeder.event(.mapItemEnd, run: 7, span: 2, parent: 1, t: 3, item: 0)
        // The end of item 1 (span 3) was dropped.
        feeder.event(.mapItemEnd, run: 7, span: 4, parent: 1, t: 4, item: 2)
        feeder.event(.mapEnd, run: 7, span: 1, parent: nil, t: 5)
        feeder.end(run: 7, t: 5)
        let model = TraceModel(records: feeder.snapshot)
        let run = model.runs[0]
        #expect(run.spans.filter { $0.kind == .mapItem }.map(\.itemIndex) == [0, 2])
        #expect(run.spans.allSatisfy { $0.isFinished })
        #expect(run.issues.isEmpty)
    }

    @Test("removing a map takes its kept items and progress along")
    func mapTakesItsItems() {
        var feeder = Feeder(LiveRetention.Limits(spans: 1, items: 100, runs: 8))
        feeder.header(run: 1, pipeline: "outer")
        feeder.event(.pipelineStart, run: 1, span: 1, parent: nil, t: 1)
        feeder.event(.mapStart, run: 1, span: 2, parent: 1, t: 1)
        feeder.event(.mapItemStart, run: 1, span: 3, parent: 2, t: 2, item: 0)
        feeder.event(.mapItemEnd, run: 1, span: 3, parent: 2, t: 3, item: 0)
        feeder.event(.mapEnd, run: 1, span: 2, parent: 1, t: 4)
        feeder.event(.nodeStart, run: 1, span: 4, parent: 1, t: 5)
        feeder.event(.nodeEnd, run: 1, span: 4, parent: 1, t: 6)  // the second closed span: the map goes
        let spans = TraceModel(records: feeder.snapshot).runs[0].spans
        #expect(spans.map(\.kind) == [.pipeline, .node])
        #expect(spans.allSatisfy { $0.recordedParentID == nil || $0.parent != nil }, "no orphans")
    }

    @Test("only the most recent finished runs are kept")
    func finishedRuns() {
        var feeder = Feeder(LiveRetention.Limits(spans: 100, items: 100, runs: 2))
        for run in UInt64(1)...4 {
            feeder.header(run: run, pipeline: "r\(run)")
            feeder.event(.pipelineStart, run: run, span: 1, parent: nil, t: 1)
            feeder.event(.pipelineEnd, run: run, span: 1, parent: nil, t: 2)
            feeder.end(run: run, t: 2)
        }
        #expect(feeder.retention.statusRuns.map(\.pipeline) == ["r3", "r4"])
        #expect(TraceModel(records: feeder.snapshot).runs.map(\.runID) == [3, 4])
    }
}
