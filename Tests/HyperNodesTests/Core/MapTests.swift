import Synchronization
import Testing

@testable import HyperNodes

/// Counts node executions and tracks how many items are in flight at once.
private final class MapProbe: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    private let inFlight = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)

    func hit(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
    var snapshot: [String: Int] { counts.withLock { $0 } }

    func enter() {
        let now = inFlight.add(1, ordering: .sequentiallyConsistent).newValue
        _ = peak.max(now, ordering: .sequentiallyConsistent)
    }

    func leave() { inFlight.subtract(1, ordering: .sequentiallyConsistent) }
    var maximum: Int { peak.load(ordering: .sequentiallyConsistent) }
}

private struct MapBoom: Error, Equatable {
    let item: Int
}

/// `double: x → doubled`, `add_one: doubled → result`, counting executions in `probe`.
private func arithmetic(_ probe: MapProbe = MapProbe(), name: String = "arith") throws -> Pipeline {
    let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in
        probe.hit("double")
        return x * 2
    }
    let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in
        probe.hit("add_one")
        return d + 1
    }
    return try Pipeline(nodes: [double, addOne], name: name)
}

/// `pair: a, b → label` with `label == "a-b"`.
private func pairing() throws -> Pipeline {
    try Pipeline(nodes: [Node("pair", inputs: "a", "b", output: "label") { (a: Int, b: Int) in "\(a)-\(b)" }])
}

@Suite("Map")
struct MapTests {
    @Test func zipOverOneInputReturnsOneResultPerItemInOrder() async throws {
        let results = try await arithmetic().map(inputs: ["x": [1, 2, 3]], over: ["x"])

        #expect(results.count == 3)
        #expect(results["result", as: Int.self] == [3, 5, 7])
        #expect(results["doubled", as: Int.self] == [2, 4, 6])
        #expect(results[1]["result", as: Int.self] == 5)
        #expect(results[2].names == ["doubled", "result"])
        #expect(results.map { $0["doubled", as: Int.self] } == [2, 4, 6])
    }

    @Test func zipPairsElementsByPosition() async throws {
        let results = try await pairing().map(inputs: ["a": [1, 2, 3], "b": [10, 20, 30]], over: ["a", "b"])

        #expect(results["label", as: String.self] == ["1-10", "2-20", "3-30"])
    }

    @Test func zipIsTheDefaultMode() async throws {
        let explicit = try await pairing().map(inputs: ["a": [1, 2], "b": [3, 4]], over: ["a", "b"], mode: .zip)
        let implicit = try await pairing().map(inputs: ["a": [1, 2], "b": [3, 4]], over: ["a", "b"])

        #expect(explicit["label", as: String.self] == ["1-3", "2-4"])
        #expect(implicit["label", as: String.self] == ["1-3", "2-4"])
    }

    @Test func productIteratesInTheOrderOfOverWithTheFirstListSlowest() async throws {
        let inputs: [String: any Sendable] = ["a": [1, 2], "b": [10, 20, 30]]

        let ab = try await pairing().map(inputs: inputs, over: ["a", "b"], mode: .product)
        let ba = try await pairing().map(inputs: inputs, over: ["b", "a"], mode: .product)

        #expect(ab["label", as: String.self] == ["1-10", "1-20", "1-30", "2-10", "2-20", "2-30"])
        #expect(ba["label", as: String.self] == ["1-10", "2-10", "1-20", "2-20", "1-30", "2-30"])
    }

