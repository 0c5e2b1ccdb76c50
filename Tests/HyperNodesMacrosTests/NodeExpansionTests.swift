import SwiftParser
import SwiftSyntax
import SwiftSyntaxMacrosGenericTestSupport
import Testing

@testable import HyperNodesMacros

/// The digest `@Node` computes for the first function declared in `source`
/// (at file scope or as the first member of the first type).
private func digest(_ source: String) -> String {
    let file = Parser.parse(source: source)
    for statement in file.statements {
        if let function = statement.item.as(FunctionDeclSyntax.self) {
            return SourceDigest.digest(of: function)
        }
        if let decl = statement.item.as(DeclSyntax.self),
            let members = decl.asProtocol(DeclGroupSyntax.self)?.memberBlock.members,
            let function = members.first?.decl.as(FunctionDeclSyntax.self)
        {
            return SourceDigest.digest(of: function)
        }
    }
    Issue.record("no function in \(source)")
    return ""
}

@Suite("@Node expansion")
struct NodeExpansionTests {
    @Test func singleOutput() {
        let source = """
            @Node(output: "doubled")
            func double(x: Int) -> Int { x * 2 }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                func double(x: Int) -> Int { x * 2 }

                let doubleNode = HyperNodes.Node(
                    "double",
                    inputs: HyperNodes.Input<Int>("x"),
                    output: HyperNodes.Output<Int>("doubled")
                ) { (x: Int) -> Int in
                    double(x: x)
                }
                .identifiedBySource("\(digest(source))")
                """)
    }

    @Test func inputsAreNamedByArgumentLabelsElseByParameterNames() {
        let source = """
            @Node(output: "line")
            func format(_ text: String, word_count count: Int, width: Int) -> String { text }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                func format(_ text: String, word_count count: Int, width: Int) -> String { text }

                let formatNode = HyperNodes.Node(
                    "format",
                    inputs: HyperNodes.Input<String>("text"), HyperNodes.Input<Int>("word_count"), HyperNodes.Input<Int>("width"),
                    output: HyperNodes.Output<String>("line")
                ) { (text: String, count: Int, width: Int) -> String in
                    format(text, word_count: count, width: width)
                }
                .identifiedBySource("\(digest(source))")
                """)
    }

    @Test func severalOutputsTakeTheTupleElementTypes() {
        let source = """
            @Node(outputs: "mean", "std")
            func stats(values: [Double]) -> (mean: Double, std: Double) { (0, 0) }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                func stats(values: [Double]) -> (mean: Double, std: Double) { (0, 0) }

                let statsNode = HyperNodes.Node(
                    "stats",
                    inputs: HyperNodes.Input<[Double]>("values"),
                    outputs: HyperNodes.Output<Double>("mean"), HyperNodes.Output<Double>("std")
                ) { (values: [Double]) -> (Double, Double) in
                    stats(values: values)
                }
                .identifiedBySource("\(digest(source))")
                """)
    }

    @Test func oneNameUnderOutputsIsOneOutput() {
        let source = """
            @Node(outputs: "pair")
            func pair(x: Int) -> (Int, Int) { (x, x) }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                func pair(x: Int) -> (Int, Int) { (x, x) }

                let pairNode = HyperNodes.Node(
                    "pair",
                    inputs: HyperNodes.Input<Int>("x"),
                    output: HyperNodes.Output<(Int, Int)>("pair")
                ) { (x: Int) -> (Int, Int) in
                    pair(x: x)
                }
                .identifiedBySource("\(digest(source))")
                """)
    }

    @Test func asyncAndThrowingFunctions() {
        let asyncThrows = """
            @Node(output: "page")
            func fetch(url: String) async throws -> String { url }
            """
        assertNodeExpansion(
            asyncThrows,
            expandedSource: """
                func fetch(url: String) async throws -> String { url }

                let fetchNode = HyperNodes.Node(
                    "fetch",
                    inputs: HyperNodes.Input<String>("url"),
                    output: HyperNodes.Output<String>("page")
                ) { (url: String) async throws -> String in
                    try await fetch(url: url)
                }
                .identifiedBySource("\(digest(asyncThrows))")
                """)
        let asyncOnly = """
            @Node(output: "page")
            func fetch(url: String) async -> String { url }
            """
        assertNodeExpansion(
            asyncOnly,
            expandedSource: """
                func fetch(url: String) async -> String { url }

                let fetchNode = HyperNodes.Node(
                    "fetch",
                    inputs: HyperNodes.Input<String>("url"),
                    output: HyperNodes.Output<String>("page")
                ) { (url: String) async -> String in
                    await fetch(url: url)
                }
                .identifiedBySource("\(digest(asyncOnly))")
                """)
        let typedThrows = """
            @Node(output: "number")
            func parse(text: String) throws(ParseError) -> Int { 0 }
            """
        assertNodeExpansion(
            typedThrows,
            expandedSource: """
                func parse(text: String) throws(ParseError) -> Int { 0 }

                let parseNode = HyperNodes.Node(
                    "parse",
                    inputs: HyperNodes.Input<String>("text"),
                    output: HyperNodes.Output<Int>("number")
                ) { (text: String) throws -> Int in
                    try parse(text: text)
                }
                .identifiedBySource("\(digest(typedThrows))")
                """)
    }

    @Test func nameCacheAndCodeVersionArgumentsArePassedOn() {
        let source = """
            @Node(output: summaryName, name: "summarize_all", cache: false, codeVersion: Versions.summary)
            func summarize(counts: [Int]) -> Int { counts.count }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                func summarize(counts: [Int]) -> Int { counts.count }

                let summarizeNode = HyperNodes.Node(
                    "summarize_all",
                    inputs: HyperNodes.Input<[Int]>("counts"),
                    output: HyperNodes.Output<Int>(summaryName),
                    cache: false,
                    codeVersion: Versions.summary
                ) { (counts: [Int]) -> Int in
                    summarize(counts: counts)
                }
                .identifiedBySource("\(digest(source))")
                """)
    }

    @Test func aNilNameIsTheFunctionsName() {
        let source = """
            @Node(output: "y", name: nil, codeVersion: nil)
            func step(x: Int) -> Int { x }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                func step(x: Int) -> Int { x }

                let stepNode = HyperNodes.Node(
                    "step",
                    inputs: HyperNodes.Input<Int>("x"),
                    output: HyperNodes.Output<Int>("y"),
                    codeVersion: nil
                ) { (x: Int) -> Int in
                    step(x: x)
                }
                .identifiedBySource("\(digest(source))")
                """)
    }

    @Test func staticMethodsGiveStaticNodesWithTheirAccessLevel() {
        let source = """
            enum Steps {
                @Node(output: "tokens")
                public static func tokenize(document: String) -> [String] { [] }
            }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                enum Steps {
                    public static func tokenize(document: String) -> [String] { [] }

                    public static let tokenizeNode = HyperNodes.Node(
                        "tokenize",
                        inputs: HyperNodes.Input<String>("document"),
                        output: HyperNodes.Output<[String]>("tokens")
                    ) { (document: String) -> [String] in
                        tokenize(document: document)
                    }
                    .identifiedBySource("\(digest(source))")
                }
                """)
    }

    @Test func classMethodsInExtensionsAndPrivateFunctions() {
        let source = """
            extension Steps {
                @Node(output: "n")
                private class func count(items: [Int]) -> Int { items.count }
            }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                extension Steps {
                    private class func count(items: [Int]) -> Int { items.count }

                    private static let countNode = HyperNodes.Node(
                        "count",
                        inputs: HyperNodes.Input<[Int]>("items"),
                        output: HyperNodes.Output<Int>("n")
                    ) { (items: [Int]) -> Int in
                        count(items: items)
                    }
                    .identifiedBySource("\(digest(source))")
                }
                """)
    }

    @Test func functionsWithoutParametersHaveNoInputs() {
        let source = """
            @Node(output: "seed")
            func `default`() -> UInt64 { 42 }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                func `default`() -> UInt64 { 42 }

                let defaultNode = HyperNodes.Node(
                    "default",
                    output: HyperNodes.Output<UInt64>("seed")
                ) { () -> UInt64 in
                    `default`()
                }
                .identifiedBySource("\(digest(source))")
                """)
    }

    @Test func ownershipSpecifiersAndUnnamedParametersWithLabels() {
        let source = """
            @Node(output: "size")
            func measure(text: borrowing String, scale _: Double) -> Int { 0 }
            """
        assertNodeExpansion(
            source,
            expandedSource: """
                func measure(text: borrowing String, scale _: Double) -> Int { 0 }

                let measureNode = HyperNodes.Node(
                    "measure",
                    inputs: HyperNodes.Input<String>("text"), HyperNodes.Input<Double>("scale"),
                    output: HyperNodes.Output<Int>("size")
                ) { (text: String, input1: Double) -> Int in
                    measure(text: text, scale: input1)
                }
                .identifiedBySource("\(digest(source))")
                """)
    }
}
