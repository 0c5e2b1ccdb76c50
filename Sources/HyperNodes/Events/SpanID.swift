/// The identity of a span within one run: never zero and never reused in a
/// run. Ids are handed out in blocks per worker lane, so their order is not
/// the order in which spans started; use timestamps for that.
public struct SpanID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The numeric id.
    public let rawValue: UInt64

    /// Creates a span id.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Orders ids numerically.
    public static func < (lhs: SpanID, rhs: SpanID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The decimal id.
    public var description: String { String(rawValue) }
}
