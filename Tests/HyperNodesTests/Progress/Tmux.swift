import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tmux server of its own (private socket, no configuration file) for
/// running a program in a real pseudo-terminal and reading its screen.
///
/// tmux commands are started with `posix_spawnp` and a clean signal mask
/// and awaited with `waitpid`: Foundation's `Process` would hand the tmux
/// server a blocked signal mask and can hang waiting for a child that
/// started a daemon.
struct Tmux {
    let socket: String

    /// A server whose socket lives in `directory`.
    init(directory: URL) {
        socket = directory.appendingPathComponent("sock").path
    }

    /// Runs `tmux -S socket -f /dev/null ARGS…` and returns its output; throws
    /// when it fails or takes more than `timeout` seconds.
    @discardableResult
    func run(_ arguments: [String], timeout: Double = 20) throws -> String {
        let outputPath = socket + ".out-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        let argv = ["tmux", "-S", socket, "-f", "/dev/null"] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGWINCH] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, &cArguments, environ)
        guard spawned == 0 else { throw HarnessError("cannot start tmux: \(String(cString: strerror(spawned)))") }

        var status: Int32 = 0
        let deadline = Date(timeIntervalSinceNow: timeout)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                Glibc.kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw HarnessError("tmux \(arguments.joined(separator: " ")) took more than \(timeout) s")
            }
            usleep(10_000)
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7F) == 0
        let code = (status >> 8) & 0xFF
        guard exited && code == 0 else {
            throw HarnessError("tmux \(arguments.joined(separator: " ")) failed (status \(status)): \(output)")
        }
        return output
    }

    /// The session's pane, one string per line: the visible screen, after
    /// the scrollback history when `history` is set.
    func screen(history: Bool = false) throws -> [String] {
        try run(["capture-pane", "-p"] + (history ? ["-S", "-"] : []))
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Stops the server and everything running in it.
    func kill() {
        _ = try? run(["kill-server"], timeout: 5)
    }
}
