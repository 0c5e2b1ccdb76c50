/// Why the monitor cannot take over the terminal. Every case is reported
/// before anything is drawn, so the terminal is left as it was.
public enum TerminalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Standard input or output is not a terminal (a pipe, a file, CI).
    case notATerminal
    /// `TERM` is unset or empty.
    case noTerminalType
    /// `TERM` names a terminal that cannot move its cursor (`dumb`, a printer).
    case cannotAddressCursor(String)
    /// `TERM` names a terminal the terminfo database does not know.
    case unknownTerminal(String)
    /// A system call failed while setting the terminal up.
    case systemCall(String, reason: String)

    /// A message saying what is wrong and what to do instead.
    public var description: String {
        switch self {
        case .notATerminal:
            "the monitor needs a terminal, and standard input or output is not one"
        case .noTerminalType:
            "TERM is not set, so the terminal's type is unknown; set it (for example TERM=xterm-256color)"
        case .cannotAddressCursor(let name):
            "the terminal type '\(name)' cannot move the cursor, which a full-screen monitor needs; "
                + "set TERM to your terminal's type (for example TERM=xterm-256color)"
        case .unknownTerminal(let name):
            "the terminal type '\(name)' is not in the terminfo database; "
                + "set TERM to a known type (for example TERM=xterm-256color)"
        case .systemCall(let call, let reason):
            "cannot set up the terminal: \(call) failed: \(reason)"
        }
    }
}
