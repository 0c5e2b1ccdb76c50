import ArgumentParser
import Foundation
import HyperNodesMonitor
import HyperNodesTrace

/// `hypernodes replay FILE`: a recorded trace in the full-screen monitor.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded trace in the full-screen monitor.",
        discussion: """
            Shows the trace with its original timing, scaled by --speed: the tree of pipelines and \
            nodes, map throughput, and a waterfall (press ? for every key). At the end of the trace \
            the monitor stays open on the final state until you press q. Needs a terminal; for a \
            text summary use `hypernodes summary FILE`.
            """
    )

    @Argument(help: "The trace file (JSON Lines, as written by --record).", completion: .file())
    var file: String

    @Option(help: ArgumentHelp("Playback speed: a factor such as 2 or 0.5, or max.", valueName: "x|max"))
    var speed: String = "1"

    @Option(help: ArgumentHelp("Start playing or paused.", valueName: "playing|paused"))
    var start: String = "playing"

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    /// The speed given with --speed.
    static func playbackSpeed(_ text: String) throws -> PlaybackSpeed {
        guard let speed = PlaybackSpeed(parsing: text) else {
            throw ValidationError("--speed must be a positive number or 'max', not '\(text)'")
        }
        return speed
    }

    func validate() throws {
        _ = try Self.playbackSpeed(speed)
        guard ["playing", "paused"].contains(start) else {
            throw ValidationError("--start must be 'playing' or 'paused', not '\(start)'")
        }
    }

    func run() async throws {
        let source: TraceFileSource
        do {
            source = try TraceFileSource(path: file)
        } catch {
            throw ExitCode(TraceInput.failure("replay", error.description))
        }
        if let status = MonitorRunner.terminalCheck(
            command: "replay",
            alternatives: "For a text summary of the trace run: hypernodes summary \(file)")
        {
            throw ExitCode(status)
        }
        let speed = try Self.playbackSpeed(speed)
        let paused = start == "paused"
        let name = URL(fileURLWithPath: file).lastPathComponent
        source.start()
        defer { source.cancel() }
        let status = await MonitorRunner.run(
            MonitorRunner.Launch(
                command: "replay", mailbox: source.mailbox,
                makeSession: { color, ascii in
                    MonitorSession(
                        source: .replay(name),
                        options: MonitorOptions(ascii: ascii, color: color, startPaused: paused, speed: speed))
                },
                ascii: ascii, subject: file))
        if status != 0 { throw ExitCode(status) }
    }
}
