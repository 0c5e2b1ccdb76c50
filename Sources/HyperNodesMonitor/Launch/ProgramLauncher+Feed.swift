extension ProgramLauncher: MonitorFeed {
    /// Adds the program's new output to the log pane, and notes its exit once it has ended.
    public func update(_ session: inout MonitorSession) -> Bool {
        var changed = false
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

    /// Passes the signal on to the program's process group while it runs.
    public func forward(signal signalNumber: Int32) -> Bool {
        forward(signalNumber)
    }
}
