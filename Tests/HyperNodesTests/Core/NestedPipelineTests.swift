import Synchronization
import Testing

@testable import HyperNodes

/// Counts how often each node body ran.
private final class NestedCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func hit(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
    var snapshot: [String: Int] { counts.withLock { $0 } }
}

private struct NestedBoom: Error, Equatable {
    let value: Int
}

/// `double: x → doubled`, `add_one: doubled → result`.
private func arithmetic(_ counter: NestedCounter = NestedCounter()) throws -> Pipeline {
    try Pipeline(
        nodes: [
            Node("double", inputs: "x", output: "doubled") { (x: Int) in
                counter.hit("double")
                return x * 2
            },
            Node("add_one", inputs: "doubled", output: "result") { (d: Int) in
                counter.hit("add_one")
                return d + 1
            },
        ], name: "arith")
}

/// Two independent branches on `x`: `cheap → c` and `expensive → e`.
private func branches(_ counter: NestedCounter) throws -> Pipeline {
    try Pipeline(
        nodes: [
            Node("cheap", inputs: "x", output: "c") { (x: Int) in
                counter.hit("cheap")
                return x + 1
            },
            Node("expensive", inputs: "x", output: "e") { (x: Int) in
                counter.hit("expensive")
                return x * 1000
            },
        ], name: "branches")
}

