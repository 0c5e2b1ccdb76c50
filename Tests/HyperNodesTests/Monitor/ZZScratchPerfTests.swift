import Foundation
import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace
import Testing

@Suite("Scratch perf")
struct ScratchPerf {
    @Test("frame time on a big trace")
    func big() {
        let ms = ScreenFixtures.ms
        var records: [TraceRecord] = [
            ScreenFixtures.demo[0],
            ScreenFixtures.event(.pipelineStart, id: 1, parent: nil, "demo", at: 0),
            ScreenFixtures.event(.nodeStart, id: 4, parent: 1, "embed_all", at: 1 * ms),
            ScreenFixtures.event(.nestedPipelineStart, id: 5, parent: 4, "embed", at: 1 * ms),
            ScreenFixtures.event(.mapStart, id: 6, parent: 5, "embed", at: 1 * ms, count: 200_000),
        ]
        var id: UInt64 = 1000
        let items = Int(ProcessInfo.processInfo.environment["ITEMS"] ?? "200000")!
        for item in 0..<items {
            let lane = item % 8
            let begin = 1 * ms + UInt64(item / 8) * 100_000
            let end = begin + 90_000
            let base = id
            id += 5
            records.append(ScreenFixtures.event(.mapItemStart, id: base, parent: 6, "embed", at: begin, lane: lane, item: item))
            records.append(ScreenFixtures.event(.pipelineStart, id: base + 1, parent: base, "embed", at: begin, lane: lane))
            records.append(ScreenFixtures.event(.nodeStart, id: base + 2, parent: base + 1, "tokenize", at: begin, lane: lane))
            records.append(ScreenFixtures.event(.nodeEnd, .ok, id: base + 2, parent: base + 1, "tokenize", at: begin + 30_000, lane: lane))
            records.append(ScreenFixtures.event(.nodeStart, id: base + 3, parent: base + 1, "vectorize", at: begin + 30_000, lane: lane))
            records.append(ScreenFixtures.event(.nodeEnd, .ok, id: base + 3, parent: base + 1, "vectorize", at: end, lane: lane))
            records.append(ScreenFixtures.event(.pipelineEnd, .ok, id: base + 1, parent: base, "embed", at: end, lane: lane))
            records.append(ScreenFixtures.event(.mapItemEnd, .ok, id: base, parent: 6, "embed", at: end, lane: lane, item: item))
        }
        var session = MonitorSession(source: .replay("big.jsonl"), options: MonitorOptions(speed: .max))
        let clock = ContinuousClock()
        let load = clock.measure { session.ingest(MailboxBatch(records: records)) }
        print("load \(load) spans \(session.model.spanCount)")
        session.tick(wallNanos: 1)
        session.tick(wallNanos: 2)
        let m = session.model
        let map = m.mapSpans[0]
        let t = session.now
        func time(_ name: String, _ body: () -> Void) { print(name, clock.measure { for _ in 0..<5 { body() } } / 5) }
        time("mapCounts") { _ = m.mapCounts(of: map, at: t) }
        time("rate") { _ = m.rate(of: map, at: t) }
        time("eta") { _ = m.eta(of: map, at: t) }
        time("completions") { _ = m.completions(of: map, from: 0, to: t, buckets: 190) }
        time("concurrency") { _ = m.concurrency(of: map, from: 0, to: t, buckets: 190, at: t) }
        time("latency") { _ = m.latency(of: map, at: t) }
        time("lanes") { _ = m.lanes(of: map) }
        time("busiest") { _ = m.busiestMap(at: t) }
        time("critical") { _ = m.criticalPath(of: 0, at: t) }
        time("rows") { _ = ScreenRows.build(m, view: MonitorViewState(), now: t, purpose: .tree) }
        for h in [3, 6, 10, 30, 58] {
            time("mapscreen h\(h)") {
                var g = CellGrid(width: 200, height: h)
                MapScreen.draw(map: map, model: m, now: t, theme: Theme(), into: &g, in: g.bounds)
            }
        }
        time("completions 66") { _ = m.completions(of: map, from: m.start(of: map), to: t, buckets: 66) }
        time("conc exact") { _ = m.concurrency(of: map, from: m.start(of: map), to: m.end(of: map, at: t), buckets: 190, at: t) }
        // Half way.
        let keysList: [(String, [Key])] = [
            ("tree", []), ("map", [.character("2")]), ("waterfall", [.character("3")]),
            ("waterfall lanes", [.character("3"), .end, .enter]),
            ("waterfall lanes zoomed", [.character("3"), .end, .enter, .character("z"), .character("z"), .character("z")]),
            ("critical", [.character("3"), .end, .enter, .character("c")]),
        ]
        for (name, keys) in keysList {
            var s = session
            s.resize(width: 200, height: 60)
            for key in keys { _ = s.handle(key, wallNanos: 3) }
            _ = s.frame(width: 200, height: 60)
            let time = clock.measure { for _ in 0..<5 { _ = s.frame(width: 200, height: 60) } }
            print("\(name): \(time / 5) per frame")
        }
    }
}
