import HyperNodes

/// The first line of a trace, and of every further run recorded in the same
/// file: what was run, where, and when.
public struct TraceHeader: Sendable, Hashable {
    /// The format version the file was written with, such as `"1.0"`.
    public var version: String
    /// The run this header introduces. Every event of the run carries it.
    public var runID: UInt64
    /// The run's wall-clock start in nanoseconds since 1970. Event times are
    /// monotonic nanoseconds since this instant.
    public var startTime: UInt64
    /// The process that ran the pipeline.
    public var process: TraceProcess
    /// The outermost pipeline's name.
    public var pipeline: String
    /// The pipeline graph: every pipeline, node, port and edge, so a viewer can
    /// show nodes that have not started yet.
    public var graph: PipelineGraph?

    /// Creates a header.
    public init(
        version: String = TraceFormat.version, runID: UInt64, startTime: UInt64, process: TraceProcess,
        pipeline: String, graph: PipelineGraph?
    ) {
        self.version = version
        self.runID = runID
        self.startTime = startTime
        self.process = process
        self.pipeline = pipeline
        self.graph = graph
    }
}
