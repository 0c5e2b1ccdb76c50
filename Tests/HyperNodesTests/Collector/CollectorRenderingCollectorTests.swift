import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// `summary()`, `waterfall(width:color:)` and `html(title:)` of a `TraceCollector`
/// and of one `CollectedRun`: the same text and page as the `hypernodes` commands.
@Suite("Rendering from a TraceCollector")
struct CollectorRenderingCollectorTests {
    typealias Scripts = CollectorRenderingScripts

    /// A collector that saw the scripted runs.
    static func collector(_ scripts: [(TraceScript, String)]) -> TraceCollector {
        let collector = TraceCollector()
        Scripts.play(scripts, into: collector)
        return collector
    }

    @Test("golden: waterfall(width: 80) of the search run, on the collector and on its run")
    func golden() throws {
        let collector = Self.collector([(Scripts.search, "search")])
        let text = collector.waterfall(width: 80)
        try Scripts.expectGolden(text, "waterfall-search-80.txt")
        let run = try #require(collector.lastRun)
        #expect(run.waterfall(width: 80) == text)
        #expect(!text.contains("\u{1B}"))
        // The same text as the trace file a recorder writes for the same events.
        #expect(TraceWaterfall.render(try Scripts.recordedModel([(Scripts.search, "search")]), width: 80) == text)
        // In colour: the same rows with SGR codes.
        let colored = collector.waterfall(width: 80, color: true)
        #expect(colored == run.waterfall(width: 80, color: true))
        #expect(colored == TraceWaterfall.render(collector.model, width: 80, color: true))
        #expect(colored.contains(WaterfallState.failed.sgr) && colored.contains(WaterfallState.cached.sgr))
        #expect(collector.waterfall() == TraceWaterfall.render(collector.model, width: 100))
    }

    @Test("a real run: the collector draws what the recorder's file draws, plain and in colour")
    func realRun() async throws {
        let directory = TemporaryDirectory("hn-render")
        let path = directory.url.appendingPathComponent("run.jsonl").path
        let collector = TraceCollector()
        let recorder = try TraceRecorder(path: path)
        try await CollectedFailureFixture.run(callbacks: [collector, recorder])
        recorder.close()
        let file = try TraceModel(path: path)
        for width in [40, 80, 132] {
            #expect(collector.waterfall(width: width) == TraceWaterfall.render(file, width: width))
            #expect(
                collector.waterfall(width: width, color: true) == TraceWaterfall.render(file, width: width, color: true)
            )
        }
        let text = collector.waterfall(width: 80)
        #expect(text.contains("clean ×30"), "\(text)")
        #expect(text.contains("! error"), "\(text)")
        // The failed items' cells are red in colour.
        #expect(collector.waterfall(width: 80, color: true).contains(WaterfallState.failed.sgr))
    }

    @Test("summary() is the text of hypernodes summary for the file write(to:) wrote")
    func summary() async throws {
        let directory = TemporaryDirectory("hn-render")
        let path = directory.url.appendingPathComponent("runs.jsonl").path
        let collector = Self.collector([(Scripts.search, "search"), (Scripts.everyState, "states")])
        try collector.write(to: path)
        #expect(collector.summary() == TraceSummary.render(collector.model, width: 100))
        #expect(collector.summary(width: 60) == TraceSummary.render(try TraceModel(path: path), width: 60))
        let cli = try await Executable.run(["summary", path, "--width", "60"])
        #expect(cli.status == 0, "\(cli)")
        #expect(cli.stdout == collector.summary(width: 60))
        #expect(
            collector.summary().contains("Run 1 of 2: search") && collector.summary().contains("Run 2 of 2: states"))
        // One run alone: its own summary and waterfall, without the other run.
        let runs = collector.runs
        #expect(runs.count == 2)
        #expect(runs[0].summary() == TraceSummary.render(TraceModel(runs: [collector.model.runs[0]]), width: 100))
        #expect(runs[0].summary().hasPrefix("Run: search\n") && !runs[0].summary().contains("states"))
        #expect(collector.waterfall(width: 80).contains("Run 2 of 2: states"))
        #expect(
            runs[1].waterfall(width: 80)
                == TraceWaterfall.render(TraceModel(runs: [collector.model.runs[1]]), width: 80))
    }

    @Test("html() is the page hypernodes export --format html writes for the file write(to:) wrote")
    func html() async throws {
        let directory = TemporaryDirectory("hn-render")
        let path = directory.url.appendingPathComponent("runs.jsonl").path
        let collector = Self.collector([(Scripts.search, "search"), (Scripts.everyState, "states")])
        try collector.write(to: path)
        let plain = try await Executable.run(["export", path, "--format", "html", "-o", "-"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout == collector.html())
        let titled = try await Executable.run([
            "export", path, "--format", "html", "--title", "<Nightly & co>", "-o", "-",
        ])
        #expect(titled.status == 0, "\(titled.stderr)")
        #expect(titled.stdout == collector.html(title: "<Nightly & co>"))
        #expect(titled.stdout.contains("<title>&lt;Nightly &amp; co&gt;</title>"))
        // One run's page holds that run only.
        let last = try #require(collector.lastRun)
        #expect(last.html() == String(decoding: HTMLWaterfallExporter().export(last.model), as: UTF8.self))
        #expect(last.html().contains("states") && !last.html().contains("load_corpus"))
    }

    @Test("an empty collector renders no runs, like an empty trace")
    func empty() {
        let collector = TraceCollector()
        #expect(collector.waterfall() == "The trace holds no runs.\n")
        #expect(collector.summary() == "The trace holds no runs.\n")
        #expect(
            collector.html() == String(decoding: HTMLWaterfallExporter().export(TraceModel(runs: [])), as: UTF8.self))
        Scripts.play([(Scripts.search, "search")], into: collector)
        #expect(collector.waterfall() != "The trace holds no runs.\n")
        collector.clear()
        #expect(collector.waterfall() == "The trace holds no runs.\n")
    }
}
