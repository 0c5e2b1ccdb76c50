#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ProgramLauncher: MonitorFeed {
    /// Adds the program's new output to the log pane, and notes its exit once it has ended (after
    /// its last lines).
    public func update(_ session: inout MonitorSession) -> Bool {
        var changed = false
        let exit = exitAfterOutput
        for line in takeLines() {
            session.appendLog(line)
            changed = true
        }
        if let exit, session.programExit == nil {
            session.programEnded(exit)
            changed = true
        }
        return changed
    }

    /// Passes the signal on to the program's process group while it runs. Ctrl-C and SIGTERM leave
    /// the monitor open to show how the program ends; SIGHUP (the terminal is gone) closes it too.
    public func forward(signal signalNumber: Int32) -> Bool {
        forward(signalNumber) && signalNumber != SIGHUP
    }
}
