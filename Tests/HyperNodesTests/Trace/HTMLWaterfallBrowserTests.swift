import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// The HTML waterfall in a real browser: headless Chromium loads the page, runs its script, and
/// prints the resulting document (`--dump-dom`). CI installs the `chromium` package.
@Suite("HTML waterfall in headless Chromium")
struct HTMLWaterfallBrowserTests {
    /// The first Chromium on the `PATH`, if any.
    static let browser: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// Whether the browser tests run: when a Chromium is on the `PATH`, and always when
    /// `HYPERNODES_REQUIRE_BROWSER` is set (CI sets it), so that a missing browser fails them there
    /// instead of skipping them.
    static let runs = browser != nil || ProcessInfo.processInfo.environment["HYPERNODES_REQUIRE_BROWSER"] != nil

    /// The document Chromium holds after loading `page` with `fragment` in its address.
    func dumpDOM(_ page: [UInt8], fragment: String, in directory: TemporaryDirectory) async throws -> String {
        let file = directory.url.appendingPathComponent("page.html")
        try Data(page).write(to: file)
        let chromium = try ChildProcess(
            try #require(Self.browser),
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=\(directory.url.appendingPathComponent("profile").path)",
                "--virtual-time-budget=2000", "--dump-dom", file.absoluteString + fragment,
            ], directory: directory.url, label: "chromium")
        let status = try await chromium.wait(timeout: .seconds(90), what: "chromium --dump-dom")
        #expect(status == 0, "\(chromium.tail())")
        return chromium.stdout
    }

    @Test(
        "the script runs: #expand=all opens every map into its lanes, a plain address leaves them closed",
        .enabled(if: runs, "no chromium on the PATH"))
    func expandsLanes() async throws {
        let directory = TemporaryDirectory("hn-html-browser")
        let page = HTMLWaterfallExporter().export(TraceModel(records: HTMLWaterfallTests.collected.records))
        let opened = try await dumpDOM(page, fragment: "#expand=all", in: directory)
        #expect(opened.contains("class=\"js\"") && opened.contains("data-ready=\"true\""), "\(opened.prefix(400))")
        let shown = HTMLWaterfallPage(Array(opened.utf8)).collapsed
        let lanes = HTMLWaterfallPage.rows(in: shown).filter { $0.state == "lane" }
        #expect(lanes.map(\.name) == ["lane 0", "lane 1"])
        #expect(shown.contains("aria-expanded=\"true\""))
        // The items in the opened lanes, each with its tooltip, the two failures among them.
        #expect(HTMLWaterfallPage.count("<title>clean_row[", in: shown) == 8)

        let closed = try await dumpDOM(page, fragment: "", in: directory)
        #expect(closed.contains("data-ready=\"true\""))
        let closedShown = HTMLWaterfallPage(Array(closed.utf8)).collapsed
        #expect(HTMLWaterfallPage.rows(in: closedShown).map(\.name) == ["cleaning", "load", "clean_row", "report"])
        #expect(HTMLWaterfallPage.count("<title>clean_row[", in: closedShown) == 0)
        let failedBars = "<rect class=\"s-failed\""
        #expect(
            HTMLWaterfallPage.count(failedBars, in: shown) - HTMLWaterfallPage.count(failedBars, in: closedShown) == 2)
    }

    @Test(
        "hovering a map row or an item shows its details in the page's tooltip",
        .enabled(if: runs, "no chromium on the PATH"))
    func tooltips() async throws {
        let directory = TemporaryDirectory("hn-html-browser")
        let page = HTMLWaterfallExporter().export(TraceModel(records: HTMLWaterfallTests.collected.records))
        // After the page's own script: hover the map's name, then a failed item, and keep what the tooltip said.
        let probe = """
            <script>(function(){var out=[];function hover(el){el.dispatchEvent(new MouseEvent("mouseover",\
            {bubbles:true,clientX:20,clientY:20}));var t=document.getElementById("hn-tip");\
            out.push(t.style.display+"|"+t.textContent)}hover(document.querySelector(".row.map .n"));\
            hover(document.querySelector(".row.lane rect.s-failed"));\
            document.body.setAttribute("data-tips",out.join("\\n---\\n"))})();</script>
            </body>
            """
        let text = String(decoding: page, as: UTF8.self).replacingOccurrences(of: "</body>", with: probe)
        let dom = try await dumpDOM(Array(text.utf8), fragment: "#expand=all", in: directory)
        let start = try #require(dom.range(of: "data-tips=\""))
        let end = try #require(dom.range(of: "\"", range: start.upperBound..<dom.endIndex))
        let tips = HTMLWaterfallPage.unescape(String(dom[start.upperBound..<end.lowerBound]))
            .components(separatedBy: "\n---\n")
        #expect(tips.count == 2, "\(tips)")
        guard tips.count == 2 else { return }
        #expect(tips[0].hasPrefix("block|clean_row\nmap · lane 0\n"), "\(tips[0])")
        #expect(tips[0].contains("items: 8 · done 8 · failed 2"), "\(tips[0])")
        #expect(tips[1].hasPrefix("block|clean_row[6] · map item · lane 0\n"), "\(tips[1])")
        #expect(tips[1].contains("status: failed") && tips[1].contains("error: Cleaning.RowError: row 6: bad date"))
    }

    @Test(
        "dragging across the time axis zooms every row into that window; double-clicking the axis shows the whole run",
        .enabled(if: runs, "no chromium on the PATH"))
    func zoom() async throws {
        let directory = TemporaryDirectory("hn-html-browser")
        let page = HTMLWaterfallExporter().export(TraceModel(records: ScriptedTraces.analysis.records))
        // Drag from 10 % to 30 % of the axis of a 2 s run (200 ms to 600 ms), note the ticks, then double-click.
        let probe = """
            <script>(function(){var wf=document.querySelector(".wf"),tr=wf.querySelector(".ticks"),\
            r=tr.getBoundingClientRect(),out=[];function ev(t,x,target){(target||document).dispatchEvent(\
            new MouseEvent(t,{bubbles:true,button:0,clientX:r.left+x*r.width,clientY:r.top+5}))}\
            function ticks(){return Array.prototype.map.call(tr.querySelectorAll("span"),function(s){\
            return s.textContent}).join(" ")}ev("mousedown",0.1,tr);ev("mousemove",0.3);ev("mouseup",0.3);\
            out.push(wf.className+"|"+wf.getAttribute("data-zoom")+"|"+ticks());\
            ev("dblclick",0.5,tr);out.push(wf.className+"|"+wf.getAttribute("data-zoom")+"|"+ticks());\
            document.body.setAttribute("data-zoom-probe",out.join("\\n"))})();</script>
            </body>
            """
        let text = String(decoding: page, as: UTF8.self).replacingOccurrences(of: "</body>", with: probe)
        let dom = try await dumpDOM(Array(text.utf8), fragment: "", in: directory)
        let start = try #require(dom.range(of: "data-zoom-probe=\""))
        let end = try #require(dom.range(of: "\"", range: start.upperBound..<dom.endIndex))
        let lines = HTMLWaterfallPage.unescape(String(dom[start.upperBound..<end.lowerBound]))
            .components(separatedBy: "\n")
        #expect(lines.count == 2, "\(lines)")
        guard lines.count == 2 else { return }
        let zoomed = lines[0].components(separatedBy: "|")
        #expect(zoomed.count == 3 && zoomed[0] == "wf zoomed", "\(lines[0])")
        let window = zoomed[1].split(separator: ",").compactMap { Double($0) }
        #expect(window.count == 2 && abs(window[0] - 0.1) < 0.01 && abs(window[1] - 0.3) < 0.01, "\(lines[0])")
        // 50 ms steps over the window (its ends fall within a pixel of 200 and 600 ms).
        let labels = zoomed.last?.components(separatedBy: " ms").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        #expect(labels.contains("250") && labels.contains("550") && !labels.contains("650"), "\(lines[0])")
        #expect(lines[1].hasPrefix("wf|0,1|0 200 ms 400 ms"), "\(lines[1])")
        #expect(lines[1].hasSuffix("1.8 s 2 s"), "\(lines[1])")
    }
}
