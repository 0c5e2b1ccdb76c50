import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// The HTML waterfall export: the same rows as the monitor's waterfall, escaping, the bad cases, size bounds.
@Suite("HTML waterfall export")
struct HTMLWaterfallTests {
    func page(_ script: TraceScript, title: String? = nil) -> HTMLWaterfallPage {
        HTMLWaterfallPage(HTMLWaterfallExporter(title: title).export(TraceModel(records: script.records)))
    }

    /// The page with every lane template opened in place: what a browser shows with `#expand=all`.
    func expanded(_ page: HTMLWaterfallPage) -> String {
        var text = page.text
        while let open = text.range(of: "<template id=\"lanes-") {
            let tagEnd = text.range(of: "\">", range: open.upperBound..<text.endIndex)!
            text.removeSubrange(open.lowerBound..<tagEnd.upperBound)
            let close = text.range(of: "</template>")!
            text.removeSubrange(close)
        }
        return text
    }

    @Test("the rows (labels, order, depth, state) are the monitor's waterfall rows, with maps closed and opened")
    func sameRowsAsMonitor() {
        for script in [ScriptedTraces.analysis, ScriptedTraces.failedThenTruncated, Self.collected, Self.hostile] {
            let page = page(script)
            let rows = HTMLWaterfallPage.rows(in: page.collapsed)
            let monitor = HTMLWaterfallPage.monitorRows(script.records)
            #expect(!rows.isEmpty)
            let listing = rows.map(\.description).joined(separator: "\n")
            let expected = monitor.map(\.description).joined(separator: "\n")
            #expect(rows == monitor, "page:\n\(listing)\nmonitor:\n\(expected)")
            let open = HTMLWaterfallPage.rows(in: expanded(page))
            let monitorOpen = HTMLWaterfallPage.monitorRows(script.records, expanded: true)
            #expect(open == monitorOpen, "page:\n\(open.map(\.description).joined(separator: "\n"))")
        }
    }

    @Test(
        "a recorded run of a map that collected failures: the monitor's rows, with and without item spans",
        arguments: [true, false])
    func recordedRun(itemSpans: Bool) async throws {
        let directory = TemporaryDirectory("hypernodes-html")
        let path = directory.url.appendingPathComponent("collected.jsonl").path
        var options = TraceRecorder.Options()
        options.itemSpans = itemSpans
        let recorder = try TraceRecorder(path: path, options: options)
        try await CollectedFailureFixture.run(callbacks: [recorder], maxConcurrency: 3)
        recorder.close()
        let (records, problems) = try TraceReader(path: path).readAll()
        #expect(problems.isEmpty)
        let page = HTMLWaterfallPage(HTMLWaterfallExporter().export(try TraceModel(path: path)))
        let rows = HTMLWaterfallPage.rows(in: page.collapsed)
        #expect(rows == HTMLWaterfallPage.monitorRows(records), "\(rows)")
        #expect(HTMLWaterfallPage.rows(in: expanded(page)) == HTMLWaterfallPage.monitorRows(records, expanded: true))
        #expect(page.collapsed.contains("×30 <span class=\"bad\">4 failed</span>"))
        #expect(page.templates.count == (itemSpans ? 1 : 0))
        if itemSpans {
            let lanes = try #require(page.templates.values.first)
            #expect(HTMLWaterfallPage.count("<title>clean[", in: lanes) == 30)
            #expect(HTMLWaterfallPage.count("<rect class=\"s-failed", in: lanes) == 4)
            #expect(lanes.contains("error: HyperNodesTests.CollectedFailureFixture.BadRow: bad row 3"))
        }
    }

    @Test(
        "the sample traces in demos/traces: each page has the monitor's rows, its maps' lanes, and stays small",
        arguments: ["cleaning", "longrun-short", "retrieval-cold", "retrieval-cached"])
    func sampleTraces(_ name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("demos/traces/\(name).jsonl").path
        let (records, problems) = try TraceReader(path: path).readAll()
        #expect(problems.isEmpty)
        let bytes = HTMLWaterfallExporter().export(try TraceModel(path: path))
        #expect(bytes.count < 400_000, "\(bytes.count) bytes")
        let page = HTMLWaterfallPage(bytes)
        let rows = HTMLWaterfallPage.rows(in: page.collapsed)
        #expect(!rows.isEmpty && rows == HTMLWaterfallPage.monitorRows(records))
        #expect(HTMLWaterfallPage.rows(in: expanded(page)) == HTMLWaterfallPage.monitorRows(records, expanded: true))
    }

