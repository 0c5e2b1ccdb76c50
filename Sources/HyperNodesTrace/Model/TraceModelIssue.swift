/// An inconsistency found while building a ``TraceModel``: an event that
/// refers to a span the trace does not have, a span id used twice, a span
/// the trace never closed. The model repairs what it can and records what
/// it did.
public struct TraceModelIssue: Sendable, Hashable, CustomStringConvertible {
    /// The run concerned.
    public var runID: UInt64
    /// The trace line of the record concerned, when known.
    public var line: Int?
    /// What was found and how it was handled.
    public var message: String

    /// Creates an issue.
    public init(runID: UInt64, line: Int?, message: String) {
        self.runID = runID
        self.line = line
        self.message = message
    }

    /// `line N: message`, or the message alone when the line is unknown.
    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}
