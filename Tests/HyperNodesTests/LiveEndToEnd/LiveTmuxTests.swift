import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The commands a user types, in real terminals (tmux windows): `hypernodes monitor --
/// longrun …`, and `hypernodes attach` in one window to a `longrun --live` in another.
@Suite("Live monitoring in terminals (tmux)", .serialized)
struct LiveTmuxTests {
    /// A few seconds of `longrun` (24 files on 3 hosts).
    static func longrun(seconds: Double, _ extra: [String] = []) throws -> [String] {
        [try Executable.executable("longrun").path] + LongRunProcess.arguments(seconds: seconds, extra: extra)
    }

    @Test("monitor -- longrun: the tree, the program's output in the log pane, its report after q, its exit status")
    func monitorLaunchesLongrun() async throws {
        let live = try ShortTemporaryDirectory()
        let windows = TmuxWindows()
        defer { windows.tmux.kill() }
        let hypernodes = try Executable.executable().path
        try windows.start(
            "monitor", [hypernodes, "monitor", "--"] + Self.longrun(seconds: 4),
            environment: ["HYPERNODES_LIVE_DIR": live.path])

        try await windows.waitFor("monitor", "the tree") { screen in
            screen.contains { $0.contains("analyze_hosts") } && screen.contains { $0.contains("live longrun") }
                && screen.contains { $0.contains("connected") || $0.contains("process ended") }
        }
        try windows.press("monitor", "o")
        // The log pane follows the newest lines: the report's end once the program is done.
        try await windows.waitFor("monitor", "the program's lines in the log pane") { screen in
            screen.contains { $0.contains("Log:") }
                && screen.contains { $0.contains("log analysis of 24 files on 3 hosts") || $0.contains("│ Digest ") }
        }
        let ended = try await windows.waitFor("monitor", "the end", timeout: 30) { screen in
            screen.contains { $0.contains("process ended (status 0)") } && screen.contains { $0.contains("Digest") }
        }
        // Both strict checks failed, and the tree shows it.
        #expect(ended.filter { $0.contains("✗") && $0.contains("strict_check") }.count == 2, "\(ended)")
        try windows.press("monitor", "q")
        #expect(try await windows.exitStatus("monitor") == 0)
        let after = try windows.screen("monitor")
        #expect(after.contains { $0.hasPrefix("Digest ") }, "the report did not reach the terminal: \(after)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: live.path).isEmpty, "a socket was left behind")
    }

    @Test("monitor --exit-on-finish -- longrun exits by itself with the program's status")
    func monitorExitsOnFinish() async throws {
        let live = try ShortTemporaryDirectory()
        let windows = TmuxWindows()
        defer { windows.tmux.kill() }
        let hypernodes = try Executable.executable().path
        try windows.start(
            "monitor", [hypernodes, "monitor", "--exit-on-finish", "--"] + Self.longrun(seconds: 2),
            environment: ["HYPERNODES_LIVE_DIR": live.path])
        try await windows.waitFor("monitor", text: "analyze_hosts")
        #expect(try await windows.exitStatus("monitor", timeout: 30) == 0)
        #expect(try windows.screen("monitor").contains { $0.hasPrefix("Digest ") })
    }

    @Test("attach in a second terminal shows the running longrun --live, then says the process ended")
    func attachFromAnotherTerminal() async throws {
        let live = try ShortTemporaryDirectory()
        let windows = TmuxWindows()
        defer { windows.tmux.kill() }
        let environment = ["HYPERNODES_LIVE_DIR": live.path]
        try windows.start("run", try Self.longrun(seconds: 6, ["--live"]), environment: environment)
        let attach = [try Executable.executable().path, "attach"]
        // Attach the moment it serves, from the polling thread (a test task may wait for a pool thread).
        try await onOwnThread { [windows] in
            _ = try windows.poll("run", "the server", timeout: 20) { $0.contains { $0.contains("Serving live on") } }
            try windows.start("attach", attach, environment: environment)
        }
        try await windows.waitFor("attach", "the running tree") { screen in
            screen.contains { $0.contains("analyze_hosts") } && screen.contains { $0.contains("connected") }
                && !screen.contains { $0.contains("process ended") }
        }
        let ended = try await windows.waitFor("attach", "the end of the process", timeout: 30) { screen in
            screen.contains { $0.contains("process ended") }
        }
        #expect(ended.contains { $0.contains("longrun") && $0.contains("✓") }, "\(ended)")
        #expect(try await windows.exitStatus("run") == 0)
        #expect(try windows.screen("run").contains { $0.hasPrefix("Digest ") })
        // The final state stays until q.
        #expect(try windows.screen("attach").contains { $0.contains("process ended") })
        try windows.press("attach", "q")
        #expect(try await windows.exitStatus("attach") == 0)
    }
}
