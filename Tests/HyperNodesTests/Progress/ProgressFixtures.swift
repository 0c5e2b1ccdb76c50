import Foundation
import HyperNodes
import HyperNodesTelemetry

/// Pipelines whose scripted runs the progress tests render.
enum ProgressFixtures {
    struct ParseError: Error, CustomStringConvertible {
        var description: String { "unexpected token at line 3" }
    }
    struct ScoreError: Error, CustomStringConvertible {
        let value: Int
        var description: String { "cannot score \(value)" }
    }

    /// etl: extract → transform → load, one run.
    static func singleRun() async throws -> ProgressScript {
        try await ProgressScript.record { recorder in
            let pipeline = try Pipeline(
                nodes: [
                    Node("extract", inputs: "source", output: "rows") { (source: Int) in Array(0..<source) },
                    Node("transform", inputs: "rows", output: "clean") { (rows: [Int]) in rows.map { $0 * 2 } },
                    Node("load", inputs: "clean", output: "count") { (clean: [Int]) in clean.count },
                ], name: "etl", callbacks: [recorder], executionMode: .sequential)
            _ = try await pipeline.run(inputs: ["source": 5])
        }
    }

    /// top > mid_step (mid) > deep_step (deep): three levels of pipelines.
    static func nested() async throws -> ProgressScript {
        try await ProgressScript.record { recorder in
            let deep = try Pipeline(
                nodes: [
                    Node("square", inputs: "v", output: "sq") { (v: Int) in v * v },
                    Node("halve", inputs: "sq", output: "half") { (sq: Int) in sq / 2 },
                ], name: "deep")
            let mid = try Pipeline(
                nodes: [
                    Node("prepare", inputs: "x", output: "v") { (x: Int) in x + 1 },
                    try deep.asNode(name: "deep_step"),
                ], name: "mid")
            let top = try Pipeline(
                nodes: [
                    Node("load", inputs: "n", output: "x") { (n: Int) in n * 3 },
                    try mid.asNode(name: "mid_step"),
                    Node("report", inputs: "half", output: "report") { (half: Int) in "half=\(half)" },
                ], name: "top", callbacks: [recorder], executionMode: .sequential)
            _ = try await top.run(inputs: ["n": 2])
        }
    }

    /// batch: load, then score_all mapping score_items over 8 values, 4 of
    /// them cached by an earlier run; value 6 fails.
    static func mapWithCacheAndFailure(cacheDirectory: URL) async throws -> ProgressScript {
        let items = try Pipeline(
            nodes: [
                Node("parse", inputs: "x", output: "p", codeVersion: "1") { (x: Int) in x },
                Node("score", inputs: "p", output: "s", codeVersion: "1") { (p: Int) throws -> Int in
                    if p == 6 { throw ScoreError(value: p) }
                    return p * 10
                },
            ], name: "score_items")
        func batch(_ callbacks: [any PipelineCallback]) throws -> Pipeline {
            try Pipeline(
                nodes: [
                    Node("load", inputs: "n", output: "xs", cache: false) { (n: Int) in Array(0..<n) },
                    try items.asNode(
                        name: "score_all", inputMapping: ["xs": "x"], outputMapping: ["s": "scores"],
                        mapOver: ["xs"]),
                ], name: "batch", cache: DiskCache(directory: cacheDirectory), callbacks: callbacks,
                executionMode: .sequential)
        }
        _ = try await batch([]).run(inputs: ["n": 4])
        return await ProgressScript.recordFailing { recorder in
            _ = try await batch([recorder]).run(inputs: ["n": 8])
        }
    }

    /// job > run_ingest (ingest: fetch → parse, which fails → store).
    static func failure() async -> ProgressScript {
        await ProgressScript.recordFailing { recorder in
            let ingest = try Pipeline(
                nodes: [
                    Node("fetch", inputs: "url", output: "page") { (url: String) in "<p>\(url)</p>" },
                    Node("parse", inputs: "page", output: "doc") { (page: String) throws -> String in
                        throw ParseError()
                    },
                    Node("store", inputs: "doc", output: "stored") { (doc: String) in doc.count },
                ], name: "ingest")
            let job = try Pipeline(
                nodes: [
                    Node("plan", inputs: "site", output: "url") { (site: String) in "https://\(site)" },
                    try ingest.asNode(name: "run_ingest"),
                ], name: "job", callbacks: [recorder], executionMode: .sequential)
            _ = try await job.run(inputs: ["site": "example.org"])
        }
    }

    /// A top-level map with wide names: CJK, emoji and a combining accent.
    static func wideNames() async throws -> ProgressScript {
        try await ProgressScript.record { recorder in
            let pipeline = try Pipeline(
                nodes: [
                    Node("読み込み", inputs: "x", output: "a") { (x: Int) in x },
                    Node("🚀 launch", inputs: "a", output: "b") { (a: Int) in a + 1 },
                    Node("cafe\u{301}", inputs: "b", output: "c") { (b: Int) in b * 2 },
                ], name: "東京 pipeline", callbacks: [recorder], executionMode: .sequential)
            _ = try await pipeline.map(inputs: ["x": Array(0..<6)], over: ["x"])
        }
    }

    /// A pipeline of `count` nodes in a chain, for frames taller than the terminal.
    static func longChain(_ count: Int) async throws -> ProgressScript {
        try await ProgressScript.record { recorder in
            let nodes = (0..<count).map { i in
                Node("step_\(i)", inputs: Input<Int>("v\(i)"), output: Output<Int>("v\(i + 1)")) { (v: Int) in v + 1 }
            }
            let pipeline = try Pipeline(nodes: nodes, name: "long", callbacks: [recorder], executionMode: .sequential)
            _ = try await pipeline.run(inputs: ["v0": 0])
        }
    }
}
