/// Where the monitor's records come from, as the status bar names it.
public enum MonitorSourceKind: Sendable, Hashable {
    /// A pipeline running in this process, by name.
    case live(String)
    /// A recorded trace, by file name.
    case replay(String)
    /// Another process that serves its runs (`hypernodes attach`): its pid and program name.
    case attached(pid: Int32, program: String)
    /// A program the monitor started (`hypernodes monitor -- PROGRAM`), by name.
    case launched(program: String)

    /// Whether the records come from a running pipeline (in this process or another).
    public var isLive: Bool {
        if case .replay = self { return false }
        return true
    }

    /// Whether the records come from another process over a live connection.
    public var isConnection: Bool {
        switch self {
        case .attached, .launched: return true
        case .live, .replay: return false
        }
    }
}
