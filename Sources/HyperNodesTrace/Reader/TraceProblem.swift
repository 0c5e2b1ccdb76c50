/// A line of a trace that could not be read. The reader reports it and
/// carries on with the next line.
public struct TraceProblem: Sendable, Hashable, CustomStringConvertible {
    /// The line's number, counting from 1.
    public var line: Int
    /// What was wrong with it.
    public var reason: String

    /// Creates a problem report.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line N: reason`.
    public var description: String { "line \(line): \(reason)" }
}
