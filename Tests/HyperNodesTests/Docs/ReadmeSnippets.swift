import HyperNodes
import HyperNodesTelemetry
import HyperNodesTrace

// The README's code snippets, compiled with the tests. `ReadmeTests` checks
// that each snippet in README.md appears here line by line (ignoring
// indentation), so the README cannot show code that does not compile.

/// Stands in for a network call in the README's `fetch` node.
private func download(_ url: String) async throws -> String { "<html>\(url)</html>" }

@Node(outputs: "mean", "count")
func stats(values: [Double]) -> (Double, Int) {
    (values.reduce(0, +) / Double(values.count), values.count)
}

@Node(output: "page", cache: false)
func fetch(url: String) async throws -> String {
    try await download(url)
}

enum ReadmeSnippets {
    /// The README's nodes declared with `@Node`.
    static func declaredNodes() -> [Node] {
        [statsNode, fetchNode]
    }

    /// The same nodes, built from closures.
    static func nodes() -> [Node] {
        let stats = Node("stats", inputs: "values", outputs: "mean", "count") { (values: [Double]) in
            (values.reduce(0, +) / Double(values.count), values.count)
        }
        let fetch = Node("fetch", inputs: "url", output: "page", cache: false) { (url: String) async throws in
            try await download(url)
        }
        return [stats, fetch]
    }

    static func callbacks(cleanNode: Node, countNode: Node) throws -> Pipeline {
        struct Timing: PipelineCallback {
            func onNodeEnd(_ event: PipelineEvent, context: CallbackContext) {
                let path = context.hierarchyPath.joined(separator: " > ")
                print("\(path) > \(event.name): \(Double(event.duration ?? 0) / 1e6) ms")
            }
        }
        let observed = try Pipeline(nodes: [cleanNode, countNode], name: "text", callbacks: [Timing()])
        return observed
    }

    static func traces(cleanNode: Node, countNode: Node) async throws {
        let recorder = try TraceRecorder(path: "run.jsonl")
        let traced = try Pipeline(nodes: [cleanNode, countNode], name: "text", callbacks: [recorder])
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

    /// The README's `TraceCollector` snippet; returns what it rendered.
    static func collector(cleanNode: Node, countNode: Node) async throws -> (String, String, String) {
        let collector = TraceCollector()
        let collected = try Pipeline(nodes: [cleanNode, countNode], name: "text", callbacks: [collector])
        _ = try await collected.run(inputs: ["text": "a b c"])
        let waterfall = collector.waterfall(width: 80)  // the waterfall of `hypernodes summary`; color: true colours it
        print(waterfall, terminator: "")
        let summary = collector.summary()  // all of `hypernodes summary`: tree, waterfall, totals
        let page = collector.html(title: "text")  // the page of `hypernodes export --format html`
        return (waterfall, summary, page)
    }

    static func progress(cleanNode: Node, countNode: Node) async throws {
        let progress = try ProgressCallback()  // a live tree on a terminal, plain lines otherwise
        let watched = try Pipeline(nodes: [cleanNode, countNode], name: "text", callbacks: [progress])
        _ = try await watched.run(inputs: ["text": "a b c"])
        progress.print("a line above the tree")  // never torn by a redraw
        progress.close()  // the final summary; print results after this
    }

    static func telemetry(cleanNode: Node, countNode: Node) throws -> Pipeline {
        var traced = try Pipeline(nodes: [cleanNode, countNode], name: "text", callbacks: [TelemetryCallback()])
        traced.secretScrubbing = try SecretScrubbing(extraPatterns: ["customer_id"])
        return traced
    }

    static func live(cleanNode: Node, countNode: Node) async throws {
        let live = try LiveServer()  // listening when it returns: `hypernodes ps` lists this process
        let served = try Pipeline(nodes: [cleanNode, countNode], name: "text", callbacks: [live])
        _ = try await served.run(inputs: ["text": "a b c"])
        live.close()  // attached monitors are told the process is done; the socket is removed
    }

    static func liveWhenAsked(cleanNode: Node, countNode: Node) throws -> Pipeline {
        // Serves only when HYPERNODES_LIVE=1 is set, as `hypernodes monitor -- PROGRAM` sets it.
        let callbacks: [any PipelineCallback] = try LiveServer.fromEnvironment().map { [$0] } ?? []
        let watched = try Pipeline(nodes: [cleanNode, countNode], name: "text", callbacks: callbacks)
        return watched
    }
}
