import ArgumentParser
import Foundation
import HyperNodesTrace

/// `hypernodes export FILE --format F -o OUT`: a recorded trace in another tool's format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert a recorded trace for Perfetto, OpenTelemetry tools or speedscope.",
        discussion: """
            chrome: Chrome trace event JSON, for ui.perfetto.dev and chrome://tracing (one track per worker lane). \
            otlp-json: OpenTelemetry OTLP JSON, one TracesData object per line and run. \
            speedscope: a speedscope file with one evented profile per worker lane, for speedscope.app.
            """
    )

    /// The export formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case chrome
        case otlpJSON = "otlp-json"
        case speedscope
    }

    @Argument(help: "The trace file (JSON Lines, as written by --record).", completion: .file())
    var file: String

    @Option(help: "The output format: chrome, otlp-json or speedscope.")
    var format: Format

    @Option(name: [.short, .customLong("output")], help: "The file to write, or - for standard output.")
    var output: String

    func run() throws {
        let model: TraceModel
        do {
            model = try TraceInput.load(file, command: "export")
        } catch let error as TraceInput.Unreadable {
            throw ExitCode(TraceInput.failure("export", error.description))
        }
        let bytes: [UInt8]
        switch format {
        case .chrome: bytes = ChromeTraceExporter().export(model)
        case .otlpJSON: bytes = OTLPJSONExporter().export(model)
        case .speedscope: bytes = SpeedscopeExporter().export(model)
        }
        if output == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw ExitCode(TraceInput.failure("export", "cannot write '\(output)': \(reason)"))
        }
    }
}
