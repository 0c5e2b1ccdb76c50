import Testing

@testable import HyperNodes

/// Two distinct types with the same short name, for type-mismatch messages.
/// Not private: the qualified names of private types contain a per-build context address.
enum ConstructionCatalog { struct Item: Sendable {} }
enum ConstructionWarehouse { struct Item: Sendable {} }

/// A node `name` reading `inputs` (all `Int`) and producing `output` (an `Int`).
private func intNode(_ name: String, _ inputs: [String], _ output: String) -> Node {
    switch inputs.count {
    case 0:
        return Node(name, output: Output<Int>(output)) { 0 }
    case 1:
        return Node(name, inputs: Input<Int>(inputs[0]), output: Output<Int>(output)) { $0 }
    case 2:
        return Node(name, inputs: Input<Int>(inputs[0]), Input<Int>(inputs[1]), output: Output<Int>(output)) { $0 + $1 }
    default:
        preconditionFailure("intNode supports up to 2 inputs")
    }
}

/// The error `Pipeline(nodes:)` throws for `nodes`.
private func buildError(_ nodes: [Node]) -> PipelineError? {
    #expect(throws: PipelineError.self) { try Pipeline(nodes: nodes) }
}

/// Checks that `path` is a closed cycle along data flow: each node produces a value the next one reads.
private func expectValidCycle(_ path: [String], in nodes: [Node], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(path.count >= 2, sourceLocation: sourceLocation)
    #expect(path.first == path.last, "the path must be closed", sourceLocation: sourceLocation)
    let byName = Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, $0) })
    for (from, to) in zip(path, path.dropFirst()) {
        let produced = Set(byName[from]?.outputs.map(\.name) ?? [])
        let read = Set(byName[to]?.inputs.map(\.name) ?? [])
        #expect(
            !produced.isDisjoint(with: read), "'\(from)' does not feed '\(to)' in \(path)",
            sourceLocation: sourceLocation)
    }
}

@Suite("PipelineConstruction")
struct PipelineConstructionTests {
    // MARK: Execution order

    @Test func independentNodesGivenInReverseOrderAreSortedByName() throws {
        let pipeline = try Pipeline(nodes: [
            intNode("c", ["z"], "r"), intNode("b", ["y"], "q"), intNode("a", ["x"], "p"),
        ])

        #expect(pipeline.nodes.map(\.name) == ["a", "b", "c"])
        #expect(pipeline.outputNames == ["p", "q", "r"])
    }

    @Test func dependenciesOverrideNameOrder() throws {
        let pipeline = try Pipeline(nodes: [intNode("a_last", ["m"], "out"), intNode("z_first", ["x"], "m")])

        #expect(pipeline.nodes.map(\.name) == ["z_first", "a_last"])
    }

    @Test func executionOrderIsTopologicalWithTiesBrokenByName() throws {
        // d → (b, c) → a; e is independent.
        let nodes = [
            intNode("a", ["q", "r"], "s"),
            intNode("b", ["p"], "q"),
            intNode("c", ["p"], "r"),
            intNode("d", ["x"], "p"),
            intNode("e", ["y"], "t"),
        ]
        let expected = ["d", "b", "c", "a", "e"]

        #expect(try Pipeline(nodes: nodes).nodes.map(\.name) == expected)
        #expect(try Pipeline(nodes: nodes.reversed()).nodes.map(\.name) == expected)
        #expect(try Pipeline(nodes: [nodes[2], nodes[4], nodes[0], nodes[3], nodes[1]]).nodes.map(\.name) == expected)
        #expect(try Pipeline(nodes: nodes).outputNames == ["p", "q", "r", "s", "t"])
    }

    @Test func pipelineNameDefaultsToPipeline() throws {
        #expect(try Pipeline(nodes: [intNode("a", ["x"], "y")]).name == "pipeline")
        #expect(try Pipeline(nodes: [intNode("a", ["x"], "y")], name: "arith").name == "arith")
    }

    // MARK: Duplicates

    @Test func duplicateOutputNamesBothProducers() {
        let error = buildError([intNode("two", ["a"], "x"), intNode("one", ["b"], "x")])

        #expect(error == .duplicateOutput(value: "x", producers: ["one", "two"]))
        #expect(error?.description == "output 'x' is produced by more than one node: 'one' and 'two'")
    }

    @Test func duplicateNodeNamesAreRejected() {
        let error = buildError([intNode("same", ["a"], "x"), intNode("same", ["b"], "y")])

        #expect(error == .duplicateNodeName("same"))
        #expect(error?.description == "two nodes are named 'same'; node names must be unique in a pipeline")
    }

