import HyperNodesTrace
import Synchronization

/// Where a source leaves records for the monitor: producers append from any thread, the UI thread
/// takes everything since its last take, once a frame.
///
/// A mailbox with a capacity never makes a producer wait: when it holds `capacity` records, the
/// oldest is dropped and counted in ``MailboxBatch/dropped``.
public final class RecordMailbox: Sendable {
    private struct State {
        var records: [TraceRecord] = []
        /// Records before `head` were dropped and are compacted away lazily.
        var head = 0
        var problems: [TraceProblem] = []
        var dropped = 0
        var droppedTotal = 0
        var finished: SourceEnd?
    }

    private let state = Mutex(State())
    /// The most records held at once, or `nil` for no limit.
    public let capacity: Int?

    /// Creates a mailbox holding at most `capacity` records (no limit when `nil`).
    public init(capacity: Int? = nil) {
        self.capacity = capacity.map { max(1, $0) }
    }

    /// Appends one record, dropping the oldest when full.
    public func post(_ record: TraceRecord) {
        state.withLock { state in
            Self.append(record, to: &state, capacity: capacity)
        }
    }

    /// Appends records in order, dropping the oldest when full.
    public func post(_ records: some Sequence<TraceRecord>) {
        state.withLock { state in
            for record in records { Self.append(record, to: &state, capacity: capacity) }
        }
    }

    private static func append(_ record: TraceRecord, to state: inout State, capacity: Int?) {
        if let capacity, state.records.count - state.head >= capacity {
            state.head += 1
            state.dropped += 1
            state.droppedTotal += 1
            if state.head >= 4096 && state.head * 2 >= state.records.count {
                state.records.removeSubrange(0..<state.head)
                state.head = 0
            }
        }
        state.records.append(record)
    }

    /// Counts `count` records that never reached the mailbox (a live server dropped them for this
    /// client); they are reported with the mailbox's own drops.
    public func recordDropped(_ count: Int) {
        guard count > 0 else { return }
        state.withLock { state in
            state.dropped += count
            state.droppedTotal += count
        }
    }

    /// Reports a line that could not be read.
    public func post(problem: TraceProblem) {
        state.withLock { $0.problems.append(problem) }
    }

    /// Marks the source as ended; later takes report it.
    public func finish(_ end: SourceEnd) {
        state.withLock { state in
            if state.finished == nil { state.finished = end }
        }
    }

    /// Everything posted since the last take.
    public func take() -> MailboxBatch {
        state.withLock { state in
            let records = state.head == 0 ? state.records : Array(state.records[state.head...])
            let batch = MailboxBatch(
                records: records, problems: state.problems, dropped: state.dropped, finished: state.finished)
            state.records = []
            state.head = 0
            state.problems = []
            state.dropped = 0
            return batch
        }
    }

    /// The number of records waiting to be taken.
    public var pendingCount: Int {
        state.withLock { $0.records.count - $0.head }
    }

    /// All records dropped since the mailbox was created.
    public var droppedCount: Int {
        state.withLock { $0.droppedTotal }
    }

    /// How the source ended, once it has.
    public var finished: SourceEnd? {
        state.withLock { $0.finished }
    }
}
