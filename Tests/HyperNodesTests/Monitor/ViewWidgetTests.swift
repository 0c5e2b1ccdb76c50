import HyperNodesMonitor
import Testing

@Suite("Monitor widgets")
struct ViewWidgetTests {
    let unicode = Theme(ascii: false, color: true)
    let ascii = Theme(ascii: true, color: false)

    @Test("a time bar has eighth-block ends and never vanishes")
    func timeBarEighths() {
        let bar = TimeBar(from: 0, to: 1_000, width: 10)
        #expect(bar.cells(start: 0, end: 1_000, theme: unicode).map(\.character) == Array("██████████"))
        // 0 to 250 ns: two and a half cells.
        #expect(bar.cells(start: 0, end: 250, theme: unicode).map(\.character) == Array("██▌"))
        // 450 to 600: starts half way into cell 4.
        let middle = bar.cells(start: 450, end: 600, theme: unicode)
        #expect(middle.map(\.column) == [4, 5])
        #expect(middle.map(\.character) == ["▐", "█"])
        // An instant still shows one eighth.
        #expect(bar.cells(start: 500, end: 500, theme: unicode).map(\.character) == ["▏"])
        #expect(bar.cells(start: 2_000, end: 3_000, theme: unicode).isEmpty)
        #expect(bar.cells(start: 0, end: 250, theme: ascii).map(\.character) == Array("###"))
        // Spans reaching outside the window are clipped to it.
        #expect(bar.cells(start: 0, end: 5_000, theme: unicode).count == 10)
        #expect(TimeBar(from: 500, to: 100, width: 3).to == 501)
        #expect(TimeBar(from: .max, to: 0, width: 3).from == UInt64.max - 1)
    }

    @Test("a progress bar fills in eighths on Unicode and whole cells in ASCII")
    func progressBar() {
        #expect(ProgressBar.parts(0.5, width: 4, theme: unicode) == ("██", "░░"))
        #expect(ProgressBar.parts(0.55, width: 4, theme: unicode) == ("██▏", "░"))
        #expect(ProgressBar.parts(1.5, width: 3, theme: unicode) == ("███", ""))
        #expect(ProgressBar.parts(.nan, width: 2, theme: unicode) == ("", "░░"))
        #expect(ProgressBar.parts(0.5, width: 4, theme: ascii) == ("##", "--"))
        #expect(ProgressBar.parts(0.5, width: 0, theme: ascii) == ("", ""))
    }

    @Test("a sparkline scales to its largest value and shows zero as blank")
    func sparkline() {
        #expect(Sparkline.text([0, 1, 2, 4, 8], theme: unicode) == " ▁▂▄█")
        #expect(Sparkline.text([0, 1, 8], theme: ascii) == " .#")
        #expect(Sparkline.text([.infinity, -1], theme: unicode) == "  ")
        var grid = CellGrid(width: 3, height: 2)
        Sparkline.drawChart([16, 4, 0], into: &grid, in: grid.bounds, style: .plain, theme: unicode)
        #expect(grid.lines == ["█", "█▄"])
    }

    @Test("ruler ticks fall on 1-2-5 steps with readable units")
    func ruler() {
        #expect(MonitorFormat.tickStep(window: 1_000_000_000, cells: 120) == 100_000_000)
        #expect(MonitorFormat.tickStep(window: 1_000_000_000, cells: 40) == 500_000_000)
        #expect(MonitorFormat.tickStep(window: 3_600_000_000_000, cells: 60) == 15 * 60_000_000_000)
        #expect(MonitorFormat.tick(250_000) == "250 µs")
        #expect(MonitorFormat.tick(250_000, ascii: true) == "250 us")
        #expect(MonitorFormat.tick(1_500_000_000) == "1.5 s")
        #expect(MonitorFormat.tick(120_000_000_000) == "2 min")
        #expect(MonitorFormat.tick(90_000_000_000) == "1m30s")
        var grid = CellGrid(width: 40, height: 2)
        TimeRuler.draw(TimeBar(from: 0, to: 1_000_000_000, width: 40), into: &grid, in: grid.bounds, theme: unicode)
        #expect(grid.lines[0] == "0                   500 ms")
        #expect(grid.lines[1] == "┬───────────────────┬───────────────────")
    }

