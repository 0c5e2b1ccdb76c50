import HyperNodesTrace

/// Numbers, durations, rates and times as the monitor shows them: compact,
/// deterministic, independent of the locale, and ASCII-only when asked.
public enum MonitorFormat {
    /// A duration with three significant digits and a unit (`850 ns`,
    /// `12.3 µs`, `4.05 ms`, `5.21 s`, `2 m 05 s`); `us` instead of `µs` in ASCII.
    public static func duration(_ nanoseconds: UInt64, ascii: Bool = false) -> String {
        let text = SummaryFormat.duration(nanoseconds)
        return ascii ? text.replacingOccurrences(of: "µ", with: "u") : text
    }

    /// A rate per second: `12.3/s`, `1,204/s`, `0/s`.
    public static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond > 0 else { return "0/s" }
        return SummaryFormat.rate(perSecond) + "/s"
    }

    /// Time left, or `–` (`-` in ASCII) when unknown.
    public static func eta(_ nanoseconds: UInt64?, ascii: Bool = false) -> String {
        guard let nanoseconds else { return ascii ? "-" : "–" }
        return duration(roundedForETA(nanoseconds), ascii: ascii)
    }

    /// An integer with thousands separators: `1,234,567`.
    public static func count(_ value: Int) -> String { SummaryFormat.count(value) }

    /// A share as a whole percentage: `0%`, `42%`, `100%` (100% only when complete).
    public static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        let value = Int((Double(part) * 100 / Double(whole)).rounded(.down))
        return "\(min(100, max(0, value)))%"
    }

    /// A time on the monitor's timeline as a ruler label: `0`, `250 µs`, `1.5 s`, `2 min`.
    public static func tick(_ nanoseconds: UInt64, ascii: Bool = false) -> String {
        var text: String
        if nanoseconds >= 60_000_000_000 && nanoseconds % 60_000_000_000 == 0 {
            text = "\(nanoseconds / 60_000_000_000) min"
        } else if nanoseconds >= 60_000_000_000 && nanoseconds % 1_000_000_000 == 0 {
            let seconds = nanoseconds / 1_000_000_000
            text = "\(seconds / 60)m\(seconds % 60 < 10 ? "0" : "")\(seconds % 60)s"
        } else {
            text = Waterfall.axisLabel(nanoseconds)
        }
        if ascii { text = text.replacingOccurrences(of: "µ", with: "u") }
        return text
    }

    /// The tick spacing for `window` nanoseconds over `cells` cells: the
    /// smallest of 1, 2, 5 × 10ⁿ ns (or whole minutes) that keeps ticks about
    /// `spacing` cells apart.
    public static func tickStep(window: UInt64, cells: Int, spacing: Int = 12) -> UInt64 {
        let minimum = Double(max(window, 1)) * Double(spacing) / Double(max(cells, 1))
        if minimum > 60e9 {
            // Minutes: 1, 2, 5, 10, 15, 30, 60, … rather than 100 s steps.
            let steps: [UInt64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1440]
            for minutes in steps where Double(minutes) * 60e9 >= minimum { return minutes * 60_000_000_000 }
        }
        // Waterfall.tickStep gives the smallest 1-2-5 step of at least total × 10 / cells.
        return Waterfall.tickStep(total: UInt64(min(Double(UInt64.max / 2), max(1, minimum.rounded(.up)))), cells: 10)
    }

    /// A factor such as a zoom or a replay speed: `1.5×`, `12×`, `0.25×` (`x` in ASCII).
    public static func factor(_ value: Double, ascii: Bool = false) -> String {
        let sign = ascii ? "x" : "×"
        guard value.isFinite, value > 0 else { return "0" + sign }
        if value >= 10 { return "\(Int(value.rounded()))\(sign)" }
        if value < 1 {
            let hundredths = Int((value * 100).rounded())
            return "0.\(hundredths < 10 ? "0" : "")\(hundredths)\(sign)"
        }
        let tenths = Int((value * 10).rounded())
        if tenths % 10 == 0 { return "\(tenths / 10)\(sign)" }
        return "\(tenths / 10).\(tenths % 10)\(sign)"
    }

    private static func roundedForETA(_ nanoseconds: UInt64) -> UInt64 {
        // Whole seconds from ten seconds on, so the ETA does not flicker in its last digits.
        nanoseconds >= 10_000_000_000 ? (nanoseconds + 500_000_000) / 1_000_000_000 * 1_000_000_000 : nanoseconds
    }
}
