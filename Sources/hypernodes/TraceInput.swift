import Foundation
import HyperNodesTrace

/// Reading the trace file named on the command line, for `summary` and `export`.
enum TraceInput {
    /// A trace that cannot be read at all: the message names the file and the reason.
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    /// The model of the trace at `path`. Lines that cannot be read, and
    /// repairs to a damaged trace, are printed on stderr as warnings with
    /// their line numbers (at most `warningLimit` of each, then a count).
    ///
    /// - Throws: ``Unreadable`` when the file cannot be opened or is not a trace.
    static func load(_ path: String, warningLimit: Int = 20) throws -> TraceModel {
        let model: TraceModel
        do {
            model = try TraceModel(path: path)
        } catch let error as TraceReadError {
            throw Unreadable(description: error.description)
        }
        var warnings = model.problems.map { "\(path): \($0)" }
        warnings += model.issues.map { "\(path): \($0)" }
        for warning in warnings.prefix(warningLimit) {
            standardError("warning: \(warning)")
        }
        if warnings.count > warningLimit {
            standardError("warning: \(path): \(warnings.count - warningLimit) more warnings not shown")
        }
        return model
    }

    /// Writes `text` and a line end to stderr.
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints `message` as `hypernodes COMMAND: error: …` on stderr and
    /// returns the exit status for a failure (1).
    static func failure(_ command: String, _ message: String) -> Int32 {
        standardError("hypernodes \(command): error: \(message)")
        return 1
    }
}
