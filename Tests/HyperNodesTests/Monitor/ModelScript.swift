import HyperNodes
import HyperNodesTrace

/// Builds the records of one hand-written run for model tests: times in nanoseconds since the run
/// started, ids chosen by the test.
struct ModelScript {
    var runID: UInt64 = 1
    var startTime: UInt64 = 1_000_000_000_000

    func header(graph: PipelineGraph? = nil, pipeline: String = "main") -> TraceRecord {
        .header(
            TraceHeader(
                runID: runID, startTime: startTime,
                process: TraceProcess(pid: 1, executable: "test", arguments: [], hostName: "host"), pipeline: pipeline,
                graph: graph))
    }

    func start(
        _ kind: EventKind, _ id: UInt64, parent: UInt64?, _ name: String, at time: UInt64, lane: Int = 0,
        item: Int? = nil, count: Int? = nil, attributes: [String: String] = [:]
    ) -> TraceRecord {
        .event(
            PipelineEvent(
                kind: kind, status: .running, runID: runID, spanID: SpanID(rawValue: id),
                parentSpanID: parent.map { SpanID(rawValue: $0) }, name: name, timestamp: time, lane: lane,
                itemIndex: item, itemCount: count, attributes: attributes))
    }

    func end(
        _ kind: EventKind, _ id: UInt64, parent: UInt64?, _ name: String, at time: UInt64, status: SpanStatus = .ok,
        duration: UInt64? = nil, lane: Int = 0, item: Int? = nil, error: ErrorInfo? = nil
    ) -> TraceRecord {
        .event(
            PipelineEvent(
                kind: kind, status: status, runID: runID, spanID: SpanID(rawValue: id),
                parentSpanID: parent.map { SpanID(rawValue: $0) }, name: name, timestamp: time, duration: duration,
                lane: lane, itemIndex: item, error: error))
    }

    func cached(_ id: UInt64, parent: UInt64, _ name: String, at time: UInt64) -> TraceRecord {
        .event(
            PipelineEvent(
                kind: .nodeCached, status: .cached, runID: runID, spanID: SpanID(rawValue: id),
                parentSpanID: SpanID(rawValue: parent), name: name, timestamp: time))
    }

    func runEnd(at time: UInt64, status: SpanStatus = .ok) -> TraceRecord {
        .runEnd(RunEnd(runID: runID, timestamp: time, status: status, duration: time, totals: RunEnd.Totals()))
    }

    func progress(
        map: UInt64, at time: UInt64, total: Int, done: Int, failed: Int = 0, cached: Int = 0, inFlight: Int = 0
    ) -> TraceRecord {
        .progress(
            MapProgress(
                runID: runID, spanID: SpanID(rawValue: map), name: "map", timestamp: time, total: total, done: done,
                failed: failed, cached: cached, inFlight: inFlight))
    }

    /// A map `map` under `parent` with `items` items of `duration` each, `lanes` at a time, one node
    /// "work" inside each item; item k starts at `from + (k / lanes) * duration` on lane `k % lanes`.
    func map(
        _ map: UInt64, parent: UInt64, from: UInt64, items: Int, lanes: Int, duration: UInt64,
        failing: Set<Int> = []
    ) -> [TraceRecord] {
        var records = [start(.mapStart, map, parent: parent, "inner", at: from, count: items)]
        var ends: [(UInt64, [TraceRecord])] = []
        for k in 0..<items {
            let itemID = map * 1000 + UInt64(k) * 2 + 1
            let nodeID = itemID + 1
            let begin = from + UInt64(k / lanes) * duration
            let finish = begin + duration
            let status: SpanStatus = failing.contains(k) ? .error : .ok
            records.append(start(.mapItemStart, itemID, parent: map, "inner", at: begin, lane: k % lanes, item: k))
            records.append(start(.nodeStart, nodeID, parent: itemID, "work", at: begin, lane: k % lanes))
            ends.append(
                (
                    finish,
                    [
                        end(.nodeEnd, nodeID, parent: itemID, "work", at: finish - 1, status: status, lane: k % lanes),
                        end(
                            .mapItemEnd, itemID, parent: map, "inner", at: finish, status: status, lane: k % lanes,
                            item: k),
                    ]
                ))
        }
        records += ends.flatMap(\.1)
        let last = from + UInt64((items + lanes - 1) / lanes) * duration
        records.append(end(.mapEnd, map, parent: parent, "inner", at: last))
        return records
    }
}
