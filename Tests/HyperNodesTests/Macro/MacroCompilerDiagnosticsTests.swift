import Foundation
import Testing

/// Type-checks Swift files against the built `HyperNodes` module with the
/// built macro plug-in, as a user's build does, and reads the compiler's
/// diagnostics: `@Node`'s errors must reach the user at the declaration.
@Suite("@Node in the compiler")
struct MacroCompilerDiagnosticsTests {
    /// What `swiftc -typecheck` printed and how it exited.
    struct Compilation {
        let status: Int32
        let output: String

        /// The `file:line:column: error: message` lines, as `line:column: message`.
        var errors: [String] {
            output.split(separator: "\n").compactMap { line in
                guard line.hasPrefix("/"), let range = line.range(of: ": error: ") else { return nil }
                let location = line[..<range.lowerBound].split(separator: ":").suffix(2).joined(separator: ":")
                return location + ": " + line[range.upperBound...]
            }
        }
    }

    static func typecheck(_ source: String) async throws -> Compilation {
        let plugin = try Executable.executable("HyperNodesMacros-tool")
        let products = plugin.deletingLastPathComponent()
        let dir = TemporaryDirectory("hypernodes-macro-compile")
        let file = dir.url.appendingPathComponent("main.swift")
        try Data(source.utf8).write(to: file)
        let compiler = try ChildProcess(
            "swiftc",
            [
                "-typecheck", "-swift-version", "6", file.path,
                "-I", products.appendingPathComponent("Modules").path,
                "-load-plugin-executable", plugin.path + "#HyperNodesMacros",
            ],
            directory: dir.url, label: "swiftc")
        let status = try await compiler.wait(timeout: .seconds(120), what: "swiftc -typecheck")
        return Compilation(status: status, output: compiler.stdout + compiler.stderr)
    }

    @Test func aValidDeclarationCompilesToANode() async throws {
        let compilation = try await Self.typecheck(
            """
            import HyperNodes

            @Node(outputs: "mean", "count")
            func stats(values: [Double]) async throws -> (Double, Int) { (0, values.count) }

            enum Steps {
                @Node(output: "doubled", name: "double_it", cache: false)
                static func double(_ x: Int) -> Int { x * 2 }
            }

            let nodes: [Node] = [statsNode, Steps.doubleNode]
            """)
        #expect(compilation.status == 0, "\(compilation.output)")
        #expect(compilation.errors.isEmpty)
    }

    @Test func errorsAreReportedAtTheDeclarationWithTheMacrosMessages() async throws {
        let compilation = try await Self.typecheck(
            """
            import HyperNodes

            @Node
            func noOutput(x: Int) -> Int { x }

            @Node(outputs: "a", "b")
            func mismatch(x: inout Int, y: Int...) -> (Int, Int, Int) { (1, 2, 3) }

            @Node(output: "y")
            func generic<T>(x: T, label x2: Int, label x3: Int) -> Int { 1 }

            struct Steps {
                @Node(output: "y") func method(x: Int) -> Int { x }
            }
            """)
        #expect(compilation.status != 0)
        let errors = compilation.errors
        let expected = [
            "3:1: @Node on 'noOutput' needs an output name",
            "7:18: parameter 'x' is 'inout'",
            "7:35: parameter 'y' is variadic",
            "7:43: 2 output names are given but the function returns a tuple of 3 elements",
            "10:13: @Node cannot make a node of generic function 'generic'",
            "10:38: two parameters are both input 'label'",
            "13:24: @Node cannot make a node of instance method 'method'",
        ]
        for prefix in expected {
            #expect(errors.contains { $0.hasPrefix(prefix) }, "no error \(prefix)… in:\n\(compilation.output)")
        }
        #expect(errors.allSatisfy { $0.hasSuffix("(from macro 'Node')") }, "\(errors)")
    }
}
