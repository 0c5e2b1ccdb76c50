import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace

/// Fixed record sequences for the monitor's screens: a run `demo` that
/// loads, cleans (from the cache), maps a nested pipeline `embed` over 12
/// items on 4 lanes (two items cached, one failing) and never gets to
/// `report`; plus the times at which the screens are drawn.
enum ScreenFixtures {
    static let runID: UInt64 = 7
    static let ms: UInt64 = 1_000_000

    /// While the map runs: 40 ms into it.
    static let midRun: UInt64 = 200 * ms
    /// After the run ended.
    static let finished: UInt64 = 400 * ms

    static let graph = PipelineGraph(pipelines: [
        PipelineDescription(
            name: "demo", inputs: [PortDescription(name: "path", type: "String")],
            nodes: [
                NodeDescription(name: "load", inputs: [], outputs: [], cache: false),
                NodeDescription(name: "clean", inputs: [], outputs: [], cache: true),
                NodeDescription(
                    name: "embed_all", inputs: [], outputs: [], cache: false, pipeline: 1, mapOver: ["doc"],
                    mapMode: "zip"),
                NodeDescription(name: "report", inputs: [], outputs: [], cache: false),
            ], edges: []),
        PipelineDescription(
            name: "embed", inputs: [],
            nodes: [
                NodeDescription(name: "tokenize", inputs: [], outputs: [], cache: true),
                NodeDescription(name: "vectorize", inputs: [], outputs: [], cache: false),
            ], edges: []),
    ])

    static func event(
        _ kind: EventKind, _ status: SpanStatus = .running, id: UInt64, parent: UInt64?, _ name: String,
        at time: UInt64, lane: Int = 0, item: Int? = nil, count: Int? = nil, attributes: [String: String] = [:],
        error: ErrorInfo? = nil
    ) -> TraceRecord {
        .event(
            PipelineEvent(
                kind: kind, status: status, runID: runID, spanID: SpanID(rawValue: id),
                parentSpanID: parent.map { SpanID(rawValue: $0) }, name: name, timestamp: time, lane: lane,
                itemIndex: item, itemCount: count, attributes: attributes, error: error))
    }

