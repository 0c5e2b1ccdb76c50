import Foundation
import HyperNodesMonitor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the full-screen monitor for `replay` and `monitor`: checks that
/// there is a terminal, takes it over on a thread of its own (the only one
/// that calls ncurses), and gives it back on every way out.
enum MonitorRunner {
    /// What the monitor needs to start: the command's name (for messages)
    /// and how to make the session once the terminal's abilities are known.
    struct Launch: Sendable {
        var command: String
        var mailbox: RecordMailbox
        var makeSession: @Sendable (_ color: Bool, _ ascii: Bool) -> MonitorSession
        var ascii: Bool
        /// What warnings about the source name: the trace's path, or the pipeline.
        var subject: String
        /// What else updates the session: a launched program, a live connection.
        var feeds: [any MonitorFeed] = []
        /// Whether the monitor closes as soon as the source has ended.
        var exitWhenFinished = false
    }

    /// Warnings about the source, printed once the terminal is restored:
    /// unreadable lines of a trace (the latest 20 the session kept, and how
    /// many earlier ones there were), a trace whose reading stopped early,
    /// and records dropped because the monitor fell behind.
    static func warnings(of session: MonitorSession, subject: String) -> [String] {
        var warnings: [String] = []
        let earlier = session.problemCount - session.problems.count
        if earlier > 0 {
            warnings.append("warning: \(subject): \(earlier) earlier unreadable lines not shown")
        }
        warnings += session.problems.map { "warning: \(subject): \($0)" }
        if case .replay = session.source, case .failed(let reason)? = session.sourceEnd {
            warnings.append("warning: \(subject): reading stopped early: \(reason)")
        }
        if session.dropped > 0 {
            if session.source.isConnection {
                warnings.append(
                    "warning: \(subject): the monitor fell behind and \(session.dropped) records were dropped "
                        + "(the final state shown may be incomplete)")
            } else {
                warnings.append("warning: \(subject): the monitor fell behind and dropped \(session.dropped) records")
            }
        }
        return warnings
    }

    /// The message and exit status when standard input or output is not a
    /// terminal; `nil` when both are. Nothing is written to the terminal.
    static func terminalCheck(command: String, alternatives: String) -> Int32? {
        guard isatty(STDOUT_FILENO) != 1 || isatty(STDIN_FILENO) != 1 else { return nil }
        TraceInput.standardError(
            "hypernodes \(command): error: the monitor is a full-screen program and needs a terminal, "
                + "but standard \(isatty(STDOUT_FILENO) != 1 ? "output" : "input") is not one. \(alternatives)")
        return 1
    }

    /// Runs the monitor until the user quits or a signal arrives.
    ///
    /// Standard output and error are captured into the log pane meanwhile
    /// and written out once the terminal is restored. A termination signal
    /// ends the process by that signal after the terminal is restored.
    ///
    /// - Returns: 0 when the user quit (or the source ended with
    ///   `exitWhenFinished`), or 1 when the terminal could not be used (the
    ///   reason printed on stderr).
    static func run(_ launch: Launch) async -> Int32 {
        finish(await show(launch), command: launch.command)
    }

    /// How the monitor closed: how the loop ended and the session's last
    /// state, or why the terminal could not be used.
    enum Outcome: Sendable {
        case closed(MonitorExit, session: MonitorSession, warnings: [String])
        case failed(String)
    }

    /// Shows the monitor until it closes and gives the terminal back; the
    /// caller finishes with ``finish(_:command:status:)``.
    static func show(_ launch: Launch) async -> Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let thread = Thread { continuation.resume(returning: uiThread(launch)) }
            thread.name = "hypernodes.monitor.ui"
            thread.start()
        }
    }

    /// Prints the warnings of a closed monitor and returns `status`; ends the
    /// process by the signal that closed it, if one did; prints the reason
    /// and returns 1 when the terminal could not be used.
    static func finish(_ outcome: Outcome, command: String, status: Int32 = 0) -> Int32 {
        switch outcome {
        case .closed(let exit, _, let warnings):
            for warning in warnings { TraceInput.standardError(warning) }
            if case .signal(let signalNumber) = exit { InterruptSignals.reraise(signalNumber) }
            return status
        case .failed(let message):
            TraceInput.standardError("hypernodes \(command): error: \(message)")
            return 1
        }
    }

    /// Everything that touches the terminal, on one thread.
    private static func uiThread(_ launch: Launch) -> Outcome {
        InterruptSignals.install()
        defer { InterruptSignals.uninstall() }
        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal(output: STDOUT_FILENO)
        } catch {
            return .failed(error.description)
        }
        let capture: OutputCapture?
        do {
            capture = try OutputCapture.start()
        } catch {
            terminal.close()
            return .failed(error.description)
        }
        let session = launch.makeSession(terminal.color, launch.ascii || !terminal.unicode)
        var loop = MonitorLoop(
            session: session, mailbox: launch.mailbox, log: capture, feeds: launch.feeds,
            exitWhenFinished: launch.exitWhenFinished)
        let exit = loop.run(on: terminal)
        terminal.close()
        capture?.stop()
        return .closed(exit, session: loop.session, warnings: warnings(of: loop.session, subject: launch.subject))
    }
}