    // MARK: Cycles

    @Test func twoNodeCycleNamesThePath() throws {
        let nodes = [intNode("a", ["y"], "x"), intNode("b", ["x"], "y")]
        let error = try #require(buildError(nodes))

        guard case .cycle(let path) = error else {
            Issue.record("expected a cycle error, got \(error)")
            return
        }
        #expect(Set(path) == ["a", "b"])
        #expect(path.count == 3)
        expectValidCycle(path, in: nodes)
        #expect(error.description == "the pipeline has a cycle: " + path.joined(separator: " -> "))
    }

    @Test func threeNodeCycleNamesOnlyTheNodesOnTheCycle() throws {
        // p → q → r → p, with a feeder into the cycle and consumers hanging off it.
        let nodes = [
            intNode("p", ["c", "seed"], "a"),
            intNode("q", ["a"], "b"),
            intNode("r", ["b"], "c"),
            intNode("feeder", ["x"], "seed"),
            intNode("aaa_tail", ["b"], "tail1"),
            intNode("zzz_tail", ["c"], "tail2"),
        ]
        let error = try #require(buildError(nodes))

        guard case .cycle(let path) = error else {
            Issue.record("expected a cycle error, got \(error)")
            return
        }
        #expect(Set(path) == ["p", "q", "r"])
        #expect(path.count == 4)
        expectValidCycle(path, in: nodes)
        #expect(error.description == "the pipeline has a cycle: " + path.joined(separator: " -> "))
    }

    @Test func selfLoopIsACycleOfOneNode() {
        let error = buildError([intNode("loop", ["x"], "x")])

        #expect(error == .cycle(path: ["loop", "loop"]))
        #expect(error?.description == "the pipeline has a cycle: loop -> loop")
    }

    // MARK: Types

