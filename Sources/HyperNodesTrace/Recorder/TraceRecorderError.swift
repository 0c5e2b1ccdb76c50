/// Why a ``TraceRecorder`` cannot record.
public enum TraceRecorderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The trace file could not be created.
    case cannotCreate(path: String, reason: String)
    /// Writing to the trace file failed; the events after the last complete
    /// line written were discarded.
    case writeFailed(path: String, reason: String, eventsDiscarded: Bool)

    /// A message naming the file and the cause.
    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason):
            "cannot create trace file '\(path)': \(reason)"
        case .writeFailed(let path, let reason, _):
            "cannot write trace file '\(path)': \(reason); the trace ends at the last complete line written "
                + "and later events are not recorded (the pipeline itself is not affected)"
        }
    }
}
