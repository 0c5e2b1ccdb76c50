/// The durations of one node's executions inside a map's items, in order of their end times, so
/// that latency percentiles "as of t" cost the same at any t.
///
/// Every ``checkpointInterval`` executions a cumulative logarithmic histogram is kept (16 buckets
/// per power of two, values below 32 ns exact). A query at t finds the executions that ended by t
/// with a binary search, starts from the last checkpoint below that count and adds the rest (fewer
/// than ``checkpointInterval``). Percentiles are exact while fewer executions than one interval
/// ended; beyond, a percentile is the middle of its bucket: within 1/32 (about 3 %) of the exact
/// nearest-rank value. The maximum is always exact.
struct LatencyTrack: Sendable {
    static let checkpointInterval = 4096
    static let bucketCount = 32 + 59 * 16

    /// End times, ascending.
    private(set) var ends: [UInt64] = []
    /// Durations, parallel to `ends`.
    private(set) var durations: [UInt64] = []
    /// `histograms[k]` counts the durations of entries `0..<(k + 1) * checkpointInterval`.
    private var histograms: [[UInt32]] = []
    /// `maxima[k]` is the longest of those durations.
    private var maxima: [UInt64] = []

    /// Adds an execution that ended at `end` and took `duration` nanoseconds.
    mutating func insert(end: UInt64, duration: UInt64) {
        var position = ends.count
        while position > 0 && ends[position - 1] > end { position -= 1 }
        if position == ends.count {
            ends.append(end)
            durations.append(duration)
        } else {
            ends.insert(end, at: position)
            durations.insert(duration, at: position)
        }
        let valid = position / Self.checkpointInterval
        if histograms.count > valid {
            histograms.removeLast(histograms.count - valid)
            maxima.removeLast(maxima.count - valid)
        }
        while (histograms.count + 1) * Self.checkpointInterval <= ends.count {
            let from = histograms.count * Self.checkpointInterval
            var histogram = histograms.last ?? [UInt32](repeating: 0, count: Self.bucketCount)
            var longest = maxima.last ?? 0
            for index in from..<(from + Self.checkpointInterval) {
                histogram[Self.bucket(durations[index])] &+= 1
                longest = max(longest, durations[index])
            }
            histograms.append(histogram)
            maxima.append(longest)
        }
    }

    /// The latency of executions that ended at or before `t`, or `nil` when none did.
    func latency(name: String, at t: UInt64) -> NodeLatency? {
        let count = Self.countAtOrBelow(t, in: ends)
        guard count > 0 else { return nil }
        let ranks = [50, 95, 99].map { percent in max(1, (percent * count + 99) / 100) }
        let checkpoint = count / Self.checkpointInterval
        if checkpoint == 0 {
            let sorted = durations[0..<count].sorted()
            return NodeLatency(
                name: name, count: count, p50: sorted[ranks[0] - 1], p95: sorted[ranks[1] - 1],
                p99: sorted[ranks[2] - 1], max: sorted[count - 1])
        }
        var histogram = histograms[checkpoint - 1]
        var longest = maxima[checkpoint - 1]
        for index in (checkpoint * Self.checkpointInterval)..<count {
            histogram[Self.bucket(durations[index])] &+= 1
            longest = max(longest, durations[index])
        }
        var values: [UInt64] = []
        var cumulative = 0
        var next = 0
        for bucket in 0..<Self.bucketCount where histogram[bucket] > 0 {
            cumulative += Int(histogram[bucket])
            while next < ranks.count && ranks[next] <= cumulative {
                values.append(min(Self.middle(of: bucket), longest))
                next += 1
            }
            if next == ranks.count { break }
        }
        while values.count < 3 { values.append(longest) }
        return NodeLatency(name: name, count: count, p50: values[0], p95: values[1], p99: values[2], max: longest)
    }

    /// The number of values in ascending `values` that are at most `t`.
    static func countAtOrBelow(_ t: UInt64, in values: [UInt64]) -> Int {
        if let last = values.last, last <= t { return values.count }
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] <= t { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The histogram bucket of `value`: exact below 32, then 16 buckets per power of two.
    static func bucket(_ value: UInt64) -> Int {
        if value < 32 { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount
        let sub = Int((value >> UInt64(exponent - 4)) & 15)
        return 32 + (exponent - 5) * 16 + sub
    }

    /// The middle of `bucket`'s range.
    static func middle(of bucket: Int) -> UInt64 {
        if bucket < 32 { return UInt64(bucket) }
        let exponent = (bucket - 32) / 16 + 5
        let sub = UInt64((bucket - 32) % 16)
        let width = UInt64(1) << UInt64(exponent - 4)
        return (16 + sub) * width + width / 2
    }
}
