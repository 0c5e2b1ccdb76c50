import Foundation
import Testing

@testable import HyperNodes
@testable import HyperNodesTrace

/// Deterministic runs for the rendering tests: scripted events with chosen
/// timestamps and lanes, played into a callback as the engine would send them.
enum CollectorRenderingScripts {
    /// The wall-clock start of the scripted runs: 2026-01-02 03:04:05.678 UTC.
    static let startTime = TraceScript.startTime

    /// A search run: a node, a cached node, a map of eight items over three
    /// lanes (one item served from the cache, one failing in its second
    /// node), and a last node.
    static var search: TraceScript {
        var s = TraceScript()
        s.runID = 0x5EA2_C401
        let root = s.start(.pipelineStart, "search", at: 0, parent: nil)
        let load = s.start(.nodeStart, "load_corpus", at: 0, parent: root)
        s.end(load, at: 200)
        s.cached("build_index", at: 200, parent: root)
        let embed = s.start(.nodeStart, "embed_queries", at: 200, parent: root)
        s.end(embed, at: 260)
        let map = s.start(.mapStart, "answer", at: 260, parent: root, items: 8)
        let timings: [(start: Double, end: Double, lane: Int)] = [
            (260, 560, 0), (260, 620, 1), (260, 262, 2), (262, 700, 2), (560, 900, 0), (620, 800, 1),
            (700, 1100, 2), (800, 1150, 1),
        ]
        for (index, timing) in timings.enumerated() {
            let item = s.start(
                .mapItemStart, "answer", at: timing.start, parent: map, lane: timing.lane, depth: 1, item: index)
            let pipeline = s.start(
                .pipelineStart, "answer", at: timing.start, parent: item, lane: timing.lane, depth: 1)
            if index == 2 {
                s.cachedInItem("retrieve", at: timing.start + 1, item: item, pipeline: pipeline, lane: 2, depth: 1)
                s.cachedInItem("rerank", at: timing.start + 2, item: item, pipeline: pipeline, lane: 2, depth: 1)
                s.end(pipeline, at: timing.end)
                s.end(item, at: timing.end)
                continue
            }
            let middle = (timing.start + timing.end) / 2
            let retrieve = s.start(
                .nodeStart, "retrieve", at: timing.start, parent: pipeline, lane: timing.lane, depth: 1)
            s.end(retrieve, at: middle)
            let rerank = s.start(.nodeStart, "rerank", at: middle, parent: pipeline, lane: timing.lane, depth: 1)
            if index == 5 {
                let error = ErrorInfo(type: "RerankError", message: "no passages for query 5")
                s.error(rerank, at: timing.end, error)
                s.end(rerank, at: timing.end, status: .error, error: error)
                s.end(pipeline, at: timing.end, status: .error, error: error)
                s.end(item, at: timing.end, status: .error, error: error)
            } else {
                s.end(rerank, at: timing.end)
                s.end(pipeline, at: timing.end)
                s.end(item, at: timing.end)
            }
        }
        s.end(map, at: 1150)
        let report = s.start(.nodeStart, "report", at: 1150, parent: root)
        s.end(report, at: 1300)
        s.end(root, at: 1300)
        return s
    }

    /// A run with a span in each state: ok, cached, failed, cancelled, and one
    /// still open when the events stop (the run never ends).
    static var everyState: TraceScript {
        var s = TraceScript()
        s.runID = 0x57A7_E501
        let root = s.start(.pipelineStart, "states", at: 0, parent: nil)
        let ok = s.start(.nodeStart, "fine", at: 0, parent: root)
        s.end(ok, at: 100)
        s.cached("from_cache", at: 100, parent: root)
        let bad = s.start(.nodeStart, "broken", at: 100, parent: root)
        let error = ErrorInfo(type: "E", message: "it broke")
        s.error(bad, at: 200, error)
        s.end(bad, at: 200, status: .error, error: error)
        let stopped = s.start(.nodeStart, "stopped", at: 200, parent: root)
        s.end(stopped, at: 300, status: .cancelled)
        s.start(.nodeStart, "still_going", at: 300, parent: root)
        return s
    }

    /// The scripted run's events, in order (headers, ticks and run ends are
    /// what a sink derives from them).
    static func events(of script: TraceScript) -> [PipelineEvent] {
        script.records.compactMap {
            if case .event(let event) = $0 { return event }
            return nil
        }
    }

    /// The context the engine gives a callback for the events of `script`.
    static func context(of script: TraceScript, pipeline: String) -> CallbackContext {
        Scope(
            runID: script.runID, origin: 0, wallClockOrigin: startTime,
            metadata: PipelineMetadata(name: pipeline, nodeIDs: []), parent: nil
        ).context
    }

    /// Sends the events of `scripts` to `callback`, one run after the other.
    static func play(_ scripts: [(TraceScript, String)], into callback: some PipelineCallback) {
        for (script, pipeline) in scripts {
            let context = context(of: script, pipeline: pipeline)
            for event in events(of: script) { callback.handle(event, context: context) }
        }
    }

    /// The trace lines a `TraceRecorder` writes for `scripts`, with a fixed process in the headers.
    static func recordedBytes(_ scripts: [(TraceScript, String)]) -> [UInt8] {
        var options = TraceLineWriter.Options()
        options.process = TraceProcess(
            pid: 4242, executable: "/usr/local/bin/search", arguments: ["--queries", "8"], hostName: "build-host")
        var writer = TraceLineWriter(options: options)
        var buffer = JSONBuffer(capacity: 64 * 1024)
        for (script, pipeline) in scripts {
            let context = context(of: script, pipeline: pipeline)
            for event in events(of: script) { writer.append(event, context: context, to: &buffer) }
        }
        return buffer.bytes
    }

    /// The model `hypernodes` reads from the trace a recorder writes for `scripts`.
    static func recordedModel(_ scripts: [(TraceScript, String)]) throws -> TraceModel {
        let decoder = TraceDecoder()
        var records: [TraceRecord] = []
        for line in recordedBytes(scripts).split(separator: 0x0A) {
            if let record = try decoder.decode(line) { records.append(record) }
        }
        return TraceModel(records: records)
    }

    /// The golden file `name` in the `Golden` directory next to this file.
    static func golden(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    }

    /// Compares `text` with the golden file `name`; with `HYPERNODES_UPDATE_GOLDEN=1`
    /// in the environment, writes it instead.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = golden(name)
        if ProcessInfo.processInfo.environment["HYPERNODES_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            text == expected, "differs from \(name); run with HYPERNODES_UPDATE_GOLDEN=1 to update",
            sourceLocation: sourceLocation)
        if text != expected {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            if let line = zip(got, want).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record(
                    "first difference at line \(line.offset + 1):\n got: \(line.element.0)\nwant: \(line.element.1)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// `text` without the SGR sequences of the waterfall's colours.
    static func strippingColors(_ text: String) -> String {
        var result = text
        for sequence in WaterfallState.allCases.map(\.sgr) + [WaterfallState.reset] {
            result = result.replacingOccurrences(of: sequence, with: "")
        }
        return result
    }
}
