import SwiftSyntaxMacrosGenericTestSupport
import Testing

@testable import HyperNodesMacros

/// A diagnostic of `@Node` at `line`:`column`, with its fix-its.
private func error(
    _ message: NodeDiagnostic, line: Int, column: Int, fixIts: [NodeFixIt] = []
) -> DiagnosticSpec {
    DiagnosticSpec(
        id: message.diagnosticID, message: message.message, line: line, column: column, severity: .error,
        fixIts: fixIts.map { FixItSpec(message: $0.message) })
}

@Suite("@Node diagnostics")
struct NodeDiagnosticTests {
    @Test func onlyFunctionsBecomeNodes() {
        assertNodeExpansion(
            """
            @Node(output: "x")
            struct Settings {}
            """,
            expandedSource: """
                struct Settings {}
                """,
            diagnostics: [error(.notAFunction, line: 1, column: 1)])
    }

    @Test func aMissingOutputNameIsAddedByTheFixIt() {
        assertNodeExpansion(
            """
            @Node
            func double(x: Int) -> Int { x * 2 }
            """,
            expandedSource: """
                func double(x: Int) -> Int { x * 2 }
                """,
            diagnostics: [
                error(.missingOutput(function: "double"), line: 1, column: 1, fixIts: [.addOutput("double")])
            ],
            fixedSource: """
                @Node(output: "double")
                func double(x: Int) -> Int { x * 2 }
                """)
        assertNodeExpansion(
            """
            @Node(cache: false) func double(x: Int) -> Int { x * 2 }
            """,
            expandedSource: """
                func double(x: Int) -> Int { x * 2 }
                """,
            diagnostics: [
                error(.missingOutput(function: "double"), line: 1, column: 1, fixIts: [.addOutput("double")])
            ],
            fixedSource: """
                @Node(output: "double", cache: false) func double(x: Int) -> Int { x * 2 }
                """)
    }

    @Test func theOutputFixItKeepsTheLayout() {
        assertNodeExpansion(
            """
            @Node func double(x: Int) -> Int { x * 2 }
            """,
            expandedSource: """
                func double(x: Int) -> Int { x * 2 }
                """,
            diagnostics: [
                error(.missingOutput(function: "double"), line: 1, column: 1, fixIts: [.addOutput("double")])
            ],
            fixedSource: """
                @Node(output: "double") func double(x: Int) -> Int { x * 2 }
                """)
        assertNodeExpansion(
            """
            @Node() func double(x: Int) -> Int { x * 2 }
            """,
            expandedSource: """
                func double(x: Int) -> Int { x * 2 }
                """,
            diagnostics: [
                error(.missingOutput(function: "double"), line: 1, column: 1, fixIts: [.addOutput("double")])
            ],
            fixedSource: """
                @Node(output: "double") func double(x: Int) -> Int { x * 2 }
                """)
    }

    @Test func outputNamesMustBeNonEmptyAndDistinct() {
        assertNodeExpansion(
            """
            @Node(outputs: "mean", "", "mean")
            func stats(values: [Double]) -> (Double, Double, Double) { (0, 0, 0) }
            """,
            expandedSource: """
                func stats(values: [Double]) -> (Double, Double, Double) { (0, 0, 0) }
                """,
            diagnostics: [
                error(.emptyOutputName, line: 1, column: 24),
                error(.duplicateOutputName("mean"), line: 1, column: 28),
            ])
    }

    @Test func genericFunctionsAreRejected() {
        assertNodeExpansion(
            """
            @Node(output: "y")
            func identity<T: Sendable>(x: T) -> T { x }
            """,
            expandedSource: """
                func identity<T: Sendable>(x: T) -> T { x }
                """,
            diagnostics: [error(.genericFunction(function: "identity"), line: 2, column: 14)])
        assertNodeExpansion(
            """
            @Node(output: "y")
            func describe(x: some CustomStringConvertible) -> String { "" }
            """,
            expandedSource: """
                func describe(x: some CustomStringConvertible) -> String { "" }
                """,
            diagnostics: [error(.opaqueParameter(parameter: "x"), line: 2, column: 18)])
    }

