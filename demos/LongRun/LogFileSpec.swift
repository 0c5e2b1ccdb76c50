/// One simulated log file of the fleet: where it comes from and what fixes its contents.
struct LogFileSpec: Codable, Sendable, Hashable {
    /// The position of the file in the whole fleet, from 0.
    var index: Int
    /// The host that wrote it (`host-03`).
    var host: String
    /// The service that wrote it, which is also the start of its name.
    var service: String
    /// The number of lines in the file.
    var lineCount: Int
    /// Fixes the file's lines.
    var seed: UInt64
    /// Whether the file was damaged (interrupted writes): many of its lines are cut off.
    var damaged: Bool

    /// The file's path in the fleet, `host-03/api-0017.log`.
    var path: String {
        let number = String(index)
        return "\(host)/\(service)-\(String(repeating: "0", count: max(0, 4 - number.count)))\(number).log"
    }
}

/// The files of one host, analysed together by the `host_analysis` pipeline.
struct LogBatch: Codable, Sendable, Hashable {
    /// The position of the batch, from 0.
    var index: Int
    /// The host whose files these are.
    var host: String
    /// The files, in fleet order.
    var files: [LogFileSpec]
}

extension LogBatch {
    /// The services whose logs the fleet writes.
    static let services = ["api", "auth", "billing", "search", "worker"]

    /// How many files of a fleet of `fileCount` are damaged: two for ten files or more, else none.
    static func damagedCount(fileCount: Int) -> Int { fileCount >= 10 ? 2 : 0 }

    /// Splits `fileCount` files of `linesPerFile` lines into `batchCount` hosts, all fixed by `seed`.
    ///
    /// Hosts get contiguous runs of files whose sizes differ by at most one. Two files
    /// (at a third and at two thirds of the fleet) are damaged when there are ten or more.
    static func plan(seed: UInt64, fileCount: Int, batchCount: Int, linesPerFile: Int) -> [LogBatch] {
        let batchCount = max(1, min(batchCount, fileCount))
        let damaged: Set<Int> =
            damagedCount(fileCount: fileCount) == 2 ? [fileCount / 3, (2 * fileCount) / 3 + 1] : []
        var batches: [LogBatch] = []
        var next = 0
        for batch in 0..<batchCount {
            let size = fileCount / batchCount + (batch < fileCount % batchCount ? 1 : 0)
            let host = "host-" + (batch < 9 ? "0" : "") + String(batch + 1)
            var files: [LogFileSpec] = []
            for index in next..<(next + size) {
                var random = LongRunRandom(seed: LongRunRandom.mix(seed ^ LongRunRandom.mix(UInt64(index) &+ 1)))
                let service = services[random.next(below: services.count)]
                // ±25 % around the nominal size, so files take different times.
                let lines = max(1, linesPerFile * (75 + random.next(below: 51)) / 100)
                files.append(
                    LogFileSpec(
                        index: index, host: host, service: service, lineCount: lines, seed: random.next(),
                        damaged: damaged.contains(index)))
            }
            next += size
            batches.append(LogBatch(index: batch, host: host, files: files))
        }
        return batches
    }
}
