/// Why ``TraceCollector/write(to:)`` failed.
public enum TraceCollectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The trace file could not be written; an existing file at the path is left as it was.
    case cannotWrite(path: String, reason: String)
    /// The collector holds no run, and a trace file needs at least one.
    case noRuns(path: String)

    /// A message naming the file and the cause.
    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            "cannot write trace file '\(path)': \(reason)"
        case .noRuns(let path):
            "cannot write trace file '\(path)': the collector holds no run (none ran since it was created or cleared)"
        }
    }
}
