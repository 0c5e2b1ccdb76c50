/// The identity of a span within one run. Ids start at 1 and are never reused in a run.
public struct SpanID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The numeric id.
    public let rawValue: UInt64

    /// Creates a span id.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Orders ids by creation.
    public static func < (lhs: SpanID, rhs: SpanID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The decimal id.
    public var description: String { String(rawValue) }
}
