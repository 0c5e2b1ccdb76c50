import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Programs in the windows of one private tmux server, like terminals side by side:
/// start a command in a named window, read its screen, press keys, read its exit status.
///
/// Each window runs its command through a small shell script that prints
/// `EXIT=<status>` when the command ends and then keeps the window open.
final class TmuxWindows: Sendable {
    let directory = TemporaryDirectory("hn-live-tmux")
    let tmux: Tmux
    private let started = Mutex(false)

    init() {
        tmux = Tmux(directory: directory.url)
    }

    deinit { tmux.kill() }

    /// Starts `command` in a new `width`×`height` window called `name`, with a UTF-8
    /// locale, an xterm-256color terminal and `environment`.
    func start(
        _ name: String, _ command: [String], environment: [String: String] = [:], width: Int = 120, height: Int = 36
    ) throws {
        let script = directory.url.appendingPathComponent("\(name).sh")
        try """
        trap 'true' INT
        "$@"
        echo "EXIT=$?"
        exec sleep 300
        """.write(to: script, atomically: true, encoding: .utf8)
        var settings = ["LANG": "C.UTF-8", "TERM": "xterm-256color"]
        settings.merge(environment) { _, new in new }
        let assignments = settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let line = (["sh", script.path, "env", "-u", "NO_COLOR", "-u", "LC_ALL"] + assignments + command)
            .map(Self.quote).joined(separator: " ")
        try started.withLock { started in
            if started {
                try tmux.run(["new-window", "-d", "-n", name, line])
            } else {
                try tmux.run(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-n", name, line])
                started = true
            }
        }
    }

    /// The visible screen of window `name`, one string per row.
    func screen(_ name: String) throws -> [String] {
        try Self.screen(of: tmux, window: name)
    }

    private static func screen(of tmux: Tmux, window: String) throws -> [String] {
        var rows = try tmux.run(["capture-pane", "-p", "-t", ":\(window)"])
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if rows.last == "" { rows.removeLast() }
        return rows
    }

    /// Waits (on a thread of its own) until `condition` holds for window `name`'s
    /// screen; throws with the last screen after `timeout` seconds.
    @discardableResult
    func waitFor(
        _ name: String, _ what: String, timeout: Double = 20, _ condition: @escaping @Sendable ([String]) -> Bool
    ) async throws -> [String] {
        try await onOwnThread { try self.poll(name, what, timeout: timeout, condition) }
    }

    /// Polls window `name`'s screen on the calling thread until `condition` holds; throws
    /// with the last screen after `timeout` seconds. For a test's own thread, to act the
    /// moment the screen is right.
    func poll(_ name: String, _ what: String, timeout: Double, _ condition: ([String]) -> Bool) throws -> [String] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var last: [String] = []
        while Date() < deadline {
            last = try Self.screen(of: tmux, window: name)
            if condition(last) { return last }
            usleep(100_000)
        }
        throw HarnessError(
            "waited \(timeout) s for \(what) in window \(name); the screen:\n\(last.joined(separator: "\n"))")
    }

    /// Waits until some row of window `name` contains `text`.
    @discardableResult
    func waitFor(_ name: String, text: String, timeout: Double = 20) async throws -> [String] {
        try await waitFor(name, "'\(text)'", timeout: timeout) { $0.contains { $0.contains(text) } }
    }

    /// Sends tmux key names (`q`, `C-c`, `Enter`) to window `name`.
    func press(_ name: String, _ keys: String...) throws {
        try tmux.run(["send-keys", "-t", ":\(name)"] + keys)
    }

    /// Waits for the command in window `name` to end and returns its exit status.
    func exitStatus(_ name: String, timeout: Double = 20) async throws -> Int {
        let screen = try await waitFor(name, "the program to end", timeout: timeout) {
            $0.contains { $0.hasPrefix("EXIT=") }
        }
        let line = screen.first { $0.hasPrefix("EXIT=") } ?? ""
        guard let status = Int(line.dropFirst("EXIT=".count)) else {
            throw HarnessError("cannot read the exit status from '\(line)'")
        }
        return status
    }

    private static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
