import Foundation
import Synchronization

/// Running the package's executables from tests.
/// What a finished `hypernodes` process printed and how it exited.
struct RunOutput: Sendable, CustomStringConvertible {
    /// The product that ran.
    var product: String = Executable.defaultProduct
    /// The arguments it was started with.
    var arguments: [String]
    /// The exit status (or the signal number if it was killed).
    var status: Int32
    /// Whether a signal ended the process (then ``status`` is the signal number).
    var terminatedBySignal = false
    var stdout: String
    var stderr: String

    /// The output lines that describe the results: everything but the
    /// elapsed time and the cache hits, which differ between runs.
    var resultLines: [String] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter {
            !$0.hasPrefix("Elapsed") && !$0.hasPrefix("From cache")
        }
    }

    /// The `From cache` line, or `nil`.
    var cacheLine: String? {
        stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("From cache") }
    }

    var description: String {
        "\(product) \(arguments.joined(separator: " ")) → exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}

/// Locates and runs the `hypernodes` executable built alongside the tests.
enum Executable {
    /// The executable product to run when none is named.
    static let defaultProduct = "hypernodes"

    /// How long a process may run before it is killed and the test fails.
    static let defaultTimeout: Duration = .seconds(120)

    /// A new empty directory under the temporary directory; the caller removes it.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hypernodes-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The executable product `name`: for `hypernodes`, `$HYPERNODES_BINARY`
    /// if set; else the one in the products directory of the running test
    /// bundle; else the one in the package's `.build/debug`.
    static func executable(_ name: String = defaultProduct) throws -> URL {
        var candidates: [URL] = []
        if name == "hypernodes", let explicit = ProcessInfo.processInfo.environment["HYPERNODES_BINARY"],
            !explicit.isEmpty
        {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        // Linux: the test bundle is an executable in the products directory.
        // macOS: it is a `.xctest` bundle in the products directory.
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(name))
        }
        for bundle in [Bundle.main.bundleURL] + Bundle.allBundles.map(\.bundleURL)
        where bundle.pathExtension == "xctest" {
            candidates.append(bundle.deletingLastPathComponent().appendingPathComponent(name))
        }
        let package = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // HyperNodesTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/\(name)"))

        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw HarnessError(
            "the \(name) executable was not found; build it with `swift build` (or set HYPERNODES_BINARY). "
                + "Looked at: \(candidates.map(\.path).joined(separator: ", "))")
    }

    /// Runs the executable `product` with `arguments` until it exits, with its output in
    /// temporary files (no pipe can fill up) and stdin from `/dev/null`.
    ///
    /// The process is killed with `SIGKILL` (which a child started from a
    /// task cannot block, unlike `SIGTERM`) after `timeout`, and the test
    /// then fails with whatever it printed. Waiting uses the termination
    /// handler, never `waitUntilExit()`.
    static func run(
        _ arguments: [String], product: String = defaultProduct, environment: [String: String] = [:],
        timeout: Duration = defaultTimeout, signal: (number: Int32, after: Duration)? = nil
    ) async throws -> RunOutput {
        let executable = try executable(product)
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr

        let (exits, exited) = AsyncStream<(Int32, Bool)>.makeStream()
        process.terminationHandler = { finished in
            exited.yield((finished.terminationStatus, finished.terminationReason == .uncaughtSignal))
            exited.finish()
        }
        try process.run()
        let pid = process.processIdentifier
        let signaller = Task {
            guard let signal else { return }
            try await Task.sleep(for: signal.after)
            kill(pid, signal.number)
        }
        defer { signaller.cancel() }

        let killed = Atomic<Bool>(false)
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            killed.store(true, ordering: .sequentiallyConsistent)
            kill(pid, SIGKILL)
        }
        var status: Int32 = -1
        var bySignal = false
        for await (code, signalled) in exits {
            status = code
            bySignal = signalled
        }
        watchdog.cancel()
        try? stdout.close()
        try? stderr.close()

        let output = RunOutput(
            product: product, arguments: arguments, status: status, terminatedBySignal: bySignal,
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
        if killed.load(ordering: .sequentiallyConsistent) {
            throw HarnessError("killed after \(timeout) without exiting: \(output)")
        }
        return output
    }
}

/// A failure of the test harness itself, with a readable message.
struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
