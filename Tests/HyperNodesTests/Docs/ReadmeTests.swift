import Foundation
import HyperNodes
import Testing

/// The README's quick start is the file `demos/QuickStart/main.swift`, which
/// the package builds as the `quickstart` executable: these tests keep the
/// two identical and check that the program prints what the README says.
@Suite("README")
struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func quickStartInReadmeIsTheCompiledDemo() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let demo = try String(
            contentsOf: Self.root.appendingPathComponent("demos/QuickStart/main.swift"), encoding: .utf8)
        #expect(
            readme.contains("```swift\n" + demo + "```"),
            "README's quick start differs from demos/QuickStart/main.swift")
    }

    @Test func everyOtherSnippetIsCompiledInReadmeSnippets() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let compiled = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/HyperNodesTests/Docs/ReadmeSnippets.swift"),
            encoding: .utf8)
        func lines(_ text: some StringProtocol) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let compiledText = "\n" + lines(compiled).joined(separator: "\n") + "\n"
        let blocks = readme.components(separatedBy: "```swift\n").dropFirst().map {
            $0.components(separatedBy: "```").first ?? ""
        }
        #expect(blocks.count >= 3)
        for block in blocks.dropFirst() {  // the first is the quick start
            let snippet = "\n" + lines(block).joined(separator: "\n") + "\n"
            #expect(compiledText.contains(snippet), "README snippet not in ReadmeSnippets.swift:\n\(block)")
        }
    }

    @Test(arguments: [ReadmeSnippets.declaredNodes(), ReadmeSnippets.nodes()])
    func readmeSnippetsRun(nodes: [Node]) async throws {
        let result = try await Pipeline(nodes: nodes, name: "snippets").run(
            inputs: ["values": [1.0, 2.0, 3.0], "url": "u"])
        #expect(result["mean", as: Double.self] == 2)
        #expect(result["count", as: Int.self] == 3)
        #expect(result["page", as: String.self] == "<html>u</html>")
        #expect(nodes.map(\.name) == ["stats", "fetch"])
        #expect(nodes.map(\.cache) == [true, false])
    }

    @Test func quickStartPrintsWhatItsCommentsSay() async throws {
        let output = try await Executable.run([], product: "quickstart")
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout == "2\n[3, 1]\n3\n")
    }
}
