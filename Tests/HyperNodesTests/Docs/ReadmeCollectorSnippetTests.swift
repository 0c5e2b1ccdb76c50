import HyperNodes
import HyperNodesTrace
import Testing

/// The README's `TraceCollector` snippet runs and renders what its comments say.
@Suite("README TraceCollector snippet")
struct ReadmeCollectorSnippetTests {
    @Test("the snippet's waterfall, summary and page are those of the run it collected")
    func collectorSnippet() async throws {
        let clean = Node("clean", inputs: "text", output: "cleaned") { (text: String) in text.lowercased() }
        let count = Node("count", inputs: "cleaned", output: "count") { (text: String) in
            text.split(separator: " ").count
        }
        let (waterfall, summary, page) = try await ReadmeSnippets.collector(cleanNode: clean, countNode: count)
        let lines = waterfall.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("text ") } && lines.contains { $0.hasPrefix(" clean ") })
        #expect(lines.contains { $0.hasPrefix(" count ") }, "\(waterfall)")
        #expect(lines.allSatisfy { $0.count <= 80 } && !waterfall.contains("\u{1B}"))
        #expect(summary.contains("\nWaterfall\n") && summary.hasPrefix("Run: text\n"))
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<title>text</title>"))
    }
}
