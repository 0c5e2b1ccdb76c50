import Testing

@testable import HyperNodes

/// `add: a, b → sum`.
private func adder(name: String = "adder") throws -> Pipeline {
    try Pipeline(nodes: [Node("add", inputs: "a", "b", output: "sum") { (a: Int, b: Int) in a + b }], name: name)
}

/// The bound values as `Int`s, for comparisons.
private func boundInts(_ pipeline: Pipeline) -> [String: Int] {
    pipeline.boundInputs.compactMapValues { $0 as? Int }
}

@Suite("Bind")
struct BindTests {
    @Test func boundValuesAreUsedAsDefaults() async throws {
        var pipeline = try adder()
        try pipeline.bind(["b": 10])

        let result = try await pipeline.run(inputs: ["a": 1])

        #expect(result["sum", as: Int.self] == 11)
        #expect(boundInts(pipeline) == ["b": 10])
        #expect(pipeline.boundInputs.count == 1)
    }

    @Test func everyInputCanBeBound() async throws {
        var pipeline = try adder()
        try pipeline.bind(["a": 2, "b": 3])

        let result = try await pipeline.run()

        #expect(result["sum", as: Int.self] == 5)
    }

    @Test func explicitInputsWinOverBoundOnes() async throws {
        var pipeline = try adder()
        try pipeline.bind(["a": 1, "b": 10])

        let result = try await pipeline.run(inputs: ["b": 100])

        #expect(result["sum", as: Int.self] == 101)
        #expect(boundInts(pipeline) == ["a": 1, "b": 10])
    }

    @Test func laterBindingsReplaceEarlierOnes() async throws {
        var pipeline = try adder()
        try pipeline.bind(["a": 1, "b": 2])
        try pipeline.bind(["b": 20])

        #expect(boundInts(pipeline) == ["a": 1, "b": 20])
        #expect(try await pipeline.run()["sum", as: Int.self] == 21)
    }

