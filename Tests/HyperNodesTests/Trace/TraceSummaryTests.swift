import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

@Suite("Trace summary")
struct TraceSummaryTests {
    /// The golden file `name` next to this test, or `nil` when it does not exist yet.
    static func golden(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    }

    /// Compares `text` with the golden file `name`; with `HYPERNODES_UPDATE_GOLDEN=1`
    /// in the environment, writes it instead.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = golden(name)
        if ProcessInfo.processInfo.environment["HYPERNODES_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            text == expected, "differs from \(name); run with HYPERNODES_UPDATE_GOLDEN=1 to update",
            sourceLocation: sourceLocation)
        if text != expected {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            if let line = zip(got, want).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record(
                    "first difference at line \(line.offset + 1):\n got: \(line.element.0)\nwant: \(line.element.1)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    static var analysis: TraceModel { TraceModel(records: ScriptedTraces.analysis.records) }
    static var failedThenTruncated: TraceModel { TraceModel(records: ScriptedTraces.failedThenTruncated.records) }

    @Test("golden: the analysis run at width 100")
    func analysisWide() throws {
        try Self.expectGolden(TraceSummary.render(Self.analysis, width: 100), "summary-analysis-100.txt")
    }

    @Test("golden: the analysis run at width 40")
    func analysisNarrow() throws {
        try Self.expectGolden(TraceSummary.render(Self.analysis, width: 40), "summary-analysis-40.txt")
    }

    @Test("golden: a failed run and a truncated one in one file, at width 100")
    func failedAndTruncated() throws {
        try Self.expectGolden(
            TraceSummary.render(Self.failedThenTruncated, width: 100), "summary-failed-truncated-100.txt")
    }
}

extension TraceSummaryTests {
    /// Every trace the summary tests render at many widths.
    static var allModels: [(String, TraceModel)] {
        var soup = TraceScript()
        soup.header(runID: 5, pipeline: "soup")
        var random = SeededGenerator(state: 99)
        for _ in 0..<400 {
            let kinds = EventKind.allCases
            soup.event(
                kinds[Int(random.next() % UInt64(kinds.count))], "步骤\(random.next() % 4)🚀",
                span: random.next() % 60, parent: random.next() % 5 == 0 ? nil : random.next() % 60,
                at: Double(random.next() % 5000) / 3, status: SpanStatus(rawValue: UInt8(random.next() % 5))!,
                duration: Double(random.next() % 900), lane: Int(random.next() % 6))
        }
        return [
            ("analysis", analysis), ("failed-truncated", failedThenTruncated),
            ("soup", TraceModel(records: soup.records)),
        ]
    }

    @Test("at every width from 20 to 160, no line is wider than asked and none holds a control character")
    func widthsAndControlCharacters() {
        for (name, model) in Self.allModels {
            for width in stride(from: 20, through: 160, by: 7) {
                let text = TraceSummary.render(model, width: width)
                #expect(text.hasSuffix("\n"))
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    #expect(DisplayWidth.of(line) <= width, "\(name) at \(width): \(line)")
                    #expect(
                        !line.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) },
                        "\(name) at \(width): control character in \(line.debugDescription)")
                }
            }
        }
    }

    @Test("names with escape sequences and line ends are neutralised; wide names are measured in cells")
    func hostileNames() throws {
        var s = TraceScript()
        s.header(runID: 7, pipeline: "evil\u{1B}[2J")
        let root = s.start(.pipelineStart, "evil\u{1B}[2J", at: 0, parent: nil)
        let node = s.start(.nodeStart, "red\u{1B}[31m\nnext\u{9B}line", at: 1, parent: root)
        s.error(node, at: 2, ErrorInfo(type: "E", message: "bell\u{07} and\rreturn"))
        s.end(node, at: 2, status: .error, error: ErrorInfo(type: "E", message: "bell\u{07} and\rreturn"))
        let wide = s.start(.nodeStart, "データ処理データ処理データ処理データ処理🚀🚀🚀", at: 2, parent: root)
        s.end(wide, at: 3)
        s.end(root, at: 3, status: .error)
        s.runEnd(at: 3, status: .error)
        let text = TraceSummary.render(TraceModel(records: s.records), width: 50)
        #expect(
            !text.contains("\u{1B}") && !text.contains("\r") && !text.contains("\u{07}") && !text.contains("\u{9B}"))
        #expect(text.contains("evil\u{FFFD}[2J"))
        #expect(text.contains("red\u{FFFD}[31m\u{FFFD}next\u{FFFD}line"))
        #expect(text.contains("データ処理"))
        for line in text.split(separator: "\n") { #expect(DisplayWidth.of(line) <= 50, "\(line)") }
    }

    @Test("an empty run and an empty model still render")
    func empty() {
        var s = TraceScript()
        s.header(runID: 1, pipeline: "nothing")
        let text = TraceSummary.render(TraceModel(records: s.records), width: 60)
        #expect(text.contains("Run: nothing") && text.contains("(no spans recorded)"))
        #expect(text.contains("unfinished: the trace stops at 0"))
        #expect(TraceSummary.render(TraceModel(runs: []), width: 60) == "The trace holds no runs.\n")
    }

    @Test("a width below the minimum is widened to it")
    func minimumWidth() {
        let text = TraceSummary.render(Self.analysis, width: 3)
        for line in text.split(separator: "\n") { #expect(DisplayWidth.of(line) <= TraceSummary.minimumWidth) }
        #expect(text == TraceSummary.render(Self.analysis, width: TraceSummary.minimumWidth))
    }

    @Test("depth and row limits: deeper spans are counted, not drawn")
    func limits() {
        var options = TraceSummary.Options(width: 100)
        options.treeDepth = 2
        options.waterfallRows = 3
        let text = TraceSummary.render(Self.analysis, options: options)
        #expect(text.contains("… 26 spans below"))
        #expect(text.contains("… 22 spans not drawn"))  // 4 past the row limit, 18 inside items
        #expect(!text.contains("share of a map's items"))
        #expect(!text.contains("document_analysis (nested)"))
    }
}

