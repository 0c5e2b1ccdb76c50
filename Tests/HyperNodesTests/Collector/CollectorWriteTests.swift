import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

@Suite("Trace collector: writing a trace file")
struct CollectorWriteTests {
    /// A collector that saw a run, a map with a failure collected and a nested map.
    private func collector(maximumSpans: Int = 100_000) async throws -> TraceCollector {
        var options = TraceCollector.Options()
        options.maximumSpans = maximumSpans
        let collector = TraceCollector(options: options)
        var arithmetic = try CollectorFixtures.arithmetic(failOn: 3)
        arithmetic.callbacks = [collector]
        _ = try await arithmetic.run(inputs: ["x": 1])
        _ = try await arithmetic.map(inputs: ["x": Array(0..<6)], over: ["x"], onItemFailure: .collect)
        var nested = try CollectorFixtures.nested()
        nested.callbacks = [collector]
        _ = try await nested.map(inputs: ["row": [1, 2]], over: ["row"])
        return collector
    }

    @Test("write(to:) writes a trace the reader reads without problems, with the same model")
    func roundTrip() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("collected.jsonl").path
        let collector = try await collector()
        try collector.write(to: path)

        let (records, problems) = try TraceReader(path: path).readAll()
        #expect(problems.isEmpty, "\(problems)")
        let headers = records.filter { if case .header = $0 { true } else { false } }
        let ends = records.filter { if case .runEnd = $0 { true } else { false } }
        #expect(headers.count == 3 && ends.count == 3)
        let model = try TraceModel(path: path)
        #expect(model.issues.isEmpty, "\(model.issues)")
        #expect(model == collector.model)
        #expect(model.runs == collector.runs.map(\.run))
        #expect(model.runs.map(\.name) == ["arith", "arith", "rows"])
        #expect(model.runs[1].maps.first?.failed == 1)
        // No temporary file is left next to it.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(names == ["collected.jsonl"])
    }

    @Test("the file holds the lines a recorder writes for the same runs; of the progress records, each map's last")
    func sameLinesAsTheRecorder() async throws {
        let directory = TemporaryDirectory()
        let recorded = directory.url.appendingPathComponent("recorded.jsonl").path
        let collected = directory.url.appendingPathComponent("collected.jsonl").path
        let recorder = try TraceRecorder(path: recorded)
        let collector = TraceCollector()
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.callbacks = [recorder, collector]
        _ = try await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])
        recorder.close()
        try collector.write(to: collected)
        let recordedLines = try String(contentsOfFile: recorded, encoding: .utf8).split(separator: "\n")
        let collectedLines = try String(contentsOfFile: collected, encoding: .utf8).split(separator: "\n")
        let isProgress = { (line: Substring) in line.hasPrefix("{\"type\":\"map_progress\"") }
        // The same lines; their order may differ where the map's workers ran at once, because each
        // worker hands an event to the recorder and to the collector in turn, so two workers' events can
        // reach the two sinks in different orders.
        #expect(collectedLines.filter { !isProgress($0) }.sorted() == recordedLines.filter { !isProgress($0) }.sorted())
        let recordedTicks = recordedLines.filter(isProgress)
        #expect(collectedLines.filter(isProgress) == recordedTicks.suffix(1))
        #expect(collectedLines.count >= 3 * 4 * 2 + 4)
    }

    @Test("a capped collector writes a file whose map counts are still true")
    func cappedFile() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("capped.jsonl").path
        var options = TraceCollector.Options()
        options.maximumSpans = 50
        let collector = TraceCollector(options: options)
        var pipeline = try CollectorFixtures.arithmetic()
        pipeline.callbacks = [collector]
        _ = try await pipeline.map(inputs: ["x": Array(0..<500)], over: ["x"])
        try collector.write(to: path)
        let model = try TraceModel(path: path)
        #expect(model.problems.isEmpty && model.issues.isEmpty, "\(model.issues)")
        let run = try #require(model.runs.first)
        #expect(run.spans.count <= 50)
        #expect(run.maps.first?.done == 500 && run.maps.first?.items == 500)
    }

    @Test("an unwritable path throws an error naming the path and the reason, and leaves nothing behind")
    func unwritable() async throws {
        let directory = TemporaryDirectory()
        let collector = try await collector()
        let missing = directory.url.appendingPathComponent("no/such/dir/run.jsonl").path
        let error = #expect(throws: TraceCollectorError.self) { try collector.write(to: missing) }
        #expect(error == .cannotWrite(path: missing, reason: "No such file or directory"))
        #expect(error?.description.contains(missing) == true)

        // A directory in the way: its content is left as it was.
        let inTheWay = directory.url.appendingPathComponent("dir").path
        try FileManager.default.createDirectory(atPath: inTheWay, withIntermediateDirectories: false)
        let dirError = #expect(throws: TraceCollectorError.self) { try collector.write(to: inTheWay) }
        #expect(dirError?.description.contains("'\(inTheWay)'") == true, "\(String(describing: dirError))")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(names == ["dir"])
    }

    @Test("an existing file is replaced whole")
    func replaces() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("run.jsonl").path
        try String(repeating: "old content\n", count: 10_000).write(toFile: path, atomically: false, encoding: .utf8)
        let collector = try await collector()
        try collector.write(to: path)
        let model = try TraceModel(path: path)
        #expect(model.problems.isEmpty && model.runs.count == 3)
    }

    @Test("an empty collector has nothing to write and says so")
    func empty() throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("none.jsonl").path
        let collector = TraceCollector()
        #expect(throws: TraceCollectorError.noRuns(path: path)) { try collector.write(to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
