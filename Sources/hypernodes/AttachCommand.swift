import ArgumentParser
import Foundation
import HyperNodesMonitor
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hypernodes attach [PID|SOCKET]`: the full-screen monitor on another process's live stream.
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Watch a running pipeline of another process in the full-screen monitor.",
        discussion: """
            Connects to the live server of a process (see `hypernodes ps`) and shows its runs: first \
            everything so far, then live. Without an argument it attaches to the only attachable \
            process, or asks which one when there are several. When the process ends or the \
            connection drops, the monitor says so and keeps the final state until you press q. \
            Needs a terminal.
            """
    )

    @Argument(help: ArgumentHelp("The process: its pid, or the path of its socket.", valueName: "pid|socket"))
    var target: String?

    @Option(
        help: ArgumentHelp("Also save everything received as a trace file.", valueName: "file"),
        completion: .file())
    var record: String?

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    func run() async throws {
        let directory = LiveDirectory(path: LiveDirectory.path())
        let path: String
        do {
            path = try socketPath(in: directory)
        } catch {
            throw ExitCode(TraceInput.failure("attach", "\(error)"))
        }
        // The process is asked first, so that a dead one is reported even without a terminal.
        let status: LiveStatus
        do {
            status = try LiveConnection.connect(path: path).status()
        } catch {
            throw ExitCode(TraceInput.failure("attach", error.description))
        }
        if let code = MonitorRunner.terminalCheck(
            command: "attach",
            alternatives: "`hypernodes ps` lists the processes that can be attached to without one.")
        {
            throw ExitCode(code)
        }
        let source: LiveSocketSource
        do {
            source = try LiveSocketSource.attach(path: path, record: record)
        } catch {
            throw ExitCode(TraceInput.failure("attach", error.description))
        }
        let program = URL(fileURLWithPath: status.program).lastPathComponent
        let outcome = await MonitorRunner.show(
            MonitorRunner.Launch(
                command: "attach", mailbox: source.mailbox,
                makeSession: { color, ascii in
                    MonitorSession(
                        source: .attached(pid: status.pid, program: program),
                        options: MonitorOptions(ascii: ascii, color: color))
                },
                ascii: ascii, subject: "\(program) (pid \(status.pid))", feeds: [source]))
        source.cancel()
        let code = MonitorRunner.finish(outcome, command: "attach")
        if code != 0 { throw ExitCode(code) }
    }

    /// Why no process can be attached to.
    struct NoTarget: Error, CustomStringConvertible {
        let description: String
    }

    /// The socket to connect to: the argument's, the only process's, or the one the user chooses.
    func socketPath(in directory: LiveDirectory) throws -> String {
        if let target {
            if let pid = Int32(target), pid > 0 {
                let path = directory.socketPath(pid: pid)
                guard access(path, F_OK) == 0 else {
                    throw NoTarget(
                        description: "no attachable process with pid \(pid): there is no \(path) "
                            + "(`hypernodes ps` lists the processes that can be attached to)")
                }
                return path
            }
            guard target.contains("/") || target.hasSuffix(".sock") else {
                throw NoTarget(description: "'\(target)' is neither a pid nor the path of a socket")
            }
            return target
        }
        let listing = try LiveListing.read(directory)
        for path in listing.removedStale {
            TraceInput.standardError("hypernodes attach: removed the stale socket \(path) (its process has ended)")
        }
        switch listing.entries.count {
        case 0:
            throw NoTarget(
                description: "no attachable process (looked in \(directory.path)); start a pipeline with "
                    + "HYPERNODES_LIVE=1, or run one with `hypernodes monitor -- PROGRAM`")
        case 1:
            return listing.entries[0].socketPath
        default:
            return try LiveChooser.choose(from: listing.entries)
        }
    }
}
