import Foundation

/// Number formats of the progress display.
enum ProgressFormat {
    /// A span's duration: `850µs`, `3.1ms`, `0.12s`, `4.21s`, `2m05s`, `1h02m`.
    static func duration(_ nanoseconds: UInt64, micro: String = "µs") -> String {
        let ns = Double(nanoseconds)
        if ns < 1e6 { return "\(Int(ns / 1e3))\(micro)" }
        if ns < 1e8 { return String(format: "%.1fms", ns / 1e6) }
        if ns < 60e9 { return String(format: "%.2fs", ns / 1e9) }
        let seconds = Int(ns / 1e9)
        if seconds < 3600 { return String(format: "%dm%02ds", seconds / 60, seconds % 60) }
        return String(format: "%dh%02dm", seconds / 3600, (seconds / 60) % 60)
    }

    /// Elapsed or remaining time as a clock: `00:04`, `12:30`, `1:02:03`.
    static func clock(_ nanoseconds: UInt64) -> String {
        let seconds = Int(nanoseconds / 1_000_000_000)
        if seconds >= 3600 {
            return String(format: "%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60)
        }
        return String(format: "%02d:%02d", seconds / 60, seconds % 60)
    }

    /// Items per second: `2.5 it/s`, `212 it/s`, `48.3k it/s`, `1.2M it/s`.
    static func rate(_ perSecond: Double) -> String {
        if perSecond < 10 { return String(format: "%.1f it/s", perSecond) }
        if perSecond < 10_000 { return String(format: "%.0f it/s", perSecond) }
        if perSecond < 10_000_000 { return String(format: "%.1fk it/s", perSecond / 1e3) }
        return String(format: "%.1fM it/s", perSecond / 1e6)
    }

    /// A whole percentage, rounded down so that 100% means done: `64%`.
    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "0%" }
        return "\(Int((min(1, max(0, fraction)) * 100).rounded(.down)))%"
    }
}
