import ArgumentParser
import Foundation
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hypernodes export FILE --format F -o OUT`: a recorded trace in another tool's format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert a recorded trace for Perfetto, OpenTelemetry tools, speedscope or a web browser.",
        discussion: """
            chrome: Chrome trace event JSON, for ui.perfetto.dev and chrome://tracing (one track per worker lane). \
            otlp-json: OpenTelemetry OTLP JSON, one TracesData object per line and run. \
            speedscope: a speedscope file with one evented profile per worker lane, for speedscope.app. \
            html: one self-contained HTML page (no network) with a waterfall per run; click a map to open its \
            worker lanes.
            """
    )

    /// The export formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case chrome
        case otlpJSON = "otlp-json"
        case speedscope
        case html
    }

    @Argument(help: "The trace file (JSON Lines, as written by --record).", completion: .file())
    var file: String

    @Option(help: "The output format: chrome, otlp-json, speedscope or html.")
    var format: Format

    @Option(help: "The page title of an html export (default: the runs' pipeline names).")
    var title: String?

    @Option(name: [.short, .customLong("output")], help: "The file to write, or - for standard output.")
    var output: String

    func validate() throws {
        if title != nil && format != .html {
            throw ValidationError("--title applies to --format html only.")
        }
    }

    func run() throws {
        let model: TraceModel
        do {
            model = try TraceInput.load(file)
        } catch let error as TraceInput.Unreadable {
            throw ExitCode(TraceInput.failure("export", error.description))
        }
        let bytes: [UInt8]
        switch format {
        case .chrome: bytes = ChromeTraceExporter().export(model)
        case .otlpJSON: bytes = OTLPJSONExporter().export(model)
        case .speedscope: bytes = SpeedscopeExporter().export(model)
        case .html: bytes = HTMLWaterfallExporter(title: title).export(model)
        }
        if output == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        if let reason = Self.write(bytes, to: output) {
            throw ExitCode(TraceInput.failure("export", "cannot write '\(output)': \(reason)"))
        }
    }

    /// Writes `bytes` to a temporary file next to `path`, then renames it to
    /// `path`, so a failed export leaves no partial file. Returns the reason
    /// of a failure, or `nil`.
    static func write(_ bytes: [UInt8], to path: String) -> String? {
        let temporary = path + ".partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = posixWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += result
            }
        }
        if close(descriptor) != 0 && failure == 0 { failure = errno }
        if failure == 0 && rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            return String(cString: strerror(failure))
        }
        return nil
    }
}

/// The C library's `write`, which the static `write` of ``ExportCommand`` hides.
private func posixWrite(_ descriptor: Int32, _ address: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, address, count)
}
