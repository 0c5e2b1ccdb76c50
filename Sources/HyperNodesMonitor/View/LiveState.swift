/// How a live connection to another process stands, as the status bar reports it.
public enum LiveState: Sendable, Hashable {
    /// The monitor launched the program and waits for it to serve its runs.
    case waiting(program: String)
    /// Records are streaming in.
    case connected
    /// The process ended: its exit when the monitor launched it, else `nil` (its server said goodbye).
    case ended(ProgramExit?)
    /// The connection ended without the server saying goodbye (the process was killed, the socket
    /// went away), with the reason.
    case disconnected(String)
}
