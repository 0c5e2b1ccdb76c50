import Foundation
import Testing

@testable import HyperNodes
@testable import HyperNodesTrace

/// The character waterfall on its own (`TraceWaterfall`), plain and in colour.
@Suite("Waterfall rendering")
struct CollectorRenderingTests {
    typealias Scripts = CollectorRenderingScripts

    static var search: TraceModel {
        get throws { try Scripts.recordedModel([(Scripts.search, "search")]) }
    }
    static var everyState: TraceModel {
        get throws { try Scripts.recordedModel([(Scripts.everyState, "states")]) }
    }

    @Test("golden: the search run's waterfall at width 80")
    func golden() throws {
        try Scripts.expectGolden(TraceWaterfall.render(try Self.search, width: 80), "waterfall-search-80.txt")
    }

    @Test("the waterfall is the summary's section, line for line, at every width")
    func sameAsSummary() throws {
        for model in [try Self.search, try Self.everyState] {
            for width in stride(from: 20, through: 160, by: 7) {
                for color in [false, true] {
                    let summary = TraceSummary.render(model, options: TraceSummary.Options(width: width, color: color))
                    let waterfall = TraceWaterfall.render(model, width: width, color: color)
                    let section = summary.components(separatedBy: "\nWaterfall\n")[1].components(separatedBy: "\n\n")[0]
                    #expect(section + "\n" == waterfall, "width \(width), color \(color)")
                }
            }
        }
    }

    @Test("without colour no escape code; with it, stripping the colours gives the plain rows back")
    func colourOnAndOff() throws {
        for model in [try Self.search, try Self.everyState] {
            for width in stride(from: 20, through: 160, by: 7) {
                let plain = TraceWaterfall.render(model, width: width)
                #expect(!plain.contains("\u{1B}"))
                let colored = TraceWaterfall.render(model, width: width, color: true)
                #expect(colored.contains("\u{1B}["))
                let stripped = Scripts.strippingColors(colored)
                #expect(!stripped.contains("\u{1B}"), "an escape code that is not one of the state colours")
                let plainLines = plain.split(separator: "\n", omittingEmptySubsequences: false)
                let strippedLines = stripped.split(separator: "\n", omittingEmptySubsequences: false)
                // The rows are the same; only the legend gains a swatch per colour.
                let rows =
                    plainLines.firstIndex { line in
                        ["… ", "! ", "x ", "> ", "= ", "░▒▓█"].contains { line.hasPrefix($0) }
                    } ?? plainLines.count
                #expect(Array(strippedLines.prefix(rows)) == Array(plainLines.prefix(rows)), "width \(width)")
                for line in strippedLines {
                    #expect(DisplayWidth.of(line) <= width, "width \(width): \(line)")
                }
                for line in colored.split(separator: "\n") {
                    // Every colour is closed on its line.
                    let opened = WaterfallState.allCases.reduce(0) {
                        $0 + line.components(separatedBy: $1.sgr).count - 1
                    }
                    #expect(opened == line.components(separatedBy: WaterfallState.reset).count - 1, "\(line)")
                }
            }
        }
    }

    /// The row of `name` in `text` (the first line whose label starts with it after indentation).
    static func row(_ name: String, in text: String) -> String? {
        text.split(separator: "\n").map(String.init).first {
            $0.drop { $0 == " " }.hasPrefix(name + " ")
        }
    }

