import Testing

@testable import HyperNodes

/// A type that is not `Codable`, to check ``ValueType/isCodable``.
private struct Opaque: Sendable {
    let value: Int
}

private struct NodeBoom: Error, Equatable {
    let message: String
}

@Suite("Node")
struct NodeTests {
    @Test func singleOutputNodeTakesNamesAndTypesFromTheTypedAPI() {
        let add = Node("add", inputs: "a", "b", output: "sum") { (a: Int, b: Int) in a + b }

        #expect(add.name == "add")
        #expect(add.inputs == [Port(name: "a", type: .of(Int.self)), Port(name: "b", type: .of(Int.self))])
        #expect(add.outputs == [Port(name: "sum", type: .of(Int.self))])
        #expect(add.cache == true)
        #expect(add.codeVersion == nil)
        #expect(add.isAsync == false)
        #expect(add.isPipeline == false)
    }

    @Test func portTypesFollowTheBodySignatureInOrder() {
        let node = Node("format", inputs: "label", "weights", "flag", output: "lines") {
            (label: String, weights: [Double], flag: Bool?) -> [String] in
            [label, "\(weights.count)", "\(flag ?? false)"]
        }

        #expect(node.inputs.map(\.name) == ["label", "weights", "flag"])
        #expect(node.inputs.map(\.type.name) == ["String", "Array<Double>", "Optional<Bool>"])
        #expect(node.inputs.map(\.type) == [.of(String.self), .of([Double].self), .of(Bool?.self)])
        #expect(node.outputs.map(\.description) == ["lines: Array<String>"])
        #expect(node.outputs[0].type.qualifiedName == "Swift.Array<Swift.String>")
    }

    @Test func valueTypesKnowWhetherTheyAreCodable() {
        #expect(ValueType.of(Int.self).isCodable)
        #expect(ValueType.of([String: [Double]].self).isCodable)
        #expect(!ValueType.of(Opaque.self).isCodable)
        #expect(ValueType.of(Int.self) == ValueType.of(Int.self))
        #expect(ValueType.of(Int.self) != ValueType.of(Int32.self))
        #expect(ValueType.of(Int.self) != ValueType.of(Int?.self))
    }

    @Test func inputNamesAreIndependentOfParameterNamesAndKeepTheirOrder() async throws {
        // The body's first parameter is fed by the first name, whatever the parameters are called.
        let subtract = Node("subtract", inputs: "minuend", "subtrahend", output: "difference") {
            (b: Int, a: Int) in b - a
        }
        let pipeline = try Pipeline(nodes: [subtract])

        let result = try await pipeline.run(inputs: ["minuend": 10, "subtrahend": 3])

        #expect(result["difference", as: Int.self] == 7)
    }

    @Test func multiOutputNodeDeclaresOnePortPerTupleElement() async throws {
        let stats = Node("stats", inputs: "values", outputs: "mean", "count") { (values: [Double]) in
            (values.reduce(0, +) / Double(values.count), values.count)
        }

        #expect(
            stats.outputs == [Port(name: "mean", type: .of(Double.self)), Port(name: "count", type: .of(Int.self))])
        #expect(stats.inputs == [Port(name: "values", type: .of([Double].self))])
        #expect(!stats.isAsync)

