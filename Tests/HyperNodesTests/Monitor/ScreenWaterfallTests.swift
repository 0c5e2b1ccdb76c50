import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace
import Testing

@Suite("Monitor waterfall lanes")
struct ScreenWaterfallTests {
    typealias E = ScreenFixtures

    /// A map of `items` back-to-back items of 1 ms on two lanes; item 101 (lane 1) fails.
    static func dense(items: Int) -> [TraceRecord] {
        var records: [TraceRecord] = [
            E.event(.pipelineStart, id: 1, parent: nil, "run", at: 0),
            E.event(.mapStart, id: 2, parent: 1, "many", at: 0, count: items),
        ]
        for item in 0..<items {
            let lane = item % 2
            let begin = UInt64(item / 2) * E.ms
            let id = UInt64(10 + item)
            let status: SpanStatus = item == 101 ? .error : .ok
            records.append(E.event(.mapItemStart, id: id, parent: 2, "many", at: begin, lane: lane, item: item))
            records.append(
                E.event(.mapItemEnd, status, id: id, parent: 2, "many", at: begin + E.ms, lane: lane, item: item))
        }
        let end = UInt64(items / 2) * E.ms
        records.append(E.event(.mapEnd, .ok, id: 2, parent: 1, "many", at: end))
        records.append(E.event(.pipelineEnd, .ok, id: 1, parent: nil, "run", at: end))
        return records
    }

    func laneRows(items: Int, width: Int) -> (dense: Bool, lanes: [String]) {
        var model = RunModel()
        model.apply(Self.dense(items: items))
        let now = model.latestTime
        var view = MonitorViewState()
        view.expandedMaps = [1]
        let rows = ScreenRows.build(model, view: view, now: now, purpose: .waterfall)
        var grid = CellGrid(width: width, height: 10)
        WaterfallScreen.draw(
            rows, model: model, view: view, now: now, theme: Theme(), highlights: RowHighlights(), into: &grid,
            in: grid.bounds)
        let barX = WaterfallScreen.labelWidth(for: width) + 1
        let bar = TimeBar(from: 0, to: now, width: width - barX)
        let dense = WaterfallScreen.isDense(map: 1, model: model, now: now, bar: bar)
        return (dense, grid.lines.filter { $0.contains("lane") }.map { String($0.dropFirst(barX)) })
    }

    @Test("a lane with more items than cells is drawn busy cell by cell, with its failure")
    func denseLane() {
        let (dense, lanes) = laneRows(items: 400, width: 60)
        #expect(dense)
        #expect(lanes.count == 2)
        // Busy from start to end; lane 1 shows the failed item where it ended.
        #expect(lanes[0].allSatisfy { $0 == "█" })
        #expect(lanes[1].filter { $0 == "✗" }.count == 1)
        #expect(lanes[1].filter { $0 == "█" }.count == lanes[1].count - 1)
    }

    @Test("a lane with few items shows each item, and where back-to-back items start")
    func sparseLane() {
        let (dense, lanes) = laneRows(items: 8, width: 80)
        #expect(!dense)
        #expect(lanes.count == 2)
        // Four items per lane, each about fourteen cells: four starts marked.
        #expect(lanes[0].filter { $0 == "▐" }.count == 4)
    }

    @Test("with more rows than fit, the waterfall scrolls to the selection and says where it is")
    func scrolling() {
        var session = SessionFixtures.replay(keys: [.character("3"), .end, .enter])
        session.resize(width: 100, height: 8)
        _ = session.handle(.end, wallNanos: 1)
        let lines = session.frame(width: 100, height: 8).lines
        // Status, two ruler rows, four rows of spans and lanes, key bar: the last lane is shown.
        #expect(lines[2].contains("10/10"))
        #expect(lines[6].contains("lane 3"))
        #expect(!lines.contains { $0.contains("load") })
    }
}
