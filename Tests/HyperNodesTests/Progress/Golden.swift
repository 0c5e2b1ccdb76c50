import Foundation
import Testing

/// Golden files: expected output kept in `Tests/HyperNodesTests/Progress/Golden`
/// (or another suite's `Golden` directory, passed as `directory`).
///
/// Run with `HYPERNODES_UPDATE_GOLDEN=1` to write the files from the current
/// output (then review the diff).
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden", isDirectory: true)

    /// Escape characters shown visibly, so that coloured output can be read and diffed.
    static func visible(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}", with: "␛")
    }

    /// Compares `text` with the golden file `name`, or writes it when updating.
    static func check(
        _ text: String, named name: String, in directory: URL = directory,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let url = directory.appendingPathComponent(name)
        let actual = visible(text)
        if ProcessInfo.processInfo.environment["HYPERNODES_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "golden file \(name) is missing; run with HYPERNODES_UPDATE_GOLDEN=1 to create it. Output:\n\(actual)",
                sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "differs from golden \(name):\n\(actual)", sourceLocation: sourceLocation)
    }

    /// Frames under headers, as one text.
    static func frames(_ frames: [(title: String, lines: [String])]) -> String {
        frames.map { "── \($0.title)\n" + $0.lines.joined(separator: "\n") + "\n" }.joined()
    }
}