    @Test("durations, rates and ETAs are compact and ASCII when asked")
    func formats() {
        #expect(MonitorFormat.duration(12_300) == "12.3 µs")
        #expect(MonitorFormat.duration(12_300, ascii: true) == "12.3 us")
        #expect(MonitorFormat.rate(0) == "0/s")
        #expect(MonitorFormat.rate(12.34) == "12.3/s")
        #expect(MonitorFormat.rate(12_345) == "12,345/s")
        #expect(MonitorFormat.eta(nil) == "–")
        #expect(MonitorFormat.eta(nil, ascii: true) == "-")
        #expect(MonitorFormat.eta(65_400_000_000) == "1 m 05 s")
        #expect(MonitorFormat.percent(1, of: 3) == "33%")
        #expect(MonitorFormat.percent(3, of: 0) == "0%")
    }

    @Test("a pane draws a titled box and returns its inside; a tiny pane has no border")
    func pane() {
        var grid = CellGrid(width: 12, height: 4)
        let inside = Pane.draw(title: "Details", into: &grid, in: grid.bounds, theme: unicode)
        #expect(inside == Rect(x: 1, y: 1, width: 10, height: 2))
        #expect(grid.lines == ["┌ Details ─┐", "│          │", "│          │", "└──────────┘"])
        var small = CellGrid(width: 3, height: 2)
        #expect(
            Pane.draw(title: "Details", into: &small, in: small.bounds, theme: ascii)
                == Rect(x: 0, y: 1, width: 3, height: 1))
        #expect(small.lines == ["De~", ""])
    }

    @Test("the key bar drops what does not fit instead of cutting it")
    func keyBar() {
        var grid = CellGrid(width: 20, height: 1)
        KeyBar.draw(KeyBar.items(for: MonitorViewState(), theme: unicode), into: &grid, in: grid.bounds, theme: unicode)
        #expect(grid.lines == ["? help  q quit"])
    }

    @Test("the help lists every key binding")
    func helpListsEveryBinding() {
        for theme in [unicode, ascii] {
            var grid = CellGrid(width: 120, height: 40)
            HelpOverlay.draw(into: &grid, in: grid.bounds, theme: theme)
            let text = grid.text
            for binding in KeyBinding.all {
                #expect(text.contains(binding.meaning), "help misses \(binding.meaning)")
                #expect(text.contains(theme.ascii ? binding.asciiLabel : binding.label))
            }
        }
    }

    @Test("the too-small note fits any grid and names the minimum")
    func tooSmall() {
        #expect(TooSmallNote.applies(width: 19, height: 6))
        #expect(TooSmallNote.applies(width: 20, height: 5))
        #expect(!TooSmallNote.applies(width: 20, height: 6))
        var grid = CellGrid(width: 19, height: 5)
        TooSmallNote.draw(into: &grid, theme: unicode)
        #expect(grid.text.contains("too small"))
        #expect(grid.text.contains("20×6"))
        for width in 0...4 {
            for height in 0...3 {
                var tiny = CellGrid(width: width, height: height)
                TooSmallNote.draw(into: &tiny, theme: ascii)
                #expect(tiny.lines.count == height)
            }
        }
    }

    @Test("the search prompt shows the text being typed, then the matches")
    func searchPrompt() {
        var state = MonitorViewState()
        state.isSearching = true
        state.searchText = "embed"
        var grid = CellGrid(width: 30, height: 1)
        SearchPrompt.draw(state, into: &grid, in: grid.bounds, theme: unicode)
        #expect(grid.lines == ["/embed▏"])
        state.isSearching = false
        state.searchQuery = "embed"
        state.matches = [3, 4]
        SearchPrompt.draw(state, into: &grid, in: grid.bounds, theme: unicode)
        #expect(grid.lines == ["search \"embed\": 2 matches"])
    }
}
