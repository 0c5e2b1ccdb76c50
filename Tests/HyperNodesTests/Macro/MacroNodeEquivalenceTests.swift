import HyperNodes
import Testing

// Functions declared as nodes with @Node, each beside the explicit `Node(...)`
// it must be equivalent to.

@Node(output: "cleaned")
private func clean(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespaces).lowercased()
}
private let explicitClean = Node("clean", inputs: "text", output: "cleaned") { (text: String) in
    text.trimmingCharacters(in: .whitespaces).lowercased()
}

@Node(output: "words")
private func split(cleaned: String) -> [String] {
    cleaned.split(separator: " ").map(String.init)
}
private let explicitSplit = Node("split", inputs: "cleaned", output: "words") { (cleaned: String) in
    cleaned.split(separator: " ").map(String.init)
}

@Node(outputs: "word_count", "longest", name: "measure")
private func measureWords(words list: [String]) -> (count: Int, longest: String) {
    (list.count, list.max { $0.count < $1.count } ?? "")
}
private let explicitMeasure = Node("measure", inputs: "words", outputs: "word_count", "longest") {
    (list: [String]) in (list.count, list.max { $0.count < $1.count } ?? "")
}

@Node(output: "report", cache: false)
private func report(word_count count: Int, longest: String, suffix: String) async throws -> String {
    await Task.yield()
    guard count > 0 else { throw EmptyText() }
    return "\(count) words, longest '\(longest)'\(suffix)"
}
private let explicitReport = Node("report", inputs: "word_count", "longest", "suffix", output: "report", cache: false) {
    (count: Int, longest: String, suffix: String) async throws in
    await Task.yield()
    guard count > 0 else { throw EmptyText() }
    return "\(count) words, longest '\(longest)'\(suffix)"
}

@Node(output: "seed", codeVersion: "seed.v2")
private func seed() -> Int { 42 }
private let explicitSeed = Node("seed", output: "seed", codeVersion: "seed.v2") { () in 42 }

private struct EmptyText: Error, CustomStringConvertible {
    var description: String { "no words" }
}

/// Nodes declared as static methods.
private enum Arithmetic {
    @Node(output: "doubled")
    static func double(x: Int) -> Int { x * 2 }

    @Node(output: "sum")
    static func add(doubled: Int, seed: Int) throws -> Int { doubled + seed }
}

@Suite("@Node is the explicit API")
struct MacroNodeEquivalenceTests {
    static let macroNodes = [cleanNode, splitNode, measureWordsNode, reportNode]
    static let explicitNodes = [explicitClean, explicitSplit, explicitMeasure, explicitReport]

    @Test func nodesHaveTheSameNamesPortsAndSettings() {
        for (declared, explicit) in zip(Self.macroNodes + [seedNode], Self.explicitNodes + [explicitSeed]) {
            #expect(declared.name == explicit.name)
            #expect(declared.inputs == explicit.inputs, "inputs of \(explicit.name)")
            #expect(declared.outputs == explicit.outputs, "outputs of \(explicit.name)")
            #expect(declared.cache == explicit.cache, "cache of \(explicit.name)")
            #expect(declared.codeVersion == explicit.codeVersion, "code version of \(explicit.name)")
            #expect(declared.isAsync == explicit.isAsync, "async of \(explicit.name)")
            #expect(declared.sourceDigest != nil && explicit.sourceDigest == nil)
        }
    }

    @Test func inputsAreNamedByLabelsOrByParameterNamesForUnderscore() {
        #expect(cleanNode.inputs.map(\.name) == ["text"])
        #expect(measureWordsNode.inputs.map(\.name) == ["words"])
        #expect(reportNode.inputs.map(\.name) == ["word_count", "longest", "suffix"])
        #expect(seedNode.inputs.isEmpty)
        #expect(Arithmetic.addNode.inputs.map(\.description) == ["doubled: Int", "seed: Int"])
        #expect(measureWordsNode.outputs.map(\.description) == ["word_count: Int", "longest: String"])
    }

