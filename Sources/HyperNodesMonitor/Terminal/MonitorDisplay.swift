/// Where the monitor loop draws and reads keys: ``NcursesTerminal`` in the
/// product, a scripted screen in tests.
public protocol MonitorDisplay: AnyObject {
    /// The width in cells.
    var width: Int { get }
    /// The height in rows.
    var height: Int { get }
    /// Shows `grid`.
    func draw(_ grid: CellGrid)
    /// Waits up to `milliseconds` for input; `nil` when there was none.
    func readEvent(timeout milliseconds: Int32) -> TerminalEvent?
}

extension NcursesTerminal: MonitorDisplay {}
