/// The lines shown in the log pane: the newest ``capacity`` lines, and a
/// count of every line received.
public struct LogBuffer: Sendable, Hashable {
    /// How many lines are kept.
    public let capacity: Int
    /// The kept lines, oldest first.
    public private(set) var lines: [String] = []
    /// Every line received, kept or not.
    public private(set) var total = 0

    /// Creates an empty buffer.
    public init(capacity: Int = 10_000) { self.capacity = max(1, capacity) }

    /// Adds `text`, one line per line break in it (a final line break adds no empty line).
    public mutating func append(_ text: String) {
        var pieces = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
        if pieces.count > 1 && pieces.last == "" { pieces.removeLast() }
        total += pieces.count
        lines += pieces.suffix(capacity)
        if lines.count > capacity { lines.removeFirst(lines.count - capacity) }
    }
}