    @Test func runGivesTheSameResultsAndEvents() async throws {
        let inputs: [String: any Sendable] = ["text": "  The quick brown Fox  ", "suffix": "!"]
        let (declared, declaredTrace) = try await Self.run(Self.macroNodes, inputs: inputs)
        let (explicit, explicitTrace) = try await Self.run(Self.explicitNodes, inputs: inputs)

        #expect(declared["report", as: String.self] == "4 words, longest 'quick'!")
        for output in ["cleaned", "words", "word_count", "longest", "report"] {
            #expect(declared.description(of: output) == explicit.description(of: output), "\(output)")
        }
        #expect(declaredTrace == explicitTrace)
        #expect(declaredTrace.count == 10)
    }

    @Test func mapGivesTheSameResultsAndEvents() async throws {
        let inputs: [String: any Sendable] = ["text": ["a bb", " ccc d e "], "suffix": "."]
        let declared = try await Self.map(Self.macroNodes, inputs: inputs)
        let explicit = try await Self.map(Self.explicitNodes, inputs: inputs)

        #expect(declared.reports == ["2 words, longest 'bb'.", "3 words, longest 'ccc'."])
        #expect(declared.reports == explicit.reports)
        #expect(declared.trace == explicit.trace)
    }

    @Test func failuresAreReportedTheSameWay() async throws {
        let inputs: [String: any Sendable] = ["text": "   ", "suffix": ""]
        let declared = await #expect(throws: NodeError.self) { try await Self.run(Self.macroNodes, inputs: inputs) }
        let explicit = await #expect(throws: NodeError.self) { try await Self.run(Self.explicitNodes, inputs: inputs) }
        #expect(declared?.path == ["text", "report"])
        #expect(declared?.path == explicit?.path)
        #expect(declared?.underlying is EmptyText)

        let declaredRecorder = EventRecorder()
        let explicitRecorder = EventRecorder()
        _ = try? await Pipeline(nodes: Self.macroNodes, name: "text", callbacks: [declaredRecorder]).run(inputs: inputs)
        _ = try? await Pipeline(nodes: Self.explicitNodes, name: "text", callbacks: [explicitRecorder]).run(
            inputs: inputs)
        #expect(Self.comparable(declaredRecorder.events) == Self.comparable(explicitRecorder.events))
        #expect(declaredRecorder.trace.contains("error:report"))
    }

    @Test func staticMethodsAndZeroInputNodesRun() async throws {
        let pipeline = try Pipeline(nodes: [Arithmetic.doubleNode, Arithmetic.addNode, seedNode])
        let result = try await pipeline.run(inputs: ["x": 5])
        #expect(result["sum", as: Int.self] == 52)
        #expect(Arithmetic.doubleNode.name == "double")
        #expect(Arithmetic.addNode.isAsync == false)
    }

    // MARK: Helpers

    /// What two runs must agree on, event by event: everything but times, ids and lanes.
    struct ComparableEvent: Equatable {
        let kind: EventKind
        let status: SpanStatus
        let name: String
        let depth: Int
        let itemIndex: Int?
        let itemCount: Int?
        let attributes: [String: String]
        let error: ErrorInfo?
        let graph: PipelineGraph?
    }

    static func comparable(_ events: [PipelineEvent]) -> [ComparableEvent] {
        events.map {
            ComparableEvent(
                kind: $0.kind, status: $0.status, name: $0.name, depth: $0.depth, itemIndex: $0.itemIndex,
                itemCount: $0.itemCount, attributes: $0.attributes, error: $0.error, graph: $0.graph)
        }
    }

    static func run(
        _ nodes: [Node], inputs: [String: any Sendable]
    ) async throws -> (PipelineResult, [ComparableEvent]) {
        let recorder = EventRecorder(previews: true)
        let pipeline = try Pipeline(nodes: nodes, name: "text", callbacks: [recorder], executionMode: .sequential)
        let result = try await pipeline.run(inputs: inputs)
        return (result, comparable(recorder.events))
    }

    static func map(
        _ nodes: [Node], inputs: [String: any Sendable]
    ) async throws -> (reports: [String], trace: [ComparableEvent]) {
        let recorder = EventRecorder(previews: true)
        let pipeline = try Pipeline(nodes: nodes, name: "text", callbacks: [recorder], executionMode: .sequential)
        let result = try await pipeline.map(inputs: inputs, over: ["text"])
        return (result["report", as: String.self] ?? [], comparable(recorder.events))
    }
}

extension PipelineResult {
    /// A printable form of one output, for comparing results of different types.
    fileprivate func description(of name: String) -> String {
        self[name].map { "\($0)" } ?? "missing"
    }
}
