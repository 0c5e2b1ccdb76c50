import HyperNodes

/// A real map that collects its failures, for the tests of how such a map shows in
/// progress, traces and the monitor: `clean` maps `parse → label` over 0..<30 and
/// items 3, 10, 17 and 24 fail in `parse` (`bad row 3`, …).
enum CollectedFailureFixture {
    struct BadRow: Error, CustomStringConvertible {
        let row: Int
        var description: String { "bad row \(row)" }
    }

    static let items = 30
    static let failed = [3, 10, 17, 24]

    static func pipeline(callbacks: [any PipelineCallback], maxConcurrency: Int = 2) throws -> Pipeline {
        let parse = Node("parse", inputs: "x", output: "parsed") { (x: Int) throws -> Int in
            if x % 7 == 3 { throw BadRow(row: x) }
            return x * 10
        }
        let label = Node("label", inputs: "parsed", output: "label") { (p: Int) in "v\(p)" }
        return try Pipeline(
            nodes: [parse, label], name: "clean", callbacks: callbacks, maxConcurrency: maxConcurrency)
    }

    /// Runs the map with `.collect` and returns its result.
    @discardableResult
    static func run(callbacks: [any PipelineCallback], maxConcurrency: Int = 2) async throws -> MapResult {
        try await pipeline(callbacks: callbacks, maxConcurrency: maxConcurrency).map(
            inputs: ["x": Array(0..<items)], over: ["x"], onItemFailure: .collect)
    }
}