    @Test("each state has its own SGR colour on its marker and bar")
    func colourPerState() throws {
        let text = TraceWaterfall.render(try Self.everyState, width: 80, color: true)
        let expected: [(String, WaterfallState)] = [
            ("fine", .ok), ("from_cache", .cached), ("broken", .failed), ("stopped", .cancelled),
            ("still_going", .running),
        ]
        for (name, state) in expected {
            let row = try #require(Self.row(name, in: text), "no row for \(name):\n\(text)")
            // Width 80: a label of 24 cells; every drawn cell of the bar is in the state's colour.
            let cells = Self.cellStates(of: row, labelWidth: 24)
            #expect(cells.contains { $0 != nil } && cells.allSatisfy { $0 == nil || $0 == state }, "\(name): \(row)")
            for other in WaterfallState.allCases where other != state {
                #expect(!row.contains(other.sgr), "\(name) also has \(other): \(row.debugDescription)")
            }
        }
        #expect(
            WaterfallState.allCases.map(\.sgr) == [
                "\u{1B}[32m", "\u{1B}[36m", "\u{1B}[1;31m", "\u{1B}[33m", "\u{1B}[35m",
            ])
        #expect(Set(WaterfallState.allCases.map(\.sgrParameters)).count == WaterfallState.allCases.count)
        // The markers carry the colour too, and the legend names every colour drawn.
        #expect(try #require(Self.row("broken", in: text)).contains(WaterfallState.failed.paint("!")))
        for state in WaterfallState.allCases {
            #expect(text.contains(state.paint("█") + " \(state.word)"), "legend lacks \(state)")
        }
    }

    @Test("a map's row is coloured per cell: the failed item's cells red, the cached item's cyan, the rest green")
    func mapCells() throws {
        let text = TraceWaterfall.render(try Self.search, width: 80, color: true)
        let row = try #require(Self.row("answer", in: text))
        #expect(row.contains(WaterfallState.failed.paint("!")), "the map's marker shows its failed item")
        for state in [WaterfallState.ok, .failed] {
            #expect(row.contains(state.sgr), "\(state): \(row.debugDescription)")
        }
        #expect(!row.contains(WaterfallState.running.sgr) && !row.contains(WaterfallState.cancelled.sgr))
        // Item 5 failed between 620 and 800 ms of 1,300: its cells, and only those, are red.
        // Width 80: a label of 24 cells, a bar of 54 cells over the run's 1,300 ms (trailing blanks cut).
        let cells = Self.cellStates(of: row, labelWidth: 24)
        #expect(cells.count > 40 && cells.count <= 54)
        let cellDuration = 1300.0 / 54
        for (index, state) in cells.enumerated() {
            let from = Double(index) * cellDuration
            let to = from + cellDuration
            let touchesFailure = to > 620 && from < 800
            #expect(
                (state == .failed) == touchesFailure, "cell \(index) (\(from)…\(to) ms): \(String(describing: state))")
        }
        // The cached item (260–262 ms) shares its cells with items that ran: ok wins over cached.
        let states = Waterfall.cellStates(
            of: [(0, 10, .cached), (0, 40, .ok), (50, 60, .cached), (70, 80, .failed), (75, 100, .running)],
            total: 100, cells: 10)
        #expect(states == [.ok, .ok, .ok, .ok, nil, .cached, nil, .failed, .running, .running])
    }

    /// Per bar cell of a coloured row, the state whose colour it is drawn in (`nil` when plain).
    static func cellStates(of row: String, labelWidth: Int) -> [WaterfallState?] {
        var states: [WaterfallState?] = []
        var current: WaterfallState?
        var column = 0
        var rest = Substring(row)
        while !rest.isEmpty {
            if rest.hasPrefix(WaterfallState.reset) {
                current = nil
                rest = rest.dropFirst(WaterfallState.reset.count)
                continue
            }
            if let state = WaterfallState.allCases.first(where: { rest.hasPrefix($0.sgr) }) {
                current = state
                rest = rest.dropFirst(state.sgr.count)
                continue
            }
            if column >= labelWidth + 2 { states.append(rest.first == " " ? nil : current) }
            column += DisplayWidth.of(String(rest.first!))
            rest = rest.dropFirst()
        }
        return states
    }

    @Test("hostile names: escape codes in names are neutralised in colour as without it")
    func hostileNames() throws {
        var s = TraceScript()
        s.runID = 9
        let root = s.start(.pipelineStart, "evil\u{1B}[2J", at: 0, parent: nil)
        let node = s.start(.nodeStart, "red\u{1B}[31m\nnext\u{9B}line", at: 1, parent: root)
        s.end(node, at: 2, status: .error)
        let wide = s.start(.nodeStart, "データ処理データ処理データ処理データ処理🚀🚀🚀", at: 2, parent: root)
        s.end(wide, at: 3)
        s.end(root, at: 3, status: .error)
        let model = try Scripts.recordedModel([(s, "evil")])
        for width in [20, 33, 50, 80] {
            let colored = TraceWaterfall.render(model, width: width, color: true)
            let stripped = Scripts.strippingColors(colored)
            #expect(!stripped.contains("\u{1B}") && !stripped.contains("\u{9B}") && !stripped.contains("\n\n"))
            #expect(stripped.contains("red\u{FFFD}[31m") || width < 50, "\(stripped)")
            for line in stripped.split(separator: "\n") { #expect(DisplayWidth.of(line) <= width, "\(line)") }
        }
    }

    @Test("several runs are titled like in the summary; no runs say so")
    func severalRuns() throws {
        let model = try Scripts.recordedModel([(Scripts.search, "search"), (Scripts.everyState, "states")])
        let text = TraceWaterfall.render(model, width: 80)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "Run 1 of 2: search")
        let second = try #require(lines.firstIndex(of: "Run 2 of 2: states"))
        #expect(lines[second - 1] == "")
        let first = TraceWaterfall.render(TraceModel(runs: [model.runs[0]]), width: 80)
        #expect(lines[1..<(second - 1)].joined(separator: "\n") + "\n" == first)
        #expect(TraceWaterfall.render(TraceModel(runs: []), width: 80) == "The trace holds no runs.\n")
        #expect(TraceWaterfall.render(model, width: 3) == TraceWaterfall.render(model, width: 20))
    }
}
