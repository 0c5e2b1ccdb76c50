/// What the analysis of one log file finds.
struct FileReport: Codable, Sendable, Hashable {
    /// The file's path in the fleet.
    var path: String
    /// The file's position in the fleet.
    var index: Int
    /// The number of lines.
    var lines: Int
    /// The number of lines that could not be read.
    var malformed: Int
    /// Whether so many lines are malformed (more than 5 %, and at least three) that the file
    /// needs a strict check: a stray cut-off line in a short file is not damage.
    var quarantined: Bool
    /// Lines per level, in ``LogLevel`` order.
    var levels: [Int]
    /// Lines per message kind, in ``MessageKind`` order.
    var kinds: [Int]
    /// Lines slower than the baseline of their kind.
    var slow: Int
    /// The most ERROR lines within any 60 seconds.
    var worstErrorMinute: Int
    /// The median and 95th-percentile latency of the file's requests, in milliseconds.
    var requestP50: Int
    var requestP95: Int
    /// A checksum of the file's text.
    var checksum: UInt64

    /// The share of malformed lines above which a file is quarantined.
    static let quarantineShare = 0.05
    /// The fewest malformed lines that get a file quarantined.
    static let quarantineLines = 3

    /// Analyses the parsed lines of `file` against `baseline`.
    static func analyse(file: LogFileSpec, parsed: ParsedLog, baseline: LatencyBaseline) -> FileReport {
        var levels = [Int](repeating: 0, count: LogLevel.allCases.count)
        var kinds = [Int](repeating: 0, count: MessageKind.allCases.count)
        var slow = 0
        var requests: [Int] = []
        var errorTimes: [Int] = []
        for entry in parsed.entries {
            levels[LogLevel.allCases.firstIndex(of: entry.level)!] += 1
            kinds[MessageKind.allCases.firstIndex(of: entry.kind)!] += 1
            if baseline.isSlow(entry) { slow += 1 }
            if entry.kind == .request, let latency = entry.latency { requests.append(latency) }
            if entry.level == .error { errorTimes.append(entry.millisecond) }
        }
        requests.sort()
        errorTimes.sort()
        var worst = 0
        var first = 0
        for last in errorTimes.indices {
            while errorTimes[last] - errorTimes[first] >= 60_000 { first += 1 }
            worst = max(worst, last - first + 1)
        }
        let malformed = parsed.malformedLines.count
        return FileReport(
            path: file.path, index: file.index, lines: parsed.lineCount, malformed: malformed,
            quarantined: malformed >= quarantineLines
                && Double(malformed) > quarantineShare * Double(max(1, parsed.lineCount)),
            levels: levels, kinds: kinds, slow: slow, worstErrorMinute: worst,
            requestP50: LatencyBaseline.percentile(requests, 0.5),
            requestP95: LatencyBaseline.percentile(requests, 0.95),
            checksum: parsed.checksum)
    }
}
