import Foundation
import HyperNodes
import HyperNodesTelemetry
import Testing

/// Frames of the progress tree rendered from scripted runs at fixed times
/// and sizes, compared with golden files (`Golden/*.txt`).
@Suite("Progress rendering (golden files)")
struct ProgressGoldenTests {
    static let plain = ProgressStyle(ascii: false, color: false)
    static let size = TerminalSize(columns: 80, rows: 24)

    /// The frame after `count` events, drawn at the time of the last one.
    func frame(
        _ script: ProgressScript, after count: Int, size: TerminalSize = size, style: ProgressStyle = plain
    ) -> [String] {
        let model = script.model(after: count)
        return ProgressRenderer.frame(
            model, roots: model.roots, size: size, now: script.time(after: count), style: style)
    }

    /// The summary of the script's (only) run.
    func summary(_ script: ProgressScript, width: Int = 80, style: ProgressStyle = plain) throws -> [String] {
        let model = script.model()
        let root = try #require(model.roots.first)
        return ProgressRenderer.summary(
            model, root: root, width: width, now: script.time(after: script.steps.count), style: style)
    }

    @Test("single run: live frames and the summary")
    func singleRun() async throws {
        let script = try await ProgressFixtures.singleRun()
        let running = script.count { $0.kind == .nodeStart && $0.name == "transform" }
        try Golden.check(
            Golden.frames([
                ("after start", frame(script, after: 1)),
                ("transform running", frame(script, after: running)),
                ("finished", frame(script, after: script.steps.count)),
                ("summary", try summary(script)),
            ]), named: "single-run.txt")
    }

    @Test("three levels of nesting, indented by depth")
    func nested() async throws {
        let script = try await ProgressFixtures.nested()
        let deepest = script.count { $0.kind == .nodeStart && $0.name == "halve" }
        try Golden.check(
            Golden.frames([
                ("halve running at depth 2", frame(script, after: deepest)),
                ("finished", frame(script, after: script.steps.count)),
                ("summary", try summary(script)),
            ]), named: "nested-3-levels.txt")
    }

    @Test("a map with cache hits and a failure")
    func mapWithCacheHitsAndFailures() async throws {
        let directory = TemporaryDirectory()
        let script = try await ProgressFixtures.mapWithCacheAndFailure(cacheDirectory: directory.url)
        let fifth = script.count { $0.kind == .mapItemEnd && $0.itemIndex == 5 }
        try Golden.check(
            Golden.frames([
                ("after item 5", frame(script, after: fifth)),
                ("failed", frame(script, after: script.steps.count)),
                ("summary", try summary(script)),
            ]), named: "map-cache-failures.txt")
    }

    @Test("a failure in a nested pipeline: the failing subtree stays unfolded in the summary")
    func error() async throws {
        let script = await ProgressFixtures.failure()
        let failed = script.count { $0.kind == .error }
        try Golden.check(
            Golden.frames([
                ("after the error", frame(script, after: failed)),
                ("summary", try summary(script)),
            ]), named: "error.txt")
    }

