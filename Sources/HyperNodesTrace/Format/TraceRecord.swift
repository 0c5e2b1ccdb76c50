import HyperNodes

/// One line of a trace file.
public enum TraceRecord: Sendable {
    /// A run begins: its header.
    case header(TraceHeader)
    /// A pipeline event (span start or end, cache hit, error).
    case event(PipelineEvent)
    /// A map's progress so far.
    case progress(MapProgress)
    /// A run ended.
    case runEnd(RunEnd)

    /// The run the record belongs to.
    public var runID: UInt64 {
        switch self {
        case .header(let header): header.runID
        case .event(let event): event.runID
        case .progress(let progress): progress.runID
        case .runEnd(let end): end.runID
        }
    }

    /// Nanoseconds since the run started (0 for a header).
    public var timestamp: UInt64 {
        switch self {
        case .header: 0
        case .event(let event): event.timestamp
        case .progress(let progress): progress.timestamp
        case .runEnd(let end): end.timestamp
        }
    }
}