    @Test func inoutParametersAreRejectedWithAFixIt() {
        assertNodeExpansion(
            """
            @Node(output: "y")
            func bump(x: inout Int) -> Int { x += 1; return x }
            """,
            expandedSource: """
                func bump(x: inout Int) -> Int { x += 1; return x }
                """,
            diagnostics: [error(.inoutParameter(parameter: "x"), line: 2, column: 14, fixIts: [.removeInout])],
            fixedSource: """
                @Node(output: "y")
                func bump(x: Int) -> Int { x += 1; return x }
                """)
    }

    @Test func variadicParametersAreRejectedWithAnArrayFixIt() {
        assertNodeExpansion(
            """
            @Node(output: "total")
            func sum(values: Int..., scale: Int) -> Int { 0 }
            """,
            expandedSource: """
                func sum(values: Int..., scale: Int) -> Int { 0 }
                """,
            diagnostics: [
                error(.variadicParameter(parameter: "values"), line: 2, column: 21, fixIts: [.useArray("Int")])
            ],
            fixedSource: """
                @Node(output: "total")
                func sum(values: [Int], scale: Int) -> Int { 0 }
                """)
    }

    @Test func isolatedParametersAreRejected() {
        assertNodeExpansion(
            """
            @Node(output: "y")
            func read(store: isolated Store) -> Int { 0 }
            """,
            expandedSource: """
                func read(store: isolated Store) -> Int { 0 }
                """,
            diagnostics: [error(.isolatedParameter(parameter: "store"), line: 2, column: 18)])
    }

    @Test func defaultValuesAreRejectedBecauseInputsComeFromThePipeline() {
        assertNodeExpansion(
            """
            @Node(output: "line")
            func format(text: String, width: Int = 80) -> String { text }
            """,
            expandedSource: """
                func format(text: String, width: Int = 80) -> String { text }
                """,
            diagnostics: [
                error(.defaultValue(parameter: "width"), line: 2, column: 38, fixIts: [.removeDefaultValue])
            ],
            fixedSource: """
                @Node(output: "line")
                func format(text: String, width: Int) -> String { text }
                """)
    }

    @Test func everyInputNeedsADistinctName() {
        assertNodeExpansion(
            """
            @Node(output: "y")
            func combine(_ _: Int, x: Int, x y: Int) -> Int { x + y }
            """,
            expandedSource: """
                func combine(_ _: Int, x: Int, x y: Int) -> Int { x + y }
                """,
            diagnostics: [
                error(.unnamedParameter(position: 1), line: 2, column: 14),
                error(.duplicateInputName("x"), line: 2, column: 32),
            ])
    }

    @Test func aNodeMustReturnItsOutputs() {
        assertNodeExpansion(
            """
            @Node(output: "y")
            func log(x: Int) { }
            """,
            expandedSource: """
                func log(x: Int) { }
                """,
            diagnostics: [error(.missingReturnType(function: "log"), line: 2, column: 9)])
        assertNodeExpansion(
            """
            @Node(output: "y")
            func log(x: Int) -> Void { }
            """,
            expandedSource: """
                func log(x: Int) -> Void { }
                """,
            diagnostics: [error(.missingReturnType(function: "log"), line: 2, column: 9)])
    }

    @Test func outputNamesMustMatchTheReturnedTuple() {
        assertNodeExpansion(
            """
            @Node(outputs: "mean", "std")
            func stats(values: [Double]) -> (Double, Double, Int) { (0, 0, 0) }
            """,
            expandedSource: """
                func stats(values: [Double]) -> (Double, Double, Int) { (0, 0, 0) }
                """,
            diagnostics: [error(.outputCountMismatch(names: 2, elements: 3), line: 2, column: 33)])
        assertNodeExpansion(
            """
            @Node(outputs: "mean", "std")
            func stats(values: [Double]) -> Stats { Stats() }
            """,
            expandedSource: """
                func stats(values: [Double]) -> Stats { Stats() }
                """,
            diagnostics: [error(.returnIsNotATuple(returnType: "Stats", names: 2), line: 2, column: 33)])
    }

