import Foundation
import HyperNodesTrace
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hypernodes monitor -- PROGRAM ARGS…` with real programs: refused before the screen when the
/// program cannot run, and in a real terminal (tmux): the program's output in the log pane and on
/// the terminal afterwards, its exit status as the monitor's, Ctrl-C passed on to it, and a
/// program still running when the user quits stopped.
@Suite("Launch: hypernodes monitor -- PROGRAM", .serialized)
struct LaunchCommandTests {
    /// The environment naming `directory` as the live directory.
    static func environment(_ directory: ShortDirectory) -> [String: String] {
        ["HYPERNODES_LIVE_DIR": directory.path]
    }

    @Test(
        "a program that is not found or cannot run, or a record file that cannot be written, is refused before any screen"
    )
    func refusedBeforeTheScreen() async throws {
        let live = ShortDirectory()
        defer { withExtendedLifetime(live) {} }
        let environment = Self.environment(live)
        let missing = try await Executable.run(["monitor", "--", "hn-no-such-program"], environment: environment)
        #expect(missing.status == 127, "\(missing)")
        #expect(missing.stderr.contains("cannot run hn-no-such-program: command not found"), "\(missing)")
        #expect(!missing.stderr.contains("terminal"), "the program is checked before the terminal: \(missing)")

        let directory = TemporaryDirectory("hn-launch")
        let plain = directory.url.appendingPathComponent("plain.sh").path
        #expect(
            FileManager.default.createFile(
                atPath: plain, contents: Data("echo hi\n".utf8), attributes: [.posixPermissions: 0o644]))
        let notExecutable = try await Executable.run(["monitor", "--", plain], environment: environment)
        #expect(notExecutable.status == 126, "\(notExecutable)")
        #expect(notExecutable.stderr.contains("it is not executable"), "\(notExecutable)")
        #expect(notExecutable.stdout.isEmpty)

        let unwritable = directory.url.appendingPathComponent("no/such/dir/run.jsonl").path
        let record = try await Executable.run(
            ["monitor", "--record", unwritable, "--", "true"], environment: environment)
        #expect(record.status == 1, "\(record)")
        #expect(record.stderr.contains("cannot write the record file \(unwritable)"), "\(record)")
    }

    @Test("without a terminal the program is not started and the message says what to do instead")
    func needsATerminal() async throws {
        let live = ShortDirectory()
        let environment = Self.environment(live)
        let marker = live.file("ran")
        let run = try await Executable.run(
            ["monitor", "--", "/bin/sh", "-c", "touch '\(marker)'"], environment: environment)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("needs a terminal"), "\(run)")
        #expect(run.stderr.contains("hypernodes attach"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("--record and --exit-on-finish without a program, and the demo's options with one, are refused")
    func optionsNeedAProgram() async throws {
        let run = try await Executable.run(["monitor", "--exit-on-finish"])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("go with a program"), "\(run)")
        let demo = try await Executable.run(["monitor", "--items", "5", "--", "true"])
        #expect(demo.status == 64, "\(demo)")
        #expect(demo.stderr.contains("are options of the demo"), "\(demo)")
    }

    @Test("monitor --exit-on-finish -- false exits 1 and leaves the terminal as it found it")
    func falseExitsOne() async throws {
        let live = ShortDirectory()
        defer { withExtendedLifetime(live) {} }
        let environment = Self.environment(live)
        let pane = try TmuxMonitorPane(["monitor", "--exit-on-finish", "--", "false"], environment: environment)
        defer { pane.tmux.kill() }
        #expect(try await pane.exitStatus() == 1)
        try TmuxMonitorTests.expectRestored(pane)
    }

    @Test("the program's output is in the log pane, its exit in the status bar, then on the terminal after q")
    func outputAndStatus() async throws {
        let live = ShortDirectory()
        defer { withExtendedLifetime(live) {} }
        let environment = Self.environment(live)
        let pane = try TmuxMonitorPane(
            ["monitor", "--", "/bin/sh", "-c", "echo hi; echo oops >&2; exit 3"], width: 100, height: 24,
            environment: environment)
        defer { pane.tmux.kill() }
        try await pane.waitFor(text: "process ended (status 3) — press q to quit")
        try pane.press("o")
        try await pane.waitFor("the log pane with the program's output") { screen in
            screen.contains { $0.contains("│ hi ") } && screen.contains { $0.contains("│ oops ") }
        }
        // Still open on the final state.
        #expect(!(try pane.screen()).contains { $0.hasPrefix("EXIT=") })
        try pane.press("q")
        #expect(try await pane.exitStatus() == 3)
        try TmuxMonitorTests.expectRestored(pane)
        let after = try pane.screen()
        #expect(after.contains("hi") && after.contains("oops"), "printed after the monitor closed: \(after)")
    }

    @Test("Ctrl-C reaches the program, the monitor stays open to show how it ended, and exits with its status")
    func interruptForwarded() async throws {
        let live = ShortDirectory()
        defer { withExtendedLifetime(live) {} }
        let environment = Self.environment(live)
        let script = "trap 'echo got-int; exit 5' INT; echo started; while :; do sleep 0.1; done"
        let pane = try TmuxMonitorPane(["monitor", "--", "/bin/sh", "-c", script], environment: environment)
        defer { pane.tmux.kill() }
        try await pane.waitFor(text: "waiting for sh to serve its runs")
        try pane.press("o")
        try await pane.waitFor(text: "│ started ")
        try pane.press("C-c")
        try await pane.waitFor(text: "process ended (status 5)")
        let screen = try await pane.waitFor(text: "│ got-int ")
        #expect(screen.contains { $0.contains("hypernodes: SIGINT passed on to sh") }, "\(screen)")
        try pane.press("q")
        #expect(try await pane.exitStatus() == 5)
        try TmuxMonitorTests.expectRestored(pane)
    }

    @Test("q while the program still runs stops it and exits with its status (SIGTERM: 143)")
    func quitStopsTheProgram() async throws {
        let live = ShortDirectory()
        defer { withExtendedLifetime(live) {} }
        let environment = Self.environment(live)
        let pane = try TmuxMonitorPane(["monitor", "--", "sleep", "300"], environment: environment)
        defer { pane.tmux.kill() }
        try await pane.waitFor(text: "waiting for sleep to serve its runs")
        try pane.press("q")
        #expect(try await pane.exitStatus() == 143)
        try TmuxMonitorTests.expectRestored(pane)
    }

    @Test("SIGTERM to the monitor reaches the program; SIGHUP (the terminal gone) ends both")
    func terminationSignals() async throws {
        let live = ShortDirectory()
        defer { withExtendedLifetime(live) {} }
        let terminated = try TmuxMonitorPane(["monitor", "--", "sleep", "300"], environment: Self.environment(live))
        defer { terminated.tmux.kill() }
        try await terminated.waitFor(text: "waiting for sleep to serve its runs")
        try await terminated.signal(SIGTERM)
        try await terminated.waitFor(text: "process ended (status 143, SIGTERM)")
        try terminated.press("q")
        #expect(try await terminated.exitStatus() == 143)

        let hungUp = try TmuxMonitorPane(["monitor", "--", "sleep", "300"], environment: Self.environment(live))
        defer { hungUp.tmux.kill() }
        try await hungUp.waitFor(text: "waiting for sleep to serve its runs")
        try await hungUp.signal(SIGHUP)
        #expect(try await hungUp.exitStatus() == 128 + Int(SIGHUP))
        try TmuxMonitorTests.expectRestored(hungUp)
    }

    @Test(
        "a script that starts a serving program: its server is found by the launcher's pid, its run shown and recorded")
    func scriptThatServes() async throws {
        let live = ShortDirectory()
        let longrun = try Executable.executable("longrun").path
        let record = live.file("seen.jsonl")
        let script = "\"$0\" --minutes 0.05 --items 8 --batches 2 --lines 20 --concurrency 2 --no-cache; echo after"
        let pane = try TmuxMonitorPane(
            ["monitor", "--record", record, "--", "/bin/sh", "-c", script, longrun], width: 120, height: 40,
            environment: Self.environment(live))
        defer { pane.tmux.kill() }
        try await pane.waitFor("the program's run, then its end") { screen in
            screen.contains { $0.contains("analyze_hosts") }
                && screen.contains { $0.contains("process ended (status 0) — press q to quit") }
        }
        try pane.press("o")
        try await pane.waitFor(text: "│ after ")
        try pane.press("q")
        #expect(try await pane.exitStatus() == 0)
        let after = try pane.screen()
        #expect(after.contains { $0.hasPrefix("Digest") } && after.contains("after"), "\(after)")
        let recorded = TraceModel(records: try readTrace(record))
        #expect(recorded.runs.contains { $0.header?.pipeline == "longrun" && $0.end != nil }, "\(recorded.runs.count)")
    }
}