    @Test("a 20-column terminal: fields drop, then names are cut")
    func tinyWidth() async throws {
        let directory = TemporaryDirectory()
        let script = try await ProgressFixtures.mapWithCacheAndFailure(cacheDirectory: directory.url)
        let fifth = script.count { $0.kind == .mapItemEnd && $0.itemIndex == 5 }
        let narrow = TerminalSize(columns: 20, rows: 24)
        let lines = frame(script, after: fifth, size: narrow)
        for line in lines { #expect(DisplayWidth.of(line) <= 20, "\(line)") }
        try Golden.check(
            Golden.frames([
                (
                    "56 columns: rate and ETA go before the bar",
                    frame(script, after: fifth, size: TerminalSize(columns: 56, rows: 24))
                ),
                ("20 columns", lines),
                ("summary at 20 columns", try summary(script, width: 20)),
                ("1 column", frame(script, after: fifth, size: TerminalSize(columns: 1, rows: 3))),
            ]), named: "tiny-width.txt")
    }

    @Test("a frame taller than the terminal folds finished subtrees, then cuts with … N more")
    func heightLimit() async throws {
        let script = try await ProgressFixtures.longChain(12)
        let midway = script.count { $0.kind == .nodeStart && $0.name == "step_9" }
        let short = TerminalSize(columns: 60, rows: 6)
        let lines = frame(script, after: midway, size: short)
        #expect(lines.count <= 5)
        let directory = TemporaryDirectory()
        let mapScript = try await ProgressFixtures.mapWithCacheAndFailure(cacheDirectory: directory.url)
        let afterMap = mapScript.count { $0.kind == .nodeEnd && $0.name == "score_all" }
        try Golden.check(
            Golden.frames([
                ("12 nodes in 6 rows", lines),
                (
                    "finished map folded to fit 3 rows",
                    frame(mapScript, after: afterMap, size: TerminalSize(columns: 60, rows: 3))
                ),
            ]), named: "height-limit.txt")
    }

    @Test("plain mode: one line per finished node or pipeline, map status lines at most every interval")
    func plainMode() async throws {
        let directory = TemporaryDirectory()
        let map = try await ProgressFixtures.mapWithCacheAndFailure(cacheDirectory: directory.url)
        let lines =
            try await ProgressFixtures.singleRun().plainLines(interval: 10)
            + ProgressFixtures.nested().plainLines(interval: 10)
            + map.plainLines(interval: 0.1)
            + ProgressFixtures.failure().plainLines(interval: 10)
        for line in lines {
            #expect(!line.contains("\u{1B}") && !line.contains("\r"), "\(line)")
        }
        try Golden.check(lines.joined(separator: "\n") + "\n", named: "plain.txt")
    }

    @Test("colour by default; NO_COLOR removes colour and keeps bars and glyphs")
    func colorAndNoColor() async throws {
        let script = try await ProgressFixtures.singleRun()
        let running = script.count { $0.kind == .nodeStart && $0.name == "transform" }
        let devNull = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
        defer { try? devNull.close() }
        func style(_ environment: [String: String]) throws -> ProgressStyle {
            let progress = try ProgressCallback(
                options: ProgressOptions(
                    mode: .tty, output: .fileDescriptor(devNull.fileDescriptor), environment: environment))
            defer { progress.close() }
            return progress.style
        }
        let colored = try style(["TERM": "xterm-256color"])
        let noColor = try style(["TERM": "xterm-256color", "NO_COLOR": "1"])
        #expect(colored == ProgressStyle(ascii: false, color: true))
        #expect(noColor == ProgressStyle(ascii: false, color: false))
        try Golden.check(
            Golden.frames([
                ("colour", frame(script, after: running, style: colored)),
                ("NO_COLOR", frame(script, after: running, style: noColor)),
            ]), named: "color-and-no-color.txt")
    }

    @Test("TERM=dumb uses ASCII glyphs, bars and branches")
    func ascii() async throws {
        let directory = TemporaryDirectory()
        let script = try await ProgressFixtures.mapWithCacheAndFailure(cacheDirectory: directory.url)
        let fifth = script.count { $0.kind == .mapItemEnd && $0.itemIndex == 5 }
        let style = ProgressOptions(mode: .tty, environment: ["TERM": "dumb"])
        let devNull = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
        defer { try? devNull.close() }
        var options = style
        options.output = .fileDescriptor(devNull.fileDescriptor)
        let progress = try ProgressCallback(options: options)
        progress.close()
        #expect(progress.style == ProgressStyle(ascii: true, color: false))
        let lines = frame(script, after: fifth, style: progress.style) + (try summary(script, style: progress.style))
        for line in lines { #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "\(line)") }
        try Golden.check(Golden.frames([("ASCII", lines)]), named: "ascii.txt")
    }

    @Test("wide characters are measured in cells: columns stay aligned")
    func wideCharacters() async throws {
        let script = try await ProgressFixtures.wideNames()
        let third = script.count { $0.kind == .mapItemEnd && $0.itemIndex == 2 }
        let lines = frame(script, after: third)
        let columns = Set(
            lines.dropFirst().map { line in DisplayWidth.of(String(line.prefix { $0 != "·" && $0 != "✓" })) })
        #expect(columns.count == 1, "glyph columns differ: \(lines)")
        try Golden.check(
            Golden.frames([
                ("80 columns", lines),
                ("24 columns", frame(script, after: third, size: TerminalSize(columns: 24, rows: 24))),
            ]), named: "wide-names.txt")
    }
}
