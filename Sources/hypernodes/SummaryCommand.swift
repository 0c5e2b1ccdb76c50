import ArgumentParser
import Foundation
import HyperNodesTrace

/// `hypernodes summary FILE`: the text summary of a recorded trace.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarise a recorded trace: span tree, waterfall and totals.",
        discussion: """
            Prints, without terminal control codes, a tree of the pipelines and nodes of every run in the \
            trace (status, duration, self time, cache hits, map counts and items per second), a character \
            waterfall of the spans over time (the items of a map share one row), and totals. Lines that \
            cannot be read are reported on stderr with their numbers and skipped.
            """
    )

    @Argument(help: "The trace file (JSON Lines, as written by --record).", completion: .file())
    var file: String

    @Option(help: "The width of the output in terminal cells (at least \(TraceSummary.minimumWidth)).")
    var width = 100

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
        let text = TraceSummary.render(model, width: width)
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
