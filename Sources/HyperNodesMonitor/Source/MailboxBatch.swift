import HyperNodesTrace

/// What a source delivered since the last ``RecordMailbox/take()``.
public struct MailboxBatch: Sendable {
    /// Records, in the order they arrived.
    public var records: [TraceRecord]
    /// Lines of a trace file that could not be read.
    public var problems: [TraceProblem]
    /// Records dropped because the mailbox was full (oldest first), since the last take.
    public var dropped: Int
    /// How the source ended, once it has; reported by every take after that.
    public var finished: SourceEnd?

    /// Creates a batch.
    public init(
        records: [TraceRecord] = [], problems: [TraceProblem] = [], dropped: Int = 0, finished: SourceEnd? = nil
    ) {
        self.records = records
        self.problems = problems
        self.dropped = dropped
        self.finished = finished
    }
}

/// How a source of records ended.
public enum SourceEnd: Sendable, Hashable {
    /// Everything was delivered: the end of the file, or the pipeline finished.
    case completed
    /// Reading stopped early, with the reason.
    case failed(String)
}
