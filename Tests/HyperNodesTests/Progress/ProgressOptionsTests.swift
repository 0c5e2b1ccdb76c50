import Foundation
import Testing

@testable import HyperNodesTelemetry

@Suite("Progress options")
struct ProgressOptionsTests {
    @Test("modes parse in any case; an unknown mode names its source and the accepted values")
    func parsing() throws {
        #expect(try ProgressMode(parsing: "TTY", source: "--progress") == .tty)
        #expect(try ProgressMode(parsing: " plain ", source: "--progress") == .plain)
        #expect(
            throws: ProgressConfigurationError(
                description: "--progress: unknown progress mode 'fancy'; expected one of auto, tty, plain, off")
        ) {
            try ProgressMode(parsing: "fancy", source: "--progress")
        }
        #expect(try ProgressOptions.fromEnvironment(["HYPERNODES_PROGRESS": "off"]).mode == .off)
        #expect(try ProgressOptions.fromEnvironment(["HYPERNODES_PROGRESS": ""]).mode == .auto)
        #expect(try ProgressOptions.fromEnvironment([:]).mode == .auto)
        do {
            _ = try ProgressOptions.fromEnvironment(["HYPERNODES_PROGRESS": "yes"])
            Issue.record("accepted HYPERNODES_PROGRESS=yes")
        } catch let error as ProgressConfigurationError {
            #expect(error.description.hasPrefix("HYPERNODES_PROGRESS: unknown progress mode 'yes'"))
        }
    }

    @Test("invalid numbers are rejected with the setting and its value")
    func validation() {
        #expect(throws: ProgressConfigurationError.self) {
            try ProgressCallback(options: ProgressOptions(mode: .off, refreshRate: 0))
        }
        do {
            _ = try ProgressCallback(options: ProgressOptions(mode: .off, plainInterval: -1))
            Issue.record("accepted a negative interval")
        } catch {
            #expect("\(error)" == "plainInterval must be zero or more seconds, got -1.0")
        }
        #expect(throws: ProgressConfigurationError.self) {
            try ProgressCallback(options: ProgressOptions(mode: .off, size: TerminalSize(columns: 0, rows: 10)))
        }
        #expect(throws: ProgressConfigurationError.self) {
            try ProgressCallback(options: ProgressOptions(mode: .off, refreshRate: .nan))
        }
    }

    @Test("auto is plain for a file, a pipe or TERM=dumb; explicit modes are kept")
    func autoMode() throws {
        let directory = TemporaryDirectory()
        let url = directory.url.appendingPathComponent("out")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        let fd = file.fileDescriptor
        func mode(_ mode: ProgressMode, _ environment: [String: String] = [:]) throws -> ProgressMode {
            let progress = try ProgressCallback(
                options: ProgressOptions(mode: mode, output: .fileDescriptor(fd), environment: environment))
            defer { progress.close() }
            return progress.mode
        }
        #expect(try mode(.auto) == .plain)
        #expect(try mode(.auto, ["TERM": "dumb"]) == .plain)
        #expect(try mode(.tty) == .tty)
        #expect(try mode(.off) == .off)
        #expect(try mode(.plain) == .plain)
        let plain = try ProgressCallback(options: ProgressOptions(mode: .plain, output: .fileDescriptor(fd)))
        defer { plain.close() }
        #expect(plain.style == ProgressStyle(ascii: false, color: false))
    }
}