        let result = try await Pipeline(nodes: [stats]).run(inputs: ["values": [1.0, 2.0, 6.0]])
        #expect(result["mean", as: Double.self] == 3.0)
        #expect(result["count", as: Int.self] == 3)
        #expect(result.names == ["mean", "count"])
    }

    @Test func threeOutputsOfDifferentTypesLandInTheirOwnPorts() async throws {
        let split = Node("split", inputs: "text", outputs: "first", "rest", "length") { (text: String) in
            (text.first.map(String.init) ?? "", String(text.dropFirst()), text.count)
        }

        #expect(split.outputs.map(\.description) == ["first: String", "rest: String", "length: Int"])

        let result = try await Pipeline(nodes: [split]).run(inputs: ["text": "swift"])
        #expect(result["first", as: String.self] == "s")
        #expect(result["rest", as: String.self] == "wift")
        #expect(result["length", as: Int.self] == 5)
    }

    @Test func asyncBodyMakesAnAsyncNode() async throws {
        let fetch = Node("fetch", inputs: "id", output: "page") { (id: Int) async throws -> String in
            await Task.yield()
            return "page-\(id)"
        }

        #expect(fetch.isAsync)
        #expect(fetch.inputs == [Port(name: "id", type: .of(Int.self))])
        #expect(fetch.outputs == [Port(name: "page", type: .of(String.self))])

        let result = try await Pipeline(nodes: [fetch]).run(inputs: ["id": 7])
        #expect(result["page", as: String.self] == "page-7")
    }

    @Test func asyncMultiOutputNode() async throws {
        let divide = Node("divide", inputs: "n", "d", outputs: "quotient", "remainder") {
            (n: Int, d: Int) async -> (Int, Int) in
            await Task.yield()
            return (n / d, n % d)
        }

        #expect(divide.isAsync)
        #expect(divide.outputs.map(\.name) == ["quotient", "remainder"])

        let result = try await Pipeline(nodes: [divide]).run(inputs: ["n": 17, "d": 5])
        #expect(result["quotient", as: Int.self] == 3)
        #expect(result["remainder", as: Int.self] == 2)
    }

    @Test func zeroInputNodeHasNoInputsAndRunsWithoutInputs() async throws {
        let answer = Node("answer", output: "value") { 42 }

        #expect(answer.inputs.isEmpty)
        #expect(answer.outputs == [Port(name: "value", type: .of(Int.self))])

        let pipeline = try Pipeline(nodes: [answer])
        #expect(pipeline.inputNames.isEmpty)
        let result = try await pipeline.run()
        #expect(result["value", as: Int.self] == 42)
    }

    @Test func cacheAndCodeVersionAreStored() {
        let plain = Node("plain", inputs: "x", output: "y") { (x: Int) in x }
        let uncached = Node("uncached", inputs: "x", output: "y", cache: false) { (x: Int) in x }
        let versioned = Node("versioned", inputs: "x", output: "y", codeVersion: "v2") { (x: Int) in x }
        let asyncBoth = Node("both", inputs: "x", output: "y", cache: false, codeVersion: "2024-01") {
            (x: Int) async in x
        }

        #expect(plain.cache && plain.codeVersion == nil)
        #expect(!uncached.cache && uncached.codeVersion == nil)
        #expect(versioned.cache && versioned.codeVersion == "v2")
        #expect(!asyncBoth.cache && asyncBoth.codeVersion == "2024-01" && asyncBoth.isAsync)
    }

    @Test func namedReturnsARenamedCopyThatKeepsEverythingElse() async throws {
        let original = Node("double", inputs: "x", output: "doubled", cache: false, codeVersion: "v1") {
            (x: Int) async in x * 2
        }
        let renamed = original.named("twice")

        #expect(renamed.name == "twice")
        #expect(original.name == "double")
        #expect(renamed.inputs == original.inputs)
        #expect(renamed.outputs == original.outputs)
        #expect(renamed.cache == false)
        #expect(renamed.codeVersion == "v1")
        #expect(renamed.isAsync)

        let pipeline = try Pipeline(nodes: [renamed])
        #expect(pipeline.nodes.map(\.name) == ["twice"])
        let result = try await pipeline.run(inputs: ["x": 21])
        #expect(result["doubled", as: Int.self] == 42)
    }

    @Test func namedCopyReportsErrorsUnderItsNewName() async throws {
        let failing = Node("check", inputs: "x", output: "y") { (x: Int) throws -> Int in
            throw NodeBoom(message: "bad \(x)")
        }
        let pipeline = try Pipeline(nodes: [failing.named("validate")], name: "p")

        let error = await #expect(throws: NodeError.self) {
            try await pipeline.run(inputs: ["x": 1])
        }
        #expect(error?.path == ["p", "validate"])
        #expect(error?.underlying as? NodeBoom == NodeBoom(message: "bad 1"))
    }

    @Test func cachedTogglesCachingAndKeepsEverythingElse() {
        let node = Node("n", inputs: "x", output: "y", codeVersion: "v3") { (x: Int) in x + 1 }

        let off = node.cached(false)
        let on = off.cached(true)

        #expect(node.cache == true)
        #expect(off.cache == false)
        #expect(on.cache == true)
        for copy in [off, on] {
            #expect(copy.name == "n")
            #expect(copy.inputs == node.inputs)
            #expect(copy.outputs == node.outputs)
            #expect(copy.codeVersion == "v3")
            #expect(copy.isAsync == false)
        }
    }

    @Test func bodyErrorsArePropagatedUnchangedAsUnderlying() async throws {
        let node = Node("fail", inputs: "x", output: "y") { (x: Int) async throws -> Int in
            throw NodeBoom(message: "async \(x)")
        }

        let error = await #expect(throws: NodeError.self) {
            try await Pipeline(nodes: [node], name: "p").run(inputs: ["x": 5])
        }
        #expect(error?.node == "fail")
        #expect(error?.underlying as? NodeBoom == NodeBoom(message: "async 5"))
    }
}

@Suite("Node output lists")
struct NodeOutputListTests {
    @Test func aSingleNameInOutputsIsOneOutput() async throws {
        let sync = Node("sync", inputs: "x", outputs: "only") { (x: Int) in x + 1 }
        let async = Node("async", inputs: "only", outputs: "next") { (x: Int) async in x * 2 }
        #expect(sync.outputs.map(\.description) == ["only: Int"])
        #expect(async.isAsync)
        let result = try await Pipeline(nodes: [sync, async], name: "p").run(inputs: ["x": 1])
        #expect(result["next", as: Int.self] == 4)
    }
}
