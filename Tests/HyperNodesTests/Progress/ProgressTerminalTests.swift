import Foundation
import HyperNodes
import HyperNodesTelemetry
import Testing

/// `hypernodes demo` in a real pseudo-terminal (tmux): the live tree is
/// drawn, follows a resize, and leaves a clean summary above the report.
@Suite("Progress in a terminal (tmux)", .serialized)
struct ProgressTerminalTests {
    static let spinner = Set("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

    @Test("the demo draws a live tree, follows a resize, and leaves one clean summary")
    func demoInTmux() async throws {
        let binary = try Executable.executable()
        let directory = TemporaryDirectory("hn-tmux")
        let tmux = Tmux(directory: directory.url)
        defer { tmux.kill() }
        let command =
            "env -u HYPERNODES_PROGRESS -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color "
            // 300 documents: long enough (several seconds even in a release build) that
            // polling sees the live tree when the whole suite runs in parallel around it.
            + "'\(binary.path)' demo --scale 1 --no-cache; echo EXIT=$?; sleep 120"
        try tmux.run(["new-session", "-d", "-x", "100", "-y", "30", command])

        let (sawLiveMap, resized, final, screens) = try await onOwnThread {
            var sawLiveMap = false
            var resized = false
            var final: [String] = []
            var screens: [String] = []
            let deadline = Date(timeIntervalSinceNow: 180)
            while Date() < deadline {
                let screen = try tmux.screen()
                screens.append(screen.joined(separator: "\n"))
                if screen.contains(where: { $0.contains("analyze [map]") && $0.contains("%") && $0.contains("ETA") }) {
                    sawLiveMap = true
                    if !resized {
                        // Narrower, same height: a frame that a resize pushes into the scrollback
                        // (taller after the terminal rewraps it than the screen) cannot be erased.
                        try tmux.run(["resize-window", "-x", "64", "-y", "30"])
                        resized = true
                    }
                }
                if screen.contains(where: { $0.hasPrefix("EXIT=") }) {
                    final = try tmux.screen(history: true)
                    break
                }
                usleep(100_000)
            }
            return (sawLiveMap, resized, final, screens)
        }
        let shown = final.joined(separator: "\n")
        #expect(final.contains("EXIT=0"), "the demo did not finish cleanly:\n\(shown)")
        #expect(
            sawLiveMap, "no live map bar was ever seen; screens:\n\(screens.suffix(8).joined(separator: "\n-----\n"))")
        #expect(resized)

        // The summary: exactly one root line, followed by its rows and then the report.
        let summaries = final.indices.filter { final[$0].hasPrefix("demo ") && final[$0].contains("✓ 5/5 nodes") }
        #expect(summaries.count == 1, "one summary root line:\n\(shown)")
        let summaryRow = try #require(summaries.first)
        let reportRow = try #require(final.firstIndex { $0.hasPrefix("Corpus") })
        #expect(summaryRow < reportRow)
        let summary = final[summaryRow..<reportRow]
        #expect(summary.dropFirst().allSatisfy { $0.hasPrefix("├─") || $0.hasPrefix("└─") }, "\(shown)")
        #expect(summary.contains { $0.hasPrefix("├─ analyze [map]") && $0.contains("✓ 300/300") }, "\(shown)")
        #expect(summary.contains { $0.hasPrefix("└─ summarize") && $0.contains("✓") }, "\(shown)")
        #expect(
            !final[summaryRow...].contains { line in line.contains { Self.spinner.contains($0) } },
            "a spinner was left:\n\(shown)")
        // The summary was drawn after the resize: it fits in 64 columns.
        for line in summary { #expect(DisplayWidth.of(line) <= 64, "\(line)") }
        // A frame written in the instant the terminal rewraps it can leave one
        // stale line above the summary (the limit the README names): never more,
        // and never below it.
        let stale = final[..<summaryRow].filter { line in line.contains { Self.spinner.contains($0) } }
        #expect(stale.count <= 1, "stale live lines above the summary:\n\(shown)")
    }
}
