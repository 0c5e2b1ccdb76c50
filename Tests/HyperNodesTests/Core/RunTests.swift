import Synchronization
import Testing

@testable import HyperNodes

/// Counts how often each node body ran.
private final class RunCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func hit(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
    var snapshot: [String: Int] { counts.withLock { $0 } }
}

private struct RunBoom: Error, Equatable, CustomStringConvertible {
    let message: String
    var description: String { "boom: \(message)" }
}

/// `double: x → doubled`, `add_one: doubled → result`.
private func arithmetic(name: String = "arith") throws -> Pipeline {
    let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
    let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
    return try Pipeline(nodes: [double, addOne], name: name)
}

@Suite("Run")
struct RunTests {
    @Test func singleNode() async throws {
        let add = Node("add", inputs: "a", "b", output: "sum") { (a: Int, b: Int) in a + b }
        let pipeline = try Pipeline(nodes: [add])

        let result = try await pipeline.run(inputs: ["a": 2, "b": 3])

        #expect(result["sum", as: Int.self] == 5)
        #expect(result.names == ["sum"])
    }

    @Test func chain() async throws {
        let result = try await arithmetic().run(inputs: ["x": 5])

        #expect(result["doubled", as: Int.self] == 10)
        #expect(result["result", as: Int.self] == 11)
        #expect(result.names == ["doubled", "result"])
    }

