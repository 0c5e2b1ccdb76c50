import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace
@testable import hypernodes

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hypernodes ps`: the attachable processes of the live directory, stale sockets removed and
/// reported, an empty or missing directory a one-line message, an unsafe one refused.
@Suite("hypernodes ps", .serialized)
struct PsCommandTests {
    static func run(_ directory: String) async throws -> RunOutput {
        try await Executable.run(["ps"], environment: ["HYPERNODES_LIVE_DIR": directory])
    }

    /// A pid no process has (the highest possible ones are free on a test machine).
    static func deadPID() -> Int32 {
        var pid: Int32 = 4_194_000
        while kill(pid, 0) == 0 || errno != ESRCH { pid -= 1 }
        return pid
    }

    @Test("an empty or missing directory: one line, exit 0, nothing created")
    func empty() async throws {
        let directory = ShortDirectory()
        let run = try await Self.run(directory.path)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == "No attachable HyperNodes process (looked in \(directory.path)).\n", "\(run)")
        let missing = directory.file("none")
        let again = try await Self.run(missing)
        #expect(again.status == 0 && again.stdout.contains("looked in \(missing)"), "\(again)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("the socket of a process that has ended is removed, and ps says so")
    func staleSocket() async throws {
        let directory = ShortDirectory()
        let stale = directory.file("\(Self.deadPID()).sock")
        close(try LiveSocketSourceTests.listen(at: stale))
        #expect(FileManager.default.fileExists(atPath: stale))
        let run = try await Self.run(directory.path)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Removed the stale socket \(stale) (its process has ended)."), "\(run)")
        #expect(run.stdout.contains("No attachable HyperNodes process"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    @Test("a process serving a run is listed with its pid, program, pipeline, state and clients")
    func listsAServer() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        defer { server.close() }
        let gate = Gate(at: 2)
        var pipeline = try nestedMapPipeline(gate: gate)
        pipeline.callbacks = [server]
        let run = Task { try await pipeline.map(inputs: ["x": [[1, 2], [3]]], over: ["x"]) }
        #expect(try await gate.waitReached())
        let during = try await Self.run(directory.path)
        gate.release()
        _ = try await run.value
        #expect(during.status == 0, "\(during)")
        let lines = during.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("PID") == true, "\(during)")
        #expect(lines.first?.contains("PROGRAM") == true && lines.first?.contains("CLIENTS") == true)
        let row = lines.first { $0.hasPrefix("\(getpid()) ") } ?? ""
        #expect(row.contains("HyperNodesPackageTests"), "\(during)")
        #expect(row.contains("outer") && row.contains("running"), "\(during)")
        #expect(row.hasSuffix("0"), "no client streams: \(during)")

        // Once the run has ended the process is still listed, its run finished.
        let after = try await Self.run(directory.path)
        let finishedRow = after.stdout.split(separator: "\n").first { $0.hasPrefix("\(getpid()) ") } ?? ""
        #expect(finishedRow.contains("finished"), "\(after)")
    }

    @Test("a directory other users can reach is refused with the fix")
    func unsafeDirectory() async throws {
        let directory = ShortDirectory()
        chmod(directory.path, 0o755)
        let run = try await Self.run(directory.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains(directory.path) && run.stderr.contains("chmod 700"), "\(run)")
    }

    @Test("the table: columns aligned, the newest run's pipeline, other runs counted, idle and numbered rows")
    func table() {
        func entry(_ pid: Int32, runs: [LiveStatus.Run], clients: Int = 0) -> LiveCatalog.Entry {
            LiveCatalog.Entry(
                socketPath: "/tmp/x/\(pid).sock", pid: pid,
                status: LiveStatus(
                    pid: pid, program: "/usr/local/bin/longrun", arguments: ["--minutes", "3"], started: 0,
                    clients: clients, launcher: nil, runs: runs))
        }
        let entries = [
            entry(
                7,
                runs: [
                    .init(runID: 1, pipeline: "old", finished: true, startTime: 1),
                    .init(runID: 2, pipeline: "fleet", finished: false, startTime: 2),
                ], clients: 2),
            entry(12345, runs: []),
            entry(99, runs: [.init(runID: 3, pipeline: "report", finished: true, startTime: 5)]),
        ]
        let lines = PsTable.render(entries)
        #expect(lines.count == 4)
        #expect(lines[1].contains("longrun --minutes 3") && lines[1].contains("fleet (+1 runs)"))
        #expect(lines[1].contains("running") && lines[1].hasSuffix("2"))
        #expect(lines[2].contains("  -  ") && lines[2].contains("idle"))
        #expect(lines[3].contains("report") && lines[3].contains("finished"))
        // Every column starts at the same place on every row.
        let stateColumn = lines[0].range(of: "STATE")!.lowerBound.utf16Offset(in: lines[0])
        for line in lines.dropFirst() {
            let state = ["running", "idle", "finished"].compactMap { line.range(of: $0) }.first!
            #expect(state.lowerBound.utf16Offset(in: line) == stateColumn, "\(lines)")
        }
        let numbered = PsTable.render(entries, numbered: true)
        #expect(numbered[1].hasPrefix("1)  7 ") && numbered[3].hasPrefix("3)  99 "), "\(numbered)")
        #expect(PsTable.started(0).count == "1970-01-01 00:00:00".count)
    }
}
