/// The text `longrun` prints: a header before the run and the results after it.
struct LongRunReport {
    /// What the pipeline found.
    var fleet: FleetReport
    /// The outcome of the strict check of each quarantined file, in fleet order.
    var strictChecks: [(path: String, outcome: String)]
    /// The wall-clock duration of both stages.
    var elapsed: Duration
    /// The nodes served from the cache.
    var cachedNodes: [String]

    /// The lines printed before the run starts.
    static func header(files: Int, batches: Int, seed: UInt64, concurrency: Int, pace: Duration) -> [String] {
        let perFile = Int((pace / .milliseconds(1)).rounded())
        return [
            "longrun: log analysis of \(files) files on \(batches) hosts (seed \(seed)), concurrency \(concurrency), "
                + (perFile > 0 ? "paced at \(perFile) ms per file" : "not paced"),
            "  pipeline       longrun: plan_batches | build_baseline (cached) -> analyze_hosts -> report",
            "  analyze_hosts  map over hosts of host_analysis: list_files -> analyze_files -> merge_host",
            "  analyze_files  map over files of file_analysis: read_log -> parse_log -> summarize_log",
            "",
        ]
    }

    /// A digest of every result: the fleet report and the strict checks. The same
    /// for every run with the same files, whatever the concurrency or pacing.
    var digest: String {
        var text = fleet.canonicalText
        for check in strictChecks { text += "\nstrict \(check.path) \(check.outcome)" }
        return LongRunRandom.hex(LongRunRandom.hash(text))
    }

    /// The lines printed after the run.
    var lines: [String] {
        var lines: [String] = []
        func row(_ label: String, _ text: String) {
            lines.append(label.padding(toLength: 13, withPad: " ", startingAt: 0) + text)
        }
        let share = fleet.lines > 0 ? Double(fleet.malformed) * 100 / Double(fleet.lines) : 0
        row(
            "Files",
            "\(fleet.files) on \(fleet.hosts.count) hosts, \(fleet.lines) lines "
                + "(\(fleet.malformed) malformed, \(Self.fixed(share, 2)) %)")
        row(
            "Levels",
            zip(LogLevel.allCases, fleet.levels).map { "\($0.rawValue) \($1)" }.joined(separator: "  "))
        let kinds = zip(MessageKind.allCases, fleet.kinds).sorted {
            $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.rawValue < $1.0.rawValue
        }
        row("Messages", kinds.prefix(5).map { "\($0.0.rawValue) \($0.1)" }.joined(separator: "  "))
        row("Slow lines", "\(fleet.slow) above the 95th percentile of \(fleet.baselineLines) reference lines")
        for (index, host) in fleet.hosts.enumerated() {
            row(
                index == 0 ? "Hosts" : "",
                "\(host.host)  \(host.files) files  \(host.lines) lines  \(host.slow) slow  "
                    + "\(host.worstErrorMinute) errors in its worst minute  slowest \(host.slowestFile)")
        }
        if strictChecks.isEmpty {
            row("Quarantined", "none")
        }
        for (index, check) in strictChecks.enumerated() {
            row(index == 0 ? "Quarantined" : "", "\(check.path): \(check.outcome)")
        }
        row("Digest", digest)
        lines.append("")
        row(
            "Elapsed",
            "\(Self.fixed(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, 1)) s")
        row("From cache", cachedNodes.isEmpty ? "nothing" : cachedNodes.joined(separator: ", "))
        return lines
    }

    /// `value` with `digits` digits after the point, without Foundation's locale.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(abs(scaled) % Int(scale))
        guard digits > 0 else { return String(whole) }
        return "\(whole).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }
}
