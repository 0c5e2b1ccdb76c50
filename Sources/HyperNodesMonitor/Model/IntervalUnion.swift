/// A union of time intervals kept as sorted, disjoint intervals with running totals, so that the
/// time it covers within any window is two binary searches away. Intervals arriving roughly in
/// time order merge at the end in constant time.
struct IntervalUnion: Sendable {
    private var starts: [UInt64] = []
    private var ends: [UInt64] = []
    /// `covered[i]` is the total length of intervals `0...i`.
    private var covered: [UInt64] = []

    /// Adds `[start, end)`.
    mutating func insert(_ start: UInt64, _ end: UInt64) {
        guard end > start else { return }
        if let lastEnd = ends.last, start >= starts[starts.count - 1] {
            let last = ends.count - 1
            if start <= lastEnd {
                if end > lastEnd {
                    ends[last] = end
                    covered[last] += end - lastEnd
                }
                return
            }
            starts.append(start)
            ends.append(end)
            covered.append(covered[last] + (end - start))
            return
        }
        // First interval whose end reaches `start`, first whose start lies beyond `end`.
        var low = Self.partition(ends) { $0 < start }
        let high = Self.partition(starts) { $0 <= end }
        var newStart = start
        var newEnd = end
        if low < high {
            newStart = min(start, starts[low])
            newEnd = max(end, ends[high - 1])
        }
        starts.replaceSubrange(low..<high, with: [newStart])
        ends.replaceSubrange(low..<high, with: [newEnd])
        covered.replaceSubrange(low..<high, with: [0])
        while low < starts.count {
            covered[low] = (low > 0 ? covered[low - 1] : 0) + (ends[low] - starts[low])
            low += 1
        }
    }

    /// The time the union covers within `[from, to)`.
    func measure(from: UInt64, to: UInt64) -> UInt64 {
        guard to > from else { return 0 }
        let below = coverage(before: to)
        let before = coverage(before: from)
        return below >= before ? below - before : 0
    }

    /// The time the union covers before `x`.
    private func coverage(before x: UInt64) -> UInt64 {
        let count = Self.partition(starts) { $0 < x }
        guard count > 0 else { return 0 }
        let previous = count >= 2 ? covered[count - 2] : 0
        return previous + (min(x, ends[count - 1]) - starts[count - 1])
    }

    /// The number of leading elements of `values` (ordered so that `predicate` holds for a prefix)
    /// for which `predicate` holds.
    static func partition(_ values: [UInt64], _ predicate: (UInt64) -> Bool) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if predicate(values[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
