/// Where the monitor's records come from, as the status bar names it.
public enum MonitorSourceKind: Sendable, Hashable {
    /// A pipeline running in this process, by name.
    case live(String)
    /// A recorded trace, by file name.
    case replay(String)
}
