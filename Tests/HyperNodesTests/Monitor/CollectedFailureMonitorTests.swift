import Foundation
import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace
import Testing

/// How a map that collected its failures shows in the monitor: the map ends well (✓), and its
/// tree row, the map screen, the details pane and the waterfall (collapsed density row and
/// expanded lanes) show the failed items.
@Suite("Monitor of a map with collected failures")
struct CollectedFailureMonitorTests {
    /// A replay session holding the fixture's recorded map, at its end, after `keys`.
    func session(_ keys: [Key], sequential: Bool = false) async throws -> [String] {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("collected.jsonl").path
        let recorder = try TraceRecorder(path: path)
        try await CollectedFailureFixture.run(callbacks: [recorder], maxConcurrency: sequential ? 1 : 2)
        recorder.close()
        let (records, problems) = try TraceReader(path: path).readAll()
        #expect(problems.isEmpty)
        let session = SessionFixtures.replay(at: 60_000_000_000, keys: keys, records: records)
        return session.frame(width: 100, height: 24).lines
    }

    @Test("tree: the map's row is done and says how many items failed")
    func treeRow() async throws {
        let lines = try await session([])
        let row = try #require(lines.first { $0.contains("clean") && $0.contains("30/30") }, "\(lines)")
        #expect(row.contains("✓"), "\(row)")
        #expect(row.contains("✗ 4 failed"), "\(row)")
    }

    @Test("map screen: every item done, 4 failed")
    func mapScreen() async throws {
        let lines = try await session([.character("2")])
        #expect(lines.contains { $0.contains("30/30") && $0.contains("100%") }, "\(lines)")
        #expect(lines.contains { $0.contains("0 in flight") && $0.contains("4 failed") }, "\(lines)")
    }

    @Test("details pane: the map is done and 4 items failed")
    func details() async throws {
        let lines = try await session([.character("d")])
        #expect(lines.contains { $0.contains("status     ✓ done") }, "\(lines)")
        #expect(lines.contains { $0.contains("items      30 of 30 done") }, "\(lines)")
        #expect(lines.contains { $0.contains("failed     4") }, "\(lines)")
    }

    @Test("waterfall: the collapsed map row marks where items failed, and so do the expanded lanes")
    func waterfall() async throws {
        // One lane, so that the four failures end far apart in time.
        let collapsed = try await session([.character("3")], sequential: true)
        let row = try #require(collapsed.first { $0.contains("clean") && $0.contains("✓") }, "\(collapsed)")
        let marks = row.filter { $0 == "✗" }.count
        #expect(marks >= 1 && marks <= 4, "\(row)")

        let expanded = try await session([.character("3"), .enter], sequential: true)
        let lanes = expanded.filter { $0.contains("lane ") }
        #expect(lanes.count == 1, "\(expanded)")
        let laneMarks = lanes.joined().filter { $0 == "✗" }.count
        #expect(laneMarks >= 1 && laneMarks <= 4, "\(lanes)")
    }
}
