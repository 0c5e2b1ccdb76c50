/// One thing a live stream delivers to a ``LiveConnection``.
public enum LiveMessage: Sendable {
    /// The server's status, first on every stream.
    case status(LiveStatus)
    /// A trace record: the state so far, then live records, as in a trace file.
    case record(TraceRecord)
    /// The server dropped this many records for this client, which was too
    /// slow to take them (or the server itself could not keep up).
    case dropped(Int)
    /// A line that could not be read; the stream goes on.
    case problem(TraceProblem)
    /// `live_end`: the server closed the stream cleanly (the process is ending).
    case end
}
