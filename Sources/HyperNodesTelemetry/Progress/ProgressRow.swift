import HyperNodes

/// One line of the progress tree: a pipeline, a node, a map, or the
/// aggregate of one node over the items of a map.
public struct ProgressRow: Sendable, Equatable {
    /// What the row stands for.
    public enum Kind: Sendable, Equatable {
        /// A top-level pipeline run.
        case pipeline
        /// A node (possibly wrapping a nested pipeline, possibly mapped).
        case node
        /// A top-level map over a pipeline.
        case map
        /// One node of the pipeline inside a map, counted over every item.
        case aggregate
    }

    /// What the row stands for.
    public var kind: Kind
    /// The pipeline or node name.
    public var name: String
    /// The enclosing row, or `nil` for a run's root row.
    public var parent: Int?
    /// The rows below, in the order they first appeared.
    public var children: [Int] = []
    /// `running` until the span ends, then how it ended.
    public var status: SpanStatus = .running
    /// When the span started, in nanoseconds since 1970 (wall clock).
    public var start: UInt64
    /// When the span ended, in nanoseconds since 1970, or `nil` while running.
    public var end: UInt64?
    /// The span's duration in nanoseconds, once ended.
    public var duration: UInt64?
    /// The first failure reported in this row's span (or, for a map, in any item).
    public var error: String?
    /// For a pipeline, or a node wrapping a nested pipeline: its number of nodes.
    public var nodesTotal: Int?
    /// For a pipeline, or a node wrapping a nested pipeline: how many of its
    /// nodes have finished (run, cached or failed); each counts once.
    public var nodesDone = 0
    /// For a map row (a top-level map or a node mapping a nested pipeline).
    public var map: MapRowProgress?
    /// For an aggregate row: the counts over the map's items.
    public var counts: AggregateCounts?

    /// Creates a row.
    public init(kind: Kind, name: String, parent: Int?, start: UInt64) {
        self.kind = kind
        self.name = name
        self.parent = parent
        self.start = start
    }

    /// Whether the row's span has ended (an aggregate row has ended when its map has).
    public var isFinished: Bool { status != .running }
}

/// Progress of a map over its items.
public struct MapRowProgress: Sendable, Equatable {
    /// The number of items.
    public var total: Int
    /// Items that ended, however they ended.
    public var ended = 0
    /// Items that ended with an error.
    public var failed = 0
    /// Items that were cancelled.
    public var cancelled = 0
    /// Items running now.
    public var running = 0
    /// Nodes inside the items served from the cache.
    public var cacheHits = 0
    /// Nodes inside the items that ran to completion.
    public var executed = 0
    /// Smoothed items per second (exponential moving average, as tqdm's), once measured.
    public var smoothedRate: Double?
    /// The time and item count of the last rate sample.
    var sampleTime: UInt64
    var sampleEnded = 0

    /// The weight of the newest sample in ``smoothedRate`` (tqdm's default smoothing).
    public static let smoothing = 0.3
    /// The shortest interval between two rate samples, in nanoseconds.
    public static let sampleInterval: UInt64 = 100_000_000

    /// Creates the progress of a map over `total` items that started at `start`.
    public init(total: Int, start: UInt64) {
        self.total = total
        self.sampleTime = start
    }

    /// The share of node results served from the cache, or `nil` before any node finished.
    public var cacheHitShare: Double? {
        let all = cacheHits + executed
        return all == 0 ? nil : Double(cacheHits) / Double(all)
    }

    /// Counts an item that ended at `time` and updates the smoothed rate.
    mutating func itemEnded(status: SpanStatus, at time: UInt64) {
        running = max(0, running - 1)
        ended += 1
        if status == .error { failed += 1 }
        if status == .cancelled { cancelled += 1 }
        guard time > sampleTime, time - sampleTime >= Self.sampleInterval else { return }
        let instant = Double(ended - sampleEnded) / (Double(time - sampleTime) / 1e9)
        smoothedRate = smoothedRate.map { Self.smoothing * instant + (1 - Self.smoothing) * $0 } ?? instant
        sampleTime = time
        sampleEnded = ended
    }

    /// Items per second: the smoothed rate, or the average since `start` before the first sample.
    public func rate(start: UInt64, now: UInt64) -> Double? {
        if let smoothedRate { return smoothedRate }
        guard ended > 0, now > start else { return nil }
        return Double(ended) / (Double(now - start) / 1e9)
    }
}

/// How one node fared over the items of a map.
public struct AggregateCounts: Sendable, Equatable {
    /// Executions that ended normally.
    public var ok = 0
    /// Results served from the cache.
    public var cached = 0
    /// Executions that failed.
    public var failed = 0
    /// Executions that were cancelled.
    public var cancelled = 0
    /// Executions running now.
    public var running = 0
    /// The most recent durations (nanoseconds), at most ``recentCapacity``.
    var recent: [UInt64] = []
    var nextRecent = 0

    /// How many recent durations the median is taken over.
    public static let recentCapacity = 256

    /// Creates empty counts.
    public init() {}

    /// Records the duration of an execution that ended normally.
    mutating func record(duration: UInt64) {
        if recent.count < Self.recentCapacity {
            recent.append(duration)
        } else {
            recent[nextRecent] = duration
            nextRecent = (nextRecent + 1) % Self.recentCapacity
        }
    }

    /// The median of the recent durations, in nanoseconds, or `nil` before the first.
    public var medianDuration: UInt64? {
        guard !recent.isEmpty else { return nil }
        let sorted = recent.sorted()
        return sorted[(sorted.count - 1) / 2]
    }
}
