import Foundation

/// Runs a Python script of the test suite with `python3` from the PATH.
enum PythonScript {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `script` (a path next to this file) with `arguments`, waiting at most `timeout`.
    static func run(_ script: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Output {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path
        let directory = TemporaryDirectory("hypernodes-python")
        let python = try ChildProcess("python3", [path] + arguments, directory: directory.url, label: "python")
        let status = try await python.wait(timeout: timeout, what: "python3 \(script)")
        return Output(status: status, stdout: python.stdout, stderr: python.stderr)
    }
}
