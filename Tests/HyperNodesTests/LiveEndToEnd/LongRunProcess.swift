import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `longrun` demo running in a process of its own, serving its runs live in a
/// short socket directory of its own (`HYPERNODES_LIVE_DIR`).
final class LongRunProcess: Sendable {
    /// The directory of the socket (and of the output files and trace).
    let directory: ShortTemporaryDirectory
    let process: SpawnedProcess

    /// Small settings that take about `seconds` (a few files per host, a few lines per file).
    static func arguments(
        seconds: Double, items: Int = 24, batches: Int = 3, lines: Int = 60, extra: [String] = []
    ) -> [String] {
        [
            "--minutes", String(seconds / 60), "--items", String(items), "--batches", String(batches), "--lines",
            String(lines), "--concurrency", "2", "--no-cache",
        ] + extra
    }

    /// Starts `longrun` with `arguments` (and `environment` on top of `HYPERNODES_LIVE_DIR`).
    init(
        _ arguments: [String], directory: ShortTemporaryDirectory? = nil, environment: [String: String] = [:],
        label: String = "longrun"
    ) throws {
        let directory = try directory ?? ShortTemporaryDirectory()
        self.directory = directory
        var settings = ["HYPERNODES_LIVE_DIR": directory.path]
        settings.merge(environment) { _, new in new }
        // Serving is switched on by --live only, whatever the test runner's own environment says.
        settings["HYPERNODES_LIVE"] = settings["HYPERNODES_LIVE"] ?? ""
        process = try SpawnedProcess(
            try Executable.executable("longrun").path, arguments, environment: settings, directory: directory.url,
            label: label)
    }

    /// A path in the process's directory.
    func file(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

    /// The process's socket: `<dir>/<pid>.sock`.
    var socketPath: String { file("\(process.pid).sock") }

    /// Waits until the program says it serves (its `Serving live on …` line, printed once
    /// the server listens) and the socket exists; throws (and kills the process) after
    /// `timeout` seconds.
    func waitForSocket(timeout: Double = 20) async throws -> String {
        try await whenServing(timeout: timeout) { $0 }
    }

    /// Waits, on a thread of its own, until the program serves, and then runs `body` with
    /// the socket's path at once on that thread: a short run may be over by the time a
    /// test task gets a pool thread back on a busy machine, so clients connect from here.
    func whenServing<T: Sendable>(
        timeout: Double = 20, _ body: @escaping @Sendable (String) throws -> T
    ) async throws -> T {
        let path = socketPath
        let process = process
        return try await onOwnThread {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while Date() < deadline {
                if process.stdout.contains("Serving live on \(path)") && FileManager.default.fileExists(atPath: path) {
                    return try body(path)
                }
                if let ending = process.poll() {
                    throw HarnessError("longrun ended (\(ending)) before it served on \(path).\n\(process.tail())")
                }
                usleep(5_000)
            }
            kill(process.pid, SIGKILL)
            throw HarnessError("longrun did not serve on \(path) within \(timeout) s.\n\(process.tail())")
        }
    }

    /// Waits for the process to end with status 0 and returns its stdout.
    func finish(timeout: Double = 30) async throws -> String {
        let ending = try await process.wait(timeout: timeout, what: "longrun")
        guard ending == .exited(0) else { throw HarnessError("longrun ended with \(ending).\n\(process.tail())") }
        return process.stdout
    }

    /// The value of the report row `label` (`Digest`, `Elapsed`) in `stdout`.
    static func row(_ label: String, in stdout: String) -> String? {
        stdout.split(separator: "\n").first { $0.hasPrefix(label + " ") }.map {
            $0.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        }
    }

    /// The elapsed seconds the report gives.
    static func elapsed(in stdout: String) -> Double? {
        row("Elapsed", in: stdout).flatMap { Double($0.split(separator: " ").first ?? "") }
    }

    /// The digest of a run of `arguments` without any live serving, pacing or recording.
    static func referenceDigest(_ arguments: [String]) async throws -> String {
        var plain = arguments
        if let index = plain.firstIndex(of: "--minutes") { plain[index + 1] = "0" }
        if let index = plain.firstIndex(of: "--record") { plain.removeSubrange(index...(index + 1)) }
        plain.removeAll { $0 == "--live" }
        let run = try LongRunProcess(plain, label: "reference")
        let stdout = try await run.finish()
        guard let digest = row("Digest", in: stdout) else { throw HarnessError("no digest in:\n\(stdout)") }
        return digest
    }
}