    /// The whole run, in the order the engine would emit it.
    static var demo: [TraceRecord] {
        var records: [TraceRecord] = [
            .header(
                TraceHeader(
                    runID: runID, startTime: 1_767_225_600_000_000_000,
                    process: TraceProcess(pid: 42, executable: "/usr/bin/demo", arguments: [], hostName: "host"),
                    pipeline: "demo", graph: graph)),
            event(.pipelineStart, id: 1, parent: nil, "demo", at: 0),
            event(.nodeStart, id: 2, parent: 1, "load", at: 1 * ms, attributes: ["input.path": "docs/*.txt"]),
            event(.nodeEnd, .ok, id: 2, parent: 1, "load", at: 60 * ms, attributes: ["output.count": "12"]),
            event(
                .nodeCached, .cached, id: 3, parent: 1, "clean", at: 60 * ms, attributes: ["cache.key": "9f2c41d0ab"]),
            event(.nodeStart, id: 4, parent: 1, "embed_all", at: 61 * ms),
            event(.nestedPipelineStart, id: 5, parent: 4, "embed", at: 61 * ms),
            event(.mapStart, id: 6, parent: 5, "embed", at: 62 * ms, count: 12),
        ]
        // Items: three waves of four, 60 ms apart; item 5 fails, items 2 and 7 come from the cache.
        var timed: [(UInt64, Int, TraceRecord)] = []
        for item in 0..<12 {
            let lane = item % 4
            let begin = 62 * ms + UInt64(item / 4) * 60 * ms + UInt64(lane) * 2 * ms
            let itemID = UInt64(100 + item * 10)
            let cached = item == 2 || item == 7
            let fails = item == 5
            let length = cached ? 1 * ms : (fails ? 35 * ms : UInt64(50 + lane * 2) * ms)
            var sequence: [(UInt64, TraceRecord)] = [
                (begin, event(.mapItemStart, id: itemID, parent: 6, "embed", at: begin, lane: lane, item: item)),
                (begin, event(.pipelineStart, id: itemID + 1, parent: itemID, "embed", at: begin, lane: lane)),
            ]
            if cached {
                sequence += [
                    (
                        begin,
                        event(
                            .nodeCached, .cached, id: itemID + 2, parent: itemID + 1, "tokenize", at: begin,
                            lane: lane, attributes: ["cache.key": "t\(item)"])
                    ),
                    (
                        begin,
                        event(
                            .mapItemCached, .cached, id: itemID, parent: 6, "embed", at: begin, lane: lane,
                            item: item)
                    ),
                    (
                        begin,
                        event(
                            .nodeCached, .cached, id: itemID + 3, parent: itemID + 1, "vectorize", at: begin,
                            lane: lane)
                    ),
                ]
            } else {
                let split = begin + 10 * ms
                sequence += [
                    (begin, event(.nodeStart, id: itemID + 2, parent: itemID + 1, "tokenize", at: begin, lane: lane)),
                    (
                        split,
                        event(.nodeEnd, .ok, id: itemID + 2, parent: itemID + 1, "tokenize", at: split, lane: lane)
                    ),
                    (split, event(.nodeStart, id: itemID + 3, parent: itemID + 1, "vectorize", at: split, lane: lane)),
                ]
                let end = begin + length
                if fails {
                    let error = ErrorInfo(type: "Demo.EmbedError", message: "vector service refused doc 5\n(timeout)")
                    sequence += [
                        (
                            end,
                            event(
                                .error, .error, id: itemID + 3, parent: itemID + 1, "vectorize", at: end,
                                lane: lane, error: error)
                        ),
                        (
                            end,
                            event(
                                .nodeEnd, .error, id: itemID + 3, parent: itemID + 1, "vectorize", at: end,
                                lane: lane, error: error)
                        ),
                    ]
                } else {
                    sequence.append(
                        (
                            end,
                            event(.nodeEnd, .ok, id: itemID + 3, parent: itemID + 1, "vectorize", at: end, lane: lane)
                        ))
                }
            }
            let end = begin + length
            let status: SpanStatus = fails ? .error : .ok
            sequence += [
                (end, event(.pipelineEnd, status, id: itemID + 1, parent: itemID, "embed", at: end, lane: lane)),
                (end, event(.mapItemEnd, status, id: itemID, parent: 6, "embed", at: end, lane: lane, item: item)),
            ]
            for (order, entry) in sequence.enumerated() { timed.append((entry.0, item * 100 + order, entry.1)) }
        }
        timed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        records += timed.map(\.2)
        let mapEnd = 62 * ms + 2 * 60 * ms + 6 * ms + 56 * ms
        let error = ErrorInfo(type: "Demo.EmbedError", message: "1 of 12 items failed")
        records += [
            event(.mapEnd, .error, id: 6, parent: 5, "embed", at: mapEnd, error: error),
            event(.nestedPipelineEnd, .error, id: 5, parent: 4, "embed", at: mapEnd, error: error),
            event(.nodeEnd, .error, id: 4, parent: 1, "embed_all", at: mapEnd, error: error),
            event(.pipelineEnd, .error, id: 1, parent: nil, "demo", at: mapEnd + 1 * ms, error: error),
            .runEnd(
                RunEnd(
                    runID: runID, timestamp: mapEnd + 1 * ms, status: .error, duration: mapEnd + 1 * ms,
                    totals: RunEnd.Totals(events: 90, spans: 60, nodes: 20, cached: 5, failed: 4, mapItems: 12))),
        ]
        return records
    }

    /// The model holding the whole demo run.
    static var model: RunModel {
        var model = RunModel()
        model.apply(demo)
        return model
    }
}
