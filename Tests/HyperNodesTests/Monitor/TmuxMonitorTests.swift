import Foundation
import HyperNodes
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The monitor end to end, in a real pseudo-terminal (tmux): a recorded
/// demo replayed and a live demo, driven by keys, resized, quit, interrupted,
/// terminated and crashed, with the terminal checked afterwards.
@Suite("Monitor in a terminal (tmux)", .serialized)
struct TmuxMonitorTests {
    /// A recorded demo trace (40 documents) in its own directory.
    final class RecordedDemo: Sendable {
        let directory = TemporaryDirectory("hn-monitor-trace")
        var path: String { directory.url.appendingPathComponent("demo.jsonl").path }

        init() async throws {
            let run = try await Executable.run(
                ["demo", "--items", "40", "--no-cache", "--progress", "off", "--record", path])
            guard run.status == 0 else { throw HarnessError("recording the demo failed: \(run)") }
        }
    }

    /// Whether the program left the terminal as it found it.
    static func expectRestored(_ pane: TmuxMonitorPane, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let state = try pane.terminalRestored()
        #expect(!state.alternateScreen, "still on the alternate screen", sourceLocation: sourceLocation)
        #expect(state.cursorVisible, "the cursor is hidden", sourceLocation: sourceLocation)
    }

    @Test("replay: tree, waterfall, zoom, search, details, resizes down to 20×6, 19×6 and 1×1 and back, q exits 0")
    func replayJourney() async throws {
        let trace = try await RecordedDemo()
        let pane = try TmuxMonitorPane(["replay", trace.path])
        defer { pane.tmux.kill() }

        // The tree, with the map and the status bar.
        try await pane.waitFor("the tree") { screen in
            screen.contains { $0.contains("analyze") } && screen.contains { $0.contains("replay demo.jsonl") }
                && screen.contains { $0.contains("Tree") }
        }
        try await pane.waitFor(text: "finished")

        // The waterfall, zoomed in around the selection and back.
        try pane.press("3")
        let waterfall = try await pane.waitFor(text: "Waterfall")
        try pane.press("End", "z", "z")
        let zoomed = try await pane.waitFor("a zoomed waterfall") {
            $0 != waterfall && $0.contains { $0.contains("Waterfall") } && $0.contains { $0.contains("zoom") }
        }
        try pane.press("0")
        try await pane.waitFor("the zoom reset") { $0 != zoomed }

        // Search keeps the matches and their ancestors; n jumps.
        try pane.press("/")
        try pane.type("embed")
        try pane.press("Enter")
        try await pane.waitFor(text: "search \"embed\":")
        try pane.press("n")

        // Details of the selected span.
        try pane.press("d")
        try await pane.waitFor(text: "Details")

        // Smaller, tiny, and back.
        try pane.resize(width: 80, height: 24)
        try await pane.waitFor("the 80×24 screen") { screen in
            screen.count == 24 && screen.allSatisfy { DisplayWidth.of($0) <= 80 }
                && screen.contains { $0.contains("Details") }
        }
        // 20×6 is the smallest size the screens are drawn at; below it a note replaces them.
        try pane.resize(width: 20, height: 6)
        try await pane.waitFor("the 20×6 screen") { screen in
            screen.count == 6 && screen.contains { $0.contains("q quit") }
                && !screen.contains { $0.contains("too small") }
        }
        try pane.resize(width: 19, height: 6)
        try await pane.waitFor(text: "too small")
        try pane.resize(width: 1, height: 1)
        try await pane.waitFor("a 1×1 screen") { $0.count == 1 }
        try pane.resize(width: 120, height: 40)
        try await pane.waitFor("the full screen again") { screen in
            screen.count == 40 && !screen.contains { $0.contains("too small") }
                && screen.contains { $0.contains("Waterfall") }
        }

        try pane.press("q")
        #expect(try await pane.exitStatus() == 0)
        try Self.expectRestored(pane)
    }

    @Test(
        "Ctrl-C, SIGTERM, SIGHUP and a crash (SIGSEGV) restore the terminal and end by that signal",
        arguments: [
            ("C-c", SIGINT), ("", SIGTERM), ("", SIGHUP), ("", SIGSEGV),
        ])
    func signalsRestore(key: String, signalNumber: Int32) async throws {
        let trace = try await RecordedDemo()
        let pane = try TmuxMonitorPane(["replay", trace.path, "--start", "paused"], width: 100, height: 30)
        defer { pane.tmux.kill() }
        try await pane.waitFor(text: "paused")
        #expect(try pane.terminalRestored().alternateScreen, "the monitor draws on the alternate screen")
        if key.isEmpty {
            try await pane.signal(signalNumber)
        } else {
            try pane.press(key)
        }
        #expect(try await pane.exitStatus() == 128 + Int(signalNumber))
        try Self.expectRestored(pane)
        // The shell's own output after the program is readable: no stray attributes or cursor moves.
        let screen = try pane.screen()
        #expect(screen.contains { $0.hasPrefix("EXIT=") }, "\(screen)")
    }