    @Test func unbindRemovesNamedValues() async throws {
        var pipeline = try adder()
        try pipeline.bind(["a": 1, "b": 2])

        pipeline.unbind("b")

        #expect(boundInts(pipeline) == ["a": 1])
        await #expect(throws: PipelineError.missingInputs(missing: ["b"], required: ["a", "b"])) {
            try await pipeline.run()
        }
    }

    @Test func unbindWithoutNamesRemovesEverything() throws {
        var pipeline = try adder()
        try pipeline.bind(["a": 1, "b": 2])

        pipeline.unbind()

        #expect(pipeline.boundInputs.isEmpty)
        #expect(try pipeline.unfulfilledInputs() == ["a", "b"])
    }

    @Test func unbindWithAListAndUnknownNames() throws {
        var pipeline = try adder()
        try pipeline.bind(["a": 1, "b": 2])

        pipeline.unbind(["a", "not-bound"])

        #expect(boundInts(pipeline) == ["b": 2])
        pipeline.unbind([])
        #expect(pipeline.boundInputs.isEmpty)
    }

    @Test func bindingReturnsABoundCopyAndLeavesTheOriginalAlone() async throws {
        let original = try adder()

        let bound = try original.binding(["b": 5])

        #expect(original.boundInputs.isEmpty)
        #expect(boundInts(bound) == ["b": 5])
        #expect(try await bound.run(inputs: ["a": 1])["sum", as: Int.self] == 6)
        await #expect(throws: PipelineError.missingInputs(missing: ["b"], required: ["a", "b"])) {
            try await original.run(inputs: ["a": 1])
        }
    }

    @Test func bindingAnUnknownNameListsTheInputs() throws {
        var pipeline = try adder()

        let error = #expect(throws: PipelineError.self) { try pipeline.bind(["zeta": 1, "alpha": 2, "a": 3]) }

        #expect(error == .unknownInputs(unknown: ["alpha", "zeta"], available: ["a", "b"], context: "bind"))
        #expect(error?.description == "bind: not inputs of the pipeline: alpha, zeta (inputs: a, b)")
        #expect(pipeline.boundInputs.isEmpty, "a failed bind must not bind the valid names either")
    }

    @Test func bindingAnOutputIsAnError() throws {
        let chain = try Pipeline(nodes: [
            Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 },
            Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 },
        ])

        #expect(throws: PipelineError.unknownInputs(unknown: ["doubled"], available: ["x"], context: "bind")) {
            try chain.binding(["doubled": 4])
        }
    }

    @Test func bindingAValueOfTheWrongTypeIsAnError() throws {
        var pipeline = try adder()

        let error = #expect(throws: PipelineError.self) { try pipeline.bind(["a": 1, "b": "two"]) }

        #expect(error == .inputType(name: "b", expected: "Int", actual: "String"))
        #expect(error?.description == "input 'b' must be Int, got String")
        #expect(pipeline.boundInputs.isEmpty, "a failed bind must not bind the valid names either")
    }

    @Test func unfulfilledInputsAreTheRequiredInputsThatAreNotBound() throws {
        var pipeline = try Pipeline(nodes: [
            Node("f", inputs: "a", "b", output: "ab") { (a: Int, b: Int) in a + b },
            Node("g", inputs: "ab", "c", output: "abc") { (ab: Int, c: Int) in ab * c },
        ])

        #expect(try pipeline.unfulfilledInputs() == ["a", "b", "c"])
        try pipeline.bind(["b": 1])
        #expect(try pipeline.unfulfilledInputs() == ["a", "c"])
        #expect(try pipeline.unfulfilledInputs(for: ["ab"]) == ["a"])
        try pipeline.bind(["a": 1])
        #expect(try pipeline.unfulfilledInputs(for: ["ab"]) == [])
        #expect(try pipeline.unfulfilledInputs(for: ["abc"]) == ["c"])
    }

    @Test func unfulfilledInputsOfAnUnknownOutputIsAnError() throws {
        let pipeline = try adder()

        #expect(throws: PipelineError.unknownOutputs(unknown: ["nope"], available: ["sum"])) {
            try pipeline.unfulfilledInputs(for: ["nope"])
        }
    }

    @Test func boundInputsAreBroadcastInMap() async throws {
        let pipeline = try adder().binding(["b": 100])

        let results = try await pipeline.map(inputs: ["a": [1, 2, 3]], over: ["a"])

        #expect(results["sum", as: Int.self] == [101, 102, 103])
    }

    @Test func explicitInputsWinOverBoundOnesInMap() async throws {
        let pipeline = try adder().binding(["a": 1000, "b": 100])

        let broadcast = try await pipeline.map(inputs: ["a": [1, 2], "b": 5], over: ["a"])
        let mapped = try await pipeline.map(inputs: ["b": [7, 8]], over: ["b"])

        #expect(broadcast["sum", as: Int.self] == [6, 7])
        #expect(mapped["sum", as: Int.self] == [1007, 1008])
    }

    @Test func boundInnerInputsAreNotInputsOfTheNestedNode() async throws {
        let inner = try adder(name: "inner").binding(["b": 10])

        let node = try inner.asNode()
        let outer = try Pipeline(nodes: [node], name: "outer")

        #expect(node.inputs.map(\.name) == ["a"])
        #expect(outer.inputNames == ["a"])
        #expect(try await outer.run(inputs: ["a": 1])["sum", as: Int.self] == 11)
        // An outer value with the bound input's name is not an input of the node: the bound value is used.
        #expect(try await outer.run(inputs: ["a": 1, "b": 500])["sum", as: Int.self] == 11)
    }

    @Test func boundInnerInputNamedInTheMappingBecomesANodeInput() async throws {
        let inner = try adder(name: "inner").binding(["b": 10])

        let node = try inner.asNode(inputMapping: ["offset": "b"])
        let outer = try Pipeline(nodes: [node])

        #expect(node.inputs.map(\.name) == ["a", "offset"])
        #expect(try await outer.run(inputs: ["a": 1, "offset": 5])["sum", as: Int.self] == 6)
    }

    @Test func boundInnerInputsAreUsedByEveryMappedItem() async throws {
        let inner = try adder(name: "inner").binding(["b": 10])

        let outer = try Pipeline(nodes: [inner.asNode(name: "batch", mapOver: ["a"])])

        #expect(outer.inputNames == ["a"])
        #expect(try await outer.run(inputs: ["a": [1, 2, 3]])["sum", as: [Int].self] == [11, 12, 13])
    }

    @Test func bindingAfterAsNodeDoesNotChangeTheNode() async throws {
        var inner = try adder(name: "inner")
        let node = try inner.asNode()
        try inner.bind(["b": 10])

        let outer = try Pipeline(nodes: [node])

        #expect(outer.inputNames == ["a", "b"])
        #expect(try await outer.run(inputs: ["a": 1, "b": 2])["sum", as: Int.self] == 3)
    }

    @Test func outerBoundInputsFeedNestedNodes() async throws {
        let inner = try adder(name: "inner")
        let outer = try Pipeline(nodes: [inner.asNode()], name: "outer").binding(["b": 7])

        #expect(try outer.unfulfilledInputs() == ["a"])
        #expect(try await outer.run(inputs: ["a": 1])["sum", as: Int.self] == 8)
    }
}

@Suite("Mapping over bound inputs")
struct MapOverBoundInputTests {
    @Test func aBoundListCanBeMappedOver() async throws {
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
        var pipeline = try Pipeline(nodes: [double], name: "p")
        try pipeline.bind(["x": 7])
        // The bound value has the input's type, so it is not a list: a clear error.
        let error = await #expect(throws: PipelineError.self) {
            _ = try await pipeline.map(inputs: [:], over: ["x"])
        }
        #expect(error?.description == "mapped input 'x' must be an array of Int, got Int")
        // A list given to map wins over the bound value.
        let results = try await pipeline.map(inputs: ["x": [1, 2]], over: ["x"])
        #expect(results["doubled", as: Int.self] == [2, 4])
    }
}
