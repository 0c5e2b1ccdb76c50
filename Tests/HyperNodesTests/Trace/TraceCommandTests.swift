import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// End-to-end tests of `hypernodes summary` and `hypernodes export`, through the built executable.
@Suite("hypernodes summary and export (executable)")
struct TraceCommandTests {
    /// A directory holding the scripted analysis trace as `analysis.jsonl`.
    final class Workspace: Sendable {
        let directory = TemporaryDirectory("hypernodes-trace-cli")
        var trace: String { path("analysis.jsonl") }

        init(bytes: [UInt8] = ScriptedTraces.analysis.bytes) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: path("analysis.jsonl")))
        }

        func path(_ name: String) -> String { directory.url.appendingPathComponent(name).path }

        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
            return path(name)
        }

        func read(_ name: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(name)))) }
    }

    @Test("summary prints the library's summary; --width 40 matches the golden file")
    func summary() async throws {
        let workspace = try Workspace()
        let wide = try await Executable.run(["summary", workspace.trace])
        #expect(wide.status == 0, "\(wide)")
        #expect(wide.stderr.isEmpty, "\(wide)")
        let model = TraceModel(records: ScriptedTraces.analysis.records)
        #expect(wide.stdout == TraceSummary.render(model, width: 100))
        let narrow = try await Executable.run(["summary", workspace.trace, "--width", "40"])
        #expect(narrow.status == 0, "\(narrow)")
        let golden = try String(contentsOf: TraceSummaryTests.golden("summary-analysis-40.txt"), encoding: .utf8)
        #expect(narrow.stdout == golden)
    }

    @Test("a missing file, a directory, a text file, a binary file, a newer format: a clear error and exit 1")
    func unreadable() async throws {
        let workspace = try Workspace()
        let text = try workspace.write("notes.txt", Array("just some notes\nand more\n".utf8))
        let binary = try workspace.write("blob.bin", [0x7F, 0x45, 0x4C, 0x46, 0, 1, 2, 3, 0x0A])
        let newer = try workspace.write(
            "newer.jsonl",
            TraceEncoder().encode(
                .header(
                    TraceHeader(
                        version: "2.0", runID: 1, startTime: 0,
                        process: TraceProcess(pid: 1, executable: "x", arguments: [], hostName: "h"), pipeline: "p",
                        graph: nil))))
        let cases: [(String, String)] = [
            (workspace.path("missing.jsonl"), "cannot open trace '\(workspace.path("missing.jsonl"))': No such file"),
            (workspace.directory.url.path, "it is a directory"),
            (text, "'\(text)' is not a HyperNodes trace"),
            (binary, "'\(binary)' is not a HyperNodes trace: it contains binary data"),
            (newer, "'\(newer)' uses trace format version 2.0, but this build reads version 1."),
        ]
        for (path, message) in cases {
            for command in [
                ["summary", path], ["export", path, "--format", "chrome", "-o", workspace.path("out.json")],
            ] {
                let run = try await Executable.run(command)
                #expect(run.status == 1, "\(run)")
                #expect(run.stdout.isEmpty, "\(run)")
                #expect(run.stderr.contains("hypernodes \(command[0]): error: "), "\(run)")
                #expect(run.stderr.contains(message), "\(run)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path("out.json")))
    }

    @Test("bad lines are warnings with their line numbers; the summary and exports are still produced")
    func badLines() async throws {
        var lines = ScriptedTraces.analysis.bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(
            Array.init)
        lines.insert(Array("{\"type\":\"node_start\",\"run\":oops}".utf8), at: 4)
        lines.insert(Array("not json at all".utf8), at: 9)
        var bytes = lines.joined(separator: [0x0A]).map { $0 }
        bytes += Array("{\"type\":\"node_end\",\"run\":\"00000000c0ffee01\",\"t\":12".utf8)  // cut off
        let workspace = try Workspace(bytes: bytes)
        let run = try await Executable.run(["summary", workspace.trace])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Waterfall") && run.stdout.contains("3 lines could not be read"))
        let warnings = run.stderr.split(separator: "\n")
        #expect(warnings.count == 3, "\(run)")
        #expect(warnings.allSatisfy { $0.hasPrefix("warning: \(workspace.trace): line ") })
        #expect(warnings.contains { $0.contains("line 5:") } && warnings.contains { $0.contains("line 10:") })
        #expect(warnings.last?.contains("cut off") == true)
        let export = try await Executable.run(["export", workspace.trace, "--format", "speedscope", "-o", "-"])
        #expect(export.status == 0 && export.stderr.split(separator: "\n").count == 3, "\(export)")
        try ExportChecks.checkSpeedscope(Array(export.stdout.utf8))
    }

    @Test("export writes each format to a file or to stdout with -o -")
    func export() async throws {
        let workspace = try Workspace()
        let model = TraceModel(records: ScriptedTraces.analysis.records)
        for (format, exporter) in [
            ("chrome", ChromeTraceExporter().export(model)), ("otlp-json", OTLPJSONExporter().export(model)),
            ("speedscope", SpeedscopeExporter().export(model)),
        ] {
            let file = try await Executable.run([
                "export", workspace.trace, "--format", format, "-o", workspace.path(format),
            ])
            #expect(file.status == 0 && file.stdout.isEmpty && file.stderr.isEmpty, "\(file)")
            #expect(try workspace.read(format) == exporter, "\(format)")
            let piped = try await Executable.run(["export", workspace.trace, "--format", format, "-o", "-"])
            #expect(piped.status == 0 && Array(piped.stdout.utf8) == exporter, "\(format)")
        }
        try ExportChecks.checkChrome(try workspace.read("chrome"))
        try ExportChecks.checkSpeedscope(try workspace.read("speedscope"))
    }

    @Test("bad arguments: unknown format, missing -o, a width too small, an unwritable output")
    func badArguments() async throws {
        let workspace = try Workspace()
        let format = try await Executable.run(["export", workspace.trace, "--format", "svg", "-o", "-"])
        #expect(format.status != 0 && format.stderr.contains("svg") && format.stderr.contains("otlp-json"), "\(format)")
        let output = try await Executable.run(["export", workspace.trace, "--format", "chrome"])
        #expect(output.status != 0 && output.stderr.contains("--output"), "\(output)")
        let width = try await Executable.run(["summary", workspace.trace, "--width", "5"])
        #expect(width.status != 0 && width.stderr.contains("--width must be at least 20, not 5"), "\(width)")
        let target = workspace.path("no/such/dir/out.json")
        let unwritable = try await Executable.run(["export", workspace.trace, "--format", "chrome", "-o", target])
        #expect(unwritable.status == 1, "\(unwritable)")
        #expect(
            unwritable.stderr.contains("hypernodes export: error: cannot write '\(target)': No such file or directory"),
            "\(unwritable)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.directory.url.path) == ["analysis.jsonl"])
    }

    @Test("a recorded demo run summarises and exports; the OTLP export validates against the protobuf definitions")
    func recordedDemo() async throws {
        let workspace = try Workspace()
        let trace = workspace.path("demo.jsonl")
        let demo = try await Executable.run(["demo", "--scale", "0.02", "--no-cache", "--record", trace])
        #expect(demo.status == 0, "\(demo)")
        let summary = try await Executable.run(["summary", trace, "--width", "90"])
        #expect(summary.status == 0 && summary.stderr.isEmpty, "\(summary)")
        for expected in [
            "Run: demo", "outcome  ok in", "├ load_corpus", "document_analysis (map)", "6 items · 6 done", "items/s",
            "tokenize ×6", "Waterfall", "Totals:",
        ] {
            #expect(summary.stdout.contains(expected), "missing \(expected):\n\(summary.stdout)")
        }
        #expect(summary.stdout.split(separator: "\n").allSatisfy { DisplayWidth.of($0) <= 90 })

        let model = try TraceModel(path: trace)
        let spans = model.runs[0].spans.count
        let otlp = workspace.path("demo.otlp.jsonl")
        for (format, output) in [
            ("chrome", "demo.json"), ("speedscope", "demo.speedscope.json"), ("otlp-json", "demo.otlp.jsonl"),
        ] {
            let run = try await Executable.run(["export", trace, "--format", format, "-o", workspace.path(output)])
            #expect(run.status == 0 && run.stderr.isEmpty, "\(run)")
        }
        #expect(try ExportChecks.checkChrome(workspace.read("demo.json")).count == spans)
        #expect(try ExportChecks.checkSpeedscope(workspace.read("demo.speedscope.json")) == spans)
        let validated = try await PythonScript.run("validate_otlp.py", [otlp])
        try #require(validated.status == 0, "\(validated.stderr)")
        #expect(try ExportChecks.validatorTrees(validated.stdout) == ExportChecks.modelTrees(model))
    }
}