    @Test func typeMismatchNamesBothNodesTheValueAndBothTypes() {
        let make = Node("make", inputs: "seed", output: "v") { (seed: Int) in "\(seed)" }
        let use = Node("use", inputs: "v", output: "w") { (v: Int) in v + 1 }

        let error = buildError([use, make])

        #expect(
            error
                == .typeMismatch(
                    value: "v", producer: "make", producerType: "String", consumer: "use", consumerType: "Int")
        )
        #expect(error?.description == "type mismatch for 'v': node 'make' produces String but node 'use' expects Int")
    }

    @Test func optionalAndCollectionTypesMustMatchExactly() {
        let optional = buildError([
            Node("make", inputs: "seed", output: "v") { (seed: Int) -> Int? in seed },
            Node("use", inputs: "v", output: "w") { (v: Int) in v },
        ])
        #expect(
            optional?.description
                == "type mismatch for 'v': node 'make' produces Optional<Int> but node 'use' expects Int")

        let arrays = buildError([
            Node("make", inputs: "seed", output: "v") { (seed: Int) in [seed] },
            Node("use", inputs: "v", output: "w") { (v: [Double]) in v.count },
        ])
        #expect(
            arrays?.description
                == "type mismatch for 'v': node 'make' produces Array<Int> but node 'use' expects Array<Double>")
    }

    @Test func typeMismatchBetweenMultiOutputProducerAndConsumer() {
        let stats = Node("stats", inputs: "values", outputs: "mean", "count") { (values: [Double]) in
            (values.reduce(0, +), values.count)
        }
        let report = Node("report", inputs: "count", output: "text") { (count: Double) in "\(count)" }

        #expect(
            buildError([stats, report])
                == .typeMismatch(
                    value: "count", producer: "stats", producerType: "Int", consumer: "report", consumerType: "Double"))
    }

    @Test func typeMismatchBetweenSameNamedTypesUsesQualifiedNames() throws {
        let make = Node("make", inputs: "seed", output: "item") { (_: Int) in ConstructionCatalog.Item() }
        let use = Node("use", inputs: "item", output: "ok") { (_: ConstructionWarehouse.Item) in true }

        let error = buildError([make, use])

        #expect(
            error?.description
                == "type mismatch for 'item': node 'make' produces HyperNodesTests.ConstructionCatalog.Item "
                + "but node 'use' expects HyperNodesTests.ConstructionWarehouse.Item")
    }

    @Test func inputTypeConflictBetweenSameNamedTypesUsesQualifiedNames() throws {
        let first = Node("first", inputs: "item", output: "a") { (_: ConstructionCatalog.Item) in 1 }
        let second = Node("second", inputs: "item", output: "b") { (_: ConstructionWarehouse.Item) in 2 }

        #expect(
            buildError([first, second])
                == .inputTypeConflict(
                    value: "item", first: "first", firstType: "HyperNodesTests.ConstructionCatalog.Item",
                    second: "second", secondType: "HyperNodesTests.ConstructionWarehouse.Item"))
    }

    @Test func rootInputReadWithTwoTypesIsAConflict() {
        let first = Node("first", inputs: "x", output: "a") { (x: Int) in x }
        let second = Node("second", inputs: "x", output: "b") { (x: String) in x }

        let error = buildError([first, second])

        #expect(
            error
                == .inputTypeConflict(
                    value: "x", first: "first", firstType: "Int", second: "second", secondType: "String"))
        #expect(error?.description == "input 'x' is read as Int by node 'first' but as String by node 'second'")

        // Whatever the declaration order, both readers and both types are named.
        let reversed = buildError([second, first])?.description ?? ""
        for part in ["'x'", "'first'", "'second'", "Int", "String"] {
            #expect(reversed.contains(part), "\(part) missing from: \(reversed)")
        }
    }

    // MARK: Invalid nodes

    @Test func emptyNodeNameIsInvalid() {
        let error = buildError([intNode("", ["x"], "y")])

        #expect(error == .invalidNode(node: "", reason: "the name is empty"))
        #expect(error?.description == "node '' is invalid: the name is empty")
    }

    @Test func inputDeclaredTwiceIsInvalid() {
        let twice = Node("twice", inputs: "a", "a", output: "sum") { (a: Int, b: Int) in a + b }

        let error = buildError([twice])

        #expect(error == .invalidNode(node: "twice", reason: "input 'a' is declared twice"))
        #expect(error?.description == "node 'twice' is invalid: input 'a' is declared twice")
    }

    @Test func outputDeclaredTwiceIsInvalid() {
        let twice = Node("twice", inputs: "a", outputs: "o", "o") { (a: Int) in (a, a) }

        #expect(buildError([twice]) == .invalidNode(node: "twice", reason: "output 'o' is declared twice"))
    }

    @Test func emptyPortNamesAreInvalid() {
        #expect(buildError([intNode("n", [""], "y")]) == .invalidNode(node: "n", reason: "an input name is empty"))
        #expect(buildError([intNode("n", ["x"], "")]) == .invalidNode(node: "n", reason: "an output name is empty"))
    }

    // MARK: Introspection

    @Test func inputNamesAreTheSortedRootInputs() throws {
        let pipeline = try Pipeline(nodes: [
            intNode("join", ["left", "right"], "joined"),
            intNode("left_node", ["b"], "left"),
            intNode("right_node", ["a", "c"], "right"),
            intNode("const", [], "unused"),
        ])

        #expect(pipeline.inputNames == ["a", "b", "c"])
        #expect(pipeline.outputNames == ["unused", "left", "right", "joined"])
        #expect(pipeline.nodes.map(\.name) == ["const", "left_node", "right_node", "join"])
    }

    @Test func inputTypesMapEachRootInputToItsType() throws {
        let pipeline = try Pipeline(nodes: [
            Node("label", inputs: "name", "count", output: "text") { (name: String, count: Int) in "\(name)\(count)" },
            Node("scale", inputs: "text", "weights", output: "scaled") { (text: String, weights: [Double]) in
                weights.map { $0 * Double(text.count) }
            },
        ])

        #expect(
            pipeline.inputTypes == ["name": .of(String.self), "count": .of(Int.self), "weights": .of([Double].self)])
        #expect(pipeline.inputTypes["text"] == nil)
    }

    @Test func graphDescriptionListsInputsNodesAndEdges() throws {
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
        let addOne = Node("add_one", inputs: "doubled", output: "result", cache: false) { (d: Int) in d + 1 }
        let pipeline = try Pipeline(nodes: [addOne, double], name: "arith")

        let expected = PipelineGraph(pipelines: [
            PipelineDescription(
                name: "arith",
                inputs: [PortDescription(name: "x", type: "Int")],
                nodes: [
                    NodeDescription(
                        name: "double", inputs: [PortDescription(name: "x", type: "Int")],
                        outputs: [PortDescription(name: "doubled", type: "Int")], cache: true),
                    NodeDescription(
                        name: "add_one", inputs: [PortDescription(name: "doubled", type: "Int")],
                        outputs: [PortDescription(name: "result", type: "Int")], cache: false),
                ],
                edges: [EdgeDescription(from: "double", to: "add_one", value: "doubled")])
        ])
        #expect(pipeline.graphDescription == expected)
        #expect(pipeline.graphDescription.root.name == "arith")
    }

    @Test func graphDescriptionHasOneEdgePerConsumedValue() throws {
        let pipeline = try Pipeline(nodes: [
            intNode("src", ["x"], "a"),
            intNode("left", ["a"], "l"),
            intNode("right", ["a"], "r"),
            intNode("join", ["l", "r"], "out"),
        ])

        #expect(
            pipeline.graphDescription.root.edges == [
                EdgeDescription(from: "src", to: "left", value: "a"),
                EdgeDescription(from: "src", to: "right", value: "a"),
                EdgeDescription(from: "left", to: "join", value: "l"),
                EdgeDescription(from: "right", to: "join", value: "r"),
            ])
    }

    @Test func graphDescriptionIncludesNestedPipelinesWithMapOver() throws {
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
        let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
        let inner = try Pipeline(nodes: [double, addOne], name: "arith")
        let total = Node("total", inputs: "result", output: "sum") { (values: [Int]) in values.reduce(0, +) }
        let outer = try Pipeline(
            nodes: [inner.asNode(name: "batch", mapOver: ["x"], mode: .product), total], name: "outer")

        let graph = outer.graphDescription

        #expect(graph.pipelines.map(\.name) == ["outer", "arith"])
        #expect(graph.pipelines[1] == inner.graphDescription.root)
        #expect(
            graph.root
                == PipelineDescription(
                    name: "outer",
                    inputs: [PortDescription(name: "x", type: "Array<Int>")],
                    nodes: [
                        NodeDescription(
                            name: "batch", inputs: [PortDescription(name: "x", type: "Array<Int>")],
                            outputs: [
                                PortDescription(name: "doubled", type: "Array<Int>"),
                                PortDescription(name: "result", type: "Array<Int>"),
                            ],
                            cache: false, pipeline: 1, mapOver: ["x"], mapMode: "product"),
                        NodeDescription(
                            name: "total", inputs: [PortDescription(name: "result", type: "Array<Int>")],
                            outputs: [PortDescription(name: "sum", type: "Int")], cache: true),
                    ],
                    edges: [EdgeDescription(from: "batch", to: "total", value: "result")]))
    }

    @Test func graphDescriptionKeepsTheOrderOfMapOver() throws {
        // In product mode the order of `mapOver` decides the iteration order, so the description must keep it.
        let inner = try Pipeline(
            nodes: [Node("pair", inputs: "a", "b", output: "label") { (a: Int, b: Int) in "\(a)-\(b)" }], name: "pairs")
        let outer = try Pipeline(nodes: [inner.asNode(name: "grid", mapOver: ["b", "a"], mode: .product)])

        let node = try #require(outer.graphDescription.root.nodes.first)

        #expect(node.mapOver == ["b", "a"])
        #expect(node.mapMode == "product")
    }

    @Test func graphDescriptionListsAPipelineNestedTwiceOnce() throws {
        let inner = try Pipeline(nodes: [intNode("inc", ["x"], "y")], name: "inc_pipeline")
        let outer = try Pipeline(
            nodes: [
                inner.asNode(name: "first", inputMapping: ["a": "x"], outputMapping: ["y": "b"]),
                inner.asNode(name: "second", inputMapping: ["b": "x"], outputMapping: ["y": "c"]),
            ], name: "outer")

        let graph = outer.graphDescription

        #expect(graph.pipelines.map(\.name) == ["outer", "inc_pipeline"])
        #expect(graph.root.nodes.map(\.pipeline) == [1, 1])
        #expect(graph.root.nodes.map(\.mapOver) == [[], []])
        #expect(graph.root.nodes.map(\.mapMode) == [nil, nil])
        #expect(graph.root.edges == [EdgeDescription(from: "first", to: "second", value: "b")])
        #expect(graph.root.inputs == [PortDescription(name: "a", type: "Int")])
    }
}

@Suite("Type names in messages")
struct TypeNameTests {
    @Test func privateTypesLoseTheirBuildAddress() {
        #expect(
            ValueType.readable("Tests.(unknown context at $564a870f87ec).Catalog.Item")
                == "Tests.(private).Catalog.Item")
        #expect(ValueType.readable("Swift.Int") == "Swift.Int")
    }
}
