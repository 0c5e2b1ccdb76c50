/// What latency is normal for each kind of message: the 95th percentile seen in a
/// reference sample of logs. A line slower than that counts as slow.
struct LatencyBaseline: Codable, Sendable, Hashable {
    /// The 95th-percentile latency in milliseconds per message kind (by raw value);
    /// kinds without latencies are absent.
    var p95: [String: Int]
    /// The number of reference lines the baseline was computed from.
    var sampleLines: Int

    /// The number of reference files generated for the baseline.
    static let sampleFiles = 48
    /// The lines per reference file.
    static let sampleLinesPerFile = 500

    /// Generates and reads the reference sample of `seed` (files that no run analyses)
    /// and takes the percentiles: the expensive step the demo caches.
    static func build(seed: UInt64) -> LatencyBaseline {
        var latencies: [MessageKind: [Int]] = [:]
        var lines = 0
        for index in 0..<sampleFiles {
            let file = LogFileSpec(
                index: 1_000_000 + index, host: "reference",
                service: LogBatch.services[index % LogBatch.services.count],
                lineCount: sampleLinesPerFile, seed: LongRunRandom.mix(seed &+ 0xBA5E_11E5 &+ UInt64(index)),
                damaged: false)
            let parsed = LogParser.parse(LogGenerator.lines(of: file))
            lines += parsed.lineCount
            for entry in parsed.entries {
                if let latency = entry.latency { latencies[entry.kind, default: []].append(latency) }
            }
        }
        var p95: [String: Int] = [:]
        for (kind, values) in latencies {
            p95[kind.rawValue] = percentile(values.sorted(), 0.95)
        }
        return LatencyBaseline(p95: p95, sampleLines: lines)
    }

    /// Whether `entry` is slower than the baseline of its kind.
    func isSlow(_ entry: LogEntry) -> Bool {
        guard let latency = entry.latency, let limit = p95[entry.kind.rawValue] else { return false }
        return latency > limit
    }

    /// The value at `fraction` of `sorted` (nearest rank), 0 for an empty list.
    static func percentile(_ sorted: [Int], _ fraction: Double) -> Int {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }
}