    @Test func diamond() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("join", inputs: "left", "right", output: "joined") { (l: String, r: String) in l + "|" + r },
            Node("left", inputs: "base", output: "left") { (b: Int) in "L\(b)" },
            Node("right", inputs: "base", output: "right") { (b: Int) in "R\(b * 10)" },
            Node("source", inputs: "x", output: "base") { (x: Int) in x + 1 },
        ])

        let result = try await pipeline.run(inputs: ["x": 4])

        #expect(result["joined", as: String.self] == "L5|R50")
        #expect(result.names == ["base", "left", "right", "joined"])
    }

    @Test func multipleOutputsFeedDownstreamNodes() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("stats", inputs: "values", outputs: "total", "count") { (values: [Int]) in
                (values.reduce(0, +), values.count)
            },
            Node("mean", inputs: "total", "count", output: "mean") { (total: Int, count: Int) in
                Double(total) / Double(count)
            },
        ])

        let result = try await pipeline.run(inputs: ["values": [2, 4, 9]])

        #expect(result["total", as: Int.self] == 15)
        #expect(result["count", as: Int.self] == 3)
        #expect(result["mean", as: Double.self] == 5.0)
        #expect(result.names == ["total", "count", "mean"])
    }

    @Test func independentBranchesGiveTheSameResultsInEveryExecutionMode() async throws {
        var pipeline = try Pipeline(
            nodes: [
                Node("a", inputs: "x", output: "pa") { (x: Int) async in x + 1 },
                Node("b", inputs: "x", output: "pb") { (x: Int) async in x + 2 },
                Node("c", inputs: "x", output: "pc") { (x: Int) in x + 3 },
                Node("sum", inputs: "pa", "pb", "pc", output: "total") { (a: Int, b: Int, c: Int) in
                    a * 100 + b * 10 + c
                },
            ], maxConcurrency: 4)

        let concurrent = try await pipeline.run(inputs: ["x": 1])
        pipeline.executionMode = .sequential
        let sequential = try await pipeline.run(inputs: ["x": 1])

        #expect(concurrent["total", as: Int.self] == 234)
        #expect(sequential["total", as: Int.self] == 234)
        #expect(concurrent.description == sequential.description)
    }

    @Test func resultHoldsEveryExecutedOutputButNoInputs() async throws {
        let result = try await arithmetic().run(inputs: ["x": 5])

        #expect(result["x"] == nil)
        #expect(result["x", as: Int.self] == nil)
        #expect(Set(result.values.keys) == ["doubled", "result"])
        #expect(result.names == ["doubled", "result"])
    }

    @Test func selectiveOutputsRunOnlyTheDependencyClosure() async throws {
        let counter = RunCounter()
        // a → b → d, c independent; asking for "q" needs a and b only.
        let pipeline = try Pipeline(nodes: [
            Node("a", inputs: "x", output: "p") { (x: Int) in
                counter.hit("a")
                return x + 1
            },
            Node("b", inputs: "p", output: "q") { (p: Int) in
                counter.hit("b")
                return p * 10
            },
            Node("c", inputs: "y", output: "r") { (y: Int) in
                counter.hit("c")
                return y
            },
            Node("d", inputs: "q", output: "s") { (q: Int) in
                counter.hit("d")
                return q + 1
            },
        ])

        // "y" is not needed for "q", so it may be omitted.
        let result = try await pipeline.run(inputs: ["x": 1], outputs: ["q"])

        #expect(result["q", as: Int.self] == 20)
        #expect(result.names == ["q"])
        #expect(result["r"] == nil)
        #expect(result["s"] == nil)
        #expect(counter.snapshot == ["a": 1, "b": 1])
    }

    @Test func selectiveOutputsCanNameSeveralOutputs() async throws {
        let counter = RunCounter()
        let pipeline = try Pipeline(nodes: [
            Node("left", inputs: "x", output: "l") { (x: Int) in
                counter.hit("left")
                return x + 1
            },
            Node("right", inputs: "x", output: "r") { (x: Int) in
                counter.hit("right")
                return x + 2
            },
            Node("unused", inputs: "x", output: "u") { (x: Int) in
                counter.hit("unused")
                return x + 3
            },
        ])

        let result = try await pipeline.run(inputs: ["x": 0], outputs: ["r", "l"])

        #expect(result["l", as: Int.self] == 1)
        #expect(result["r", as: Int.self] == 2)
        #expect(result["u"] == nil)
        #expect(Set(result.names) == ["l", "r"])
        #expect(counter.snapshot == ["left": 1, "right": 1])
    }

    @Test func missingInputsListMissingAndRequiredNames() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("f", inputs: "a", "b", output: "ab") { (a: Int, b: Int) in a + b },
            Node("g", inputs: "ab", "c", output: "abc") { (ab: Int, c: Int) in ab + c },
        ])

        let error = await #expect(throws: PipelineError.self) {
            try await pipeline.run(inputs: ["b": 1])
        }

        #expect(error == .missingInputs(missing: ["a", "c"], required: ["a", "b", "c"]))
        #expect(error?.description == "missing inputs: a, c (the run needs: a, b, c)")
    }

    @Test func missingInputsOfASelectiveRunListOnlyWhatTheClosureNeeds() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("f", inputs: "a", "b", output: "ab") { (a: Int, b: Int) in a + b },
            Node("g", inputs: "c", output: "cc") { (c: Int) in c },
        ])

        await #expect(throws: PipelineError.missingInputs(missing: ["a"], required: ["a", "b"])) {
            try await pipeline.run(inputs: ["b": 1], outputs: ["ab"])
        }
    }

    @Test func unknownOutputsListTheAvailableOnes() async throws {
        let pipeline = try arithmetic()

        let error = await #expect(throws: PipelineError.self) {
            try await pipeline.run(inputs: ["x": 1], outputs: ["result", "nope"])
        }

        #expect(error == .unknownOutputs(unknown: ["nope"], available: ["doubled", "result"]))
        #expect(error?.description == "unknown outputs: nope (available: doubled, result)")
    }

    @Test func anInputIsNotAnOutput() async throws {
        await #expect(throws: PipelineError.unknownOutputs(unknown: ["x"], available: ["doubled", "result"])) {
            try await arithmetic().run(inputs: ["x": 1], outputs: ["x"])
        }
    }

    @Test func extraInputsAreIgnored() async throws {
        let result = try await arithmetic().run(inputs: ["x": 3, "unrelated": "whatever", "doubled": "not even an Int"])

        #expect(result["result", as: Int.self] == 7)
        #expect(result["doubled", as: Int.self] == 6)
        #expect(result["unrelated"] == nil)
        #expect(result.names == ["doubled", "result"])
    }

    @Test func rootInputOfTheWrongTypeIsAnErrorNotACrash() async throws {
        let counter = RunCounter()
        let pipeline = try Pipeline(nodes: [
            Node("double", inputs: "x", output: "doubled") { (x: Int) in
                counter.hit("double")
                return x * 2
            }
        ])

        let error = await #expect(throws: PipelineError.self) {
            try await pipeline.run(inputs: ["x": "five"])
        }

        #expect(error == .inputType(name: "x", expected: "Int", actual: "String"))
        #expect(error?.description == "input 'x' must be Int, got String")
        #expect(counter.snapshot.isEmpty)
    }

    @Test func integerLiteralForADoubleInputIsRejected() async throws {
        let pipeline = try Pipeline(nodes: [Node("half", inputs: "x", output: "h") { (x: Double) in x / 2 }])

        await #expect(throws: PipelineError.inputType(name: "x", expected: "Double", actual: "Int")) {
            try await pipeline.run(inputs: ["x": 5])
        }
        let result = try await pipeline.run(inputs: ["x": 5.0])
        #expect(result["h", as: Double.self] == 2.5)
    }

    @Test func optionalValuesFlowIncludingNil() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("increment", inputs: "x", output: "maybe") { (x: Int?) -> Int? in x.map { $0 + 1 } },
            Node("show", inputs: "maybe", output: "text") { (m: Int?) in m.map(String.init) ?? "none" },
        ])

        let none = try await pipeline.run(inputs: ["x": Int?.none])
        let some = try await pipeline.run(inputs: ["x": 4])

        #expect(none["text", as: String.self] == "none")
        #expect(none.names == ["maybe", "text"])
        #expect(some["text", as: String.self] == "5")
        #expect(try some.value("maybe", as: Int?.self) == 5)
    }

    @Test func nilForANonOptionalInputIsAnError() async throws {
        let pipeline = try Pipeline(nodes: [Node("inc", inputs: "x", output: "y") { (x: Int) in x + 1 }])

        await #expect(throws: PipelineError.inputType(name: "x", expected: "Int", actual: "Optional<Int>")) {
            try await pipeline.run(inputs: ["x": Int?.none])
        }
    }

    @Test func typedResultAccess() async throws {
        let result = try await arithmetic().run(inputs: ["x": 5])

        #expect(result["result", as: Int.self] == 11)
        #expect(result["result", as: String.self] == nil)
        #expect(result["nope", as: Int.self] == nil)
        #expect(result[Output<Int>("result")] == 11)
        #expect(result[Output<String>("result")] == nil)
        #expect(result[Output<Int>("nope")] == nil)
        #expect(try result.value("result", as: Int.self) == 11)
        let inferred: Int = try result.value("doubled")
        #expect(inferred == 10)
    }

    @Test func valueThrowsMissingWithTheAvailableOutputs() async throws {
        let result = try await arithmetic().run(inputs: ["x": 5])

        let error = #expect(throws: ResultError.self) { try result.value("nope", as: Int.self) }

        #expect(error == .missing(name: "nope", available: ["doubled", "result"]))
        #expect(error?.description == "no output 'nope' in the result (outputs: doubled, result)")
    }

    @Test func valueThrowsWrongTypeNamingBothTypes() async throws {
        let result = try await arithmetic().run(inputs: ["x": 5])

        let error = #expect(throws: ResultError.self) { try result.value("result", as: String.self) }

        #expect(error == .wrongType(name: "result", requested: "String", actual: "Int"))
        #expect(error?.description == "output 'result' is Int, not String")
    }

    @Test func valuesIsADictionaryOfTheOutputs() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("describe", inputs: "x", outputs: "text", "size") { (x: Int) in ("n\(x)", x * 3) }
        ])

        let values = try await pipeline.run(inputs: ["x": 4]).values

        #expect(values.count == 2)
        #expect(values["text"] as? String == "n4")
        #expect(values["size"] as? Int == 12)
        #expect(values["x"] == nil)
    }

    @Test func descriptionListsOutputsInExecutionOrder() async throws {
        let result = try await arithmetic().run(inputs: ["x": 5])

        #expect(result.description == "[\"doubled\": 10, \"result\": 11]")
        #expect("\(result)" == "[\"doubled\": 10, \"result\": 11]")
    }

    @Test func asyncNodesInAChain() async throws {
        let pipeline = try Pipeline(nodes: [
            Node("fetch", inputs: "id", output: "page") { (id: Int) async throws -> String in
                await Task.yield()
                return String(repeating: "a", count: id)
            },
            Node("measure", inputs: "page", output: "length") { (page: String) in page.count },
            Node("report", inputs: "length", output: "report") { (length: Int) async -> String in
                await Task.yield()
                return "length=\(length)"
            },
        ])

        let result = try await pipeline.run(inputs: ["id": 3])

        #expect(result["page", as: String.self] == "aaa")
        #expect(result["report", as: String.self] == "length=3")
    }

    @Test func pipelineCanRunRepeatedly() async throws {
        let pipeline = try arithmetic()

        for x in [1, 2, 3] {
            let all = try await pipeline.run(inputs: ["x": x])
            let selective = try await pipeline.run(inputs: ["x": x], outputs: ["doubled"])
            #expect(all["result", as: Int.self] == 2 * x + 1)
            #expect(selective.names == ["doubled"])
            #expect(selective["doubled", as: Int.self] == 2 * x)
        }
    }

    @Test func throwingNodeIsReportedWithItsPathAndTheOriginalError() async throws {
        let counter = RunCounter()
        let pipeline = try Pipeline(
            nodes: [
                Node("prepare", inputs: "x", output: "prepared") { (x: Int) in x },
                Node("boom", inputs: "prepared", output: "exploded") { (p: Int) throws -> Int in
                    throw RunBoom(message: "at \(p)")
                },
                Node("after", inputs: "exploded", output: "final") { (e: Int) in
                    counter.hit("after")
                    return e
                },
            ], name: "demo pipeline")

        let error = await #expect(throws: NodeError.self) {
            try await pipeline.run(inputs: ["x": 7])
        }

        #expect(error?.path == ["demo pipeline", "boom"])
        #expect(error?.node == "boom")
        #expect(error?.underlying as? RunBoom == RunBoom(message: "at 7"))
        #expect(error?.description == "demo pipeline > boom: boom: at 7")
        #expect(counter.snapshot.isEmpty)
    }

    @Test func throwingAsyncNodeInAConcurrentBranch() async throws {
        let pipeline = try Pipeline(
            nodes: [
                Node("fine", inputs: "x", output: "ok") { (x: Int) async in x },
                Node("broken", inputs: "x", output: "bad") { (x: Int) async throws -> Int in
                    await Task.yield()
                    throw RunBoom(message: "async \(x)")
                },
                Node("join", inputs: "ok", "bad", output: "both") { (a: Int, b: Int) in a + b },
            ], maxConcurrency: 2)

        let error = await #expect(throws: NodeError.self) {
            try await pipeline.run(inputs: ["x": 1])
        }

        #expect(error?.path == ["pipeline", "broken"])
        #expect(error?.underlying as? RunBoom == RunBoom(message: "async 1"))
    }
}

@Suite("Typed result access")
struct TypedResultAccessTests {
    @Test func throwingTypedAccessor() async throws {
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
        let result = try await Pipeline(nodes: [double], name: "p").run(inputs: ["x": 4])
        #expect(try result.value(Output<Int>("doubled")) == 8)
        #expect(throws: ResultError.wrongType(name: "doubled", requested: "String", actual: "Int")) {
            try result.value(Output<String>("doubled"))
        }
        #expect(throws: ResultError.missing(name: "nope", available: ["doubled"])) {
            try result.value(Output<Int>("nope"))
        }
    }
}