@Suite("Summary display width and formats")
struct TraceDisplayWidthTests {
    @Test("cells: ASCII 1, CJK and emoji 2, combining marks and controls 0")
    func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("👍🏽") == 2)
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2)
        #expect(DisplayWidth.of("❤️") == 2)
        #expect(DisplayWidth.of("\u{1B}") == 0)
        #expect(DisplayWidth.of("한글") == 4)
        #expect(DisplayWidth.of("ｆｕｌｌ") == 8)
        #expect(DisplayWidth.of("├─█▏µ…") == 6)
    }

    @Test("truncation and fitting count cells, never split a wide character")
    func truncateAndFit() {
        #expect(DisplayWidth.truncate("日本語テキスト", to: 5) == "日本…")
        #expect(DisplayWidth.truncate("日本語テキスト", to: 6) == "日本…")
        #expect(DisplayWidth.truncate("abc", to: 3) == "abc")
        #expect(DisplayWidth.truncate("abcd", to: 3) == "ab…")
        #expect(DisplayWidth.truncate("abcd", to: 0) == "")
        #expect(DisplayWidth.fit("日本", to: 6) == "日本  ")
        #expect(DisplayWidth.fit("ab", to: 4, alignRight: true) == "  ab")
        #expect(DisplayWidth.printable("a\u{1B}b\nc\u{85}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
    }

    @Test("wrapping breaks at separators, keeps leading spaces, indents continuations")
    func wrapping() {
        #expect(DisplayWidth.wrap("aa · bb · cc", to: 8, at: " · ", indent: "  ") == ["aa · bb", "  cc"])
        #expect(DisplayWidth.wrap("  one two three", to: 10, indent: " ") == ["  one two", " three"])
        #expect(DisplayWidth.wrap("short", to: 10) == ["short"])
        #expect(DisplayWidth.wrap("unbreakablelongword", to: 8) == ["unbreak…"])
    }

    @Test("durations, rates, counts and wall-clock times")
    func formats() {
        #expect(SummaryFormat.duration(0) == "0")
        #expect(SummaryFormat.duration(999) == "999 ns")
        #expect(SummaryFormat.duration(1_000) == "1.00 µs")
        #expect(SummaryFormat.duration(12_345) == "12.3 µs")
        #expect(SummaryFormat.duration(999_500) == "1.00 ms")
        #expect(SummaryFormat.duration(123_456_789) == "123 ms")
        #expect(SummaryFormat.duration(5_210_000_000) == "5.21 s")
        #expect(SummaryFormat.duration(59_960_000_000) == "1 m 00 s")
        #expect(SummaryFormat.duration(125_000_000_000) == "2 m 05 s")
        #expect(SummaryFormat.duration(3_723_000_000_000) == "1 h 02 m")
        #expect(SummaryFormat.rate(61.25) == "61.3")
        #expect(SummaryFormat.rate(1_234_567.8) == "1,234,568")
        #expect(SummaryFormat.rate(.nan) == "–")
        #expect(SummaryFormat.count(1_234_567) == "1,234,567")
        #expect(SummaryFormat.count(-1_000) == "-1,000")
        #expect(SummaryFormat.count(1, "item") == "1 item" && SummaryFormat.count(2, "item") == "2 items")
        #expect(SummaryFormat.wallClock(0) == "1970-01-01 00:00:00.000 UTC")
        #expect(SummaryFormat.wallClock(1_709_208_000_007_000_000) == "2024-02-29 12:00:00.007 UTC")
        #expect(SummaryFormat.wallClock(4_102_444_799_999_000_000) == "2099-12-31 23:59:59.999 UTC")
    }
}

extension TraceSummaryTests {
    @Test("a span with more children than the limit shows the first ones and counts the rest")
    func manyChildren() {
        var s = TraceScript()
        s.header(runID: 4, pipeline: "wide")
        let root = s.start(.pipelineStart, "wide", at: 0, parent: nil)
        for index in 0..<250 {
            let node = s.start(.nodeStart, "node\(index)", at: Double(index), parent: root)
            s.end(node, at: Double(index) + 0.5)
        }
        s.end(root, at: 300)
        var options = TraceSummary.Options(width: 100)
        options.treeChildren = 100
        let text = TraceSummary.render(TraceModel(records: s.records), options: options)
        #expect(text.contains("├ node99 ") && !text.contains("node100 "))
        #expect(text.contains("└ … 150 more spans (150 with those below)"))
    }
}
