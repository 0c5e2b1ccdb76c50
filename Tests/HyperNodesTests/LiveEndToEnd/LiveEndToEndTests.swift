import Foundation
import HyperNodes
import HyperNodesTrace
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The live stream between real processes over real sockets: the `longrun` demo serves
/// its runs (`--live`) and clients attach, late, stall, vanish, or outlive it.
@Suite("Live monitoring end to end", .serialized)
struct LiveEndToEndTests {
    /// The shape of the trace `longrun` recorded of its own runs.
    static func recordedShape(_ path: String) throws -> TraceShape {
        let model = try TraceModel(path: path)
        #expect(model.problems.isEmpty, "the recorded trace has problems: \(model.problems)")
        return TraceShape(model)
    }

    /// Checks what every full run of the demo must contain: the main run, finished, with
    /// its nested maps complete, and the two strict checks that fail.
    static func expectDemoRuns(_ shape: TraceShape, hosts: Int, files: Int) {
        let names = shape.runs.map(\.name)
        #expect(names.filter { $0 == "longrun" }.count == 1, "runs: \(names)")
        #expect(names.filter { $0 == "strict_check" }.count == 2, "runs: \(names)")
        guard let main = shape.runs.first(where: { $0.name == "longrun" }) else { return }
        #expect(main.status == .ok && main.ended)
        let hostMap = main.maps.filter { $0.name == "host_analysis" }
        let fileMaps = main.maps.filter { $0.name == "file_analysis" }
        #expect(hostMap.map(\.items) == [hosts] && hostMap.map(\.done) == [hosts], "\(main.maps)")
        #expect(fileMaps.count == hosts, "\(main.maps)")
        #expect(fileMaps.reduce(0) { $0 + $1.done } == files, "\(main.maps)")
        for check in shape.runs where check.name == "strict_check" {
            #expect(check.status == .error && check.ended, "\(check)")
        }
    }

    @Test("two clients attached while the demo runs end with the same runs, spans and counts as its recorded trace")
    func twoClientsMatchTheRecordedTrace() async throws {
        let directory = try ShortTemporaryDirectory()
        let trace = directory.url.appendingPathComponent("trace.jsonl").path
        let received = directory.url.appendingPathComponent("received.jsonl").path
        let demo = try LongRunProcess(
            LongRunProcess.arguments(seconds: 3, extra: ["--live", "--record", trace]), directory: directory)
        let (socket, first, second) = try await demo.whenServing { socket in
            (socket, try LiveClient(socket: socket, record: received), try LiveClient(socket: socket))
        }
        let stdout = try await demo.finish()

        let firstState = try await first.waitUntilClosed()
        let secondState = try await second.waitUntilClosed()
        for (name, state) in [("first", firstState), ("second", secondState)] {
            #expect(state.sawEnd, "the \(name) client got no live_end")
            #expect(state.closed == "", "the \(name) client's connection: \(state.closed ?? "open")")
            #expect(state.dropped == 0 && state.problems.isEmpty, "the \(name) client: \(state.dropped) dropped")
            #expect(state.statuses.first?.pid == demo.process.pid)
        }
        let expected = try Self.recordedShape(trace)
        Self.expectDemoRuns(expected, hosts: 3, files: 24)
        for (name, model) in [
            ("first", first.model), ("second", second.model), ("saved by the first", try TraceModel(path: received)),
        ] {
            let shape = TraceShape(model)
            #expect(shape.difference(from: expected) == nil, "the \(name) client: \(shape.difference(from: expected)!)")
        }
        #expect(LongRunProcess.row("Digest", in: stdout) != nil, "\(stdout)")
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket outlived the process")
    }

    @Test("a client that attaches after about half the run reconstructs the same final tree")
    func lateAttachReconstructsTheFinalTree() async throws {
        let directory = try ShortTemporaryDirectory()
        let trace = directory.url.appendingPathComponent("trace.jsonl").path
        let demo = try LongRunProcess(
            LongRunProcess.arguments(seconds: 6, extra: ["--live", "--record", trace]), directory: directory)
        let (late, attached, running) = try await demo.whenServing { [demo] socket in
            usleep(3_000_000)
            let running = demo.process.isRunning
            return (try LiveClient(socket: socket), UInt64(Date().timeIntervalSince1970 * 1e9), running)
        }
        #expect(running, "the run ended before half of it was over")
        _ = try await demo.finish()
        let state = try await late.waitUntilClosed()
        #expect(state.sawEnd && state.closed == "")
        let expected = try Self.recordedShape(trace)
        Self.expectDemoRuns(expected, hosts: 3, files: 24)
        let shape = TraceShape(late.model)
        #expect(shape.difference(from: expected) == nil, "\(shape.difference(from: expected) ?? "")")

        // Items had finished before the client attached, and it has them all.
        let model = try TraceModel(path: trace)
        let main = try #require(model.runs.first { $0.name == "longrun" })
        let before = main.spans.filter { $0.kind == .mapItem && main.startTime + $0.end < attached }.count
        #expect(before >= 4, "only \(before) items had finished when the client attached")
    }

