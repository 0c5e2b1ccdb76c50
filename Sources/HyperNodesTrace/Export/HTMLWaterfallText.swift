import HyperNodes

/// Text for the HTML waterfall: escaping of user data, positions on the
/// time axis, tick steps and labels.
enum HTMLWaterfallText {
    /// `text` safe inside an element or a quoted attribute: `& < > " '`
    /// escaped, control characters other than tab and line feed replaced
    /// by `�`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                let control = value < 0x20 || (0x7F..<0xA0).contains(value)
                out.unicodeScalars.append(control ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }

    /// `text` escaped, on one line: line ends become spaces (for names).
    static func escapeLine(_ text: String) -> String {
        escape(text.contains(where: \.isNewline) ? String(text.map { $0.isNewline ? " " : $0 }) : text)
    }

    /// `time` as a percentage of `total`, with three decimals and no unit: `12.345`.
    static func percent(_ time: UInt64, of total: UInt64) -> String {
        let value = total == 0 ? 0 : min(100, Double(time) / Double(total) * 100)
        return fixed(value, decimals: 3)
    }

    /// `value` with at most `decimals` decimals, trailing zeros removed: `12.5`, `3`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((max(0, value) * scale).rounded())
        let whole = scaled / Int(scale)
        var fraction = scaled % Int(scale)
        guard fraction > 0 else { return String(whole) }
        var digits = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(whole).\(String(repeating: "0", count: digits - text.count))\(text)"
    }

    /// The tick spacing for an axis of `total` nanoseconds: the smallest 1-2-5 step (whole
    /// minutes past a minute) that gives at most `ticks` ticks.
    static func tickStep(total: UInt64, ticks: Int = 10) -> UInt64 {
        let minimum = Double(max(total, 1)) / Double(max(ticks, 1))
        if minimum > 60e9 {
            let minutes: [UInt64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1440, 2880, 7200, 14400]
            for step in minutes where Double(step) * 60e9 >= minimum { return step * 60_000_000_000 }
        }
        return Waterfall.tickStep(total: total, cells: ticks * 10)
    }

    /// A tick label: `0`, `250 µs`, `1.5 s`, `2 min`, `2m30s`.
    static func tick(_ nanoseconds: UInt64) -> String {
        if nanoseconds >= 60_000_000_000 && nanoseconds % 60_000_000_000 == 0 {
            return "\(nanoseconds / 60_000_000_000) min"
        }
        if nanoseconds >= 60_000_000_000 && nanoseconds % 1_000_000_000 == 0 {
            let seconds = nanoseconds / 1_000_000_000
            return "\(seconds / 60)m\(seconds % 60 < 10 ? "0" : "")\(seconds % 60)s"
        }
        return Waterfall.axisLabel(nanoseconds)
    }

    /// A duration as the page shows it: `120 ms`, `1.88 s`.
    static func duration(_ nanoseconds: UInt64) -> String {
        SummaryFormat.duration(nanoseconds)
    }

    /// A time on the run's axis: `+120 ms`, `0`.
    static func offset(_ nanoseconds: UInt64) -> String {
        nanoseconds == 0 ? "0" : "+" + SummaryFormat.duration(nanoseconds)
    }
}
