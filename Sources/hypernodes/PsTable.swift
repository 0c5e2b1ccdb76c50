import Foundation
import HyperNodes
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The table `hypernodes ps` prints, and the numbered list of `hypernodes attach`'s chooser: one row
/// per attachable process.
enum PsTable {
    /// The columns' titles.
    static let titles = ["PID", "PROGRAM", "PIPELINE", "STARTED", "STATE", "CLIENTS"]
    /// The widest a program's command line is shown, in cells.
    static let programWidth = 40

    /// The cells of `entry`'s row, in the order of ``titles``.
    static func cells(_ entry: LiveCatalog.Entry) -> [String] {
        let status = entry.status
        let command = ([URL(fileURLWithPath: status.program).lastPathComponent] + status.arguments)
            .joined(separator: " ")
        return [
            String(entry.pid), DisplayWidth.truncate(DisplayWidth.printable(command), to: programWidth, ellipsis: "…"),
            pipeline(status), started(status.started), state(status), String(status.clients),
        ]
    }

    /// The pipeline of the newest run (`-` before the first), and how many other runs the process keeps.
    static func pipeline(_ status: LiveStatus) -> String {
        guard let newest = status.runs.max(by: { $0.startTime < $1.startTime }) else { return "-" }
        let others = status.runs.count - 1
        return DisplayWidth.printable(newest.pipeline) + (others > 0 ? " (+\(others) runs)" : "")
    }

    /// `running` while a run is open, `finished` when every run has ended, `idle` before the first.
    static func state(_ status: LiveStatus) -> String {
        if status.runs.isEmpty { return "idle" }
        return status.runs.contains { !$0.finished } ? "running" : "finished"
    }

    /// `YYYY-MM-DD HH:MM:SS` in local time, from nanoseconds since the Unix epoch.
    static func started(_ unixNanos: UInt64) -> String {
        var seconds = time_t(unixNanos / 1_000_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The table: a title row, then one row per entry, columns two spaces apart; `numbered` puts
    /// `1)`, `2)`… before the rows (the chooser's list).
    static func render(_ entries: [LiveCatalog.Entry], numbered: Bool = false) -> [String] {
        var rows = [titles] + entries.map(cells)
        if numbered {
            rows = rows.enumerated().map { index, row in [index == 0 ? "" : "\(index))"] + row }
        }
        let columns = rows[0].count
        let widths = (0..<columns).map { column in rows.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == columns - 1
                    ? cell : cell + String(repeating: " ", count: widths[column] - DisplayWidth.of(cell))
            }.joined(separator: "  ")
        }
    }
}