    @Test func instanceMethodsAreRejectedWithAStaticFixIt() {
        assertNodeExpansion(
            """
            struct Steps {
                @Node(output: "y")
                func double(x: Int) -> Int { x * 2 }
            }
            """,
            expandedSource: """
                struct Steps {
                    func double(x: Int) -> Int { x * 2 }
                }
                """,
            diagnostics: [
                error(.instanceMethod(function: "double"), line: 3, column: 5, fixIts: [.makeStatic])
            ],
            fixedSource: """
                struct Steps {
                    @Node(output: "y")
                    static func double(x: Int) -> Int { x * 2 }
                }
                """)
        assertNodeExpansion(
            """
            final class Steps {
                @Node(output: "y") public func double(x: Int) -> Int { x * 2 }
            }
            """,
            expandedSource: """
                final class Steps {
                    public func double(x: Int) -> Int { x * 2 }
                }
                """,
            diagnostics: [
                error(.instanceMethod(function: "double"), line: 2, column: 31, fixIts: [.makeStatic])
            ],
            fixedSource: """
                final class Steps {
                    @Node(output: "y") public static func double(x: Int) -> Int { x * 2 }
                }
                """)
    }

    @Test func localFunctionsAndUnsupportedContainersAreRejected() {
        assertNodeExpansion(
            """
            func build() {
                @Node(output: "y")
                func double(x: Int) -> Int { x * 2 }
            }
            """,
            expandedSource: """
                func build() {
                    func double(x: Int) -> Int { x * 2 }
                }
                """,
            diagnostics: [error(.localFunction(function: "double"), line: 3, column: 10)])
        assertNodeExpansion(
            """
            struct Box<Value> {
                @Node(output: "y")
                static func double(x: Int) -> Int { x * 2 }
            }
            """,
            expandedSource: """
                struct Box<Value> {
                    static func double(x: Int) -> Int { x * 2 }
                }
                """,
            diagnostics: [
                error(
                    .unsupportedContainer(function: "double", container: "generic struct 'Box'"), line: 3,
                    column: 17)
            ])
    }

    @Test func functionsWithoutBodiesAndOperatorsAreRejected() {
        assertNodeExpansion(
            """
            @Node(output: "y")
            func double(x: Int) -> Int
            """,
            expandedSource: """
                func double(x: Int) -> Int
                """,
            diagnostics: [error(.missingBody(function: "double"), line: 2, column: 6)])
        assertNodeExpansion(
            """
            enum Vector {
                @Node(output: "sum")
                static func + (a: Int, b: Int) -> Int { a &+ b }
            }
            """,
            expandedSource: """
                enum Vector {
                    static func + (a: Int, b: Int) -> Int { a &+ b }
                }
                """,
            diagnostics: [error(.operatorFunction(function: "+"), line: 3, column: 17)])
    }

    @Test func everyProblemIsReportedAtOnce() {
        assertNodeExpansion(
            """
            @Node(outputs: "a", "a")
            func f<T>(x: inout T, y: Int...) -> (T, T, T) { fatalError() }
            """,
            expandedSource: """
                func f<T>(x: inout T, y: Int...) -> (T, T, T) { fatalError() }
                """,
            diagnostics: [
                error(.duplicateOutputName("a"), line: 1, column: 21),
                error(.genericFunction(function: "f"), line: 2, column: 7),
                error(.inoutParameter(parameter: "x"), line: 2, column: 14, fixIts: [.removeInout]),
                error(.variadicParameter(parameter: "y"), line: 2, column: 29, fixIts: [.useArray("Int")]),
                error(.outputCountMismatch(names: 2, elements: 3), line: 2, column: 37),
            ],
            applyFixIts: [])
    }
}