    @Test func productOfThreeLists() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("join", inputs: "a", "b", "c", output: "word") { (a: String, b: String, c: String) in a + b + c }
        ])

        let results = try await pipeline.map(
            inputs: ["a": ["x", "y"], "b": ["1", "2"], "c": ["p", "q"]], over: ["a", "b", "c"], mode: .product)

        #expect(
            results["word", as: String.self] == ["x1p", "x1q", "x2p", "x2q", "y1p", "y1q", "y2p", "y2q"])
    }

    @Test func zipLengthMismatchShowsTheLengths() async throws {
        let probe = MapProbe()
        let pipeline = try Pipeline(nodes: [
            Node("pair", inputs: "a", "b", output: "label") { (a: Int, b: Int) in
                probe.hit("pair")
                return "\(a)-\(b)"
            }
        ])

        let error = await #expect(throws: PipelineError.self) {
            try await pipeline.map(inputs: ["b": [1, 2, 3], "a": [1, 2]], over: ["b", "a"])
        }

        #expect(error == .zipLengthMismatch(lengths: ["a": 2, "b": 3]))
        #expect(error?.description == "zip mode needs lists of equal length: 'a' has 2, 'b' has 3")
        #expect(probe.snapshot.isEmpty)
    }

    @Test func productAcceptsListsOfDifferentLengths() async throws {
        let results = try await pairing().map(inputs: ["a": [1], "b": [1, 2, 3]], over: ["a", "b"], mode: .product)

        #expect(results.count == 3)
    }

    @Test func emptyListGivesAnEmptyResultInZipMode() async throws {
        let probe = MapProbe()

        let results = try await arithmetic(probe).map(inputs: ["x": [Int]()], over: ["x"])

        #expect(results.isEmpty)
        #expect(results.count == 0)
        #expect(results["result", as: Int.self] == [])
        #expect(probe.snapshot.isEmpty)
    }

    @Test func emptyListGivesAnEmptyResultInProductMode() async throws {
        let results = try await pairing().map(
            inputs: ["a": [1, 2, 3], "b": [Int]()], over: ["a", "b"], mode: .product)

        #expect(results.isEmpty)
        #expect(results["label", as: String.self] == [])
    }

    @Test func nonMappedInputsAreBroadcastToEveryItem() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("scale", inputs: "x", "factor", "unit", output: "scaled") { (x: Int, factor: Int, unit: String) in
                "\(x * factor)\(unit)"
            }
        ])

        let results = try await pipeline.map(inputs: ["x": [1, 2, 3], "factor": 10, "unit": "cm"], over: ["x"])

        #expect(results["scaled", as: String.self] == ["10cm", "20cm", "30cm"])
    }

    @Test func broadcastInputMayItselfBeAnArray() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("pick", inputs: "index", "table", output: "value") { (index: Int, table: [String]) in table[index] }
        ])

        let results = try await pipeline.map(inputs: ["index": [2, 0, 1], "table": ["a", "b", "c"]], over: ["index"])

        #expect(results["value", as: String.self] == ["c", "a", "b"])
    }

    @Test func selectiveOutputsInMapRunOnlyTheNeededNodes() async throws {
        let probe = MapProbe()

        let results = try await arithmetic(probe).map(inputs: ["x": [1, 2, 3]], over: ["x"], outputs: ["doubled"])

        #expect(results["doubled", as: Int.self] == [2, 4, 6])
        #expect(results["result", as: Int.self] == nil)
        #expect(results.names == ["doubled"])
        #expect(results[0].names == ["doubled"])
        #expect(probe.snapshot == ["double": 3])
    }

    @Test func missingInputsOfAMapAreReported() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("scale", inputs: "x", "factor", output: "scaled") { (x: Int, factor: Int) in x * factor }
        ])

        await #expect(throws: PipelineError.missingInputs(missing: ["factor"], required: ["factor", "x"])) {
            try await pipeline.map(inputs: ["x": [1, 2]], over: ["x"])
        }
        await #expect(throws: PipelineError.missingInputs(missing: ["x"], required: ["factor", "x"])) {
            try await pipeline.map(inputs: ["factor": 2], over: ["x"])
        }
    }

    @Test func mappedInputThatIsNotAnArrayIsAnError() async throws {
        let error = await #expect(throws: PipelineError.self) {
            try await arithmetic().map(inputs: ["x": 5], over: ["x"])
        }

        #expect(error == .mapInputNotArray(name: "x", expectedElement: "Int", actual: "Int"))
        #expect(error?.description == "mapped input 'x' must be an array of Int, got Int")
    }

    @Test func mappedArrayOfTheWrongElementTypeIsAnError() async throws {
        let error = await #expect(throws: PipelineError.self) {
            try await arithmetic().map(inputs: ["x": ["1", "2"]], over: ["x"])
        }

        #expect(error == .mapInputNotArray(name: "x", expectedElement: "Int", actual: "Array<String>"))
        #expect(error?.description == "mapped input 'x' must be an array of Int, got Array<String>")
    }

    @Test func broadcastInputOfTheWrongTypeIsAnError() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("scale", inputs: "x", "factor", output: "scaled") { (x: Int, factor: Int) in x * factor }
        ])

        await #expect(throws: PipelineError.inputType(name: "factor", expected: "Int", actual: "Array<Int>")) {
            try await pipeline.map(inputs: ["x": [1, 2], "factor": [3, 4]], over: ["x"])
        }
    }

    @Test func overNamingAnOutputIsAnError() async throws {
        let error = await #expect(throws: PipelineError.self) {
            try await arithmetic().map(inputs: ["x": [1], "doubled": [1]], over: ["doubled"])
        }

        #expect(error == .unknownInputs(unknown: ["doubled"], available: ["x"], context: "map over"))
        #expect(error?.description == "map over: not inputs of the pipeline: doubled (inputs: x)")
    }

    @Test func overNamingAnUnknownValueIsAnError() async throws {
        await #expect(throws: PipelineError.unknownInputs(unknown: ["nope"], available: ["x"], context: "map over")) {
            try await arithmetic().map(inputs: ["x": [1], "nope": [1]], over: ["x", "nope"])
        }
    }

    @Test func columnAccess() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("split", inputs: "n", outputs: "c", "label") { (n: Int) in (n * n, "#\(n)") }
        ])

        let results = try await pipeline.map(inputs: ["n": [1, 2, 3]], over: ["n"])

        #expect(results["c", as: Int.self] == [1, 4, 9])
        #expect(results[Output<Int>("c")] == [1, 4, 9])
        #expect(results[Output<String>("label")] == ["#1", "#2", "#3"])
        #expect(try results.values("label", as: String.self) == ["#1", "#2", "#3"])
        #expect(results["c", as: String.self] == nil)
        #expect(results["nope", as: Int.self] == nil)
        #expect(results.names == ["c", "label"])
    }

    @Test func columnAccessErrors() async throws {
        let results = try await arithmetic().map(inputs: ["x": [1, 2]], over: ["x"])

        #expect(throws: ResultError.missing(name: "nope", available: ["doubled", "result"])) {
            try results.values("nope", as: Int.self)
        }
        #expect(throws: ResultError.wrongType(name: "result", requested: "String", actual: "Int")) {
            try results.values("result", as: String.self)
        }
    }

    @Test func largeMapMatchesASequentialComputation() async throws {
        let xs = Array(0..<10_000)

        let results = try await arithmetic().map(inputs: ["x": xs], over: ["x"])

        #expect(results.count == 10_000)
        #expect(results["result", as: Int.self] == xs.map { $0 * 2 + 1 })
        #expect(results["doubled", as: Int.self] == xs.map { $0 * 2 })
    }

    @Test func sequentialExecutionModeGivesIdenticalResults() async throws {
        let probe = MapProbe()
        var pipeline = try Pipeline(
            nodes: [
                Node("slow_square", inputs: "x", output: "square") { (x: Int) async in
                    probe.enter()
                    defer { probe.leave() }
                    await Task.yield()
                    return x * x
                },
                Node("negate", inputs: "x", output: "negative") { (x: Int) in -x },
                Node("combine", inputs: "square", "negative", output: "sum") { (s: Int, n: Int) in s + n },
            ], maxConcurrency: 8)
        let xs = Array(1...200)

        let concurrent = try await pipeline.map(inputs: ["x": xs], over: ["x"])
        pipeline.executionMode = .sequential
        let sequential = try await pipeline.map(inputs: ["x": xs], over: ["x"])

        let expected = xs.map { $0 * $0 - $0 }
        #expect(concurrent["sum", as: Int.self] == expected)
        #expect(sequential["sum", as: Int.self] == expected)
        #expect(zip(concurrent, sequential).allSatisfy { $0.description == $1.description })
    }

    @Test func sequentialModeRunsOneItemAtATime() async throws {
        let probe = MapProbe()
        let pipeline = try Pipeline(
            nodes: [
                Node("work", inputs: "x", output: "y") { (x: Int) async in
                    probe.enter()
                    defer { probe.leave() }
                    await Task.yield()
                    await Task.yield()
                    return x + 1
                }
            ], maxConcurrency: 8, executionMode: .sequential)

        let results = try await pipeline.map(inputs: ["x": Array(0..<50)], over: ["x"])

        #expect(results["y", as: Int.self] == Array(1...50))
        #expect(probe.maximum == 1)
    }

    @Test func maxConcurrencyOneRunsOneItemAtATime() async throws {
        let probe = MapProbe()
        let pipeline = try Pipeline(
            nodes: [
                Node("work", inputs: "x", output: "y") { (x: Int) async in
                    probe.enter()
                    defer { probe.leave() }
                    await Task.yield()
                    await Task.yield()
                    return x * 3
                }
            ], maxConcurrency: 1)

        let results = try await pipeline.map(inputs: ["x": Array(0..<50)], over: ["x"])

        #expect(results["y", as: Int.self] == (0..<50).map { $0 * 3 })
        #expect(probe.maximum == 1)
        #expect(pipeline.maxConcurrency == 1)
    }

    @Test func maxConcurrencyIsAtLeastOne() throws {
        let pipeline = try Pipeline(nodes: [Node("n", inputs: "x", output: "y") { (x: Int) in x }], maxConcurrency: 0)

        #expect(pipeline.maxConcurrency == 1)
    }

    @Test(arguments: [1, 4])
    func failingItemIsReportedWithItsIndex(maxConcurrency: Int) async throws {
        let pipeline = try Pipeline(
            nodes: [
                Node("prepare", inputs: "x", output: "checked") { (x: Int) in x },
                Node("validate", inputs: "checked", output: "ok") { (x: Int) throws -> Bool in
                    if x == 3 { throw MapBoom(item: x) }
                    return true
                },
            ], name: "checks", maxConcurrency: maxConcurrency)

        let error = await #expect(throws: NodeError.self) {
            try await pipeline.map(inputs: ["x": [0, 1, 2, 3, 4, 5]], over: ["x"])
        }

        #expect(error?.path == ["checks[3]", "validate"])
        #expect(error?.node == "validate")
        #expect(error?.underlying as? MapBoom == MapBoom(item: 3))
        #expect(error?.description.hasPrefix("checks[3] > validate: ") == true)
    }

    @Test func pipelineCanBeMappedRepeatedly() async throws {
        let pipeline = try arithmetic()

        let first = try await pipeline.map(inputs: ["x": [1, 2]], over: ["x"])
        let second = try await pipeline.map(inputs: ["x": [5, 6, 7]], over: ["x"])

        #expect(first["result", as: Int.self] == [3, 5])
        #expect(second["result", as: Int.self] == [11, 13, 15])
    }
}

@Suite("Map input validation")
struct MapInputValidationTests {
    static let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }

    @Test func mappingOverNothingIsAnError() async throws {
        let p = try Pipeline(nodes: [Self.double], name: "p")
        let error = await #expect(throws: PipelineError.self) {
            _ = try await p.map(inputs: ["x": [1, 2]], over: [])
        }
        #expect(error?.description == "map needs at least one input to map over (over: [])")
    }

    @Test func mappingOverTheSameInputTwiceIsAnError() async throws {
        let p = try Pipeline(nodes: [Self.double], name: "p")
        let error = await #expect(throws: PipelineError.self) {
            _ = try await p.map(inputs: ["x": [1, 2]], over: ["x", "x"], mode: .product)
        }
        #expect(error?.description == "map over names an input more than once: x")
    }
}