    @Test("the analysis run: header facts, axis ticks at 1-2-5 steps, map row with its density and lanes")
    func analysis() throws {
        let page = page(ScriptedTraces.analysis)
        let text = page.text
        #expect(text.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(text.hasSuffix("</html>\n"))
        #expect(text.contains("<title>analysis · waterfall</title>"))
        #expect(text.contains("<dt>started</dt><dd>2026-01-02 03:04:05.678 UTC</dd>"))
        #expect(text.contains("<dt>duration</dt><dd>2.00 s</dd>"))
        #expect(text.contains("<dt>run</dt><dd>00000000c0ffee01</dd>"))
        #expect(text.contains("<span class=\"badge s-ok\">✓ ok</span>"))
        // Ticks every 200 ms over 2 s.
        for label in ["0", "200 ms", "1 s", "1.8 s", "2 s"] {
            #expect(text.contains("\">\(label)</span>"), "\(label)")
        }
        #expect(!text.contains(">2.2 s</span>"))
        // The map: one row with its item count, a density strip, and its three lanes in a template.
        let collapsed = page.collapsed
        #expect(HTMLWaterfallPage.count("<div class=\"row map", in: collapsed) == 1)
        #expect(collapsed.contains("<span class=\"x\">×6</span>"))
        #expect(collapsed.contains("<svg class=\"dens s-ok\""))
        let templates = page.templates
        #expect(templates.count == 1)
        let lanes = try #require(templates.values.first)
        #expect(HTMLWaterfallPage.count("<div class=\"row lane\"", in: lanes) == 3)
        // Items one by one, each with its tooltip: index, times, nodes inside; the cached item hatched.
        #expect(HTMLWaterfallPage.count("<rect class=\"s-", in: lanes) == 6)
        #expect(lanes.contains("<title>document_analysis[4] · map item · lane 1\n"))
        #expect(lanes.contains("<rect class=\"s-cached\""))
        #expect(lanes.contains("nodes: tokenize 200 ms, embed 399 ms"))
        // The cached node is a diamond, and its label has no duration.
        #expect(collapsed.contains("<svg class=\"mk s-cached\""))
        // The CJK name as it is.
        #expect(text.contains("<span class=\"n\">報告_report</span>"))
        // A pipeline's bar is pale where its children ran and solid where it ran itself.
        #expect(collapsed.contains("class=\"s-ok ct\""))
    }

    @Test("names, attributes and errors are escaped: no markup, no script, no control characters get through")
    func hostileNames() {
        let page = page(Self.hostile)
        let text = page.text
        #expect(HTMLWaterfallPage.count("<script", in: text) == 1)
        #expect(HTMLWaterfallPage.count("</script", in: text) == 1)
        #expect(!text.contains("<svg onload"))
        #expect(!text.contains("<img"))
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{0}"))
        #expect(text.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(text.contains("&lt;svg onload=alert(1)&gt;"))
        #expect(text.contains("&quot;quoted&quot; &amp; &#39;single&#39;"))
        #expect(text.contains("データ処理 🚀 emoji"))
        #expect(text.contains("\u{FFFD}[31mred"))
        // Every row survives with its name intact.
        let names = HTMLWaterfallPage.rows(in: page.collapsed).map(\.name)
        #expect(names.contains("</script><script>alert(1)</script>"))
        #expect(names.contains("<svg onload=alert(1)>"))
        #expect(names.contains("\"quoted\" & 'single'"))
        // The title too.
        let titled = HTMLWaterfallExporter(title: "</title><script>x</script>").export(TraceModel(records: []))
        let titledText = String(decoding: titled, as: UTF8.self)
        #expect(titledText.contains("<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>"))
        #expect(HTMLWaterfallPage.count("<script", in: titledText) == 1)
    }

    @Test("the page is self-contained: no address to load, no external resource")
    func selfContained() {
        for script in [ScriptedTraces.analysis, ScriptedTraces.failedThenTruncated, Self.collected] {
            let text = page(script).text
            #expect(!text.contains("http://") && !text.contains("https://"))
            #expect(!text.contains(" src=") && !text.contains("@import") && !text.contains("<link"))
            #expect(!text.contains("href=\"") || !text.contains("href=\"/"))
            let links = text.components(separatedBy: "href=\"").dropFirst()
            #expect(links.allSatisfy { $0.hasPrefix("#") })
        }
    }

