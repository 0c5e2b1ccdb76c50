import HyperNodesMonitor
import Testing

@Suite("Monitor screen rows")
struct ScreenRowsTests {
    let model = ScreenFixtures.model

    func names(_ rows: [ScreenRow]) -> [String] {
        rows.map { row in
            switch row.id {
            case .span(let index): return model.name(of: index)
            case .map(let index): return "map " + model.name(of: index)
            case .lane(_, let lane): return "lane \(lane)"
            case .pending(_, let name): return "pending " + name
            }
        }
    }

    @Test("the tree lists spans in tree order with items folded into their map and pending nodes last")
    func treeOrder() {
        let rows = ScreenRows.build(model, view: MonitorViewState(), now: ScreenFixtures.midRun, purpose: .tree)
        #expect(names(rows) == ["demo", "load", "clean", "embed_all", "embed", "map embed", "pending report"])
        #expect(rows.map(\.depth) == [0, 1, 1, 1, 2, 3, 1])
        #expect(rows.last?.isLast == true)
        #expect(rows[3].guides == [false])
        #expect(rows[4].guides == [false, true])
    }

    @Test("before a span starts it is not listed; after the run, nodes that never ran still are")
    func asOfTime() {
        let early = ScreenRows.build(model, view: MonitorViewState(), now: 10 * ScreenFixtures.ms, purpose: .tree)
        #expect(names(early) == ["demo", "load", "pending clean", "pending embed_all", "pending report"])
        let none = ScreenRows.build(RunModel(), view: MonitorViewState(), now: 0, purpose: .tree)
        #expect(none.isEmpty)
    }

    @Test("a collapsed span hides its subtree and the waterfall opens only expanded maps into lanes")
    func collapseAndLanes() {
        var view = MonitorViewState()
        let embedAll = 3
        let rows = ScreenRows.build(model, view: view, now: ScreenFixtures.finished, purpose: .waterfall)
        #expect(names(rows) == ["demo", "load", "clean", "embed_all", "embed", "map embed"])
        guard case .map(let map) = rows[5].id else {
            Issue.record("no map row")
            return
        }
        #expect(rows[5].isCollapsed && rows[5].hasChildren)
        view.expandedMaps = [map]
        let lanes = ScreenRows.build(model, view: view, now: ScreenFixtures.finished, purpose: .waterfall)
        #expect(names(lanes).suffix(4) == ["lane 0", "lane 1", "lane 2", "lane 3"])
        guard case .span(let index) = rows[embedAll].id else { return }
        view.collapsed = [index]
        let folded = ScreenRows.build(model, view: view, now: ScreenFixtures.finished, purpose: .waterfall)
        #expect(names(folded) == ["demo", "load", "clean", "embed_all"])
        #expect(folded[3].isCollapsed)
    }

    @Test("a search keeps matches and their ancestors, even matches inside map items and in collapsed subtrees")
    func searchKeep() {
        var view = MonitorViewState()
        view.collapsed = [0]
        let matches = model.search("vectorize")
        #expect(!matches.isEmpty)
        let keep = ScreenRows.keepSet(for: matches, in: model)
        let rows = ScreenRows.build(
            model, view: view, now: ScreenFixtures.finished, purpose: .tree, keep: keep)
        // The nodes are inside the items: the map row stands for them.
        #expect(names(rows) == ["demo", "embed_all", "embed", "map embed"])
        #expect(ScreenRows.keepSet(for: [-1, 10_000], in: model).isEmpty)
    }
}
