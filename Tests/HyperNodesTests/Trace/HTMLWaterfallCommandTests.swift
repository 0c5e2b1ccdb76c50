import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// `hypernodes export --format html`, through the built executable.
@Suite("hypernodes export --format html (executable)")
struct HTMLWaterfallCommandTests {
    @Test("export --format html writes the exporter's page to a file or to stdout, with --title")
    func exportHTML() async throws {
        let directory = TemporaryDirectory("hypernodes-html-cli")
        let trace = directory.url.appendingPathComponent("analysis.jsonl").path
        try Data(ScriptedTraces.analysis.bytes).write(to: URL(fileURLWithPath: trace))
        let model = try TraceModel(path: trace)
        let output = directory.url.appendingPathComponent("run.html").path
        let file = try await Executable.run(["export", trace, "--format", "html", "-o", output])
        #expect(file.status == 0 && file.stdout.isEmpty && file.stderr.isEmpty, "\(file)")
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(written == HTMLWaterfallExporter().export(model))
        let piped = try await Executable.run(["export", trace, "--format", "html", "--title", "Nightly", "-o", "-"])
        #expect(piped.status == 0, "\(piped)")
        #expect(Array(piped.stdout.utf8) == HTMLWaterfallExporter(title: "Nightly").export(model))
        #expect(piped.stdout.contains("<title>Nightly</title>"))
    }

    @Test("--title with another format, and a missing trace, fail with a message naming the problem")
    func badArguments() async throws {
        let directory = TemporaryDirectory("hypernodes-html-cli")
        let trace = directory.url.appendingPathComponent("analysis.jsonl").path
        try Data(ScriptedTraces.analysis.bytes).write(to: URL(fileURLWithPath: trace))
        let title = try await Executable.run(["export", trace, "--format", "chrome", "--title", "x", "-o", "-"])
        #expect(title.status != 0 && title.stderr.contains("--title applies to --format html only"), "\(title)")
        let missing = directory.url.appendingPathComponent("missing.jsonl").path
        let absent = try await Executable.run(["export", missing, "--format", "html", "-o", "-"])
        #expect(absent.status != 0 && absent.stderr.contains("missing.jsonl") && absent.stdout.isEmpty, "\(absent)")
    }
}