@Suite("NestedPipeline")
struct NestedPipelineTests {
    @Test func nodeNameDefaultsToThePipelineName() throws {
        let inner = try arithmetic()

        let node = try inner.asNode()

        #expect(node.name == "arith")
        #expect(try inner.asNode(name: "custom").name == "custom")
        #expect(node.isPipeline)
        #expect(node.isAsync)
        #expect(node.cache == false)
        #expect(node.inputs == [Port(name: "x", type: .of(Int.self))])
        #expect(
            node.outputs == [Port(name: "doubled", type: .of(Int.self)), Port(name: "result", type: .of(Int.self))])
    }

    @Test func nestedPipelineRunsAsANode() async throws {
        let square = Node("square", inputs: "result", output: "squared") { (r: Int) in r * r }
        let outer = try Pipeline(nodes: [square, arithmetic().asNode()], name: "outer")

        let result = try await outer.run(inputs: ["x": 3])

        #expect(outer.nodes.map(\.name) == ["arith", "square"])
        #expect(result["doubled", as: Int.self] == 6)
        #expect(result["result", as: Int.self] == 7)
        #expect(result["squared", as: Int.self] == 49)
        #expect(result.names == ["doubled", "result", "squared"])
    }

    @Test func inputMappingRenamesOuterNamesToInnerInputs() async throws {
        let node = try arithmetic().asNode(inputMapping: ["number": "x"])
        let outer = try Pipeline(nodes: [node])

        #expect(node.inputs == [Port(name: "number", type: .of(Int.self))])
        #expect(outer.inputNames == ["number"])
        #expect(try await outer.run(inputs: ["number": 4])["result", as: Int.self] == 9)
        await #expect(throws: PipelineError.missingInputs(missing: ["number"], required: ["number"])) {
            try await outer.run(inputs: ["x": 4])
        }
    }

    @Test func inputMappingConnectsAnUpstreamOutput() async throws {
        let source = Node("source", inputs: "seed", output: "value") { (seed: Int) in seed + 10 }
        let outer = try Pipeline(nodes: [arithmetic().asNode(inputMapping: ["value": "x"]), source])

        let result = try await outer.run(inputs: ["seed": 1])

        #expect(outer.nodes.map(\.name) == ["source", "arith"])
        #expect(result["result", as: Int.self] == 23)
    }

    @Test func outputMappingExposesOnlyTheMappedOutputsUnderTheirOuterNames() async throws {
        let node = try arithmetic().asNode(outputMapping: ["result": "final"])
        let outer = try Pipeline(nodes: [node])

        let result = try await outer.run(inputs: ["x": 5])

        #expect(node.outputs == [Port(name: "final", type: .of(Int.self))])
        #expect(outer.outputNames == ["final"])
        #expect(result["final", as: Int.self] == 11)
        #expect(result["doubled"] == nil)
        #expect(result["result"] == nil)
        #expect(result.names == ["final"])
    }

    @Test func outputMappingCanKeepInnerNames() async throws {
        let node = try arithmetic().asNode(outputMapping: ["doubled": "doubled"])

        #expect(node.outputs.map(\.name) == ["doubled"])
        #expect(try await Pipeline(nodes: [node]).run(inputs: ["x": 5]).names == ["doubled"])
    }

    @Test func samePipelineNestedTwiceWithDifferentMappings() async throws {
        let inc = try Pipeline(nodes: [Node("inc", inputs: "n", output: "m") { (n: Int) in n + 1 }], name: "inc")
        let outer = try Pipeline(nodes: [
            inc.asNode(name: "second", inputMapping: ["once": "n"], outputMapping: ["m": "twice"]),
            inc.asNode(name: "first", inputMapping: ["start": "n"], outputMapping: ["m": "once"]),
        ])

        let result = try await outer.run(inputs: ["start": 40])

        #expect(outer.nodes.map(\.name) == ["first", "second"])
        #expect(result["once", as: Int.self] == 41)
        #expect(result["twice", as: Int.self] == 42)
    }

    @Test func mapOverZipProducesOneListPerOutput() async throws {
        let node = try arithmetic().asNode(name: "batch", mapOver: ["x"])
        let total = Node("total", inputs: "result", output: "sum") { (values: [Int]) in values.reduce(0, +) }
        let outer = try Pipeline(nodes: [node, total])

        let result = try await outer.run(inputs: ["x": [1, 2, 3]])

        #expect(node.inputs == [Port(name: "x", type: .of([Int].self))])
        #expect(node.outputs.map(\.type) == [.of([Int].self), .of([Int].self)])
        #expect(result["doubled", as: [Int].self] == [2, 4, 6])
        #expect(result["result", as: [Int].self] == [3, 5, 7])
        #expect(result["sum", as: Int.self] == 15)
    }

    @Test func mapOverZipOfTwoInputsWithABroadcastInput() async throws {
        let inner = try Pipeline(
            nodes: [
                Node("affine", inputs: "a", "b", "scale", output: "y") { (a: Int, b: Int, scale: Int) in a * scale + b }
            ], name: "affine")
        let outer = try Pipeline(nodes: [inner.asNode(mapOver: ["a", "b"])])

        #expect(outer.inputTypes == ["a": .of([Int].self), "b": .of([Int].self), "scale": .of(Int.self)])
        let result = try await outer.run(inputs: ["a": [1, 2, 3], "b": [10, 20, 30], "scale": 100])

        #expect(result["y", as: [Int].self] == [110, 220, 330])
    }

    @Test func mapOverProductIteratesInTheOrderOfMapOver() async throws {
        let inner = try Pipeline(
            nodes: [Node("pair", inputs: "a", "b", output: "label") { (a: Int, b: Int) in "\(a)-\(b)" }], name: "pairs")
        let ab = try Pipeline(nodes: [inner.asNode(mapOver: ["a", "b"], mode: .product)])
        let ba = try Pipeline(nodes: [inner.asNode(mapOver: ["b", "a"], mode: .product)])
        let inputs: [String: any Sendable] = ["a": [1, 2], "b": [10, 20, 30]]

        let abResult = try await ab.run(inputs: inputs)
        let baResult = try await ba.run(inputs: inputs)

        #expect(abResult["label", as: [String].self] == ["1-10", "1-20", "1-30", "2-10", "2-20", "2-30"])
        #expect(baResult["label", as: [String].self] == ["1-10", "2-10", "1-20", "2-20", "1-30", "2-30"])
    }

    @Test func mapOverEmptyListGivesEmptyLists() async throws {
        let counter = NestedCounter()
        let outer = try Pipeline(nodes: [
            arithmetic(counter).asNode(mapOver: ["x"]),
            Node("count", inputs: "result", output: "n") { (r: [Int]) in r.count },
        ])

        let result = try await outer.run(inputs: ["x": [Int]()])

        #expect(result["result", as: [Int].self] == [])
        #expect(result["n", as: Int.self] == 0)
        #expect(counter.snapshot.isEmpty)
    }

    @Test func mapOverWithRenamedInputAndOutput() async throws {
        let node = try arithmetic().asNode(
            name: "batch", inputMapping: ["numbers": "x"], outputMapping: ["result": "results"], mapOver: ["numbers"])

        #expect(node.inputs == [Port(name: "numbers", type: .of([Int].self))])
        #expect(node.outputs == [Port(name: "results", type: .of([Int].self))])
        let result = try await Pipeline(nodes: [node]).run(inputs: ["numbers": [10, 20]])
        #expect(result["results", as: [Int].self] == [21, 41])
        #expect(result.names == ["results"])
    }

    @Test func mapOverZipLengthMismatchFailsTheNestedNode() async throws {
        let inner = try Pipeline(
            nodes: [Node("pair", inputs: "a", "b", output: "label") { (a: Int, b: Int) in "\(a)-\(b)" }], name: "pairs")
        let outer = try Pipeline(nodes: [inner.asNode(name: "zipper", mapOver: ["a", "b"])], name: "outer")

        let error = await #expect(throws: NodeError.self) {
            try await outer.run(inputs: ["a": [1, 2], "b": [1, 2, 3]])
        }

        #expect(error?.path == ["outer", "zipper"])
        #expect(error?.underlying as? PipelineError == .zipLengthMismatch(lengths: ["a": 2, "b": 3]))
    }

    @Test func unconsumedInnerBranchDoesNotRunForSelectiveOuterOutputs() async throws {
        let counter = NestedCounter()
        let use = Node("use", inputs: "c", output: "u") { (c: Int) in
            counter.hit("use")
            return c * 2
        }
        let outer = try Pipeline(nodes: [branches(counter).asNode(), use])

        let result = try await outer.run(inputs: ["x": 1], outputs: ["u"])

        #expect(result["u", as: Int.self] == 4)
        #expect(result.names == ["u"])
        #expect(counter.snapshot == ["cheap": 1, "use": 1])
    }

    @Test func askingForAnIntermediateInnerOutputStopsTheInnerChainThere() async throws {
        let counter = NestedCounter()
        let outer = try Pipeline(nodes: [arithmetic(counter).asNode()])

        let result = try await outer.run(inputs: ["x": 5], outputs: ["doubled"])

        #expect(result["doubled", as: Int.self] == 10)
        #expect(result.names == ["doubled"])
        #expect(counter.snapshot == ["double": 1])
    }

    @Test func everyExposedInnerOutputRunsWhenTheOuterRunReturnsEverything() async throws {
        let counter = NestedCounter()
        let outer = try Pipeline(nodes: [branches(counter).asNode()])

        let result = try await outer.run(inputs: ["x": 1])

        #expect(result["c", as: Int.self] == 2)
        #expect(result["e", as: Int.self] == 1000)
        #expect(counter.snapshot == ["cheap": 1, "expensive": 1])
    }

    @Test func innerOutputsLeftOutOfTheOutputMappingDoNotRun() async throws {
        let counter = NestedCounter()
        let outer = try Pipeline(nodes: [branches(counter).asNode(outputMapping: ["c": "c"])])

        let result = try await outer.run(inputs: ["x": 1])

        #expect(result.names == ["c"])
        #expect(counter.snapshot == ["cheap": 1])
    }

    @Test func unconsumedInnerBranchDoesNotRunInAMappedNestedNode() async throws {
        let counter = NestedCounter()
        let total = Node("total", inputs: "c", output: "sum") { (c: [Int]) in c.reduce(0, +) }
        let outer = try Pipeline(nodes: [branches(counter).asNode(mapOver: ["x"]), total])

        let result = try await outer.run(inputs: ["x": [1, 2, 3]], outputs: ["sum"])

        #expect(result["sum", as: Int.self] == 9)
        #expect(counter.snapshot == ["cheap": 3])
    }

    @Test func unconsumedInnerBranchDoesNotRunWhenTheOuterPipelineIsMapped() async throws {
        let counter = NestedCounter()
        let use = Node("use", inputs: "c", output: "u") { (c: Int) in c * 2 }
        let outer = try Pipeline(nodes: [branches(counter).asNode(), use])

        let results = try await outer.map(inputs: ["x": [1, 2]], over: ["x"], outputs: ["u"])

        #expect(results["u", as: Int.self] == [4, 6])
        #expect(counter.snapshot == ["cheap": 2])
    }

    @Test func threeLevelsOfNesting() async throws {
        let level3 = try Pipeline(
            nodes: [Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }], name: "level3")
        let level2 = try Pipeline(
            nodes: [
                level3.asNode(name: "l3"),
                Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 },
            ], name: "level2")
        let level1 = try Pipeline(
            nodes: [
                level2.asNode(name: "l2"),
                Node("square", inputs: "result", output: "squared") { (r: Int) in r * r },
            ], name: "level1")

        let result = try await level1.run(inputs: ["x": 3])

        #expect(level1.inputNames == ["x"])
        #expect(result["doubled", as: Int.self] == 6)
        #expect(result["result", as: Int.self] == 7)
        #expect(result["squared", as: Int.self] == 49)
        #expect(level1.graphDescription.pipelines.map(\.name) == ["level1", "level2", "level3"])
    }

    @Test func threeLevelsWithMapOverInTheMiddle() async throws {
        let level3 = try Pipeline(
            nodes: [Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }], name: "level3")
        let level2 = try Pipeline(
            nodes: [
                level3.asNode(name: "l3"),
                Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 },
            ], name: "level2")
        let level1 = try Pipeline(
            nodes: [
                level2.asNode(name: "l2", outputMapping: ["result": "results"], mapOver: ["x"]),
                Node("total", inputs: "results", output: "total") { (r: [Int]) in r.reduce(0, +) },
            ], name: "level1")

        let result = try await level1.run(inputs: ["x": [1, 2, 3]])

        #expect(result["results", as: [Int].self] == [3, 5, 7])
        #expect(result["total", as: Int.self] == 15)
    }

    @Test func errorPathRunsThroughEveryLevel() async throws {
        let level3 = try Pipeline(
            nodes: [
                Node("boom", inputs: "x", output: "y") { (x: Int) throws -> Int in throw NestedBoom(value: x) }
            ], name: "level3")
        let level2 = try Pipeline(nodes: [level3.asNode(name: "l3")], name: "level2")
        let level1 = try Pipeline(nodes: [level2.asNode(name: "l2")], name: "top")

        let error = await #expect(throws: NodeError.self) {
            try await level1.run(inputs: ["x": 9])
        }

        #expect(error?.path == ["top", "l2", "l3", "boom"])
        #expect(error?.underlying as? NestedBoom == NestedBoom(value: 9))
        #expect(error?.description.hasPrefix("top > l2 > l3 > boom: ") == true)
    }

    @Test func errorPathInAMappedNestedNodeNamesTheItem() async throws {
        let inner = try Pipeline(
            nodes: [
                Node("check", inputs: "x", output: "ok") { (x: Int) throws -> Bool in
                    if x < 0 { throw NestedBoom(value: x) }
                    return true
                }
            ], name: "inner")
        let outer = try Pipeline(nodes: [inner.asNode(name: "embed", mapOver: ["x"])], name: "rag")

        let error = await #expect(throws: NodeError.self) {
            try await outer.run(inputs: ["x": [1, 2, 3, -4, 5]])
        }

        #expect(error?.path == ["rag", "embed[3]", "check"])
        #expect(error?.underlying as? NestedBoom == NestedBoom(value: -4))
    }

    @Test func errorPathOfAMappedOuterRunAroundAMappedNestedNodeNamesBothItems() async throws {
        let inner = try Pipeline(
            nodes: [
                Node("check", inputs: "x", output: "ok") { (x: Int) throws -> Bool in
                    if x < 0 { throw NestedBoom(value: x) }
                    return true
                }
            ], name: "inner")
        let outer = try Pipeline(nodes: [inner.asNode(name: "embed", mapOver: ["x"])], name: "rag")

        let error = await #expect(throws: NodeError.self) {
            try await outer.map(inputs: ["x": [[1, 2], [3, 4, -5]]], over: ["x"])
        }

        #expect(error?.path == ["rag[1]", "embed[2]", "check"])
        #expect(error?.underlying as? NestedBoom == NestedBoom(value: -5))
    }

    // MARK: Mapping errors

    @Test func inputMappingToAnUnknownInnerInputIsAnError() throws {
        let inner = try arithmetic()

        let error = #expect(throws: PipelineError.self) { try inner.asNode(inputMapping: ["outer": "nope"]) }

        #expect(error == .unknownInputs(unknown: ["nope"], available: ["x"], context: "input mapping of node 'arith'"))
        #expect(error?.description == "input mapping of node 'arith': not inputs of the pipeline: nope (inputs: x)")
    }

    @Test func outputMappingOfAnUnknownInnerOutputIsAnError() throws {
        let inner = try arithmetic()

        let error = #expect(throws: PipelineError.self) { try inner.asNode(outputMapping: ["nope": "o"]) }

        #expect(
            error?.description
                == "output mapping of node 'arith': not outputs of pipeline 'arith': nope (outputs: doubled, result)")
    }

    @Test func mapOverAnUnknownNameIsAnError() throws {
        let inner = try arithmetic()

        let error = #expect(throws: PipelineError.self) { try inner.asNode(name: "batch", mapOver: ["nope"]) }

        #expect(error == .unknownInputs(unknown: ["nope"], available: ["x"], context: "mapOver of node 'batch'"))
        #expect(error?.description == "mapOver of node 'batch': not inputs of the pipeline: nope (inputs: x)")
    }

    @Test func mapOverUsesOuterNamesAfterInputMapping() throws {
        let inner = try arithmetic()

        #expect(
            throws: PipelineError.unknownInputs(
                unknown: ["x"], available: ["numbers"], context: "mapOver of node 'arith'")
        ) {
            try inner.asNode(inputMapping: ["numbers": "x"], mapOver: ["x"])
        }
    }

    @Test func twoOuterNamesForOneInnerInputIsAnError() throws {
        let inner = try arithmetic()

        let error = #expect(throws: PipelineError.self) { try inner.asNode(inputMapping: ["b": "x", "a": "x"]) }

        #expect(error == .invalidMapping("input mapping of node 'arith': 'a' and 'b' both map to inner input 'x'"))
        #expect(error?.description == "input mapping of node 'arith': 'a' and 'b' both map to inner input 'x'")
    }

    @Test func twoInnerInputsEndingUpWithTheSameOuterNameIsAnError() throws {
        let inner = try Pipeline(
            nodes: [Node("add", inputs: "a", "b", output: "sum") { (a: Int, b: Int) in a + b }], name: "adder")

        let error = #expect(throws: PipelineError.self) { try inner.asNode(inputMapping: ["b": "a"]) }

        guard case .invalidMapping(let message) = error else {
            Issue.record("expected an invalid mapping, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix("input mapping of node 'adder': "))
    }

    // MARK: Types across the boundary

    @Test func outerProducerOfTheWrongTypeFeedingANestedNodeIsRejected() throws {
        let make = Node("make", inputs: "seed", output: "x") { (seed: Int) in "\(seed)" }

        let error = #expect(throws: PipelineError.self) { try Pipeline(nodes: [make, arithmetic().asNode()]) }

        #expect(
            error
                == .typeMismatch(
                    value: "x", producer: "make", producerType: "String", consumer: "arith", consumerType: "Int"))
        #expect(error?.description == "type mismatch for 'x': node 'make' produces String but node 'arith' expects Int")
    }

    @Test func scalarProducerFeedingAMappedInputIsRejected() throws {
        let make = Node("make", inputs: "seed", output: "x") { (seed: Int) in seed }

        #expect(
            throws: PipelineError.typeMismatch(
                value: "x", producer: "make", producerType: "Int", consumer: "batch", consumerType: "Array<Int>")
        ) {
            try Pipeline(nodes: [make, arithmetic().asNode(name: "batch", mapOver: ["x"])])
        }
    }

    @Test func nestedOutputOfTheWrongTypeForAnOuterConsumerIsRejected() throws {
        let show = Node("show", inputs: "result", output: "text") { (r: String) in r }

        #expect(
            throws: PipelineError.typeMismatch(
                value: "result", producer: "arith", producerType: "Int", consumer: "show", consumerType: "String")
        ) {
            try Pipeline(nodes: [arithmetic().asNode(), show])
        }
    }

    @Test func mappedNestedOutputIsAList() throws {
        let perItem = Node("per_item", inputs: "result", output: "text") { (r: Int) in "\(r)" }

        #expect(
            throws: PipelineError.typeMismatch(
                value: "result", producer: "batch", producerType: "Array<Int>", consumer: "per_item",
                consumerType: "Int")
        ) {
            try Pipeline(nodes: [arithmetic().asNode(name: "batch", mapOver: ["x"]), perItem])
        }
    }

    @Test func outerRootInputOfTheWrongTypeForANestedNodeIsRejectedAtRun() async throws {
        let outer = try Pipeline(nodes: [arithmetic().asNode(name: "batch", mapOver: ["x"])])

        await #expect(throws: PipelineError.inputType(name: "x", expected: "Array<Int>", actual: "Int")) {
            try await outer.run(inputs: ["x": 3])
        }
    }
}
