/// Number, duration and time formatting for the summary: compact,
/// deterministic and independent of the locale.
public enum SummaryFormat {
    /// A duration in nanoseconds with three significant digits and a unit:
    /// `850 ns`, `12.3 µs`, `4.05 ms`, `5.21 s`, `2 m 05 s`, `1 h 02 m`.
    public static func duration(_ nanoseconds: UInt64) -> String {
        if nanoseconds == 0 { return "0" }
        if nanoseconds < 1_000 { return "\(nanoseconds) ns" }
        let units: [(scale: Double, name: String)] = [(1e3, "µs"), (1e6, "ms"), (1e9, "s")]
        let value = Double(nanoseconds)
        for (position, unit) in units.enumerated() {
            let scaled = value / unit.scale
            let text = significant(scaled)
            let isLast = position == units.count - 1
            if isLast ? scaled < 59.95 : (text.count < 5 && scaled < 999.5) {
                return "\(text) \(unit.name)"
            }
        }
        let seconds = Int((value / 1e9).rounded())
        if seconds < 3600 { return "\(seconds / 60) m \(twoDigits(seconds % 60)) s" }
        let minutes = seconds / 60
        return "\(minutes / 60) h \(twoDigits(minutes % 60)) m"
    }

    /// A rate with three significant digits, grouped in thousands from 1,000 on.
    public static func rate(_ value: Double) -> String {
        guard value.isFinite, value >= 0 else { return "–" }
        if value >= 999.5 { return count(Int(value.rounded())) }
        return significant(value)
    }

    /// An integer with thousands separators: `1,234,567`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `count` followed by `noun`, pluralised with an `s` unless the count is 1.
    public static func count(_ value: Int, _ noun: String) -> String {
        "\(count(value)) \(noun)\(value == 1 ? "" : "s")"
    }

    /// A wall-clock time in nanoseconds since 1970, in UTC with milliseconds:
    /// `2026-11-26 08:41:52.123 UTC`.
    public static func wallClock(_ nanoseconds: UInt64) -> String {
        let milliseconds = nanoseconds / 1_000_000
        let seconds = Int64(milliseconds / 1000)
        let days = seconds / 86_400
        let secondOfDay = Int(seconds % 86_400)
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let millis = Int(milliseconds % 1000)
        return "\(year)-\(twoDigits(Int(month)))-\(twoDigits(Int(day))) "
            + "\(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay / 60 % 60)):\(twoDigits(secondOfDay % 60))"
            + ".\(millis < 100 ? "0" : "")\(millis < 10 ? "0" : "")\(millis) UTC"
    }

    /// `value` with three significant digits (at most two decimals): `1.23`, `12.3`, `123`.
    static func significant(_ value: Double) -> String {
        let decimals = value < 9.995 ? 2 : (value < 99.95 ? 1 : 0)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = scaled % Int(scale)
        guard decimals > 0 else { return String(whole) }
        let fractionText = String(fraction)
        return "\(whole).\(String(repeating: "0", count: decimals - fractionText.count))\(fractionText)"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
