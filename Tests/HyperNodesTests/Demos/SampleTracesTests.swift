import Foundation
import HyperNodesTrace
import Testing

/// The sample traces in `demos/traces/`: each is small, reads without a problem and
/// summarises, so a change of the trace format that breaks them fails here.
@Suite("sample traces")
struct SampleTracesTests {
    /// The directory of the sample traces.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Demos
        .deletingLastPathComponent()  // HyperNodesTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
        .appendingPathComponent("demos/traces", isDirectory: true)

    /// Every sample trace with the names of its runs.
    static let traces: [(file: String, runs: [String])] = [
        ("retrieval-cold.jsonl", ["retrieval"]),
        ("retrieval-cached.jsonl", ["retrieval"]),
        ("cleaning.jsonl", ["load", "clean_row", "report"]),
        ("longrun-short.jsonl", ["longrun", "strict_check", "strict_check"]),
    ]

    /// The model of the sample trace `file`.
    static func model(_ file: String) throws -> TraceModel {
        try TraceModel(path: directory.appendingPathComponent(file).path)
    }

    @Test("the README lists exactly the sample traces there are")
    func readmeListsEveryTrace() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(files == Self.traces.map(\.file).sorted())
        let readme = try String(contentsOf: Self.directory.appendingPathComponent("README.md"), encoding: .utf8)
        for file in files { #expect(readme.contains("`\(file)`"), "README.md does not mention \(file)") }
    }

    @Test("each sample trace is at most 1 MB, reads without problems and holds complete runs", arguments: traces)
    func readsCleanly(file: String, runs: [String]) throws {
        let url = Self.directory.appendingPathComponent(file)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        #expect(size > 0 && size <= 1_000_000, "\(file) has \(size) bytes")
        let (records, problems) = try TraceReader(path: url.path).readAll()
        #expect(problems.isEmpty, "\(file): \(problems)")
        #expect(records.count > 100, "\(file)")
        let model = try Self.model(file)
        #expect(model.problems.isEmpty, "\(file): \(model.problems)")
        #expect(model.issues.isEmpty, "\(file): \(model.issues)")
        #expect(model.runs.map(\.name) == runs)
        #expect(model.runs.allSatisfy { $0.isComplete }, "\(file)")
    }

    @Test("each sample trace summarises: a tree naming every run, a waterfall and totals", arguments: traces)
    func summarises(file: String, runs: [String]) throws {
        let text = TraceSummary.render(try Self.model(file), width: 100)
        for run in Set(runs) { #expect(text.contains(run), "\(file): \(text)") }
        #expect(text.split(separator: "\n").count > 10, "\(text)")
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 100 }, "\(text)")
    }

    @Test("the cleaning trace holds a map that ended ok with its failed rows collected")
    func cleaningTraceShowsCollectedFailures() throws {
        let run = try Self.model("cleaning.jsonl").runs[1]
        #expect(run.status == .ok)
        let map = try #require(run.maps.first)
        #expect(map.items == 400 && map.done == 400 && map.failed > 0, "\(map)")
        let failedItems = run.spans.filter { $0.kind == .mapItem && $0.status == .error }
        #expect(failedItems.count == map.failed)
        #expect(failedItems.allSatisfy { $0.error?.message.contains("line ") == true })
        #expect(TraceSummary.render(try Self.model("cleaning.jsonl"), width: 100).contains("\(map.failed) failed"))
    }

    @Test("the cold retrieval trace has no cache hits; the cached one serves every embedding from the cache")
    func retrievalTracesShowTheCache() throws {
        let cold = try Self.model("retrieval-cold.jsonl").runs[0]
        let cached = try Self.model("retrieval-cached.jsonl").runs[0]
        #expect(cold.totals.cachedNodes == 0)
        let embeds = cold.spans.filter { $0.name == "embed" }.count
        #expect(embeds > 40)
        #expect(cached.spans.filter { $0.name == "embed" && $0.isCached }.count == embeds)
        #expect(cached.spans.filter { $0.name == "embed_query" && $0.isCached }.count == 16)
        #expect(cached.totals.cachedNodes == embeds + 16)
    }
}
