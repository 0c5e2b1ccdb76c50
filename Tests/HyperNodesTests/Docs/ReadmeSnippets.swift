import HyperNodes
import HyperNodesTelemetry
import HyperNodesTrace

// The README's code snippets, compiled with the tests. `ReadmeTests` checks
// that each snippet in README.md appears here line by line (ignoring
// indentation), so the README cannot show code that does not compile.

/// Stands in for a network call in the README's `fetch` node.
private func download(_ url: String) async throws -> String { "<html>\(url)</html>" }

enum ReadmeSnippets {
    static func nodes() -> [Node] {
        let stats = Node("stats", inputs: "values", outputs: "mean", "count") { (values: [Double]) in
            (values.reduce(0, +) / Double(values.count), values.count)
        }
        let fetch = Node("fetch", inputs: "url", output: "page", cache: false) { (url: String) async throws in
            try await download(url)
        }
        return [stats, fetch]
    }

    static func callbacks(clean: Node, count: Node) throws -> Pipeline {
        struct Timing: PipelineCallback {
            func onNodeEnd(_ event: PipelineEvent, context: CallbackContext) {
                let path = context.hierarchyPath.joined(separator: " > ")
                print("\(path) > \(event.name): \(Double(event.duration ?? 0) / 1e6) ms")
            }
        }
        let observed = try Pipeline(nodes: [clean, count], name: "text", callbacks: [Timing()])
        return observed
    }

    static func traces(clean: Node, count: Node) async throws {
        let recorder = try TraceRecorder(path: "run.jsonl")
        let traced = try Pipeline(nodes: [clean, count], name: "text", callbacks: [recorder])
        _ = try await traced.run(inputs: ["text": "a b c"])
        for element in try TraceReader(path: "run.jsonl") {
            switch element {
            case .record(.event(let event), _) where event.kind == .nodeEnd:
                print(event.name, event.duration ?? 0)
            case .problem(let problem):
                print("skipped", problem)
            default:
                break
            }
        }
    }

    static func progress(clean: Node, count: Node) async throws {
        let progress = try ProgressCallback()  // a live tree on a terminal, plain lines otherwise
        let watched = try Pipeline(nodes: [clean, count], name: "text", callbacks: [progress])
        _ = try await watched.run(inputs: ["text": "a b c"])
        progress.print("a line above the tree")  // never torn by a redraw
        progress.close()  // the final summary; print results after this
    }
}
