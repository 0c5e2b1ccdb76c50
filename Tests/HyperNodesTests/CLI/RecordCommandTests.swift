import Foundation
import HyperNodes
import HyperNodesTrace
import Testing

extension CLITests {
    @Suite("hypernodes demo --record")
    struct RecordCommandTests {
        @Test("records a complete, readable trace of the demo")
        func recordsTheDemo() async throws {
            let directory = TemporaryDirectory()
            let path = directory.url.appendingPathComponent("demo.jsonl").path
            let run = try await Executable.run(["demo", "--items", "12", "--no-cache", "--record", path])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("hypernodes summary \(path)"), "\(run)")
            let reader = try TraceReader(path: path)
            #expect(reader.header.pipeline == "demo")
            #expect(reader.header.process.arguments.contains("--record"))
            #expect(reader.header.graph?.pipelines.count == 2)
            let (records, problems) = reader.readAll()
            #expect(problems.isEmpty)
            guard case .runEnd(let end) = records.last else {
                Issue.record("the trace does not end with a run end")
                return
            }
            #expect(end.status == .ok)
            #expect(end.totals.mapItems == 12)
            let ticks = records.compactMap { if case .progress(let p) = $0 { p } else { nil } }
            #expect(ticks.last?.done == 12)
        }

        @Test("an unusable path is an error naming it, before anything runs")
        func badPath() async throws {
            let run = try await Executable.run(["demo", "--items", "2", "--record", "/nonexistent/dir/run.jsonl"])
            #expect(run.status != 0, "\(run)")
            #expect(run.stderr.contains("/nonexistent/dir/run.jsonl"), "\(run)")
            #expect(run.stderr.contains("No such file or directory"), "\(run)")
            #expect(!run.stdout.contains("Elapsed"), "\(run)")
        }

        @Test(
            "the trace grows while the demo runs and stays valid when a signal stops it",
            arguments: [SIGINT, SIGTERM])
        func liveAndInterrupted(signal: Int32) async throws {
            let directory = TemporaryDirectory()
            let path = directory.url.appendingPathComponent("live.jsonl").path
            let running = Task {
                try await Executable.run(
                    ["demo", "--scale", "10", "--no-cache", "--record", path], timeout: .seconds(90),
                    signal: (signal, after: .seconds(4)))
            }
            // While the run is going, lines reach the file within about a second.
            var linesSeenWhileRunning = 0
            for _ in 0..<30 {
                try await Task.sleep(for: .milliseconds(100))
                if let data = FileManager.default.contents(atPath: path) {
                    linesSeenWhileRunning = data.filter { $0 == 0x0A }.count
                    if linesSeenWhileRunning > 1 { break }
                }
            }
            let run = try await running.value
            #expect(linesSeenWhileRunning > 1, "no events were written during the first 3 s of the run")
            #expect(run.terminatedBySignal && run.status == signal, "\(run)")

            let (records, problems) = try TraceReader(path: path).readAll()
            #expect(problems.isEmpty, "a signal must leave only whole lines: \(problems)")
            #expect(records.count >= linesSeenWhileRunning)
            let bytes = try #require(FileManager.default.contents(atPath: path))
            #expect(bytes.last == 0x0A)
        }
    }
}