    @Test("hypernodes alone runs the demo live in the monitor, stays open on the final state, reports after q")
    func liveDemo() async throws {
        // No subcommand: `monitor` is the default.
        let pane = try TmuxMonitorPane(["--items", "40", "--item-delay", "100", "--no-cache"], width: 120, height: 40)
        defer { pane.tmux.kill() }
        try await pane.waitFor("the live run") { screen in
            screen.contains { $0.contains("live demo") } && screen.contains { $0.contains("analyze") }
                && !screen.contains { $0.contains("finished") }
        }
        try await pane.waitFor(text: "finished", timeout: 120)
        // Still open on the final state a moment later.
        try await Task.sleep(for: .seconds(1))
        let final = try pane.screen()
        #expect(final.contains { $0.contains("finished") }, "\(final)")
        #expect(!final.contains { $0.hasPrefix("EXIT=") }, "\(final)")
        try pane.press("q")
        #expect(try await pane.exitStatus() == 0)
        try Self.expectRestored(pane)
        let after = try pane.screen()
        #expect(after.contains { $0.hasPrefix("Corpus") }, "the demo's report after the monitor: \(after)")
    }

    @Test("q during the live demo stops the run, restores the terminal and exits 0")
    func quitLiveDemoEarly() async throws {
        let pane = try TmuxMonitorPane(["monitor", "--items", "300", "--item-delay", "200", "--no-cache"])
        defer { pane.tmux.kill() }
        try await pane.waitFor("the live run") { screen in
            screen.contains { $0.contains("live demo") } && screen.contains { $0.contains("analyze") }
        }
        try pane.press("q")
        #expect(try await pane.exitStatus() == 0)
        try Self.expectRestored(pane)
        let after = try pane.screen()
        #expect(after.contains("The demo run was stopped before it finished."), "\(after)")
    }

    @Test("NO_COLOR draws without colour escapes; without it the monitor uses colour")
    func noColor() async throws {
        let trace = try await RecordedDemo()
        for noColor in [true, false] {
            let pane = try TmuxMonitorPane(
                ["replay", trace.path, "--speed", "max"], width: 100, height: 30,
                environment: noColor ? ["NO_COLOR": "1"] : [:])
            defer { pane.tmux.kill() }
            try await pane.waitFor(text: "finished")
            let colours = Self.colourParameters(in: try pane.screenWithEscapes())
            if noColor {
                #expect(colours.isEmpty, "colour escapes with NO_COLOR: \(colours.prefix(10))")
            } else {
                #expect(!colours.isEmpty, "no colour at all without NO_COLOR")
            }
            try pane.press("q")
            #expect(try await pane.exitStatus() == 0)
        }
    }

    @Test(
        "a terminal that cannot move the cursor, or an unknown one, gets a clear message and is left untouched",
        arguments: [("dumb", "cannot move the cursor"), ("no-such-terminal", "not in the terminfo database")])
    func unusableTerminal(term: String, message: String) async throws {
        let trace = try await RecordedDemo()
        let pane = try TmuxMonitorPane(["replay", trace.path], width: 100, height: 30, environment: ["TERM": term])
        defer { pane.tmux.kill() }
        #expect(try await pane.exitStatus() == 1)
        let screen = try pane.screen().joined(separator: "\n")
        #expect(screen.contains("hypernodes replay: error: the terminal type '\(term)'"), "\(screen)")
        #expect(screen.replacingOccurrences(of: "\n", with: "").contains(message), "\(screen)")
        try Self.expectRestored(pane)
    }

    @Test("a trace cut off mid-line replays up to the cut, and the cut line is reported once the screen closes")
    func truncatedTrace() async throws {
        let trace = try await RecordedDemo()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: trace.path))
        let cut = trace.directory.url.appendingPathComponent("cut.jsonl").path
        try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
        let pane = try TmuxMonitorPane(["replay", cut, "--speed", "max"], width: 120, height: 40)
        defer { pane.tmux.kill() }
        try await pane.waitFor("the status bar's bad line") { screen in
            screen.contains { $0.contains("1 bad line") && $0.contains("finished") }
        }
        try pane.press("q")
        #expect(try await pane.exitStatus() == 0)
        try Self.expectRestored(pane)
        let screen = try pane.screen().joined()
        #expect(screen.contains("warning: \(cut): line "), "\(screen)")
        #expect(screen.contains("cut off"), "\(screen)")
    }

    @Test("--ascii draws only ASCII characters")
    func ascii() async throws {
        let trace = try await RecordedDemo()
        let pane = try TmuxMonitorPane(["replay", trace.path, "--ascii", "--speed", "max"], width: 100, height: 30)
        defer { pane.tmux.kill() }
        let screen = try await pane.waitFor(text: "finished")
        let wide = screen.joined().unicodeScalars.filter { !$0.isASCII }
        #expect(wide.isEmpty, "non-ASCII characters: \(String(String.UnicodeScalarView(wide.prefix(20))))")
        try pane.press("q")
        #expect(try await pane.exitStatus() == 0)
    }

    /// The SGR parameters in `text` that set a colour (not the defaults 39 and 49).
    static func colourParameters(in text: String) -> [Int] {
        var found: [Int] = []
        var rest = Substring(text)
        while let start = rest.range(of: "\u{1B}[") {
            rest = rest[start.upperBound...]
            let body = rest.prefix { $0.isNumber || $0 == ";" }
            rest = rest[body.endIndex...]
            guard rest.first == "m" else { continue }
            for parameter in body.split(separator: ";").compactMap({ Int($0) })
            where (30...38).contains(parameter) || (40...48).contains(parameter) || (90...97).contains(parameter)
                || (100...107).contains(parameter)
            {
                found.append(parameter)
            }
        }
        return found
    }
}
