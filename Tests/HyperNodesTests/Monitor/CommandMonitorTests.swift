import Foundation
import HyperNodesMonitor
import Testing

@testable import HyperNodesTrace
@testable import hypernodes

/// `hypernodes replay` and `hypernodes monitor` without a terminal, and
/// with files that are not traces: a clear message, a failure status, and
/// not one escape byte.
@Suite("hypernodes replay and monitor without a terminal, and bad files")
struct CommandMonitorTests {
    static let escape = "\u{1B}"

    /// A directory holding the scripted analysis trace.
    final class Workspace: Sendable {
        let directory = TemporaryDirectory("hypernodes-monitor-cli")

        func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
            return path(name)
        }
    }

    @Test("replay with standard output to a file says to use summary, exits 1, writes no escape byte")
    func replayWithoutTerminal() async throws {
        let workspace = Workspace()
        let trace = try workspace.write("analysis.jsonl", ScriptedTraces.analysis.bytes)
        let run = try await Executable.run(["replay", trace])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("needs a terminal"), "\(run)")
        #expect(run.stderr.contains("hypernodes summary \(trace)"), "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
        #expect(!run.stdout.contains(Self.escape) && !run.stderr.contains(Self.escape), "\(run)")
    }

    @Test("monitor and the bare command without a terminal point to demo and summary, exit 1, start nothing")
    func monitorWithoutTerminal() async throws {
        for arguments in [["monitor"], []] {
            let run = try await Executable.run(arguments, timeout: .seconds(60))
            #expect(run.status == 1, "\(run)")
            #expect(run.stderr.contains("needs a terminal"), "\(run)")
            #expect(run.stderr.contains("hypernodes demo"), "\(run)")
            #expect(run.stderr.contains("hypernodes summary"), "\(run)")
            // The demo did not run: no report was printed.
            #expect(run.stdout.isEmpty, "\(run)")
            #expect(!run.stdout.contains(Self.escape) && !run.stderr.contains(Self.escape), "\(run)")
        }
    }

    @Test("a missing file, a text file, an empty file and a truncated header: the reader's message, exit 1")
    func badFiles() async throws {
        let workspace = Workspace()
        let header = Array(ScriptedTraces.analysis.bytes.prefix { $0 != UInt8(ascii: "\n") })
        let truncated = try workspace.write("truncated.jsonl", Array(header.prefix(header.count / 2)))
        let text = try workspace.write("notes.txt", Array("just some notes\nand more\n".utf8))
        let empty = try workspace.write("empty.jsonl", [])
        let missing = workspace.path("missing.jsonl")
        let cases: [(String, String)] = [
            (missing, "cannot open trace '\(missing)': No such file"),
            (text, "'\(text)' is not a HyperNodes trace"),
            (empty, "'\(empty)' is not a HyperNodes trace"),
            (truncated, "'\(truncated)' is not a HyperNodes trace"),
        ]
        for (file, message) in cases {
            let run = try await Executable.run(["replay", file])
            #expect(run.status == 1, "\(run)")
            #expect(run.stderr.hasPrefix("hypernodes replay: error: \(message)"), "\(run)")
            #expect(!run.stderr.contains("needs a terminal"), "the file is checked first: \(run)")
            #expect(!run.stdout.contains(Self.escape) && !run.stderr.contains(Self.escape), "\(run)")
        }
    }

    @Test("a bad --speed or --start is refused before anything is read")
    func badOptions() async throws {
        let workspace = Workspace()
        let trace = try workspace.write("analysis.jsonl", ScriptedTraces.analysis.bytes)
        for (arguments, message) in [
            (["--speed", "0"], "--speed must be a positive number or 'max', not '0'"),
            (["--speed", "fast"], "--speed must be a positive number or 'max', not 'fast'"),
            (["--start", "later"], "--start must be 'playing' or 'paused', not 'later'"),
        ] {
            let run = try await Executable.run(["replay", trace] + arguments)
            #expect(run.status != 0, "\(run)")
            #expect(run.stderr.contains(message), "\(run)")
            #expect(!run.stderr.contains(Self.escape), "\(run)")
        }
    }
}

/// What `replay` and `monitor` print once the terminal is restored.
@Suite("Monitor warnings after the screen closes")
struct CommandMonitorWarningTests {
    @Test("unreadable lines (the latest 20, and a count of the earlier ones), an early end and drops are reported")
    func warnings() {
        var session = MonitorSession(source: .replay("run.jsonl"), options: MonitorOptions())
        session.ingest(
            MailboxBatch(
                records: [], problems: (1...25).map { TraceProblem(line: $0 * 2, reason: "not JSON") }, dropped: 3,
                finished: .failed("disk error")))
        let warnings = MonitorRunner.warnings(of: session, subject: "/tmp/run.jsonl")
        #expect(warnings.first == "warning: /tmp/run.jsonl: 5 earlier unreadable lines not shown")
        #expect(warnings[1] == "warning: /tmp/run.jsonl: line 12: not JSON")
        #expect(warnings.contains("warning: /tmp/run.jsonl: line 50: not JSON"))
        #expect(warnings.contains("warning: /tmp/run.jsonl: reading stopped early: disk error"))
        #expect(warnings.last == "warning: /tmp/run.jsonl: the monitor fell behind and dropped 3 records")
        #expect(warnings.count == 1 + 20 + 2)
    }

    @Test("a clean source gives no warnings")
    func clean() {
        var session = MonitorSession(source: .live("demo"), options: MonitorOptions())
        session.ingest(MailboxBatch(records: [], problems: [], dropped: 0, finished: .completed))
        #expect(MonitorRunner.warnings(of: session, subject: "the demo").isEmpty)
    }
}
