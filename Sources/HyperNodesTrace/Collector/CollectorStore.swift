import HyperNodes
import Synchronization

/// What a ``TraceCollector`` keeps, behind one lock: the runs' trace lines
/// within the span bound (a ``LiveRetention``) and each kept run's
/// statistics. The collector's drain thread adds lines batch by batch;
/// readers take snapshots.
final class CollectorStore: Sendable {
    struct State {
        var retention: LiveRetention
        var statistics: [UInt64: RunStatistics] = [:]
        let limits: LiveRetention.Limits

        init(limits: LiveRetention.Limits) {
            self.limits = limits
            retention = LiveRetention(limits: limits)
        }

        /// Drops the statistics of runs the retention let go.
        mutating func pruneStatistics() {
            guard statistics.count > retention.runCount else { return }
            let kept = Set(retention.runIDs)
            statistics = statistics.filter { kept.contains($0.key) }
        }
    }

    /// One run's lines and statistics, taken under the lock.
    struct RunSnapshot {
        let runID: UInt64
        let maps: [CollectedMap]
        let itemsStarted: Int
    }

    private let state: Mutex<State>

    init(limits: LiveRetention.Limits) {
        state = Mutex(State(limits: limits))
    }

    func withState<Result>(_ body: (inout State) -> Result) -> Result {
        state.withLock { body(&$0) }
    }

    /// The lines of every kept run (or of the most recent one alone), and their statistics.
    func snapshot(lastOnly: Bool = false) -> (bytes: [UInt8], runs: [RunSnapshot]) {
        state.withLock { state in
            var bytes: [UInt8] = []
            var ids = state.retention.runIDs
            if lastOnly { ids = ids.suffix(1) }
            if ids.count == state.retention.runCount {
                state.retention.snapshot(into: &bytes)
            } else {
                for id in ids { state.retention.snapshot(ofRun: id, into: &bytes) }
            }
            let runs = ids.map { id in
                let statistics = state.statistics[id]
                return RunSnapshot(
                    runID: id, maps: statistics?.collectedMaps ?? [], itemsStarted: statistics?.itemsStarted ?? 0)
            }
            return (bytes, runs)
        }
    }

    /// Forgets every run.
    func clear() {
        state.withLock { $0 = State(limits: $0.limits) }
    }
}