    @Test("a client that vanishes mid-stream disturbs neither the run (same digest) nor another client")
    func vanishingClient() async throws {
        let directory = try ShortTemporaryDirectory()
        let trace = directory.url.appendingPathComponent("trace.jsonl").path
        let arguments = LongRunProcess.arguments(seconds: 4, extra: ["--live", "--record", trace])
        let reference = try await LongRunProcess.referenceDigest(arguments)
        let demo = try LongRunProcess(arguments, directory: directory)
        let (steady, lines) = try await demo.whenServing { socket in
            let steady = try LiveClient(socket: socket)
            let vanishing = try RawLiveSocket(path: socket)
            try vanishing.sendLine(#"{"request":"stream"}"#)
            var count = 0
            let (lines, _) = try vanishing.readLines(timeout: 10) { _ in
                count += 1
                return count >= 10
            }
            vanishing.close()
            return (steady, lines)
        }
        #expect(lines.first?.contains("live_status") == true, "\(lines.first ?? "nothing")")
        let stdout = try await demo.finish()
        let state = try await steady.waitUntilClosed()
        #expect(state.sawEnd && state.closed == "")
        #expect(LongRunProcess.row("Digest", in: stdout) == reference)
        let shape = TraceShape(steady.model)
        let expected = try Self.recordedShape(trace)
        #expect(shape.difference(from: expected) == nil, "\(shape.difference(from: expected) ?? "")")
    }

    @Test("a client that never reads does not slow the run, and when it reads at last it is told what was dropped")
    func stalledClient() async throws {
        // Enough small files that the records outgrow a client's buffer (65,536 records).
        let arguments = [
            "--minutes", "0", "--items", "10000", "--batches", "4", "--lines", "3", "--concurrency", "2", "--no-cache",
            "--live", "--linger", "10",
        ]
        let alone = try LongRunProcess(Array(arguments.dropLast(2)) + ["--linger", "0"], label: "alone")
        let aloneOutput = try await alone.finish(timeout: 60)
        let aloneElapsed = try #require(LongRunProcess.elapsed(in: aloneOutput))

        let demo = try LongRunProcess(arguments)
        let stalled = try await demo.whenServing { socket in
            let stalled = try RawLiveSocket(path: socket, receiveBuffer: 4_096)
            try stalled.sendLine(#"{"request":"stream"}"#)
            return stalled
        }
        // Once the results are out, it reads: the status, what was kept for it, a count of what was
        // dropped, the rest, the end. Both on one thread of its own, so that it starts reading well
        // within the server's linger even when the test pool is busy.
        let (output, lines) = try await onOwnThread { [demo, stalled] in
            let deadline = Date(timeIntervalSinceNow: 60)
            while !demo.process.stdout.contains("Elapsed") {
                if Date() > deadline { throw HarnessError("no results within 60 s.\n\(demo.process.tail())") }
                usleep(5_000)
            }
            let (lines, _) = try stalled.readLines(timeout: 20) { $0.contains(#""type":"live_end""#) }
            return (demo.process.stdout, lines)
        }
        let elapsed = try #require(LongRunProcess.elapsed(in: output))
        #expect(elapsed <= aloneElapsed * 2 + 5, "\(elapsed) s with a stalled client, \(aloneElapsed) s without")
        #expect(LongRunProcess.row("Digest", in: output) == LongRunProcess.row("Digest", in: aloneOutput))
        let dropped = lines.filter { $0.contains(#""type":"live_dropped""#) }
        #expect(!dropped.isEmpty, "no live_dropped among \(lines.count) lines")
        let counts = dropped.compactMap { line -> Int? in
            guard let range = line.range(of: #""count":"#) else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        #expect(counts.count == dropped.count && counts.allSatisfy { $0 > 0 }, "\(dropped)")
        #expect(lines.last?.contains("live_end") == true, "the stream did not end with live_end: \(lines.last ?? "")")
        #expect(lines.contains { $0.contains(#""type":"run_end""#) }, "the runs' ends were not delivered")
        _ = try await demo.finish()
    }

    @Test("a client of a process killed with SIGKILL sees the connection lost; ps removes its socket, not a live one's")
    func killedProcess() async throws {
        let demo = try LongRunProcess(LongRunProcess.arguments(seconds: 60, extra: ["--live"]))
        let (socket, client) = try await demo.whenServing { socket in (socket, try LiveClient(socket: socket)) }
        try await client.waitFor("the first spans", timeout: 15) { $0.records.count >= 5 }
        kill(demo.process.pid, SIGKILL)
        let ending = try await demo.process.wait(timeout: 10, what: "the killed longrun")
        #expect(ending == .signalled(SIGKILL))
        let state = try await client.waitUntilClosed(timeout: 10)
        #expect(!state.sawEnd, "a killed process cannot have sent live_end")
        #expect(state.closed != nil && state.closed != "", "the connection closed cleanly: \(state.closed ?? "")")
        #expect(FileManager.default.fileExists(atPath: socket), "SIGKILL cannot remove the socket")

        // A second server beside it, alive: `ps` lists it and removes only the dead one's socket.
        let alive = try LongRunProcess(
            LongRunProcess.arguments(seconds: 60, extra: ["--live"]), directory: demo.directory, label: "alive")
        let aliveSocket = try await alive.waitForSocket()
        let ps = try await Executable.run(["ps"], environment: ["HYPERNODES_LIVE_DIR": demo.directory.path])
        #expect(ps.status == 0, "\(ps)")
        #expect(ps.stdout.contains("Removed the stale socket \(socket)"), "\(ps)")
        #expect(ps.stdout.contains("\(alive.process.pid)") && ps.stdout.contains("running"), "\(ps)")
        #expect(!FileManager.default.fileExists(atPath: socket))
        #expect(FileManager.default.fileExists(atPath: aliveSocket))
        let listing = LiveCatalog.list(in: LiveDirectory(path: demo.directory.path))
        #expect(listing.entries.map(\.pid) == [alive.process.pid] && listing.removedStale.isEmpty)
        alive.process.signal(SIGTERM)
        #expect(try await alive.process.wait(timeout: 10, what: "longrun after SIGTERM") == .signalled(SIGTERM))
        #expect(!FileManager.default.fileExists(atPath: aliveSocket), "SIGTERM left the socket behind")
    }

    @Test("when its socket cannot be made (loose directory, path too long), longrun says why and runs unserved")
    func unservedRun() async throws {
        let loose = try ShortTemporaryDirectory()
        let shared = loose.url.appendingPathComponent("shared").path
        #expect(mkdir(shared, 0o755) == 0 && chmod(shared, 0o755) == 0)
        let long = loose.url.appendingPathComponent(String(repeating: "d", count: 100)).path
        for (directory, reason) in [(shared, "expected 0700"), (long, "bytes long")] {
            let demo = try LongRunProcess(
                LongRunProcess.arguments(seconds: 0, extra: ["--live"]), directory: loose,
                environment: ["HYPERNODES_LIVE_DIR": directory])
            let stdout = try await demo.finish()
            let stderr = demo.process.stderr
            #expect(stderr.contains("longrun: not serving live: ") && stderr.contains(reason), "\(stderr)")
            #expect(stderr.contains(directory), "the message does not name the directory: \(stderr)")
            #expect(!stdout.contains("Serving live"), "\(stdout)")
            #expect(LongRunProcess.row("Digest", in: stdout) != nil, "\(stdout)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared).isEmpty)
    }

    @Test("a client that attaches after more items than the server keeps gets the bounded rest and exact final counts")
    func lateAttachBeyondRetention() async throws {
        // 12,000 items of one map, more than the 10,000 finished items a server keeps per run,
        // paced (about 1 ms each) so that the server keeps up with a debug build's events.
        let demo = try LongRunProcess([
            "--minutes", "0.1", "--items", "12000", "--batches", "1", "--lines", "2", "--concurrency", "2",
            "--no-cache", "--live", "--linger", "120",
        ])
        let path = demo.socketPath
        let client = try await onOwnThread { [demo] in
            let deadline = Date(timeIntervalSinceNow: 60)
            while Date() < deadline {
                if demo.process.stdout.contains("Digest") { return try LiveClient(socket: path) }
                if let ending = demo.process.poll() {
                    throw HarnessError("longrun ended (\(ending)).\n\(demo.process.tail())")
                }
                usleep(5_000)
            }
            throw HarnessError("no results within 60 s.\n\(demo.process.tail())")
        }
        // The whole state so far has arrived once the map's final count and its run's end are in.
        // Then SIGTERM ends the lingering server, which says goodbye: waiting for that instead of a
        // fixed linger keeps a slow client (a debug build on a busy machine) from being cut off
        // while it still reads the state.
        try await client.waitFor("the state so far", timeout: 60) { state in
            let final = state.records.lazy.compactMap { record -> MapProgress? in
                if case .progress(let progress) = record, progress.name == "file_analysis", progress.done == 12_000 {
                    return progress
                }
                return nil
            }.first
            guard let final else { return false }
            return state.records.contains { if case .runEnd(let end) = $0 { end.runID == final.runID } else { false } }
        }
        demo.process.signal(SIGTERM)
        let state = try await client.waitUntilClosed(timeout: 30)
        #expect(state.sawEnd && state.closed == "" && state.dropped == 0)
        let main = try #require(client.model.runs.first { $0.name == "longrun" })
        #expect(main.end != nil && main.status == .ok)
        let items = main.spans.filter { $0.kind == .mapItem && $0.name == "file_analysis" }.count
        #expect(items > 0 && items <= 10_000, "\(items) item spans of file_analysis arrived")
        var last: [String: MapProgress] = [:]
        for case .progress(let progress) in state.records where progress.runID == main.runID {
            last[progress.name] = progress
        }
        let files = try #require(last["file_analysis"], "no map_progress for file_analysis")
        #expect(files.total == 12_000 && files.done == 12_000 && files.failed == 0, "\(files)")
        let hosts = try #require(last["host_analysis"], "no map_progress for host_analysis")
        #expect(hosts.total == 1 && hosts.done == 1, "\(hosts)")
        #expect(try await demo.process.wait(timeout: 20, what: "longrun after SIGTERM") == .signalled(SIGTERM))
    }
}
