import Foundation
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The waterfall of the demo's own run, printed after the results: what
/// `hypernodes summary` draws, from the run's `TraceCollector`, without a file.
enum RunWaterfall {
    /// The lines printed: a title and the collector's last run's waterfall, as
    /// wide as the terminal (100 cells when standard output is not one), in
    /// colour on a terminal unless `NO_COLOR` is set or `TERM` is `dumb`.
    static func text(of collector: TraceCollector) -> String {
        guard let run = collector.lastRun else { return "" }
        return "\nWaterfall of this run\n" + run.waterfall(width: outputWidth(), color: outputTakesColor())
    }

    /// The terminal's width in cells, or 100 when standard output is not a terminal.
    static func outputWidth() -> Int {
        var size = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
            return 100
        }
        return Int(size.ws_col)
    }

    /// Whether standard output is a terminal that wants colours.
    static func outputTakesColor() -> Bool {
        let environment = ProcessInfo.processInfo.environment
        return isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}
