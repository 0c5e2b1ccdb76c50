import Foundation
import HyperNodes
import HyperNodesTrace
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hypernodes attach`: clear refusals (no process, a bad pid, a socket path too long, no
/// terminal), and in a real terminal (tmux) the live stream of a pipeline running in this test
/// process, then its goodbye, with the final state kept until q.
@Suite("hypernodes attach", .serialized)
struct AttachCommandTests {
    static func run(_ arguments: [String], _ directory: String) async throws -> RunOutput {
        try await Executable.run(["attach"] + arguments, environment: ["HYPERNODES_LIVE_DIR": directory])
    }

    @Test("no attachable process: a clear message and exit 1")
    func noProcess() async throws {
        let directory = ShortDirectory()
        let run = try await Self.run([], directory.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("no attachable process (looked in \(directory.path))"), "\(run)")
        #expect(run.stderr.contains("HYPERNODES_LIVE=1"), "\(run)")
    }

    @Test("a pid with no socket, or an argument that is neither a pid nor a path, is refused")
    func badTarget() async throws {
        let directory = ShortDirectory()
        let pid = PsCommandTests.deadPID()
        let run = try await Self.run(["\(pid)"], directory.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("no attachable process with pid \(pid)"), "\(run)")
        #expect(run.stderr.contains("hypernodes ps"), "\(run)")
        let word = try await Self.run(["fleet"], directory.path)
        #expect(word.status == 1 && word.stderr.contains("neither a pid nor the path of a socket"), "\(word)")
    }

    @Test("a socket path too long for a Unix socket is refused with its length and the limit")
    func pathTooLong() async throws {
        let directory = ShortDirectory()
        let long = directory.path + "/" + String(repeating: "s", count: 110) + ".sock"
        let run = try await Self.run([long], directory.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains(long) && run.stderr.contains("107"), "\(run)")
    }

    @Test("the socket of a process that has ended is reported as such")
    func deadSocket() async throws {
        let directory = ShortDirectory()
        let path = directory.file("\(PsCommandTests.deadPID()).sock")
        close(try LiveSocketSourceTests.listen(at: path))
        let run = try await Self.run([path], directory.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("nobody is listening"), "\(run)")
    }

    @Test("a live process and no terminal: the monitor needs one, and says so")
    func needsATerminal() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        defer { server.close() }
        let run = try await Self.run(["\(getpid())"], directory.path)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("needs a terminal"), "\(run)")
    }

    @Test("in a terminal: the only process is attached to, its run streams in, its goodbye is shown, --record keeps it")
    func attachInTerminal() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        let gate = Gate(at: 4)
        var pipeline = try nestedMapPipeline(gate: gate)
        pipeline.callbacks = [server]
        let run = Task { try await pipeline.map(inputs: ["x": [[1, 2], [3, 4], [5, 6]]], over: ["x"]) }
        #expect(try await gate.waitReached())

        let record = directory.file("seen.jsonl")
        let pane = try TmuxMonitorPane(
            ["attach", "--record", record], width: 120, height: 30, environment: ["HYPERNODES_LIVE_DIR": directory.path]
        )
        defer { pane.tmux.kill() }
        try await pane.waitFor("the attached run") { screen in
            screen.contains { $0.contains("live HyperNodesPackageTests") && $0.contains("(pid \(getpid()))") }
                && screen.contains { $0.contains("connected") } && screen.contains { $0.contains("outer") }
        }
        #expect(try await LiveSocketSourceTests.wait { server.clientCount == 1 })
        gate.release()
        _ = try await run.value
        try await pane.waitFor(text: "3/3")
        server.close()
        try await pane.waitFor(text: "process ended — press q to quit")
        // The final state stays on the screen.
        #expect(try pane.screen().contains { $0.contains("outer") })
        try pane.press("q")
        #expect(try await pane.exitStatus() == 0)
        try TmuxMonitorTests.expectRestored(pane)
        let recorded = TraceModel(records: try readTrace(record))
        #expect(recorded.runs.count == 1 && recorded.runs.first?.end != nil)
    }

    @Test("several processes: without a terminal an error lists them; on a terminal a numbered chooser picks one")
    func severalProcesses() async throws {
        let directory = try ShortTemporaryDirectory()
        let longrun = try LongRunProcess(
            LongRunProcess.arguments(seconds: 120, extra: ["--live"]), directory: directory)
        _ = try await longrun.waitForSocket()
        var options = LiveServer.Options()
        options.directory = LiveDirectory(path: directory.path)
        options.removeOnTerminationSignals = false
        let server = try LiveServer(options: options)
        defer { server.close() }

        let piped = try await Self.run([], directory.path)
        #expect(piped.status == 1, "\(piped)")
        #expect(piped.stderr.contains("2 processes can be attached to; name one by its pid"), "\(piped)")
        #expect(piped.stderr.contains("\n1)  ") && piped.stderr.contains("\n2)  "), "\(piped)")
        #expect(piped.stderr.contains("longrun --minutes"), "\(piped)")

        let pane = try TmuxMonitorPane(
            ["attach"], width: 120, height: 30, environment: ["HYPERNODES_LIVE_DIR": directory.path])
        defer { pane.tmux.kill() }
        try await pane.waitFor(text: "Attach to which one? [1-2, q to cancel]")
        try pane.type("7")
        try pane.press("Enter")
        try await pane.waitFor(text: "'7' is not a number between 1 and 2.")
        let choice = longrun.process.pid < getpid() ? "1" : "2"
        try pane.type(choice)
        try pane.press("Enter")
        try await pane.waitFor("the chosen process in the monitor") { screen in
            screen.contains { $0.contains("live longrun (pid \(longrun.process.pid))") && $0.contains("connected") }
        }
        try pane.press("q")
        #expect(try await pane.exitStatus() == 0)
        try TmuxMonitorTests.expectRestored(pane)
        kill(longrun.process.pid, SIGKILL)
    }

    @Test("a process killed with SIGKILL: the monitor says disconnected and keeps the tree; ps then removes its socket")
    func killedProcess() async throws {
        let directory = try ShortTemporaryDirectory()
        let longrun = try LongRunProcess(
            LongRunProcess.arguments(seconds: 120, extra: ["--live"]), directory: directory)
        let socket = try await longrun.waitForSocket()
        let pane = try TmuxMonitorPane(
            ["attach", "\(longrun.process.pid)"], width: 120, height: 30,
            environment: ["HYPERNODES_LIVE_DIR": directory.path])
        defer { pane.tmux.kill() }
        try await pane.waitFor("the attached run") { screen in
            screen.contains { $0.contains("connected") } && screen.contains { $0.contains("analyze_hosts") }
        }
        kill(longrun.process.pid, SIGKILL)
        let screen = try await pane.waitFor(text: "disconnected: connection lost")
        #expect(screen.contains { $0.contains("analyze_hosts") }, "the final state stays: \(screen)")
        try pane.press("q")
        #expect(try await pane.exitStatus() == 0)
        #expect(FileManager.default.fileExists(atPath: socket), "a killed process leaves its socket behind")
        let ps = try await PsCommandTests.run(directory.path)
        #expect(ps.stdout.contains("Removed the stale socket \(socket)"), "\(ps)")
        #expect(!FileManager.default.fileExists(atPath: socket))
    }
}