    @Test("an empty trace, and a run without spans, give a page that says so")
    func empty() {
        let none = HTMLWaterfallPage(HTMLWaterfallExporter().export(TraceModel(records: [])))
        #expect(none.text.contains("This trace holds no runs."))
        #expect(none.text.contains("<title>Trace waterfall</title>"))
        #expect(none.text.hasSuffix("</html>\n"))
        var s = TraceScript()
        s.header(runID: 9, pipeline: "idle")
        let headerOnly = page(s)
        #expect(headerOnly.text.contains("No spans were recorded in this run."))
        #expect(headerOnly.text.contains("<span class=\"badge s-unfinished\">◌ unfinished</span>"))
    }

    @Test("a failed run names where it failed and with which error; failed rows are marked with ✗")
    func failedRun() {
        let page = page(ScriptedTraces.failedThenTruncated)
        let text = page.text
        #expect(text.contains("<span class=\"badge s-failed\">✗ failed</span>"))
        #expect(
            text.contains(
                "Failed in <b>outer › wrapper › inner › inner › boom</b>: Checks.ParseError: bad header in "
                    + "&quot;input.csv&quot;\nline 3"))
        let rows = HTMLWaterfallPage.rows(in: page.collapsed)
        #expect(rows.filter { $0.state == "failed" }.map(\.name) == ["outer", "wrapper", "inner", "inner", "boom"])
        #expect(text.contains("<text class=\"fx\""))
    }

    @Test("a run cut off by a crash: a note, unfinished rows that end at the last record, its map's items")
    func unfinishedRun() {
        let page = page(ScriptedTraces.failedThenTruncated)
        let text = page.text
        #expect(text.contains("<span class=\"badge s-unfinished\">◌ unfinished</span>"))
        #expect(text.contains("The trace ends before this run did"))
        #expect(
            text.contains("3 spans never closed; they are drawn unfinished, up to the run's last record at +300 ms"))
        let rows = HTMLWaterfallPage.rows(in: page.collapsed)
        #expect(rows.suffix(3).map(\.state) == ["unfinished", "ok", "unfinished"])
        // The map had 100 items; two started, one is unfinished.
        #expect(text.contains("×100"))
        #expect(text.contains("status: unfinished (the trace ends before the span did)"))
    }

    @Test("a file cut off in the middle of a line: the lines that could not be read are listed")
    func cutOffFile() throws {
        var bytes = ScriptedTraces.analysis.bytes
        bytes.removeLast(bytes.count / 3)
        let directory = TemporaryDirectory("hypernodes-html")
        let path = directory.url.appendingPathComponent("cut.jsonl").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let model = try TraceModel(path: path)
        #expect(!model.problems.isEmpty)
        let page = HTMLWaterfallPage(HTMLWaterfallExporter().export(model))
        #expect(page.text.contains("of the file could not be read"))
        #expect(page.text.contains("The trace ends before this run did"))
        #expect(HTMLWaterfallPage.rows(in: page.collapsed).contains { $0.state == "unfinished" })
    }

    @Test("several runs: one section each with its own header, and links to them")
    func severalRuns() {
        let text = page(ScriptedTraces.failedThenTruncated).text
        #expect(HTMLWaterfallPage.count("<section class=\"run\"", in: text) == 2)
        #expect(text.contains("<section class=\"run\" id=\"run-1\">") && text.contains("id=\"run-2\""))
        #expect(text.contains("<a href=\"#run-1\">✗ outer</a>") && text.contains("<a href=\"#run-2\">◌ batch</a>"))
        #expect(text.contains("<title>outer, batch · waterfall</title>"))
        #expect(text.contains("2026-01-02 03:05:05.678 UTC"))
    }

    @Test("a map that collected failures: its row counts them and marks where they ended; lanes show them")
    func collectedFailures() throws {
        let page = page(Self.collected)
        let collapsed = page.collapsed
        #expect(collapsed.contains("×8 <span class=\"bad\">2 failed</span>"))
        #expect(collapsed.contains("<path class=\"fails\""))
        #expect(collapsed.contains("<dt>maps</dt><dd>1 · 8 items done · 2 failed</dd>"))
        let lanes = try #require(page.templates.values.first)
        #expect(HTMLWaterfallPage.count("<rect class=\"s-failed\"", in: lanes) == 2)
        #expect(lanes.contains("error: Cleaning.RowError: row 3: bad date"))
        #expect(lanes.contains("2 · <span class=\"bad\">") || lanes.contains("<span class=\"bad\">1 failed</span>"))
        // The run itself is ok.
        #expect(page.text.contains("<span class=\"badge s-ok\">✓ ok</span>"))
    }

    @Test("a map of 100,000 items: the page stays small and the closed view has a handful of SVG elements")
    func largeMap() throws {
        var s = TraceScript()
        s.header(runID: 0x100000, pipeline: "big")
        let root = s.start(.pipelineStart, "big", at: 0, parent: nil)
        let map = s.start(.mapStart, "each", at: 0, parent: root, items: 100_000)
        for index in 0..<100_000 {
            let lane = index % 8
            let start = Double(index / 8) * 0.05
            let item = s.start(.mapItemStart, "each", at: start, parent: map, lane: lane, item: index)
            s.end(item, at: start + 0.045, status: index % 9_973 == 0 ? .error : .ok)
        }
        s.end(map, at: 625)
        s.end(root, at: 626)
        s.runEnd(at: 626)
        let bytes = HTMLWaterfallExporter().export(TraceModel(records: s.records))
        #expect(bytes.count < 200_000, "\(bytes.count) bytes")
        let page = HTMLWaterfallPage(bytes)
        let collapsed = page.collapsed
        let elements = ["<rect", "<path", "<svg", "<text"].map { HTMLWaterfallPage.count($0, in: collapsed) }.reduce(
            0, +)
        #expect(elements < 60, "\(elements) SVG elements")
        let lanes = try #require(page.templates.values.first)
        #expect(HTMLWaterfallPage.count("<div class=\"row lane\"", in: lanes) == 8)
        #expect(HTMLWaterfallPage.count("<svg class=\"agg\"", in: lanes) == 8)
        #expect(lanes.contains("lane 0 · 12,500 items"))
        #expect(HTMLWaterfallPage.count("<path class=\"fails\"", in: lanes) >= 1)
        #expect(collapsed.contains("×100,000 <span class=\"bad\">11 failed</span>"))
    }

    @Test("a map whose items ran on 300 lanes (a damaged trace) draws 256 and says how many more there are")
    func manyLanes() throws {
        var s = TraceScript()
        s.header(runID: 0x300, pipeline: "wide")
        let root = s.start(.pipelineStart, "wide", at: 0, parent: nil)
        let map = s.start(.mapStart, "each", at: 0, parent: root, items: 300)
        for index in 0..<300 {
            let item = s.start(.mapItemStart, "each", at: 1, parent: map, lane: index, item: index)
            s.end(item, at: 2)
        }
        s.end(map, at: 3)
        s.end(root, at: 3)
        s.runEnd(at: 3)
        let lanes = try #require(page(s).templates.values.first)
        #expect(HTMLWaterfallPage.count("<div class=\"row lane\"", in: lanes) == 256)
        #expect(lanes.contains("<div class=\"lane more\" data-of=\"r0m1\">… 44 more lanes not drawn</div>"))
    }

    @Test("random damaged traces give whole pages whose rows are the monitor's")
    func randomDamage() {
        var random = SeededGenerator(state: 0x47)
        for round in 0..<30 {
            var s = TraceScript()
            s.header(runID: UInt64(round), pipeline: "soup")
            for _ in 0..<200 {
                let kinds = EventKind.allCases
                s.event(
                    kinds[Int(random.next() % UInt64(kinds.count))], "n\(random.next() % 3)",
                    span: 1 + random.next() % 30, parent: random.next() % 4 == 0 ? nil : 1 + random.next() % 30,
                    at: Double(random.next() % 100), status: SpanStatus(rawValue: UInt8(random.next() % 5))!,
                    duration: Double(random.next() % 100), lane: Int(random.next() % 3))
            }
            let page = page(s)
            #expect(page.text.hasSuffix("</script>\n</body>\n</html>\n"))
            let opened = HTMLWaterfallPage.count("<div", in: page.text)
            #expect(opened == HTMLWaterfallPage.count("</div>", in: page.text), "round \(round)")
            let rows = HTMLWaterfallPage.rows(in: page.collapsed)
            let monitor = HTMLWaterfallPage.monitorRows(s.records)
            #expect(rows == monitor, "round \(round):\n\(rows)\n\(monitor)")
        }
    }

    @Test("escaping keeps text, replaces control characters, and percentages are exact to three decimals")
    func textHelpers() {
        #expect(HTMLWaterfallText.escape("a<b>&\"c'\td\ne") == "a&lt;b&gt;&amp;&quot;c&#39;\td\ne")
        #expect(HTMLWaterfallText.escape("\u{7}\u{1B}x\u{9B}") == "\u{FFFD}\u{FFFD}x\u{FFFD}")
        #expect(HTMLWaterfallText.escapeLine("two\nlines") == "two lines")
        #expect(HTMLWaterfallText.percent(1, of: 3) == "33.333")
        #expect(HTMLWaterfallText.percent(5, of: 10) == "50")
        #expect(HTMLWaterfallText.percent(20, of: 10) == "100")
        #expect(HTMLWaterfallText.percent(0, of: 0) == "0")
        #expect(HTMLWaterfallText.tickStep(total: 2_000_000_000) == 200_000_000)
        #expect(HTMLWaterfallText.tickStep(total: 45 * 60_000_000_000) == 5 * 60_000_000_000)
        #expect(HTMLWaterfallText.tick(120_000_000_000) == "2 min")
        #expect(HTMLWaterfallText.tick(150_000_000_000) == "2m30s")
    }

    /// A map of eight items over two lanes that collected two failures: the map and the run end ok.
    static var collected: TraceScript {
        var s = TraceScript()
        s.header(runID: 0xC011, pipeline: "cleaning")
        let root = s.start(.pipelineStart, "cleaning", at: 0, parent: nil)
        let load = s.start(.nodeStart, "load", at: 0, parent: root)
        s.end(load, at: 10)
        let map = s.start(.mapStart, "clean_row", at: 10, parent: root, items: 8)
        for index in 0..<8 {
            let lane = index % 2
            let start = 10 + Double(index / 2) * 20
            let item = s.start(.mapItemStart, "clean_row", at: start, parent: map, lane: lane, item: index)
            let pipeline = s.start(.pipelineStart, "clean_row", at: start, parent: item, lane: lane, depth: 1)
            let node = s.start(.nodeStart, "parse_row", at: start, parent: pipeline, lane: lane, depth: 1)
            if index == 3 || index == 6 {
                let failure = ErrorInfo(type: "Cleaning.RowError", message: "row \(index): bad date")
                s.error(node, at: start + 15, failure)
                s.end(node, at: start + 15, status: .error, error: failure)
                s.end(pipeline, at: start + 15, status: .error)
                s.end(item, at: start + 15, status: .error, error: failure)
            } else {
                s.end(node, at: start + 18)
                s.end(pipeline, at: start + 18)
                s.end(item, at: start + 18)
            }
        }
        s.progress(map, "clean_row", at: 90, total: 8, done: 8, failed: 2, inFlight: 0)
        s.end(map, at: 90)
        let report = s.start(.nodeStart, "report", at: 90, parent: root)
        s.end(report, at: 95)
        s.end(root, at: 95)
        s.runEnd(at: 95)
        return s
    }

    /// Names, attributes and errors made to break out of HTML.
    static var hostile: TraceScript {
        var s = TraceScript()
        s.header(runID: 0x666, pipeline: "</script><script>alert(1)</script>")
        let root = s.start(.pipelineStart, "</script><script>alert(1)</script>", at: 0, parent: nil)
        let svg = s.start(
            .nodeStart, "<svg onload=alert(1)>", at: 0, parent: root,
            attributes: ["<img src=x onerror=alert(1)>": "\"><script>alert(2)</script>"])
        s.end(svg, at: 5)
        let quoted = s.start(.nodeStart, "\"quoted\" & 'single'", at: 5, parent: root)
        s.end(quoted, at: 6)
        let cjk = s.start(.nodeStart, "データ処理 🚀 emoji", at: 6, parent: root)
        s.end(cjk, at: 9)
        let control = s.start(.nodeStart, "\u{1B}[31mred\u{0}", at: 9, parent: root)
        let failure = ErrorInfo(type: "<b>Bad</b>", message: "</title></script><iframe>")
        s.error(control, at: 10, failure)
        s.end(control, at: 10, status: .error, error: failure)
        s.end(root, at: 10, status: .error, error: failure)
        s.runEnd(at: 10, status: .error)
        return s
    }
}
