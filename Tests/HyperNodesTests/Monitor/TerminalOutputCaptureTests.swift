import Foundation
import HyperNodesMonitor
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// While the monitor owns the terminal, standard output and error go to its
/// log pane, and afterwards to where they went before: nothing is lost.
@Suite("Terminal output capture", .serialized)
struct TerminalOutputCaptureTests {
    @Test("lines on stdout and stderr reach the pane while captured, and stderr gets its text back at the end")
    func capturesAndHandsBack() async throws {
        let directory = TemporaryDirectory("hn-capture")
        let path = directory.url.appendingPathComponent("stderr").path
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(file >= 0)
        let savedError = dup(STDERR_FILENO)
        dup2(file, STDERR_FILENO)
        close(file)
        defer {
            dup2(savedError, STDERR_FILENO)
            close(savedError)
            // What other tests wrote on stderr meanwhile is in the file: pass it on.
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { Self.write(STDERR_FILENO, text) }
        }

        let capture = try OutputCapture.start()
        Self.write(STDERR_FILENO, "from stderr\r\n")
        FileHandle.standardError.write(Data("second line, ✓ wide 中\n".utf8))
        Self.write(STDOUT_FILENO, "from stdout\n")
        Logger(label: "node", factory: { StreamLogHandler.standardError(label: $0) }).error("from swift-log")
        var lines: [String] = []
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline,
            !(lines.contains("second line, ✓ wide 中") && lines.contains("from stdout")
                && lines.contains { $0.contains("from swift-log") })
        {
            lines += capture.takeLines()
            try await Task.sleep(for: .milliseconds(20))
        }
        capture.stop()
        lines += capture.takeLines()
        #expect(lines.contains("from stderr"), "\(lines)")
        #expect(lines.contains("second line, ✓ wide 中"), "\(lines)")
        #expect(lines.contains("from stdout"), "\(lines)")
        #expect(lines.contains { $0.contains("error node:") && $0.contains("from swift-log") }, "\(lines)")

        Self.write(STDERR_FILENO, "after\n")
        let handedBack = try String(contentsOfFile: path, encoding: .utf8)
        let order = ["from stderr\r\n", "second line, ✓ wide 中\n"].map {
            handedBack.range(of: $0)?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil }, "\(handedBack)")
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "in the order written: \(handedBack)")
        let after = try #require(handedBack.range(of: "after\n"), "descriptor 2 points at the file again")
        let last = try #require(handedBack.range(of: "second line, ✓ wide 中\n"))
        #expect(after.lowerBound > last.lowerBound, "\(handedBack)")
        #expect(
            !handedBack.split(separator: "\n").contains("from stdout"),
            "stdout's text goes back to stdout: \(handedBack)")
    }

    @Test("a flood of lines between two reads keeps the newest and says how many were dropped")
    func boundedPending() async throws {
        let diverted = try DivertedOutput { $0.hasPrefix("line ") }
        defer { diverted.end() }
        let capture = try OutputCapture.start()
        let total = OutputCapture.pendingLineLimit + 500
        // Written to stdout, which is handed back (and printed) at the end.
        var text = ""
        for index in 0..<total { text += "line \(index)\n" }
        Self.write(STDOUT_FILENO, text)
        // Stopping reads the pipes to their ends.
        capture.stop()
        let lines = capture.takeLines()
        // Other tests running meanwhile may print too: at least the 500 extra lines were dropped.
        let note = try #require(lines.first)
        #expect(note.hasPrefix("(") && note.hasSuffix(" earlier lines not shown)"), "\(note)")
        let dropped = Int(note.dropFirst().prefix { $0 != " " }) ?? 0
        #expect(dropped >= 500, "\(note)")
        #expect(lines.count == OutputCapture.pendingLineLimit + 1)
        #expect(lines.contains("line \(total - 1)"))
    }

    @Test("output without line ends reaches the pane in bounded pieces, none of it lost")
    func longLine() throws {
        let diverted = try DivertedOutput { $0.allSatisfy { $0 == "x" } }
        defer { diverted.end() }
        let capture = try OutputCapture.start()
        let count = OutputCapture.longestLine * 3
        Self.write(STDOUT_FILENO, String(repeating: "x", count: count))
        capture.stop()
        // Other tests may print meanwhile: only the runs of x count.
        let pieces = capture.takeLines().filter { $0.allSatisfy { $0 == "x" } && !$0.isEmpty }
        #expect(pieces.reduce(0) { $0 + $1.utf8.count } == count)
        #expect(pieces.count >= 2)
        #expect(pieces.allSatisfy { $0.utf8.count <= 2 * OutputCapture.longestLine }, "\(pieces.map(\.count))")
    }

    @Test("captured lines reach the monitor's log pane")
    func logPane() throws {
        let capture = try OutputCapture.start()
        defer { capture.stop() }
        Self.write(STDOUT_FILENO, "node says hello\n")
        let time = TerminalMonitorLoopTests.ManualClock()
        let display = TerminalMonitorLoopTests.ScriptedDisplay(
            script: [.key(.character("o"))] + Array(repeating: nil, count: 3_000), time: time)
        // Real time passes between reads, so the capture's thread gets to read the line.
        display.beforeRead = { _ in usleep(1_000) }
        var loop = MonitorLoop(
            session: TerminalMonitorLoopTests.session(), mailbox: RecordMailbox(), log: capture, clock: { time.now })
        let exit = loop.run(
            on: display,
            interrupted: {
                display.drawn.last?.text.contains("node says hello") == true ? SIGUSR1 : nil
            })
        #expect(exit == .signal(SIGUSR1), "the line never reached the log pane")
        #expect(loop.session.log.lines.contains("node says hello"))
    }

    static func write(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// Standard output sent to a file for the length of a test that writes a
/// lot to it, so the test log stays readable: ``end()`` points descriptor 1
/// back and passes on the lines other tests wrote meanwhile.
final class DivertedOutput {
    private let saved: Int32
    private let path: String
    private let isOwn: (Substring) -> Bool
    private let directory = TemporaryDirectory("hn-diverted")

    /// Diverts descriptor 1; `isOwn` picks the test's own lines, which are not passed on.
    init(isOwn: @escaping (Substring) -> Bool) throws {
        self.isOwn = isOwn
        path = directory.url.appendingPathComponent("stdout").path
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard file >= 0 else { throw HarnessError("cannot create \(path)") }
        saved = dup(STDOUT_FILENO)
        dup2(file, STDOUT_FILENO)
        close(file)
    }

    /// Points descriptor 1 back and writes the other tests' lines there.
    func end() {
        dup2(saved, STDOUT_FILENO)
        close(saved)
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let others = text.split(separator: "\n").filter { !isOwn($0) }
        if !others.isEmpty {
            TerminalOutputCaptureTests.write(STDOUT_FILENO, others.joined(separator: "\n") + "\n")
        }
    }
}
