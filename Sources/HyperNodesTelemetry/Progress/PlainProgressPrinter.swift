import HyperNodes

/// Progress for output that is not a terminal (a pipe, a file, CI): one
/// plain line per finished pipeline or node, and a status line for a
/// running map at most every ``interval``. No escape codes, no carriage
/// returns. Nodes inside a map's items are not listed one by one: their
/// map's lines count them.
public struct PlainProgressPrinter: Sendable {
    /// The shortest time between two status lines of one map, in nanoseconds.
    public var interval: UInt64
    /// Glyphs; colour is never used.
    public var style: ProgressStyle
    private var lastReport: [Int: UInt64] = [:]

    /// Creates a printer.
    ///
    /// - Parameter interval: Seconds between two status lines of a running map (default 10).
    public init(interval: Double = 10, ascii: Bool = false) {
        self.interval = UInt64(max(0, interval) * 1e9)
        self.style = ProgressStyle(ascii: ascii, color: false)
    }

    /// The lines to print after `change` was applied to `model`; `now` is
    /// the time of the event that caused it (nanoseconds since 1970).
    public mutating func lines(for change: ProgressChange, in model: ProgressModel, now: UInt64) -> [String] {
        switch change {
        case .finished(let id):
            lastReport.removeValue(forKey: id)
            return ProgressRenderer.plainLine(model, row: id, now: now, style: style).map { [$0] } ?? []
        case .advanced(let id):
            guard let row = model[id], let map = row.map, map.ended < map.total else { return [] }
            let last = lastReport[id] ?? row.start
            guard now >= last &+ interval else { return [] }
            lastReport[id] = now
            return ProgressRenderer.plainLine(model, row: id, now: now, style: style).map { [$0] } ?? []
        case .other:
            return []
        }
    }
}
