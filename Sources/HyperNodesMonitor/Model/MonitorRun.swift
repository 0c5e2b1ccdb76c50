import HyperNodes
import HyperNodesTrace

/// One run the monitor has seen: its header, its end, and where it sits on the model's timeline.
public struct MonitorRun: Sendable {
    /// The run's id.
    public var runID: UInt64
    /// The outermost pipeline's name: the header's, else the first event's.
    public var name: String
    /// The run's header, when one was received.
    public var header: TraceHeader?
    /// How the run ended, once its last record was received.
    public var end: RunEnd?
    /// Where the run's time 0 lies on the model's timeline, in nanoseconds.
    public var offset: UInt64
    /// The run's first top-level span, once it started.
    public var root: Int?

    /// Creates a run.
    public init(
        runID: UInt64, name: String, header: TraceHeader? = nil, end: RunEnd? = nil, offset: UInt64 = 0,
        root: Int? = nil
    ) {
        self.runID = runID
        self.name = name
        self.header = header
        self.end = end
        self.offset = offset
        self.root = root
    }
}
