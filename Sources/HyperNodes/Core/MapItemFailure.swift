/// A map item that failed under ``MapFailurePolicy/collect``.
public struct MapItemFailure: Sendable, CustomStringConvertible {
    /// The item's index in the map (its position in ``MapResult``).
    public let index: Int
    /// The error, as ``MapFailurePolicy/stop`` would have thrown it: a node's
    /// failure is a ``NodeError`` whose path names the item, e.g.
    /// `clean[3] > parse_row: …`.
    public let error: any Error

    /// Creates a failure record.
    public init(index: Int, error: any Error) {
        self.index = index
        self.error = error
    }

    /// `item 3: clean[3] > parse_row: …`.
    public var description: String { "item \(index): \(error)" }
}
