import ArgumentParser
import Foundation
import HyperNodesTrace

/// `hypernodes summary FILE`: the text summary of a recorded trace.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarise a recorded trace: span tree, waterfall and totals.",
        discussion: """
            Prints a tree of the pipelines and nodes of every run in the trace (status, duration, self \
            time, cache hits, map counts and items per second), a character waterfall of the spans over \
            time (the items of a map share one row), and totals. Lines that cannot be read are reported \
            on stderr with their numbers and skipped. The output is plain text; with --color the \
            waterfall's bars are coloured by state (ok, cached, failed, unfinished, cancelled). The \
            default, --color auto, colours only when standard output is a terminal, NO_COLOR is not set \
            and TERM is not dumb.
            """
    )

    @Argument(help: "The trace file (JSON Lines, as written by --record).", completion: .file())
    var file: String

    @Option(help: "The width of the output in terminal cells (at least \(TraceSummary.minimumWidth)).")
    var width = 100

    /// When the waterfall is coloured.
    enum ColorMode: String, ExpressibleByArgument, CaseIterable {
        /// When standard output is a terminal, `NO_COLOR` is unset (or empty) and `TERM` is not `dumb`.
        case auto
        /// Always, whatever the output and the environment.
        case always
        /// Never: plain text.
        case never

        /// Whether to colour, for output that is a terminal or not, in `environment`.
        func colors(outputIsTerminal: Bool, environment: [String: String]) -> Bool {
            switch self {
            case .always: true
            case .never: false
            case .auto:
                outputIsTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
            }
        }
    }

    @Option(help: "Colour the waterfall's bars by state: auto, always or never.")
    var color: ColorMode = .auto

    func validate() throws {
        guard width >= TraceSummary.minimumWidth else {
            throw ValidationError("--width must be at least \(TraceSummary.minimumWidth), not \(width)")
        }
        guard width <= 10_000 else { throw ValidationError("--width must be at most 10000, not \(width)") }
    }

    func run() throws {
        let model: TraceModel
        do {
            model = try TraceInput.load(file)
        } catch let error as TraceInput.Unreadable {
            throw ExitCode(TraceInput.failure("summary", error.description))
        }
        let colors = color.colors(
            outputIsTerminal: isatty(STDOUT_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
        let text = TraceSummary.render(model, options: TraceSummary.Options(width: width, color: colors))
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
