import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// How a map that collected its failures is recorded and read back: the map span ends ok, its
/// final progress tick counts every item done and the failed ones, the trace model's map
/// statistics and `hypernodes summary` say how many failed.
@Suite("Traces of a map with collected failures")
struct CollectedFailureTraceTests {
    /// Records the fixture's map and reads the file back, failing on any problem.
    func record(itemSpans: Bool = true) async throws -> (records: [TraceRecord], model: TraceModel) {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("collected.jsonl").path
        var options = TraceRecorder.Options()
        options.itemSpans = itemSpans
        let recorder = try TraceRecorder(path: path, options: options)
        try await CollectedFailureFixture.run(callbacks: [recorder])
        recorder.close()
        let (records, problems) = try TraceReader(path: path).readAll()
        #expect(problems.isEmpty, "\(problems)")
        let model = try TraceModel(path: path)
        #expect(model.issues.isEmpty, "\(model.issues)")
        return (records, model)
    }

    @Test("the final progress tick counts every item done and the failed ones", arguments: [true, false])
    func finalTick(itemSpans: Bool) async throws {
        let (records, _) = try await record(itemSpans: itemSpans)
        let ticks = records.compactMap { if case .progress(let tick) = $0 { tick } else { nil } }
        let last = try #require(ticks.last)
        #expect(last.name == "clean")
        #expect(last.total == 30 && last.done == 30 && last.failed == 4 && last.inFlight == 0)
        let events = records.compactMap { if case .event(let event) = $0 { event } else { nil } }
        let mapEnd = try #require(events.last { $0.kind == .mapEnd })
        #expect(mapEnd.status == .ok)
        guard case .runEnd(let end) = records.last else {
            Issue.record("no run end")
            return
        }
        #expect(end.status == .ok)
        #expect(end.totals.mapItems == 30)
    }

    @Test("the trace model: the map ends ok, its statistics count the failed items, each failed item has its error")
    func model() async throws {
        let (_, model) = try await record()
        let run = try #require(model.runs.first)
        let map = try #require(run.maps.first)
        #expect(map.items == 30 && map.done == 30 && map.failed == 4 && map.inFlight == 0)
        #expect(run.spans[map.span].status == .ok)
        let failedItems = run.spans.filter { $0.kind == .mapItem && $0.status == .error }
        #expect(failedItems.compactMap(\.itemIndex).sorted() == CollectedFailureFixture.failed)
        #expect(run.totals.errors == 4)
    }

    @Test("summary: the run ended ok and the map's line says how many items failed")
    func summary() async throws {
        let (_, model) = try await record()
        let text = TraceSummary.render(model, width: 100)
        #expect(text.contains("outcome  ok in "), "\(text)")
        let mapLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("clean (map)") })
        #expect(mapLine.contains(" ok "), "\(mapLine)")
        #expect(mapLine.contains("30 items · 30 done · 4 failed"), "\(mapLine)")
        #expect(text.contains("4 errors"), "\(text)")
    }

    @Test("summary without item spans still counts the failed items from the final tick")
    func summaryWithoutItemSpans() async throws {
        let (_, model) = try await record(itemSpans: false)
        let map = try #require(model.runs.first?.maps.first)
        #expect(map.done == 30 && map.failed == 4)
        let text = TraceSummary.render(model, width: 100)
        #expect(text.contains("30 items · 30 done · 4 failed"), "\(text)")
    }
}
