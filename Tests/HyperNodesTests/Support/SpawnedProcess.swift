import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program started with `posix_spawn` for tests that need its pid and its signals:
/// a clean signal mask and default dispositions (Foundation's `Process` started from a
/// task hands the child a mask that blocks SIGTERM and SIGINT), stdin from `/dev/null`,
/// stdout and stderr in files (no pipe can fill up).
///
/// Waiting polls `waitpid` on a thread of its own with a deadline; a process still
/// running when the test lets go of it is killed with SIGKILL and reaped.
final class SpawnedProcess: Sendable {
    /// How a process ended.
    enum Ending: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// This signal ended it.
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signalled(let signal): "signal \(signal)"
            }
        }
    }

    /// The program and its arguments, for messages.
    let commandLine: String
    /// The process id.
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private let ending = Mutex<Ending?>(nil)

    /// Starts `executable` (an absolute path) with `arguments`, `environment` added to
    /// this process's, its output in `directory/<label>.stdout` and `.stderr`.
    init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL,
        label: String
    ) throws {
        commandLine = ([executable] + arguments).joined(separator: " ")
        stdoutPath = directory.appendingPathComponent("\(label).stdout").path
        stderrPath = directory.appendingPathComponent("\(label).stderr").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGWINCH, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let environmentStrings = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var cArguments: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = environmentStrings.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, &cArguments, &cEnvironment)
        guard spawned == 0 else {
            throw HarnessError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
    }

    deinit {
        if ending.withLock({ $0 }) == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The command line and the last `count` characters of its output, for failure messages.
    func tail(_ count: Int = 3_000) -> String {
        "$ \(commandLine)\n--- stdout\n\(stdout.suffix(count))\n--- stderr\n\(stderr.suffix(count))"
    }

    /// How the process ended, if it has (reaps it).
    func poll() -> Ending? {
        ending.withLock { ending in
            if let ending { return ending }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            ending = (status & 0x7F) == 0 ? .exited((status >> 8) & 0xFF) : .signalled(status & 0x7F)
            return ending
        }
    }

    /// Whether the process is still running.
    var isRunning: Bool { poll() == nil }

    /// Waits (on a thread of its own) until the process ends; kills it and throws after `timeout` seconds.
    func wait(timeout: Double, what: String) async throws -> Ending {
        try await onOwnThread {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while Date() < deadline {
                if let ending = self.poll() { return ending }
                usleep(20_000)
            }
            kill(self.pid, SIGKILL)
            throw HarnessError("\(what) did not end within \(timeout) s and was killed.\n\(self.tail())")
        }
    }

    /// Sends `signal` to the process if it is still running.
    func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits (on a thread of its own) until `condition` holds for the process's stdout;
    /// throws with the output after `timeout` seconds or when the process ends first.
    @discardableResult
    func waitForOutput(
        _ what: String, timeout: Double, _ condition: @escaping @Sendable (String) -> Bool
    ) async throws -> String {
        try await onOwnThread {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while Date() < deadline {
                let text = self.stdout
                if condition(text) { return text }
                if let ending = self.poll() {
                    let text = self.stdout
                    if condition(text) { return text }
                    throw HarnessError("the process ended (\(ending)) before \(what).\n\(self.tail())")
                }
                usleep(20_000)
            }
            throw HarnessError("waited \(timeout) s for \(what).\n\(self.tail())")
        }
    }
}
