import Foundation
import Synchronization

/// Starting programs that are not products of this package (`swift`,
/// `python3`, the OTLP demo) from tests, with a watchdog.
///
/// Output goes to files (no pipe can fill up), stdin is `/dev/null`, and
/// waiting uses the termination handler, never `waitUntilExit()`. Processes
/// are stopped with `SIGKILL`, which a child started from a task cannot
/// block (it inherits a mask that blocks `SIGTERM`).
final class ChildProcess: Sendable {
    let description: String
    let stdoutURL: URL
    let stderrURL: URL
    private let process: Process
    private let exits: AsyncStream<Int32>

    /// Starts `executable` (a path, or a name looked up on `PATH` via `/usr/bin/env`).
    init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        directory: URL, label: String
    ) throws {
        description = ([executable] + arguments).joined(separator: " ")
        stdoutURL = directory.appendingPathComponent("\(label).stdout")
        stderrURL = directory.appendingPathComponent("\(label).stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let process = Process()
        if executable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        let (exits, exited) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished in
            exited.yield(finished.terminationStatus)
            exited.finish()
        }
        self.exits = exits
        self.process = process
        try process.run()
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// The last `count` characters of stdout and stderr, for failure messages.
    func tail(_ count: Int = 4_000) -> String {
        "$ \(description)\n--- stdout\n\(stdout.suffix(count))\n--- stderr\n\(stderr.suffix(count))"
    }

    /// Waits for the exit status; kills the process and throws after `timeout`.
    func wait(timeout: Duration, what: String) async throws -> Int32 {
        let pid = process.processIdentifier
        let killed = Atomic<Bool>(false)
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            killed.store(true, ordering: .sequentiallyConsistent)
            kill(pid, SIGKILL)
        }
        defer { watchdog.cancel() }
        var status: Int32 = -1
        for await code in exits { status = code }
        if killed.load(ordering: .sequentiallyConsistent) {
            throw HarnessError("\(what) did not finish within \(timeout) and was killed.\n\(tail())")
        }
        return status
    }

    /// Kills the process (if still running) and waits for it.
    func stop() async {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for await _ in exits {}
    }
}
