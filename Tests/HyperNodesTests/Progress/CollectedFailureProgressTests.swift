import Foundation
import HyperNodes
import HyperNodesTelemetry
import Testing

/// How a map that collected its failures shows in the progress output: finished, every item
/// done, and the number of failed items on the map's row and on the failing node's row.
@Suite("Progress of a map with collected failures")
struct CollectedFailureProgressTests {
    func capture(mode: ProgressMode) async throws -> String {
        let directory = TemporaryDirectory()
        let url = directory.url.appendingPathComponent("progress")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let file = try FileHandle(forWritingTo: url)
        let options = ProgressOptions(
            mode: mode, output: .fileDescriptor(file.fileDescriptor), size: TerminalSize(columns: 90, rows: 20),
            environment: ["TERM": "xterm-256color"])
        let progress = try ProgressCallback(options: options)
        let result = try await CollectedFailureFixture.run(callbacks: [progress])
        #expect(result.failures.map(\.index) == CollectedFailureFixture.failed)
        progress.close()
        try file.close()
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("plain: the map's line says every item is done and how many failed, with the first error")
    func plain() async throws {
        let output = try await capture(mode: .plain)
        // On a slow machine, "… clean  n/30" lines report the map while it runs; one line ends it.
        let lines = output.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("… ") }
        #expect(lines.count == 1, "\(output)")
        let line = try #require(lines.first)
        #expect(line.hasPrefix("✓ clean  30/30  "), "\(line)")
        #expect(line.contains("  ✗ 4  parse: bad row "), "\(line)")
    }

    @Test("tty: the map's row and the failing node's row show the failed count")
    func tty() async throws {
        let output = try await capture(mode: .tty)
        var emulator = ScreenEmulator()
        emulator.feed(output)
        #expect(emulator.unsupported.isEmpty, "\(emulator.unsupported)")
        let lines = emulator.screen
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.first?.hasPrefix("clean") == true, "\(lines)")
        #expect(lines.first?.contains("✓ 30/30") == true && lines.first?.contains("✗ 4") == true, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("├─ parse") && $0.contains("✓ 26  ✗ 4") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("└─ label") && $0.contains("✓ 26") }, "\(lines)")
    }
}
