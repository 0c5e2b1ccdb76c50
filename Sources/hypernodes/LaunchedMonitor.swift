import Foundation
import HyperNodesMonitor
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hypernodes monitor -- PROGRAM ARGS…`: starts the program with live monitoring switched on,
/// finds its live server, and shows its runs in the monitor, its output in the log pane.
enum LaunchedMonitor {
    /// How long a program that is still running when the monitor closes has to end after SIGTERM,
    /// before SIGKILL.
    static let stopGrace = 3.0

    /// Runs `command` (the program and its arguments) under the monitor until the user quits (or,
    /// with `exitOnFinish`, until the program has ended); returns the program's exit status.
    ///
    /// The program is checked before anything else (a typo is reported at once, with 127 or 126 as a
    /// shell would), then the terminal. A program still running when the user quits is stopped
    /// (SIGTERM, then SIGKILL after ``stopGrace`` seconds). Its output is written on the terminal
    /// once the monitor has closed, in the order it came.
    static func run(command: [String], record: String?, exitOnFinish: Bool, ascii: Bool) async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let program = command[0]
        do {
            _ = try ProgramLauncher.resolve(program, searchPath: environment["PATH"])
        } catch {
            TraceInput.standardError("hypernodes monitor: error: \(error.description)")
            return error.exitStatus
        }
        if let record, let problem = writeProblem(record) {
            return TraceInput.failure("monitor", "cannot write the record file \(record): \(problem)")
        }
        if let status = MonitorRunner.terminalCheck(
            command: "monitor",
            alternatives: "Run the program with HYPERNODES_LIVE=1 and attach to it from a terminal with "
                + "`hypernodes attach`, or record its runs with a TraceRecorder and read them with "
                + "`hypernodes summary FILE`.")
        {
            return status
        }
        let directory: LiveDirectory
        do {
            directory = try LiveDirectory.resolve(environment: environment)
        } catch {
            return TraceInput.failure("monitor", error.description)
        }
        let launcher: ProgramLauncher
        do {
            launcher = try ProgramLauncher(
                program: program, arguments: Array(command.dropFirst()),
                environment: ProgramLauncher.environment(environment))
        } catch {
            TraceInput.standardError("hypernodes monitor: error: \(error.description)")
            return error.exitStatus
        }
        let source = LiveSocketSource.discover(
            in: directory, launcher: getpid(), program: launcher.pid, record: record)
        let name = URL(fileURLWithPath: program).lastPathComponent
        let outcome = await MonitorRunner.show(
            MonitorRunner.Launch(
                command: "monitor", mailbox: source.mailbox,
                makeSession: { color, ascii in
                    MonitorSession(
                        source: .launched(program: name), options: MonitorOptions(ascii: ascii, color: color))
                },
                ascii: ascii, subject: name, feeds: [launcher, source], exitWhenFinished: exitOnFinish))
        let exit = await finishProgram(launcher, source: source)
        if let warning = launcher.writeOutput() { TraceInput.standardError("warning: \(name): \(warning)") }
        return MonitorRunner.finish(outcome, command: "monitor", status: exit.status)
    }

    /// Why a trace cannot be written at `path` (created empty to find out), or `nil`.
    static func writeProblem(_ path: String) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        close(descriptor)
        return nil
    }

    /// Stops the program if it still runs, gives its stream a moment to deliver its end (and a
    /// recording its last lines), and stops the stream.
    private static func finishProgram(_ launcher: ProgramLauncher, source: LiveSocketSource) async -> ProgramExit {
        await withCheckedContinuation { (continuation: CheckedContinuation<ProgramExit, Never>) in
            let thread = Thread {
                let exit = launcher.exit ?? launcher.terminate(grace: stopGrace)
                let deadline = Date(timeIntervalSinceNow: 2)
                while source.isConnected && source.mailbox.finished == nil && Date() < deadline { usleep(10_000) }
                source.cancel()
                continuation.resume(returning: exit)
            }
            thread.name = "hypernodes.monitor.stop"
            thread.start()
        }
    }
}
