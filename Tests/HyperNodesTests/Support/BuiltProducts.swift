import Foundation

/// Finds and runs the package's executables from tests.
enum BuiltProducts {
    /// The build products directory: where the test bundle itself lives.
    static var directory: URL {
        let bundle = Bundle.main.bundleURL
        // `swift test` runs `<products>/HyperNodesPackageTests.xctest`; the bundle's parent is the products directory.
        return bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
    }

    /// The built executable `name`, if it exists.
    static func url(of name: String) -> URL? {
        let candidates = [
            directory.appendingPathComponent(name),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `binary` to completion (killing it after `timeout` seconds) and collects its output.
    static func run(_ binary: URL, arguments: [String], timeout: TimeInterval = 120) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Read concurrently so a chatty child never blocks on a full pipe.
        let stdoutData = Reader(out.fileHandleForReading)
        let stderrData = Reader(err.fileHandleForReading)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdoutData.finish(), as: UTF8.self),
            stderr: String(decoding: stderrData.finish(), as: UTF8.self))
    }

    /// Reads a file handle to its end on a thread of its own.
    final class Reader: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        func finish() -> Data {
            done.wait()
            return data
        }
    }
}
