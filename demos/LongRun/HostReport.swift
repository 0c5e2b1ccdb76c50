/// The files of one host, merged.
struct HostReport: Codable, Sendable, Hashable {
    /// The host.
    var host: String
    /// The number of files.
    var files: Int
    /// Lines, malformed lines and slow lines of all files.
    var lines: Int
    var malformed: Int
    var slow: Int
    /// Lines per level, in ``LogLevel`` order.
    var levels: [Int]
    /// Lines per message kind, in ``MessageKind`` order.
    var kinds: [Int]
    /// The paths of the quarantined files, in fleet order.
    var quarantined: [String]
    /// The file with the most slow lines (the first of equals).
    var slowestFile: String
    /// The most ERROR lines within any 60 seconds of one file.
    var worstErrorMinute: Int
    /// A checksum of the files' checksums, in fleet order.
    var checksum: UInt64

    /// Merges the reports of `batch`'s files (in the batch's order).
    static func merge(batch: LogBatch, reports: [FileReport]) -> HostReport {
        var report = HostReport(
            host: batch.host, files: reports.count, lines: 0, malformed: 0, slow: 0,
            levels: [Int](repeating: 0, count: LogLevel.allCases.count),
            kinds: [Int](repeating: 0, count: MessageKind.allCases.count), quarantined: [], slowestFile: "",
            worstErrorMinute: 0, checksum: 0xCBF2_9CE4_8422_2325)
        var mostSlow = -1
        for file in reports {
            report.lines += file.lines
            report.malformed += file.malformed
            report.slow += file.slow
            for index in report.levels.indices { report.levels[index] += file.levels[index] }
            for index in report.kinds.indices { report.kinds[index] += file.kinds[index] }
            if file.quarantined { report.quarantined.append(file.path) }
            if file.slow > mostSlow {
                mostSlow = file.slow
                report.slowestFile = file.path
            }
            report.worstErrorMinute = max(report.worstErrorMinute, file.worstErrorMinute)
            report.checksum = LongRunRandom.hash(LongRunRandom.hex(file.checksum), from: report.checksum)
        }
        return report
    }
}
