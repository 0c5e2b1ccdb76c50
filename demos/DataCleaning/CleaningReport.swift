import Foundation
import HyperNodes

/// The text `cleaning` prints: a header before the runs and the results after them.
struct CleaningReport {
    /// What the `report` pipeline computed.
    var summary: CleaningSummary
    /// The wall-clock duration of the three runs.
    var elapsed: Duration
    /// The nodes served from the cache.
    var cachedNodes: Int

    /// The most failed rows the report lists one by one.
    static let listed = 50

    /// The lines printed before the runs start.
    static func header(source: String, policy: FailurePolicyOption, concurrency: Int, pace: Duration) -> [String] {
        let perRow = Int((pace / .milliseconds(1)).rounded())
        return [
            "cleaning: \(source), concurrency \(concurrency), on failure: \(policy.rawValue), "
                + (perRow > 0 ? "paced at \(perRow) ms per row" : "not paced"),
            "  load       read_rows (the header is checked)",
            "  clean_row  map over the rows: split_fields -> parse_record -> validate",
            "  report     deduplicate -> summarize",
            "",
        ]
    }

    /// A digest of every result: the same for every run of the same file, whatever the
    /// concurrency, pacing or cache.
    var digest: String { CleaningRandom.digest(summary.canonicalText) }

    /// The lines printed after the runs.
    var lines: [String] {
        var lines: [String] = []
        func row(_ label: String, _ text: String) {
            lines.append(label.padding(toLength: 13, withPad: " ", startingAt: 0) + text)
        }
        row("Rows", "\(summary.rows) read, \(summary.cleaned) cleaned, \(summary.failures.count) failed")
        if summary.failures.isEmpty { row("Failed rows", "none") }
        for (index, failure) in summary.failures.prefix(Self.listed).enumerated() {
            row(index == 0 ? "Failed rows" : "", failure.error)
        }
        if summary.failures.count > Self.listed {
            row("", "… and \(summary.failures.count - Self.listed) more (every one is in the trace with --record)")
        }
        let byNode = Dictionary(grouping: summary.failures, by: \.node).mapValues(\.count)
        if !byNode.isEmpty {
            row(
                "Rejected by", byNode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  ")
            )
        }
        row(
            "Duplicates",
            summary.duplicates.isEmpty
                ? "none"
                : "\(summary.duplicates.count) dropped (same e-mail as an earlier row): "
                    + summary.duplicates.prefix(8).map { "line \($0.line) repeats \($0.keptLine)" }
                    .joined(separator: ", ") + (summary.duplicates.count > 8 ? ", …" : ""))
        row("Customers", "\(summary.customers.count) unique")
        func list(_ parts: [String]) -> String { parts.isEmpty ? "none" : parts.joined(separator: "  ") }
        row("Countries", list(summary.countries.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }))
        row(
            "Spend",
            list(summary.spendByYear.sorted { $0.key < $1.key }.map { "\($0.key) \(RowCleaner.money($0.value))" }))
        row("Digest", digest)
        lines.append("")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        row("Elapsed", String(format: "%.1f s", seconds))
        row("From cache", cachedNodes == 0 ? "nothing" : "\(cachedNodes) nodes")
        return lines
    }
}
