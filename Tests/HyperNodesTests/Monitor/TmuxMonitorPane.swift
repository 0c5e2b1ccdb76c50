import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hypernodes` running in a tmux pane of its own server: start it, wait
/// for text, press keys, resize, signal it, and read how it ended and in
/// what state it left the terminal.
///
/// The pane runs a small shell script: it records the program's pid (the
/// program is `exec`ed, so the pid is its own), prints `EXIT=<status>` when
/// the program ends, then keeps the pane open. The script traps SIGINT with
/// a command, so Ctrl-C ends the program but not the script, and the
/// program starts with SIGINT's default disposition.
final class TmuxMonitorPane {
    let directory = TemporaryDirectory("hn-monitor-tmux")
    let tmux: Tmux
    private var pidFile: String { directory.url.appendingPathComponent("pid").path }

    /// Starts `arguments` of `hypernodes` in a `width`×`height` pane with
    /// `environment` (on top of a UTF-8 locale and an xterm-256color terminal).
    init(_ arguments: [String], width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        tmux = Tmux(directory: directory.url)
        let binary = try Executable.executable()
        let script = directory.url.appendingPathComponent("run.sh")
        try """
        trap 'true' INT
        sh -c 'echo $$ > "$0"; exec "$@"' "$@"
        echo "EXIT=$?"
        exec sleep 300
        """.write(to: script, atomically: true, encoding: .utf8)
        var settings = ["LANG": "C.UTF-8", "TERM": "xterm-256color"]
        settings.merge(environment) { _, new in new }
        let assignments = settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let command =
            ["sh", script.path, pidFile, "env", "-u", "NO_COLOR", "-u", "LC_ALL"] + assignments
            + [binary.path] + arguments
        try tmux.run([
            "new-session", "-d", "-x", "\(width)", "-y", "\(height)", command.map(Self.quote).joined(separator: " "),
        ])
    }

    deinit { tmux.kill() }

    /// The visible screen, one string per row.
    func screen() throws -> [String] { try Self.screen(of: tmux) }

    /// The visible screen of `tmux`'s pane, one string per row.
    private static func screen(of tmux: Tmux) throws -> [String] {
        var rows = try tmux.screen()
        if rows.last == "" { rows.removeLast() }  // the line end after the last row
        return rows
    }

    /// The visible screen with its escape sequences (`capture-pane -e`).
    func screenWithEscapes() throws -> String { try tmux.run(["capture-pane", "-p", "-e"]) }

    /// Waits until `condition` holds for the screen; throws with the last
    /// screen after `timeout` seconds.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Double = 30, _ condition: @escaping @Sendable ([String]) -> Bool
    ) async throws -> [String] {
        let tmux = tmux
        return try await onOwnThread {
            let deadline = Date(timeIntervalSinceNow: timeout)
            var last: [String] = []
            while Date() < deadline {
                last = try Self.screen(of: tmux)
                if condition(last) { return last }
                usleep(100_000)
            }
            throw HarnessError("waited \(timeout) s for \(what); the screen:\n\(last.joined(separator: "\n"))")
        }
    }

    /// Waits until some row of the screen contains `text`.
    @discardableResult
    func waitFor(text: String, timeout: Double = 30) async throws -> [String] {
        try await waitFor("'\(text)'", timeout: timeout) { $0.contains { $0.contains(text) } }
    }

    /// Sends tmux key names (`q`, `Up`, `C-c`, `Enter`).
    func press(_ keys: String...) throws {
        try tmux.run(["send-keys"] + keys)
    }

    /// Types `text` literally.
    func type(_ text: String) throws {
        try tmux.run(["send-keys", "-l", text])
    }

    /// Resizes the pane's window.
    func resize(width: Int, height: Int) throws {
        try tmux.run(["resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    /// The program's pid, once the script has written it.
    func pid() async throws -> pid_t {
        let pidFile = pidFile
        return try await onOwnThread {
            let deadline = Date(timeIntervalSinceNow: 30)
            while Date() < deadline {
                if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                    let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
                {
                    return pid
                }
                usleep(50_000)
            }
            throw HarnessError("the program's pid was never written")
        }
    }

    /// Sends `signal` to the program.
    func signal(_ signal: Int32) async throws {
        let pid = try await pid()
        guard kill(pid, signal) == 0 else { throw HarnessError("kill \(pid) \(signal) failed") }
    }

    /// Waits for the program to end and returns its exit status as the
    /// shell saw it (128 + N for a death by signal N).
    func exitStatus(timeout: Double = 30) async throws -> Int {
        let screen = try await waitFor("the program to end", timeout: timeout) {
            $0.contains { $0.hasPrefix("EXIT=") }
        }
        let line = screen.first { $0.hasPrefix("EXIT=") } ?? ""
        guard let status = Int(line.dropFirst("EXIT=".count)) else {
            throw HarnessError("cannot read the exit status from '\(line)'")
        }
        return status
    }

    /// Whether the terminal is back to normal: off the alternate screen, with the cursor shown.
    func terminalRestored() throws -> (alternateScreen: Bool, cursorVisible: Bool) {
        let flags = try tmux.run(["display-message", "-p", "#{alternate_on} #{cursor_flag}"])
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        return (flags.first == "1", flags.last == "1")
    }

    private static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
